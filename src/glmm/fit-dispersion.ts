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
import { ReTerm, reTermOrder } from "../terms/re-term.js";
import { ranefRows, singularGroups, sphericalToB, thetaStart } from "../terms/random-effects.js";
import { varCorr } from "../inference/varcorr.js";
import { hessian, invertSymmetric } from "../inference/derivatives.js";
import { notConvergedMessage, singularFitMessage } from "../messages.js";
import type { RanefRow } from "../lmm/linear-mixed-model.js";
import type { DispersionEstimate, GeneralizedLinearMixedModel } from "./fit-glmm.js";
import { modelSummary } from "../lmm/model-summary.js";
import { getLink, type LinkName } from "./link.js";
import type { DispersionFamily, DispersionFamilyName } from "./families/dispersion-family.js";
import { nbinom2 } from "./families/nbinom2.js";
import { nbinom1 } from "./families/nbinom1.js";
import { gamma } from "./families/gamma.js";
import { DispersionPirls } from "./pirls-dispersion.js";

/** Bounds of log σ for the optimizer: σ from 1e-8 to 1e8. */
const LOG_SIGMA_BOUND = Math.log(1e8);

/**
 * The family descriptor of a dispersion family with its link.
 *
 * @param name - nbinom2, nbinom1 or Gamma.
 * @param link - the link (default log; Gamma also takes inverse).
 * @returns the family.
 * @throws MlmError for a link the family does not take.
 * @example
 * ```ts
 * dispersionFamily("Gamma", "inverse").link.name; // "inverse"
 * ```
 */
export function dispersionFamily(name: DispersionFamilyName, link?: LinkName): DispersionFamily {
  const l = link ?? "log";
  if (name === "Gamma") {
    if (l !== "log" && l !== "inverse") throw new MlmError(`The Gamma family takes the log or inverse link, not ${l}.`);
    return gamma(getLink(l));
  }
  if (l !== "log") throw new MlmError(`The ${name} family takes the log link only, not ${l}.`);
  return name === "nbinom2" ? nbinom2(getLink(l)) : nbinom1(getLink(l));
}

/**
 * Whether a family name is one with a dispersion parameter.
 *
 * @param name - a family name.
 * @returns true for nbinom2, nbinom1 and Gamma.
 * @example
 * ```ts
 * isDispersionFamily("nbinom2"); // true
 * ```
 */
export function isDispersionFamily(name: string): name is DispersionFamilyName {
  return name === "nbinom2" || name === "nbinom1" || name === "Gamma";
}

/**
 * A fitted GLMM of a dispersion family: its `devfun` takes (θ, β, log σ), or (θ, β) at σ̂.
 */
export interface DispersionMixedModel extends GeneralizedLinearMixedModel {
  readonly family: DispersionFamilyName;
  readonly dispersion: DispersionEstimate;
}

/** Options of {@link fitDispersionFrame}. */
export interface DispersionOptions {
  readonly family: DispersionFamilyName;
  readonly link?: LinkName;
  readonly maxEval?: number;
}

/**
 * Fit a negative binomial or Gamma GLMM to a model frame.
 *
 * @param frame - the model frame.
 * @param options - family, link.
 * @param t0 - `performance.now()` at the start.
 * @returns the fitted model.
 * @throws MlmError for responses outside the family's support or models that cannot be fitted.
 * @example
 * ```ts
 * const m = fitDispersionFrame(frame, { family: "nbinom2" }); // count ~ spp + mined + (1 | site)
 * m.dispersion.value; // 0.9418 (glmmTMB: 0.9418)
 * ```
 */
export function fitDispersionFrame(frame: ModelFrame, options: DispersionOptions, t0 = performance.now()): DispersionMixedModel {
  const family = dispersionFamily(options.family, options.link);
  const p = frame.fixefNames.length;
  if (frame.reterms.length === 0) throw new MlmError("The formula has no random-effects term such as (1 | group); add one.");
  const { y, label, levels, trials } = frame.response;
  if (levels || trials) throw new MlmError(`The response ${label} is ${levels ? "categorical" : "a cbind() of counts"}; a ${family.name} model needs ${family.name === "Gamma" ? "positive values" : "counts"}.`);
  family.checkResponse(y, label, frame.rows);
  const messages = [...frame.messages];
  const pw = frame.weights ? Float64Array.from(frame.weights) : new Float64Array(frame.n).fill(1);

  const perm = reTermOrder(frame.reterms.map((t) => t.group.levels.length));
  const terms = perm.map((i) => new ReTerm(frame.reterms[i]));
  const ws = new DispersionPirls(frame, terms, family, pw);
  const { lower, theta0 } = thetaStart(terms);
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
  const logSigma0 = Math.log(family.sigmaStart(y));
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
  const s2 = bobyqa((v) => deviance(v.map((x, j) => x * scale[j])), start2, { lower: lower2, upper: upper2, rhoBeg: 0.2, rhoEnd: 1e-7, maxEval });
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
  const H = hessian(sub, Float64Array.from(idx, (j) => est[j]), 1e-3, false);
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
    messages.push("The Hessian of the deviance is not positive definite at the optimum, so standard errors come from the conditional covariance (R_X) instead; treat them with caution.");
  }
  deviance(est); // leave the state at the optimum

  // the Poisson limit (θ → ∞, α → 0): does the deviance at the bound differ by less than 0.01?
  const limit = family.name === "nbinom2" ? LOG_SIGMA_BOUND : family.name === "nbinom1" ? -LOG_SIGMA_BOUND : NaN;
  if (Number.isFinite(limit)) {
    const atLimit = Float64Array.from(est);
    atLimit[nt + p] = limit;
    const devLimit = deviance(atLimit);
    deviance(est);
    if (devLimit - dev < 0.01) {
      const what = family.name === "nbinom2" ? `shape θ runs to its bound (θ = ${sigmaHat.toPrecision(3)})` : `overdispersion α runs to its bound (α = ${sigmaHat.toPrecision(3)})`;
      messages.push(`The negative binomial ${what}: the counts show no overdispersion beyond the random effects, so a Poisson model (--family poisson) fits as well.`);
    }
  } else if (Math.abs(logSigma) > LOG_SIGMA_BOUND - 1) {
    messages.push(`The dispersion (${family.dispersionMeaning}) runs to its bound (${sigmaHat.toPrecision(3)}); the model is not identified from these data.`);
  }

  const summary = modelSummary(frame, terms, beta, vcov, dev, p + nt + 1);
  const singularAt = singularGroups(terms, theta, lower, 1e-4);
  if (singularAt.length > 0) messages.push(singularFitMessage(singularAt));
  if (!converged) messages.push(notConvergedMessage(evaluations));

  const b = sphericalToB(terms, ws.wsU.lambda, ws.u);
  const eta = Float64Array.from(ws.eta);
  const fitted = Float64Array.from(ws.mu);
  const residuals = y.map((v, i) => v - fitted[i]);
  const condVar = ws.wsU.condVarU();
  let ranefCache: RanefRow[] | undefined;
  return Object.freeze({
    formula: frame.formula.text,
    family: family.name,
    link: family.link.name,
    method: "Laplace",
    nAGQ: 1,
    ...summary,
    theta,
    lower,
    sigma: sigmaHat,
    dispersion: Object.freeze({ symbol: family.dispersionSymbol, value: sigmaHat, seLog }),
    varcorr: Object.freeze(varCorr(terms, theta, 1, false)),
    criterion: { name: "deviance" as const, value: dev },
    singular: singularAt.length > 0,
    converged,
    optimizer: { name: "bobyqa", evaluations, criterion: dev, converged },
    icc: {},
    fitted,
    residuals,
    eta,
    messages: Object.freeze(messages),
    fitSeconds: (performance.now() - t0) / 1000,
    ranef: () => (ranefCache ??= ranefRows(terms, ws.wsU.lambda, b, condVar, 1)),
    devfun: deviance,
  });
}
