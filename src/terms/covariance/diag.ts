/**
 * The diagonal covariance `diag(1 + x | g)` (the same model as lme4's `(1 + x || g)`, kept as
 * one term): Λ_t = diag(θ), θ ≥ 0, starting at 1. Natural parameters: the k standard
 * deviations σθ_j.
 */
import type { CovarianceStructure } from "./structure.js";

/** The diagonal covariance. */
export const diag: CovarianceStructure = {
  name: "diag",
  ntheta: (k) => k,
  lowerBounds: (k, out, off) => out.fill(0, off, off + k),
  initialTheta: (k, out, off) => out.fill(1, off, off + k),
  fillLambda: (theta, off, k, lambda) => {
    lambda.fill(0);
    for (let i = 0; i < k; i++) lambda[i + i * k] = theta[off + i];
  },
  naturalNames: (c, g) => c.map((name) => ({ name: `sd_${name}|${g}`, kind: "sd" as const })),
  toNatural: (theta, off, k, sigma, out, m) => {
    for (let i = 0; i < k; i++) out[m + i] = sigma * theta[off + i];
  },
  fromNatural: (nat, m, k, sigma, theta, off) => {
    for (let i = 0; i < k; i++) {
      if (!(nat[m + i] >= 0) || !(sigma > 0)) return false;
      theta[off + i] = nat[m + i] / sigma;
    }
    return true;
  },
  rho: () => undefined,
};
