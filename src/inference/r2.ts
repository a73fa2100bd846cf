/**
 * R² for mixed models (Nakagawa and Schielzeth 2013, Methods Ecol Evol 4:133–142), with Johnson's
 * extension to random slopes (2014, Methods Ecol Evol 5:944–946) and the distribution-specific
 * variances of Nakagawa, Johnson and Schielzeth (2017, J R Soc Interface 14:20170213), as
 * performance::r2_nakagawa and performance::icc compute them.
 *
 *     σ²_f = var(Xβ̂)                                 (sample variance, n − 1)
 *     σ²_r = Σ_terms (1/n) Σ_i z_i' Σ_t z_i          (z_i: row i of the term's model matrix)
 *     σ²_ε = σ² (linear);  π²/3 (logit), 1 (probit), π²/6 (cloglog);
 *            log(1 + 1/μ₀) (Poisson, log link: the lognormal approximation, μ₀ = exp(β₀) of the
 *            null model y ~ 1 + offsets + (the same random terms)), plus the variance of any
 *            observation-level random effect (a term with one level per row) for GLMMs
 *
 *     R²_marginal = σ²_f / (σ²_f + σ²_r + σ²_ε),   R²_conditional = (σ²_f + σ²_r) / (σ²_f + σ²_r + σ²_ε)
 *     ICC_adjusted = σ²_r / (σ²_r + σ²_ε),          ICC_unadjusted = σ²_r / (σ²_f + σ²_r + σ²_ε)
 *
 * With random slopes σ²_r is the mean over rows of the random part's variance (Johnson 2014), so it
 * depends on where the slope variables are centred. A singular fit (a variance at zero) has no
 * random-effects variance to speak of: conditional R² and the ICC are then null, as performance
 * returns them.
 *
 * One difference from performance 0.10: for uncorrelated terms (`(x || g)`) performance counts only
 * the first term of each grouping factor; here every term counts.
 */
import type { MixedModel } from "../model/mixed-model.js";
import type { ModelFrame } from "../model-frame/types.js";
import { fitGlmmFrame } from "../glmm/fit-glmm.js";
import { MlmError } from "../errors.js";

/** The variance components of Nakagawa's R², named as insight::get_variance names them. */
export interface VarianceComponents {
  /** σ²_f: variance of the fixed-effects predictor Xβ̂. */
  readonly fixed: number;
  /** σ²_r: mean variance of the random part (null for a singular fit). */
  readonly random: number | null;
  /** σ²_ε = distribution + dispersion. */
  readonly residual: number;
  /** The distribution-specific (or residual, for linear models) variance. */
  readonly distribution: number;
  /** The variance of observation-level random effects (GLMMs only). */
  readonly dispersion: number;
}

/** Marginal and conditional R² (Nakagawa and Schielzeth). */
export interface R2 {
  readonly marginal: number;
  /** Null when the fit is singular. */
  readonly conditional: number | null;
}

/** Adjusted and unadjusted ICC (performance::icc). */
export interface Icc {
  readonly adjusted: number | null;
  readonly unadjusted: number | null;
}

/** θ values on a diagonal (lower bound 0) below this make a fit singular here, as in performance. */
const SINGULAR_TOLERANCE = 1e-5;

/**
 * The variance components behind {@link r2Nakagawa} and {@link iccNakagawa}.
 *
 * @param m - a fitted linear or generalized linear mixed model.
 * @returns σ²_f, σ²_r, σ²_ε and its parts.
 * @example
 * ```ts
 * varianceComponents(fitLmm("Reaction ~ Days + (1 | Subject)", sleepstudy));
 * // { fixed: 908.95, random: 1378.18, residual: 960.46, distribution: 960.46, dispersion: 0 }
 * ```
 */
export function varianceComponents(m: MixedModel): VarianceComponents {
  const frame = m.frame;
  const n = frame.n;
  const p = frame.fixefNames.length;
  // σ²_f: the sample variance of Xβ̂
  let mean = 0;
  const eta = new Float64Array(n);
  const beta = m.beta;
  for (let j = 0; j < p; j++) {
    const b = beta[j];
    const col = frame.X.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) eta[i] += b * col[i];
  }
  for (let i = 0; i < n; i++) mean += eta[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (eta[i] - mean) ** 2;
  const fixed = ss / (n - 1);

  const theta = m.theta;
  const lower = m.lower;
  const s2 = m.sigma * m.sigma;
  const glmm = m.kind === "glmm";
  let random = 0;
  let dispersion = 0;
  let singular = false;
  for (const term of m.randomEffects.terms) {
    const k = term.k;
    const off = term.offset;
    for (let t = 0; t < term.ntheta; t++) {
      if (lower[off + t] === 0 && Math.abs(theta[off + t]) < SINGULAR_TOLERANCE) singular = true;
    }
    const lam = new Float64Array(k * k);
    term.fillLambda(theta, off, lam);
    // Σ = σ² ΛΛ'
    const sigmaT = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let r = 0; r <= Math.min(a, b); r++) s += lam[a + r * k] * lam[b + r * k];
        sigmaT[a + b * k] = s * s2;
      }
    }
    // (1/n) Σ_i z_i' Σ z_i
    const z = term.frame.z;
    let v = 0;
    for (let a = 0; a < k; a++) {
      const za = z.subarray(a * n, (a + 1) * n);
      for (let b = 0; b < k; b++) {
        const sab = sigmaT[a + b * k];
        if (sab === 0) continue;
        const zb = z.subarray(b * n, (b + 1) * n);
        let s = 0;
        for (let i = 0; i < n; i++) s += za[i] * zb[i];
        v += sab * s;
      }
    }
    v /= n;
    if (term.nlev === n) {
      // an observation-level random effect: overdispersion for a GLMM, nothing for a linear model
      if (glmm) dispersion += v;
    } else {
      random += v;
    }
  }
  const distribution = distributionVariance(m);
  return { fixed, random: singular ? null : random, residual: distribution + dispersion, distribution, dispersion };
}

/** The distribution-specific variance on the latent (link) scale. */
function distributionVariance(m: MixedModel): number {
  if (m.kind === "lmm") return m.sigma * m.sigma;
  const family = m.family.name;
  const link = m.family.link.name;
  // μ₀ at the null model's intercept (Poisson's lognormal approximation needs it)
  const v = m.family.distributionVariance(() => m.family.link.linkinv(nullIntercept(m)));
  if (v !== undefined) return v;
  throw new MlmError(`R² is available for linear, binomial (logit, probit, cloglog) and Poisson (log) models, not for a ${family} model with a ${link} link.`);
}

/** β₀ of the null model: the response on an intercept, the same random terms and offsets. */
function nullIntercept(m: MixedModel): number {
  const f: ModelFrame = m.frame;
  const n = f.n;
  const nullFrame: ModelFrame = {
    ...f,
    X: new Float64Array(n).fill(1),
    fixefNames: ["(Intercept)"],
    aliased: [],
    messages: [],
  };
  const nAGQ = m.kind === "glmm" ? m.nAGQ : 1;
  const fit = fitGlmmFrame(nullFrame, { family: m.family.name, link: m.family.link.name, nAGQ: Math.max(1, nAGQ) });
  return fit.beta[0];
}

/**
 * Marginal and conditional R² of a mixed model (Nakagawa and Schielzeth 2013; Johnson 2014;
 * Nakagawa, Johnson and Schielzeth 2017), as performance::r2_nakagawa computes them.
 *
 * R²_m = σ²_f / (σ²_f + σ²_r + σ²_ε), R²_c = (σ²_f + σ²_r) / (σ²_f + σ²_r + σ²_ε).
 *
 * @param m - a fitted model.
 * @param components - the variance components, when already computed.
 * @returns marginal and conditional R² (conditional null for a singular fit).
 * @example
 * ```ts
 * r2Nakagawa(fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * // { marginal: 0.2787, conditional: 0.7992 }
 * ```
 */
export function r2Nakagawa(m: MixedModel, components: VarianceComponents = varianceComponents(m)): R2 {
  const { fixed, random, residual } = components;
  if (random === null) return { marginal: fixed / (fixed + residual), conditional: null };
  const total = fixed + random + residual;
  return { marginal: fixed / total, conditional: (fixed + random) / total };
}

/**
 * The adjusted and unadjusted intraclass correlation of a mixed model, as performance::icc
 * computes them (with random slopes the random variance is Johnson's mean over rows).
 *
 * ICC_adj = σ²_r / (σ²_r + σ²_ε), ICC_unadj = σ²_r / (σ²_f + σ²_r + σ²_ε).
 *
 * @param m - a fitted model.
 * @param components - the variance components, when already computed.
 * @returns both ICCs (null for a singular fit).
 * @example
 * ```ts
 * iccNakagawa(fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * // { adjusted: 0.7217, unadjusted: 0.5206 }
 * ```
 */
export function iccNakagawa(m: MixedModel, components: VarianceComponents = varianceComponents(m)): Icc {
  const { fixed, random, residual } = components;
  if (random === null) return { adjusted: null, unadjusted: null };
  return { adjusted: random / (random + residual), unadjusted: random / (fixed + random + residual) };
}

/**
 * R² for display: the value of `f(m)`, or undefined when it cannot be computed (the Poisson null
 * model does not fit), so that a summary never fails for want of its R² line.
 *
 * @param m - a fitted model.
 * @param f - {@link r2Nakagawa} or a function like it.
 * @returns f(m), or undefined when f throws.
 * @example
 * ```ts
 * safeR2(sleepstudyFit, r2Nakagawa)?.marginal; // 0.2787
 * ```
 */
export function safeR2<T>(m: MixedModel, f: (m: MixedModel) => T): T | undefined {
  try {
    return f(m);
  } catch {
    return undefined;
  }
}
