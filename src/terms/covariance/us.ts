/**
 * The unstructured covariance (`us`, lme4's default for `(1 + x | g)`): Λ_t is lower triangular
 * and θ holds its non-zero elements column by column, k (k + 1) / 2 of them (Bates et al. 2015,
 * JSS 67(1), section 2.2). The diagonal is bounded below by zero, the rest is free; θ starts at
 * the identity.
 *
 * Natural scale (lme4's `Cv_to_Sv`): in θ's positions, the standard deviations √Σ_ii where θ
 * holds a diagonal element and the correlations Σ_ij / √(Σ_ii Σ_jj) below it; back, Λ_t =
 * chol(D R D) / σ.
 */
import { lambdaCrossprod, semidefiniteCholesky, type CovarianceStructure, type NaturalParameter } from "./structure.js";

/**
 * The unstructured covariance structure.
 *
 * @example
 * ```ts
 * unstructured.ntheta(2); // 3
 * const lam = new Float64Array(4);
 * unstructured.fillLambda([0.97, 0.015, 0.23], 0, 2, lam);
 * lam; // Float64Array [0.97, 0.015, 0, 0.23]
 * ```
 */
export const unstructured: CovarianceStructure = {
  name: "us",
  ntheta: (k) => (k * (k + 1)) / 2,
  lower(k, out, off) {
    let m = off;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) out[m++] = i === j ? 0 : -Infinity;
  },
  start(k, out, off) {
    let m = off;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) out[m++] = i === j ? 1 : 0;
  },
  fillLambda(theta, off, k, lambda) {
    let m = off;
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < j; i++) lambda[i + j * k] = 0;
      for (let i = j; i < k; i++) lambda[i + j * k] = theta[m++];
    }
  },
  naturalNames(cnms, group) {
    const out: NaturalParameter[] = [];
    const k = cnms.length;
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++) out.push(i === j ? { name: `sd_${cnms[i]}|${group}`, kind: "sd" } : { name: `cor_${cnms[i]}.${cnms[j]}|${group}`, kind: "cor" });
    }
    return out;
  },
  toNatural(theta, off, k, sigma, out, outOff) {
    const lam = new Float64Array(k * k);
    this.fillLambda(theta, off, k, lam);
    const S = lambdaCrossprod(lam, k, new Float64Array(k * k));
    const sd = new Float64Array(k);
    for (let i = 0; i < k; i++) sd[i] = Math.sqrt(S[i + i * k]);
    let m = outOff;
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++) out[m++] = i === j ? sigma * sd[i] : sd[i] > 0 && sd[j] > 0 ? S[i + j * k] / (sd[i] * sd[j]) : 0;
    }
  },
  fromNatural(natural, natOff, k, sigma, theta, off) {
    if (!(sigma > 0)) return false;
    const sd = new Float64Array(k);
    let m = natOff;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++, m++) if (i === j) sd[i] = natural[m];
    if (sd.some((v) => !(v >= 0))) return false;
    const S = new Float64Array(k * k);
    m = natOff;
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++, m++) {
        const v = i === j ? sd[i] * sd[i] : natural[m] * sd[i] * sd[j];
        S[i + j * k] = v;
        S[j + i * k] = v;
      }
    }
    if (!semidefiniteCholesky(S, k)) return false;
    m = off;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) theta[m++] = S[i + j * k] / sigma;
    return true;
  },
  singular(theta, off, k, tol) {
    let m = off;
    for (let j = 0; j < k; j++) {
      if (theta[m] < tol) return true;
      m += k - j;
    }
    return false;
  },
  parameters: () => ({}),
};
