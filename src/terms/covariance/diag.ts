/**
 * The diagonal covariance (`diag`, what lme4's `(1 + x || g)` fits): Λ_t = diag(θ), k elements
 * bounded below by zero, so the random effects of a level are uncorrelated with standard
 * deviations σ θ_i.
 */
import type { CovarianceStructure, NaturalParameter } from "./structure.js";

/**
 * The diagonal covariance structure.
 *
 * @example
 * ```ts
 * diagonal.ntheta(3); // 3
 * const lam = new Float64Array(4);
 * diagonal.fillLambda([0.9, 0.2], 0, 2, lam);
 * lam; // Float64Array [0.9, 0, 0, 0.2]
 * ```
 */
export const diagonal: CovarianceStructure = {
  name: "diag",
  ntheta: (k) => k,
  lower(k, out, off) {
    out.fill(0, off, off + k);
  },
  start(k, out, off) {
    out.fill(1, off, off + k);
  },
  fillLambda(theta, off, k, lambda) {
    lambda.fill(0, 0, k * k);
    for (let i = 0; i < k; i++) lambda[i + i * k] = theta[off + i];
  },
  naturalNames: (cnms, group) => cnms.map((c): NaturalParameter => ({ name: `sd_${c}|${group}`, kind: "sd" })),
  toNatural(theta, off, k, sigma, out, outOff) {
    for (let i = 0; i < k; i++) out[outOff + i] = sigma * Math.abs(theta[off + i]);
  },
  fromNatural(natural, natOff, k, sigma, theta, off) {
    if (!(sigma > 0)) return false;
    for (let i = 0; i < k; i++) {
      const v = natural[natOff + i];
      if (!(v >= 0)) return false;
      theta[off + i] = v / sigma;
    }
    return true;
  },
  singular(theta, off, k, tol) {
    for (let i = 0; i < k; i++) if (theta[off + i] < tol) return true;
    return false;
  },
  parameters: () => ({}),
};
