/**
 * First-order autoregressive covariance `ar1(0 + time | g)` (glmmTMB's `ar1`): one variance and
 * correlation ρ^|i−j| between the effects of levels i and j of the (ordered) time factor,
 *
 *     Σ_t/σ² = τ² R,  R_ij = ρ^|i−j|,  −1 < ρ < 1,
 *
 * θ = (τ, x) with ρ = tanh(x); θ starts at τ = 1, ρ = 0. The Cholesky factor of R is explicit:
 * L_i1 = ρ^(i−1), L_ij = ρ^(i−j) √(1 − ρ²) for 2 ≤ j ≤ i.
 */
import { timeEffects, type CovarianceStructure } from "./structure.js";

/** The AR(1) covariance. */
export const ar1: CovarianceStructure = {
  name: "ar1",
  ntheta: () => 2,
  lower: (k, out, off) => {
    out[off] = 0;
    out[off + 1] = -Infinity;
  },
  start: (k, out, off) => {
    out[off] = 1;
    out[off + 1] = 0;
  },
  fillLambda: (theta, off, k, lambda) => {
    const tau = theta[off];
    const rho = Math.tanh(theta[off + 1]);
    const c = Math.sqrt(Math.max(1 - rho * rho, 0));
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < k; i++) {
        lambda[i + j * k] = i < j ? 0 : tau * rho ** (i - j) * (j === 0 ? 1 : c);
      }
    }
  },
  naturalNames: (c, g) => [{ name: `sd_${c[0]}|${g}`, kind: "sd" }, { name: `rho|${g}`, kind: "cor" }],
  toNatural: (theta, off, k, sigma, out, m) => {
    out[m] = sigma * theta[off];
    out[m + 1] = Math.tanh(theta[off + 1]);
  },
  fromNatural: (nat, m, k, sigma, theta, off) => {
    if (!(nat[m] >= 0) || !(Math.abs(nat[m + 1]) < 1) || !(sigma > 0)) return false;
    theta[off] = nat[m] / sigma;
    theta[off + 1] = Math.atanh(nat[m + 1]);
    return true;
  },
  singular: (theta, off, k, tol) => theta[off] < tol || Math.abs(Math.tanh(theta[off + 1])) > 1 - tol,
  parameters: (theta, off) => ({ rho: Math.tanh(theta[off + 1]) }),
  validate: timeEffects("ar1"),
};
