/**
 * Compound symmetry with heterogeneous variances, `cs(1 + x | g)` (glmmTMB's `cs`): one common
 * correlation ρ between every pair of effects, a standard deviation per effect,
 *
 *     Σ_t/σ² = D R D,  D = diag(τ₁ … τ_k),  R = (1 − ρ) I + ρ 11',  −1/(k − 1) < ρ < 1,
 *
 * θ = (τ₁ … τ_k, x) with ρ = −a + (1 + a) / (1 + e^−x), a = 1/(k − 1), which keeps R positive
 * definite for every x; θ starts at τ = 1, ρ = 0.
 */
import { scaledCholesky, twoOrMoreEffects, type CovarianceStructure } from "./structure.js";

const rhoOf = (x: number, k: number): number => {
  const a = 1 / (k - 1);
  return -a + (1 + a) / (1 + Math.exp(-x));
};

/** Compound symmetry (heterogeneous variances, one correlation). */
export const cs: CovarianceStructure = {
  name: "cs",
  ntheta: (k) => k + 1,
  lower: (k, out, off) => {
    out.fill(0, off, off + k);
    out[off + k] = -Infinity;
  },
  start: (k, out, off) => {
    out.fill(1, off, off + k);
    out[off + k] = -Math.log(k - 1);
  },
  fillLambda: (theta, off, k, lambda) => {
    const rho = rhoOf(theta[off + k], k);
    const r = new Float64Array(k * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) r[i + j * k] = i === j ? 1 : rho;
    if (!scaledCholesky(r, Array.prototype.slice.call(theta, off, off + k) as number[], k, lambda)) lambda.fill(NaN);
  },
  naturalNames: (c, g) => [...c.map((name) => ({ name: `sd_${name}|${g}`, kind: "sd" as const })), { name: `rho|${g}`, kind: "cor" as const }],
  toNatural: (theta, off, k, sigma, out, m) => {
    for (let i = 0; i < k; i++) out[m + i] = sigma * theta[off + i];
    out[m + k] = rhoOf(theta[off + k], k);
  },
  fromNatural: (nat, m, k, sigma, theta, off) => {
    const a = 1 / (k - 1);
    const rho = nat[m + k];
    if (!(rho > -a && rho < 1) || !(sigma > 0)) return false;
    for (let i = 0; i < k; i++) {
      if (!(nat[m + i] >= 0)) return false;
      theta[off + i] = nat[m + i] / sigma;
    }
    const p = (rho + a) / (1 + a);
    theta[off + k] = Math.log(p / (1 - p));
    return true;
  },
  singular: (theta, off, k, tol) => {
    for (let i = 0; i < k; i++) if (theta[off + i] < tol) return true;
    const rho = rhoOf(theta[off + k], k);
    return rho > 1 - tol || rho < -1 / (k - 1) + tol;
  },
  parameters: (theta, off, k) => ({ rho: rhoOf(theta[off + k], k) }),
  validate: twoOrMoreEffects("cs"),
};
