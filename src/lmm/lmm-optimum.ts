/**
 * The optimum of a linear mixed model's profiled criterion and the model there, shared by the
 * fit from rows (fit-lmm.ts) and the fit from summary statistics (src/sql/fit-from-stats.ts):
 * both need only A = [Z X y]'W[Z X y] (in the workspace) from here on.
 *
 * θ̂ minimises the profiled REML criterion or deviance (Bates et al. 2015, JSS 67(1), section 3;
 * see workspace.ts): BOBYQA from the start to rhoEnd 1e-6, then, with `polish` (the default of fits
 * from statistics), Newton steps on the criterion with difference gradients
 * (src/optim/newton-polish.ts) to the zero of the gradient. The polishing makes θ̂ a property of A rather than of the optimizer's path: two computations of
 * A that differ by rounding (rows summed in another order, a database's sums, shards added up)
 * give the same θ̂, β̂, standard errors, σ̂ and logLik to ~1e-9 relative, where BOBYQA alone
 * stops ~1e-6 apart. Then β̂ = R_X⁻¹ r, σ̂² = r²_θ / (n − p) (REML) or r²_θ / n (ML),
 * vcov(β̂) = σ̂² R_X⁻¹R_X⁻ᵀ and b = Λ_θ û.
 */
import { MlmError } from "../errors.js";
import { makeFamily } from "../family/index.js";
import { notConvergedMessage, singularFitMessage, type Message } from "../messages.js";
import type { ModelFrame } from "../model-frame/types.js";
import type { LinearMixedModel, RanefRow } from "../model/mixed-model.js";
import { bobyqa, newtonPolish } from "../optim/index.js";
import type { RandomEffects } from "../terms/random-effects.js";
import { varCorr } from "../terms/varcorr.js";
import type { CrossProductBlocks } from "./cross-products.js";
import type { LmmOptions } from "./fit-lmm.js";
import { modelSummary } from "./model-summary.js";
import type { LmmWorkspace } from "./workspace.js";

/** The fields of a linear mixed model that follow from A at the optimum, but its arrays. */
export type LmmOptimumFields = Omit<LinearMixedModel, keyof LmmOptimumArrays | "fitted" | "residuals" | "crossProducts" | "fitSeconds">;

/** The array fields of a linear mixed model that follow from A at the optimum. */
export interface LmmOptimumArrays {
  readonly beta: Float64Array;
  readonly vcov: Float64Array;
  readonly theta: Float64Array;
  readonly lower: Float64Array;
}

/** The model at the optimum (to be sealed, see `modelSealer`), and what a fit from rows adds fitted values from. */
export interface LmmOptimum {
  readonly fields: LmmOptimumFields;
  readonly arrays: LmmOptimumArrays;
  /** Λ_t(θ̂) of each term. */
  readonly lambda: Float64Array[];
  /** The random effects b = Λ_θ û. */
  readonly b: Float64Array;
}

/**
 * Minimise the profiled criterion from θ₀ and build the model at the optimum.
 *
 * @param frame - the model frame (of rows, or standing in for them).
 * @param re - the random-effects layer.
 * @param ws - the workspace over the model's A.
 * @param theta0 - the start (lme4's, or the method-of-moments start).
 * @param options - REML or ML, optimizer limits, progress.
 * @param messages - messages so far (rows dropped, aliased columns); singular and not-converged
 *   warnings are appended.
 * @returns the model's fields, Λ(θ̂) and b.
 * @throws MlmError when the criterion is not finite at the optimum.
 * @example
 * ```ts
 * import { CrossProducts } from "./cross-products.js";
 * import { LmmWorkspace } from "./workspace.js";
 * const re = RandomEffects.of(sleepstudyFrame);
 * const A = new CrossProducts(re.terms, sleepstudyFrame.n, 2);
 * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
 * const { fields, arrays } = lmmOptimum(sleepstudyFrame, re, new LmmWorkspace(A), re.start(), {}, []);
 * [fields.criterion.value, fields.sigma, fields.fixef[1].se, arrays.beta[1]]; // [1743.628, 25.592, 1.5458, 10.467]
 * ```
 */
export function lmmOptimum(frame: ModelFrame, re: RandomEffects, ws: LmmWorkspace<CrossProductBlocks>, theta0: Float64Array, options: LmmOptions, messages: readonly Message[]): LmmOptimum {
  const reml = options.reml ?? true;
  const A = ws.A;
  const n = frame.n;
  const p = frame.fixefNames.length;
  const lower = re.lower();
  let evaluations = 0;
  const onProgress = options.onProgress;
  const objective = (th: Float64Array): number => {
    const v = ws.objective(th, reml);
    if (onProgress) onProgress({ evaluations: ++evaluations, criterion: v });
    return v;
  };
  const opt = bobyqa(objective, theta0, { lower, rhoBeg: 0.2, rhoEnd: 1e-6, maxEval: options.maxEval ?? 10000 });
  const polished = opt.converged && options.polish ? newtonPolish(objective, opt.x, { lower }) : undefined;
  const theta = polished?.x ?? opt.x;
  const crit = ws.objective(theta, reml);
  if (!Number.isFinite(crit)) {
    throw new MlmError("The model could not be fitted: the criterion is not finite at the optimum; check the data for extreme values or simplify the model.");
  }
  const beta = ws.beta();
  const sigma = Math.sqrt(ws.pwrss() / (reml ? n - p : n));
  const vcov = ws.unscaledVcov();
  for (let i = 0; i < vcov.length; i++) vcov[i] = vcov[i] * sigma * sigma;
  const lambda = re.lambdas(theta);
  const b = re.sphericalToB(lambda, ws.u(beta));

  const singularAt = re.singularGroups(theta, options.singularTol ?? 1e-4);
  const singular = singularAt.length > 0;
  const all = [...messages];
  if (singular) all.push(singularFitMessage(singularAt));
  if (!opt.converged) all.push(notConvergedMessage(opt.evaluations));
  const varcorr = varCorr(re, theta, sigma, true);
  let ranefCache: readonly RanefRow[] | undefined;
  const ranef = (): readonly RanefRow[] => {
    if (!ranefCache) {
      ws.updateL(theta);
      ranefCache = Object.freeze(re.ranefRows(lambda, b, ws.condVarU(), sigma));
    }
    return ranefCache;
  };
  const fields: LmmOptimumFields = {
    kind: "lmm",
    formula: frame.formula.text,
    family: makeFamily("gaussian"),
    method: reml ? "REML" : "ML",
    randomEffects: re,
    ...modelSummary(frame, re, beta, vcov, crit, p + ws.ntheta + 1),
    sigma,
    varcorr: Object.freeze(varcorr),
    criterion: { name: reml ? ("REML" as const) : ("deviance" as const), value: crit },
    singular,
    converged: opt.converged,
    optimizer: { name: opt.name, evaluations: opt.evaluations + (polished?.evaluations ?? 0), criterion: crit, converged: opt.converged },
    icc: Object.freeze(interceptIcc(varcorr, re.terms.map((t) => t.k), sigma)),
    messages: Object.freeze(all),
    ranef,
    devfun: (th: ArrayLike<number>, r = reml) => ws.objective(th, r),
    devianceAt: (th: ArrayLike<number>, s: number, r = reml) => {
      if (!ws.updateL(th)) return Infinity;
      const s2 = s * s;
      const dev = ws.logdetL() + ws.pwrss() / s2 + n * Math.log(2 * Math.PI * s2) - A.logW;
      return r ? dev + ws.logdetRX() - p * Math.log(2 * Math.PI * s2) : dev;
    },
    unscaledVcovAt: (th: ArrayLike<number>) => {
      ws.updateL(th);
      return ws.unscaledVcov();
    },
    criterionPartsAt: (th: ArrayLike<number>) => (ws.updateL(th) ? { logdetL: ws.logdetL(), logdetRX: ws.logdetRX(), pwrss: ws.pwrss(), unscaledVcov: ws.unscaledVcov() } : undefined),
  };
  return { fields, arrays: { beta, vcov, theta, lower }, lambda, b };
}

/**
 * ICC per grouping factor for a random-intercept model: τ²_g / (Σ_h τ²_h + σ²). Empty when any
 * term has more than one random effect or the only effect is not an intercept.
 *
 * @param varcorr - the model's VarCorr rows (without the residual row).
 * @param ks - random effects per term.
 * @param sigma - residual standard deviation.
 * @returns `{ group: icc }`.
 * @example
 * ```ts
 * interceptIcc([{ group: "Batch", var1: "(Intercept)", vcov: 1764 }], [1], 49.51); // { Batch: 0.418 }
 * ```
 */
export function interceptIcc(varcorr: readonly { group: string; var1: string | null; vcov: number }[], ks: readonly number[], sigma: number): Record<string, number> {
  const icc: Record<string, number> = {};
  if (ks.some((k) => k !== 1)) return icc;
  const re = varcorr.filter((r) => r.group !== "Residual");
  if (re.some((r) => r.var1 !== "(Intercept)")) return icc;
  const total = re.reduce((s, r) => s + r.vcov, 0) + sigma * sigma;
  for (const r of re) icc[r.group] = r.vcov / total;
  return icc;
}
