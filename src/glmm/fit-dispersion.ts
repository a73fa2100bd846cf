/**
 * Fit a GLMM whose family has a dispersion parameter σ (nbinom2, nbinom1, Gamma) by the Laplace
 * approximation, with σ estimated jointly with θ and β by maximum likelihood, as glmmTMB does:
 *
 *     (θ̂, β̂, σ̂) = argmin −2 log L(θ, β, σ),   −2 log L ≈ pdev(û) + log|Λ'Z'WZΛ + I|
 *
 * (see pirls-dispersion.ts; W the observed information at û). Two stages, as fit-glmm.ts: first
 * (θ, log σ) with β found jointly with u by Newton's method, a start; then (θ, β, log σ) together.
 * vcov(β̂) is the β block of 2H⁻¹, H the finite-difference Hessian of the deviance in
 * (θ, β, log σ), as glmmTMB's sdreport gives it.
 */
import { MlmError } from "../errors.js";
import type { ModelFrame } from "../model-frame/types.js";
import { bobyqa } from "../optim/index.js";
import { RandomEffects } from "../terms/random-effects.js";
import { hessianCompact } from "../numerics/derivatives.js";
import { invertSymmetric } from "../linalg/dense.js";
import { hessianMessage, message, type Message } from "../messages.js";
import type { DispersionEstimate, GeneralizedLinearMixedModel } from "../model/mixed-model.js";
import type { Family } from "../family/index.js";
import { DispersionPirls } from "./pirls-dispersion.js";
import { glmmModel } from "./glmm-model.js";

/** Bounds of log σ for the optimizer: σ from 1e-8 to 1e8. */
const LOG_SIGMA_BOUND = Math.log(1e8);

export type { DispersionEstimate } from "../model/mixed-model.js";

/** A fitted GLMM of a family with a dispersion parameter: its `devfun` takes (θ, β, log σ), or (θ, β) at σ̂. */
export interface DispersionMixedModel extends GeneralizedLinearMixedModel {
  readonly dispersion: DispersionEstimate;
}

/** Options of {@link fitDispersionFrame}. */
export interface DispersionOptions {
  /** Largest number of deviance evaluations per stage (default 20000). */
  readonly maxEval?: number;
}

/**
 * Fit a negative binomial or Gamma GLMM to a model frame.
 *
 * @param frame - the model frame.
 * @param family - the family (one with `dispersion`: nbinom2, nbinom1, Gamma) and its link.
 * @param options - the evaluation limit.
 * @param t0 - `performance.now()` at the start.
 * @returns the fitted model.
 * @throws MlmError for responses outside the family's support or models that cannot be fitted.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("incidence ~ period + (1 | herd)"), cbpp);
 * const m = fitDispersionFrame(frame, makeFamily("nbinom2"));
 * m.dispersion.value; // 1.6266
 * ```
 */
export function fitDispersionFrame(frame: ModelFrame, family: Family, options: DispersionOptions = {}, t0 = performance.now()): DispersionMixedModel {
  const disp = family.dispersion;
  if (!disp) throw new MlmError(`The ${family.name} family has no dispersion parameter.`);
  const p = frame.fixefNames.length;
  if (frame.reterms.length === 0) throw new MlmError("The formula has no random-effects term such as (1 | group); add one.");
  const y = frame.response.y;
  const pw = frame.weights ? Float64Array.from(frame.weights) : new Float64Array(frame.n).fill(1);
  const messages: Message[] = [...frame.messages, ...family.prepareResponse(frame.response, pw, frame.rows)];

  const re = RandomEffects.of(frame);
  const ws = new DispersionPirls(frame, re, family, pw);
  const lower = re.lower();
  const theta0 = re.start();
  const nt = theta0.length;
  const maxEval = options.maxEval ?? 20000;
  const safe = (f: () => number): number => {
    try {
      const v = f();
      return Number.isFinite(v) ? v : Infinity;
    } catch (e) {
      if (e instanceof MlmError) return Infinity;
      throw e;
    }
  };

  // Stage 1: (θ, log σ), β with u.
  const lower1 = Float64Array.of(...lower, -LOG_SIGMA_BOUND);
  const upper1 = Float64Array.of(...new Array<number>(nt).fill(Infinity), LOG_SIGMA_BOUND);
  // θ starts at c × lme4's start, c the best of a few scales: on a log link the random effects'
  // standard deviations are often far below lme4's start of 1, where the first stage could settle
  // on a singular fit
  const logSigma0 = Math.log(disp.sigmaStart(y));
  let start1 = Float64Array.of(...theta0, logSigma0);
  let best = Infinity;
  for (const c of [1, 0.3, 0.1]) {
    const v = Float64Array.of(...theta0.map((x) => x * c), logSigma0);
    const d = safe(() => ws.laplaceJoint(v.subarray(0, nt), Math.exp(logSigma0)));
    if (d < best) {
      best = d;
      start1 = v;
    }
  }
  const s1 = bobyqa((v) => safe(() => ws.laplaceJoint(v.subarray(0, nt), Math.exp(v[nt]))), start1, { lower: lower1, upper: upper1, rhoBeg: 0.2, rhoEnd: 1e-4, maxEval });
  if (!Number.isFinite(s1.fx)) throw new MlmError(`The ${family.name} model could not be fitted: the deviance is not finite at any trial value; check the response and the predictors for extreme values.`);
  ws.laplaceJoint(s1.x.subarray(0, nt), Math.exp(s1.x[nt]));
  const beta1 = Float64Array.from(ws.beta);

  // Stage 2: (θ, β / s, log σ), s_j = min(1, 5 se_j) from the first stage (as fit-glmm.ts).
  const unscaled = ws.wsB.unscaledVcov();
  const m = nt + p + 1;
  const scale = Float64Array.from({ length: m }, (_, j) => (j < nt || j === m - 1 ? 1 : Math.min(1, 5 * Math.sqrt(unscaled[(j - nt) * (p + 1)])) || 1));
  let sigmaHat = Math.exp(s1.x[nt]);
  const deviance = (v: ArrayLike<number>): number => {
    const th = Float64Array.from({ length: nt }, (_, j) => v[j]);
    const be = Float64Array.from({ length: p }, (_, j) => v[nt + j]);
    const sigma = v.length > nt + p ? Math.exp(v[nt + p]) : sigmaHat;
    return safe(() => ws.laplace(th, be, sigma));
  };
  const start2 = Float64Array.of(...s1.x.subarray(0, nt), ...beta1, s1.x[nt]).map((x, j) => x / scale[j]);
  const lower2 = Float64Array.of(...lower, ...new Array<number>(p).fill(-Infinity), -LOG_SIGMA_BOUND);
  const upper2 = Float64Array.of(...new Array<number>(nt + p).fill(Infinity), LOG_SIGMA_BOUND);
  const s2 = bobyqa((v) => deviance(v.map((x, j) => x * scale[j])), start2, { lower: lower2, upper: upper2, rhoBeg: 0.2, rhoEnd: 1e-6, maxEval });
  const est = s2.x.map((x, j) => x * scale[j]);
  const theta = Float64Array.from(est.subarray(0, nt));
  const beta = Float64Array.from(est.subarray(nt, nt + p));
  const logSigma = est[nt + p];
  sigmaHat = Math.exp(logSigma);
  const evaluations = s1.evaluations + s2.evaluations;
  const converged = s1.converged && s2.converged;
  const dev = deviance(est);
  if (!Number.isFinite(dev)) throw new MlmError(`The ${family.name} model could not be fitted: the deviance is not finite at the optimum.`);

  // vcov(β̂) and se(log σ̂) from the Hessian in (θ, β, log σ); θ on its bound is held fixed.
  const free = Array.from({ length: m }, (_, j) => j >= nt || !(lower[j] === 0 && theta[j] < 1e-4));
  const idx = free.flatMap((f, j) => (f ? [j] : []));
  const sub = (w: Float64Array): number => {
    const full = Float64Array.from(est);
    idx.forEach((j, r) => (full[j] = w[r]));
    return deviance(full);
  };
  const H = hessianCompact(sub, Float64Array.from(idx, (j) => est[j]), 1e-3);
  const Hi = invertSymmetric(H, idx.length);
  let vcov: Float64Array | undefined;
  let seLog = NaN;
  if (Hi) {
    const pos = (j: number): number => idx.indexOf(j);
    const v = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) v[i + j * p] = 2 * Hi[pos(nt + i) + pos(nt + j) * idx.length];
    const ls = pos(m - 1);
    seLog = Math.sqrt(2 * Hi[ls + ls * idx.length]);
    let pd = true;
    for (let i = 0; i < p; i++) if (!(v[i + i * p] > 0)) pd = false;
    if (pd) vcov = v;
  }
  if (!vcov) {
    vcov = ws.vcovRX(theta, beta, sigmaHat);
    messages.push(hessianMessage());
  }
  deviance(est); // leave the state at the optimum

  // the Poisson limit (θ → ∞, α → 0): does the deviance at the bound differ by less than 0.01?
  // nbinom2's θ grows and nbinom1's α shrinks towards the Poisson: which end is its limit
  const limit = family.limitOf === undefined ? NaN : disp.variance(1, Math.exp(LOG_SIGMA_BOUND)) < disp.variance(1, 1) ? LOG_SIGMA_BOUND : -LOG_SIGMA_BOUND;
  if (Number.isFinite(limit)) {
    const atLimit = Float64Array.from(est);
    atLimit[nt + p] = limit;
    const devLimit = deviance(atLimit);
    deviance(est);
    if (devLimit - dev < 0.01) {
      const what = `${disp.dispersionMeaning.replace(/^the negative binomial /, "").replace(/ \(.*$/, "")} runs to its bound (${disp.dispersionSymbol} = ${sigmaHat.toPrecision(3)})`;
      messages.push(message("dispersion-at-bound", `The negative binomial ${what}: the counts show no overdispersion beyond the random effects, so a Poisson model (--family poisson) fits as well.`));
    }
  } else if (Math.abs(logSigma) > LOG_SIGMA_BOUND - 1) {
    messages.push(message("dispersion-at-bound", `The dispersion (${disp.dispersionMeaning}) runs to its bound (${sigmaHat.toPrecision(3)}); the model is not identified from these data.`));
  }

  const model = glmmModel({
    frame,
    family,
    re,
    method: "Laplace",
    nAGQ: 1,
    theta,
    beta,
    vcov,
    deviance: dev,
    npar: p + nt + 1,
    sigma: sigmaHat,
    dispersion: { symbol: disp.dispersionSymbol, value: sigmaHat, seLog },
    evaluations,
    converged,
    messages,
    u: ws.u,
    eta: ws.eta,
    mu: ws.mu,
    condVar: ws.wsU.condVarU(),
    devfun: deviance,
    t0,
  });
  return model as DispersionMixedModel;
}
