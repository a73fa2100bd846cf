/**
 * The variance parameters of a fitted model on lme4's standard-deviation / correlation scale,
 * the scale of `confint(..., oldNames = FALSE)` and of the profile.
 *
 * For a term with relative covariance factor Λ_t (θ its lower triangle, column by column) the
 * covariance of one level's random effects is Σ_t = σ² Λ_t Λ_t'. The term's parameters, in θ's
 * positions, are the standard deviations √Σ_ii where θ holds a diagonal element of Λ_t and the
 * correlations Σ_ij / √(Σ_ii Σ_jj) where it holds the element (i, j) below the diagonal; the
 * residual standard deviation σ follows for linear models. Going back, Σ_t = D R D and
 * Λ_t = chol(Σ_t) / σ (lme4's Cv_to_Sv and Sv_to_Cv).
 */
import type { ModelFrame } from "../model-frame/types.js";
import { ReTerm, reTermOrder } from "../terms/re-term.js";

/**
 * The random-effects terms of a model frame in fitting order (lme4's order of decreasing levels).
 *
 * @param frame - the model frame of a fitted model.
 * @returns the terms, in the order of θ.
 * @example
 * ```ts
 * reTermsOf(fitLmm("diameter ~ 1 + (1 | plate) + (1 | sample)", penicillin).frame)
 *   .map((t) => t.frame.group.name); // ["plate", "sample"]
 * ```
 */
export function reTermsOf(frame: ModelFrame): ReTerm[] {
  const perm = reTermOrder(frame.reterms.map((t) => t.group.levels.length));
  return perm.map((i) => new ReTerm(frame.reterms[i]));
}

/** What a variance parameter on the sd/cor scale is. */
export type SdcorKind = "sd" | "cor" | "sigma";

/**
 * The names of the variance parameters on the sd/cor scale, as lme4's `confint(oldNames = FALSE)`.
 *
 * @param terms - the terms in fitting order.
 * @param useSc - append `sigma` (linear models).
 * @returns names and kinds, one per θ element (plus sigma).
 * @example
 * ```ts
 * sdcorNames(reTermsOf(sleepstudyFit.frame), true).map((p) => p.name);
 * // ["sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sd_Days|Subject", "sigma"]
 * ```
 */
export function sdcorNames(terms: readonly ReTerm[], useSc: boolean): { name: string; kind: SdcorKind }[] {
  const out: { name: string; kind: SdcorKind }[] = [];
  for (const t of terms) out.push(...t.structure.naturalNames(t.frame.cnms, t.frame.group.name));
  if (useSc) out.push({ name: "sigma", kind: "sigma" });
  return out;
}

/**
 * θ and σ to the sd/cor scale.
 *
 * @param terms - the terms in fitting order.
 * @param theta - θ.
 * @param sigma - σ (1 for GLMMs).
 * @param useSc - append σ.
 * @returns the parameters in the order of {@link sdcorNames}.
 * @example
 * ```ts
 * thetaToSdcor(terms, [0.9667, 0.0152, 0.2309], 25.59, true); // [24.74, 0.066, 5.92, 25.59]
 * ```
 */
export function thetaToSdcor(terms: readonly ReTerm[], theta: ArrayLike<number>, sigma: number, useSc: boolean): Float64Array {
  const out = new Float64Array(theta.length + (useSc ? 1 : 0));
  let off = 0;
  for (const t of terms) {
    t.structure.toNatural(theta, off, t.k, sigma, out, off);
    off += t.ntheta;
  }
  if (useSc) out[off] = sigma;
  return out;
}

/**
 * The sd/cor scale back to θ: Λ_t = chol(D R D) / σ, term by term.
 *
 * Zero pivots (a standard deviation of zero, or a correlation of ±1) give a zero column; a matrix
 * that is not positive semi-definite gives `false`.
 *
 * @param terms - the terms in fitting order.
 * @param sdcor - sds and correlations in θ's positions (a trailing σ is ignored).
 * @param sigma - σ (> 0).
 * @param theta - output, length of θ.
 * @returns true when the parameters describe valid covariance matrices.
 * @example
 * ```ts
 * const th = new Float64Array(3);
 * sdcorToTheta(terms, [24.74, 0.066, 5.92], 25.59, th); // true; th ≈ [0.9667, 0.0152, 0.2309]
 * ```
 */
export function sdcorToTheta(terms: readonly ReTerm[], sdcor: ArrayLike<number>, sigma: number, theta: Float64Array): boolean {
  if (!(sigma > 0)) return false;
  let off = 0;
  for (const t of terms) {
    if (!t.structure.fromNatural(sdcor, off, t.k, sigma, theta, off)) return false;
    off += t.ntheta;
  }
  return true;
}

