/**
 * Toeplitz covariance with heterogeneous variances, `toep(0 + time | g)` (glmmTMB's `toep`): the
 * correlation of the effects of levels i and j depends on |i − j| only,
 *
 *     Σ_t/σ² = D R D,  R_ij = ρ_|i−j|,  ρ₀ = 1,
 *
 * θ = (τ₁ … τ_k, x₁ … x_{k−1}), the x the partial autocorrelations φ_l = tanh(x_l), mapped to
 * ρ₁ … ρ_{k−1} by the Durbin–Levinson recursion (Box and Jenkins; Brockwell and Davis 1991, 5.2),
 * so that every θ gives a positive definite R; θ starts at τ = 1, ρ = 0.
 */
import { scaledCholesky, timeEffects, type CovarianceStructure } from "./structure.js";

/** ρ₁ … ρ_{k−1} from the partial autocorrelations φ_l = tanh(x_l), by Durbin–Levinson. */
function autocorrelations(theta: ArrayLike<number>, off: number, k: number): Float64Array {
  const rho = new Float64Array(k);
  rho[0] = 1;
  let phi = new Float64Array(0);
  let v = 1;
  for (let l = 1; l < k; l++) {
    const a = Math.tanh(theta[off + l - 1]);
    // ρ_l = Σ_{j<l} φ_{l−1, j} ρ_{l−j} + a v_{l−1}
    let s = 0;
    for (let j = 1; j < l; j++) s += phi[j - 1] * rho[l - j];
    rho[l] = s + a * v;
    const next = new Float64Array(l);
    for (let j = 1; j < l; j++) next[j - 1] = phi[j - 1] - a * phi[l - j - 1];
    next[l - 1] = a;
    phi = next;
    v *= 1 - a * a;
  }
  return rho;
}

/** Partial autocorrelations from ρ₁ … ρ_{k−1} (the inverse of {@link autocorrelations}); NaN when R is not positive definite. */
function partials(rho: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(k - 1);
  let phi = new Float64Array(0);
  let v = 1;
  for (let l = 1; l < k; l++) {
    let s = 0;
    for (let j = 1; j < l; j++) s += phi[j - 1] * rho[l - j];
    const a = (rho[l] - s) / v;
    if (!(Math.abs(a) < 1)) {
      out.fill(NaN);
      return out;
    }
    out[l - 1] = a;
    const next = new Float64Array(l);
    for (let j = 1; j < l; j++) next[j - 1] = phi[j - 1] - a * phi[l - j - 1];
    next[l - 1] = a;
    phi = next;
    v *= 1 - a * a;
  }
  return out;
}

/** The heterogeneous Toeplitz covariance. */
export const toep: CovarianceStructure = {
  name: "toep",
  ntheta: (k) => 2 * k - 1,
  lower: (k, out, off) => {
    out.fill(0, off, off + k);
    out.fill(-Infinity, off + k, off + 2 * k - 1);
  },
  start: (k, out, off) => {
    out.fill(1, off, off + k);
    out.fill(0, off + k, off + 2 * k - 1);
  },
  fillLambda: (theta, off, k, lambda) => {
    const rho = autocorrelations(theta, off + k, k);
    const r = new Float64Array(k * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) r[i + j * k] = rho[Math.abs(i - j)];
    if (!scaledCholesky(r, Array.prototype.slice.call(theta, off, off + k) as number[], k, lambda)) lambda.fill(NaN);
  },
  naturalNames: (c, g) => [...c.map((name) => ({ name: `sd_${name}|${g}`, kind: "sd" as const })), ...c.slice(1).map((_, l) => ({ name: `rho${l + 1}|${g}`, kind: "cor" as const }))],
  toNatural: (theta, off, k, sigma, out, m) => {
    for (let i = 0; i < k; i++) out[m + i] = sigma * theta[off + i];
    const rho = autocorrelations(theta, off + k, k);
    for (let l = 1; l < k; l++) out[m + k + l - 1] = rho[l];
  },
  fromNatural: (nat, m, k, sigma, theta, off) => {
    if (!(sigma > 0)) return false;
    for (let i = 0; i < k; i++) {
      if (!(nat[m + i] >= 0)) return false;
      theta[off + i] = nat[m + i] / sigma;
    }
    const rho = new Float64Array(k);
    rho[0] = 1;
    for (let l = 1; l < k; l++) rho[l] = nat[m + k + l - 1];
    const a = partials(rho, k);
    if (a.some((x) => !Number.isFinite(x))) return false;
    for (let l = 0; l < k - 1; l++) theta[off + k + l] = Math.atanh(a[l]);
    return true;
  },
  singular: (theta, off, k, tol) => {
    for (let i = 0; i < k; i++) if (theta[off + i] < tol) return true;
    for (let l = 0; l < k - 1; l++) if (Math.abs(Math.tanh(theta[off + k + l])) > 1 - tol) return true;
    return false;
  },
  parameters: (theta, off, k) => Object.fromEntries(Array.from(autocorrelations(theta, off + k, k).subarray(1), (r, l) => [`rho${l + 1}`, r])),
  validate: timeEffects("toep"),
};
