/**
 * The fitted GLMM object, assembled from the optimum of either fitting path (fit-glmm.ts for
 * families without a dispersion parameter, fit-dispersion.ts for nbinom2, nbinom1 and Gamma):
 * the coefficient table and information criteria, VarCorr, the conditional modes
 * b̂ = Λ(θ̂)û on the scale of the random effects, μ̂, the response residuals y − μ̂, and the
 * singular-fit and convergence messages.
 */
import { modelSealer, type DispersionEstimate, type GeneralizedLinearMixedModel, type RanefRow } from "../model/mixed-model.js";
import type { ModelFrame } from "../model-frame/types.js";
import { modelSummary } from "../lmm/model-summary.js";
import type { RandomEffects } from "../terms/random-effects.js";
import { varCorr } from "../terms/varcorr.js";
import { notConvergedMessage, singularFitMessage, type Message } from "../messages.js";
import type { Family } from "../family/index.js";

/** What a fitting path has at its optimum. */
export interface GlmmOptimum {
  readonly frame: ModelFrame;
  readonly family: Family;
  readonly re: RandomEffects;
  readonly method: GeneralizedLinearMixedModel["method"];
  readonly nAGQ: number;
  readonly theta: Float64Array;
  readonly beta: Float64Array;
  /** vcov(β̂), p × p column-major. */
  readonly vcov: Float64Array;
  /** The deviance at the optimum. */
  readonly deviance: number;
  /** Number of parameters (β, θ and the dispersion). */
  readonly npar: number;
  /** σ (1 for families without a scale, σ̂ of a dispersion family). */
  readonly sigma: number;
  readonly dispersion?: DispersionEstimate;
  readonly evaluations: number;
  readonly converged: boolean;
  /** Messages so far (frame, response, Hessian, separation); singular-fit and convergence messages are added here. */
  readonly messages: readonly Message[];
  /** Spherical conditional modes û at the optimum. */
  readonly u: Float64Array;
  /** η̂ and μ̂ per row at the optimum. */
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  /** Conditional variances of u per term at the optimum. */
  readonly condVar: Float64Array[];
  readonly devfun: (x: ArrayLike<number>) => number;
  /** `performance.now()` at the start of the fit. */
  readonly t0: number;
}

/**
 * Assemble the fitted, sealed model.
 *
 * @param o - the optimum.
 * @returns the model (arrays copied, object frozen).
 * @example
 * ```ts
 * const m = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, { family: "binomial" });
 * const again = glmmModel({ frame: m.frame, family: m.family, re: m.randomEffects, method: m.method, nAGQ: 1, theta: m.theta, beta: m.beta,
 *   vcov: m.vcov, deviance: m.criterion.value, npar: m.npar, sigma: 1, evaluations: 0, converged: true, messages: [],
 *   u: new Float64Array(15), eta: m.eta, mu: m.fitted, condVar: [new Float64Array(15)], devfun: m.devfun, t0: 0 });
 * again.logLik === m.logLik; // true
 * ```
 */
export function glmmModel(o: GlmmOptimum): GeneralizedLinearMixedModel {
  const { frame, re, theta } = o;
  const messages = [...o.messages];
  const summary = modelSummary(frame, re, o.beta, o.vcov, o.deviance, o.npar);
  const singularAt = re.singularGroups(theta, 1e-4);
  if (singularAt.length > 0) messages.push(singularFitMessage(singularAt));
  if (!o.converged) messages.push(notConvergedMessage(o.evaluations));
  const lambda = re.lambdas(theta);
  const b = re.sphericalToB(lambda, o.u);
  const y = frame.response.y;
  const fitted = Float64Array.from(o.mu);
  const residuals = y.map((v, i) => v - fitted[i]);
  let ranefCache: readonly RanefRow[] | undefined;
  const model: Omit<GeneralizedLinearMixedModel, "beta" | "vcov" | "theta" | "lower" | "fitted" | "residuals" | "eta"> = {
    kind: "glmm",
    formula: frame.formula.text,
    family: o.family,
    method: o.method,
    nAGQ: o.nAGQ,
    randomEffects: re,
    ...summary,
    sigma: o.sigma,
    varcorr: Object.freeze(varCorr(re, theta, 1, false)),
    criterion: { name: "deviance" as const, value: o.deviance },
    singular: singularAt.length > 0,
    converged: o.converged,
    optimizer: { name: "bobyqa", evaluations: o.evaluations, criterion: o.deviance, converged: o.converged },
    icc: Object.freeze({}),
    messages: Object.freeze(messages),
    fitSeconds: (performance.now() - o.t0) / 1000,
    ranef: () => (ranefCache ??= Object.freeze(re.ranefRows(lambda, b, o.condVar, 1))),
    devfun: o.devfun,
  };
  if (o.dispersion) Object.assign(model, { dispersion: Object.freeze(o.dispersion) }); // not spread into the literal: V8's slow path
  return sealGlmm(model, { beta: o.beta, vcov: o.vcov, theta, lower: re.lower(), fitted, residuals, eta: Float64Array.from(o.eta) });
}

const sealGlmm = modelSealer(["beta", "vcov", "theta", "lower", "fitted", "residuals", "eta"]);
