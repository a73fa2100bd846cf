/**
 * Fit a generalized linear mixed model (binomial or Poisson) by the Laplace approximation or
 * adaptive Gauss–Hermite quadrature, in lme4's two stages: first θ alone with β and u from a
 * joint PIRLS, then θ and β together with u from PIRLS (see pirls.ts for the deviance).
 * The covariance of β̂ is R_X⁻¹R_X⁻ᵀ at the IRLS weights of the optimum.
 */
import { MlmError } from "../errors.js";
import type { DataInput } from "../data/data-input.js";
import { toDataTable } from "../data/to-data-table.js";
import { parseFormula } from "../formula/index.js";
import type { Formula } from "../formula/ast.js";
import { modelFrame } from "../model-frame/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import { bobyqa } from "../optim/index.js";
import { RandomEffects } from "../terms/random-effects.js";
import { hessian } from "../numerics/derivatives.js";
import { cholesky, invertSymmetric, solveLower } from "../linalg/dense.js";
import { hessianMessage, hessianUnreliableMessage, separationMessage, type Message } from "../messages.js";
import type { FitProgress, GeneralizedLinearMixedModel } from "../model/mixed-model.js";
import { makeFamily, type Family, type FamilyName, type LinkName } from "../family/index.js";
import { PirlsWorkspace } from "./pirls.js";
import { glmmModel } from "./glmm-model.js";
import { fitDispersionFrame } from "./fit-dispersion.js";

export type { GeneralizedLinearMixedModel } from "../model/mixed-model.js";

/** Options of {@link fitGlmm}. */
export interface GlmmOptions {
  readonly family: FamilyName;
  /** Link (default logit for binomial, log for Poisson). */
  readonly link?: LinkName;
  /** Quadrature points: 1 (Laplace, default), up to 25 for a single scalar random effect; 0 stops after the first stage. */
  readonly nAGQ?: number;
  /** Columns to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
  /** Column of prior weights (binomial trials when the response is a proportion). */
  readonly weights?: string;
  /** Largest number of deviance evaluations per stage (default 10000). */
  readonly maxEval?: number;
  /** Called after each evaluation of the deviance, for progress displays of long fits. */
  readonly onProgress?: FitProgress;
}

/**
 * Fit a GLMM.
 *
 * @param formula - e.g. `"cbind(incidence, size - incidence) ~ period + (1 | herd)"`.
 * @param data - columns, rows, an Arrow-like table, or a DataTable.
 * @param options - family, link, nAGQ, weights.
 * @returns the fitted model.
 * @throws MlmError for responses outside the family's support, failed PIRLS, bad models.
 * @example
 * ```ts
 * const m = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, { family: "binomial", factors: ["period"] });
 * m.fixef[0].estimate; // -1.398
 * ```
 */
export function fitGlmm(formula: string | Formula, data: DataInput, options: GlmmOptions): GeneralizedLinearMixedModel {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const table = toDataTable(data, { factors: options.factors });
  const frame = modelFrame(f, table, options.weights ? { weights: options.weights } : undefined);
  return fitGlmmFrame(frame, options, t0);
}

/**
 * Fit a GLMM to a model frame already built.
 *
 * @param frame - the model frame.
 * @param options - see {@link GlmmOptions}.
 * @param t0 - `performance.now()` at the start (for `fitSeconds`).
 * @returns the fitted model.
 * @throws MlmError as {@link fitGlmm}.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("cbind(incidence, size - incidence) ~ period + (1 | herd)"), cbpp);
 * const m = fitGlmmFrame(frame, { family: "binomial", nAGQ: 25 });
 * [m.method, m.nAGQ]; // ["AGQ", 25]
 * m.fixef[0].estimate; // -1.399
 * ```
 */
export function fitGlmmFrame(frame: ModelFrame, options: GlmmOptions, t0 = performance.now()): GeneralizedLinearMixedModel {
  const family = makeFamily(options.family, options.link);
  if (family.hasDispersion) {
    if ((options.nAGQ ?? 1) !== 1) throw new MlmError(`The ${family.name} family is fitted by the Laplace approximation only; drop nAGQ (adaptive quadrature is for families without a dispersion parameter).`);
    return fitDispersionFrame(frame, family, { maxEval: options.maxEval }, t0);
  }
  const nAGQ = options.nAGQ ?? 1;
  const p = frame.fixefNames.length;
  if (frame.reterms.length === 0) throw new MlmError("The formula has no random-effects term such as (1 | group); add one.");
  if (!Number.isInteger(nAGQ) || nAGQ < 0 || nAGQ > 100) throw new MlmError(`nAGQ must be a whole number from 0 to 100, not ${nAGQ}.`);
  if (nAGQ > 1 && !family.allowsQuadrature) throw new MlmError(`nAGQ > 1 (adaptive Gauss-Hermite quadrature) is not available for the ${family.name} family; use the Laplace approximation (nAGQ 1).`);
  const messages: Message[] = [...frame.messages];
  const pw = priorWeights(frame, family, messages);

  const re = RandomEffects.of(frame);
  const terms = re.terms;
  if (nAGQ > 1 && (terms.length !== 1 || terms[0].k !== 1)) {
    throw new MlmError("nAGQ > 1 (adaptive Gauss-Hermite quadrature) needs a single scalar random-effects term such as (1 | g); use the Laplace approximation (nAGQ 1) for this model.");
  }
  const ws = new PirlsWorkspace(frame, re, family, pw);
  const lower = re.lower();
  const theta0 = re.start();
  const nt = theta0.length;
  const maxEval = options.maxEval ?? 10000;

  // Stage 1: θ alone, β and u by joint PIRLS (a start for stage 2, so a looser tolerance).
  let count = 0;
  const report = (v: number): number => {
    options.onProgress?.({ evaluations: ++count, criterion: v });
    return v;
  };
  const s1 = bobyqa((th) => report(ws.laplaceJoint(th)), theta0, { lower, rhoBeg: 0.2, rhoEnd: 1e-4, maxEval });
  ws.laplaceJoint(s1.x);
  ws.saveLp0();
  let theta = Float64Array.from(s1.x);
  let beta = Float64Array.from(ws.beta);
  let evaluations = s1.evaluations;
  let converged = s1.converged;

  const deviance = (tb: ArrayLike<number>): number => {
    const th = tb instanceof Float64Array ? tb.subarray(0, nt) : Float64Array.from(tb).subarray(0, nt);
    const be = Float64Array.from({ length: p }, (_, j) => tb[nt + j]);
    try {
      return nAGQ > 1 ? ws.agq(th, be, nAGQ) : ws.laplace(th, be);
    } catch {
      return Infinity;
    }
  };
  if (nAGQ > 0) {
    // Stage 2 in (θ / s, v) with β = W v, W W' = 144 vcov(β̂) of the first stage (see whitening),
    // so that the coefficients are uncorrelated and of equal curvature at the start, as the
    // trust-region optimizer's first quadratic model (diagonal) assumes: correlated coefficients
    // (treatment contrasts with their intercept) otherwise take it many evaluations to learn
    // (cbpp with the cloglog link: 129 evaluations against 85; over the 16 GLMM reference cases
    // 2,766 against 1,870). The factor 12 makes BOBYQA's first steps 2.4 standard errors.
    // With many random effects (where PIRLS keeps the deviance smooth, PirlsWorkspace.smooth)
    // θ's curvature is as large as β's and θ_j is scaled by s_j = min(1, 5 √(2 / (∂²D/∂θ_j²)))
    // from central differences at the start (binomial_200k: 171 evaluations without, 77 with).
    const W = whitening(ws.wsB.unscaledVcov(), p, 12);
    const scale = new Float64Array(nt).fill(1);
    const start = Float64Array.of(...theta, ...beta);
    if (ws.smooth) {
      const f0 = deviance(start);
      for (let j = 0; j < nt; j++) {
        const h = 1e-3 * Math.max(Math.abs(start[j]), 0.1);
        const at = (d: number): number => deviance(start.map((x, k) => (k === j ? x + d : x)));
        const curvature = (at(h) - 2 * f0 + at(-h)) / (h * h);
        if (start[j] - h >= lower[j] && curvature > 0) scale[j] = Math.min(1, 5 * Math.sqrt(2 / curvature));
      }
      evaluations += 1 + 2 * nt;
    }
    for (let j = 0; j < nt; j++) start[j] /= scale[j];
    solveLower(W, p, p, start, nt); // v = W⁻¹β
    const tbOf = (v: Float64Array): Float64Array => {
      const tb = new Float64Array(nt + p);
      for (let j = 0; j < nt; j++) tb[j] = v[j] * scale[j];
      for (let i = 0; i < p; i++) {
        let t = 0;
        for (let k = 0; k <= i; k++) t += W[i + k * p] * v[nt + k];
        tb[nt + i] = t;
      }
      return tb;
    };
    const lowerTB = Float64Array.of(...lower, ...new Array<number>(p).fill(-Infinity));
    const s2 = bobyqa((v) => report(deviance(tbOf(v))), start, { lower: lowerTB, rhoBeg: 0.2, rhoEnd: 1e-6, maxEval });
    const tbHat = tbOf(s2.x);
    theta = Float64Array.from(tbHat.subarray(0, nt));
    beta = Float64Array.from(tbHat.subarray(nt));
    evaluations += s2.evaluations;
    converged = converged && s2.converged;
  }
  const tb = Float64Array.of(...theta, ...beta);
  const dev = nAGQ > 0 ? deviance(tb) : ws.laplaceJoint(theta);
  if (!Number.isFinite(dev)) throw new MlmError("The model could not be fitted: the deviance is not finite at the optimum; check for complete separation or extreme counts.");

  // vcov(β̂): the β block of 2 H⁻¹, H the finite-difference Hessian of the deviance in (θ, β), as
  // lme4 reports by default; R_X⁻¹R_X⁻ᵀ where that Hessian is not positive definite.
  // A Hessian whose standard errors are far from R_X's measured a step of the criterion rather
  // than its curvature (PIRLS stopping after a different number of iterations on each side of
  // the optimum, seen with a probit link): R_X's are then the better estimate.
  const hv = nAGQ > 0 ? hessianVcov(deviance, tb, nt, p) : undefined;
  const rx = ws.vcovRX(theta, beta);
  const chosen = nAGQ > 0 ? chooseVcov(hv, rx, p) : { vcov: rx, message: undefined };
  const vcov = chosen.vcov;
  if (chosen.message) messages.push(chosen.message);
  if (nAGQ > 0) deviance(tb); // leave the state at the optimum
  if (family.separable && beta.some((b, j) => Math.abs(b) > 10 && Math.sqrt(vcov![j * (p + 1)]) > 5 * Math.abs(b))) messages.push(separationMessage());
  return glmmModel({
    frame,
    family,
    re,
    method: nAGQ === 0 ? "nAGQ=0" : nAGQ === 1 ? "Laplace" : "AGQ",
    nAGQ,
    theta,
    beta,
    vcov,
    deviance: dev,
    npar: p + nt,
    sigma: 1,
    evaluations,
    converged,
    messages,
    u: ws.u,
    eta: ws.eta,
    mu: ws.mu,
    condVar: ws.condVarU(),
    devfun: deviance,
    t0,
  });
}

/**
 * The covariance of β̂ a GLMM reports: the Hessian's (lme4's default), unless it is missing (H
 * not positive definite) or one of its standard errors is more than five times larger or smaller
 * than R_X's; then R_X's, with the message that says why.
 *
 * @param hessian - the β block of 2 H⁻¹, or undefined.
 * @param rx - R_X⁻¹R_X⁻ᵀ.
 * @param p - the number of fixed effects.
 * @returns the covariance and the message to attach, if any.
 * @example
 * ```ts
 * chooseVcov(Float64Array.of(1e-4), Float64Array.of(0.09), 1).message?.code; // "hessian-unreliable" (se 0.01 against 0.3)
 * ```
 */
export function chooseVcov(hessian: Float64Array | undefined, rx: Float64Array, p: number): { vcov: Float64Array; message: Message | undefined } {
  if (!hessian) return { vcov: rx, message: hessianMessage() };
  for (let i = 0; i < p; i++) {
    const r = Math.sqrt(hessian[i + i * p] / rx[i + i * p]);
    if (!(r <= 5 && r >= 1 / 5)) return { vcov: rx, message: hessianUnreliableMessage() };
  }
  return { vcov: hessian, message: undefined };
}

/** The β block of 2 H⁻¹ from a central-difference Hessian, or undefined when H is not positive definite. */
function hessianVcov(deviance: (tb: Float64Array) => number, tb: Float64Array, nt: number, p: number): Float64Array | undefined {
  const m = nt + p;
  const H = hessian(deviance, tb, 1e-4, false);
  const Hi = invertSymmetric(H, m);
  if (!Hi) return undefined;
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) v[i + j * p] = 2 * Hi[nt + i + (nt + j) * m];
  for (let i = 0; i < p; i++) if (!(v[i + i * p] > 0)) return undefined;
  return v;
}

/** Prior weights (binomial trials) and the family's checks that the response lies in its support. */
function priorWeights(frame: ModelFrame, family: Family, messages: Message[]): Float64Array {
  const w = frame.weights ? Float64Array.from(frame.weights) : new Float64Array(frame.n).fill(1);
  messages.push(...family.prepareResponse(frame.response, w, frame.rows));
  return w;
}

/**
 * The map β = W v of the second stage: W = L D, L the lower Cholesky factor of the first stage's
 * vcov(β̂) (p × p, column-major) and D_jj = min(f, 3 / L_jj), so that W_jj ≤ 3: a coefficient
 * of huge standard error (a separated predictor) would otherwise take first steps of many units,
 * out into the flat region where the deviance barely changes. Where vcov is not positive
 * definite, the diagonal W_jj = min(1, 5 se_j), which only shrinks coefficients of tiny
 * standard error.
 *
 * @param vcov - vcov(β̂) of the first stage, p × p column-major.
 * @param p - number of coefficients.
 * @param f - the factor.
 * @returns W, lower triangular, column-major.
 * @example
 * ```ts
 * whitening(Float64Array.of(0.04, 0.02, 0.02, 0.05), 2, 12); // Float64Array [2.4, 1.2, 0, 2.4] (12 L)
 * whitening(Float64Array.of(4, 2, 2, 5), 2, 12); // Float64Array [3, 1.5, 0, 3] (W_jj capped at 3)
 * ```
 */
export function whitening(vcov: Float64Array, p: number, f: number): Float64Array {
  const W = Float64Array.from(vcov);
  if (cholesky(W, p, p) < 0) {
    for (let j = 0; j < p; j++) {
      const d = Math.min(f, 3 / W[j * (p + 1)]);
      for (let i = 0; i < p; i++) W[i + j * p] = i >= j ? d * W[i + j * p] : 0;
    }
    return W;
  }
  W.fill(0);
  for (let j = 0; j < p; j++) W[j * (p + 1)] = Math.min(1, 5 * Math.sqrt(vcov[j * (p + 1)])) || 1;
  return W;
}
