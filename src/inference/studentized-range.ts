/**
 * The studentized range distribution: Q = (max − min of k standard normals) / s, with ν s² ~ χ²_ν
 * independent of them (Tukey's HSD; Copenhaver and Holland 1988, J Stat Comput Simul 30:1–15).
 *
 *     P(Q > q; k, ∞) = k ∫ φ(z) [Φ(z)^{k−1} − (Φ(z) − Φ(z − q))^{k−1}] dz
 *     P(Q > q; k, ν) = ∫₀^∞ f_ν(s) P(Q > q s; k, ∞) ds,
 *     f_ν(s) = 2 (ν/2)^{ν/2} / Γ(ν/2) s^{ν−1} exp(−ν s²/2)   (the density of s = √(χ²_ν/ν)).
 *
 * Both integrals by composite Gauss–Legendre quadrature over panels covering the mass of the
 * integrand; the upper tail is integrated directly (Φ(z)^{k−1} − (Φ(z) − Φ(z−q))^{k−1} as
 * −Φ(z)^{k−1} expm1((k−1) log1p(−Φ(z−q)/Φ(z)))), so small p-values keep their relative precision.
 */
import pnorm from "@stdlib/stats-base-dists-normal-cdf";
import { logGamma } from "../numerics/log-gamma.js";

/** Nodes and weights of n-point Gauss–Legendre quadrature on [−1, 1] (Newton on P_n). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const GL = gaussLegendre(20);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** ∫_a^b f by `panels` panels of 20-point Gauss–Legendre. */
function integrate(f: (x: number) => number, a: number, b: number, panels: number): number {
  const h = (b - a) / panels;
  let total = 0;
  for (let j = 0; j < panels; j++) {
    const mid = a + (j + 0.5) * h;
    let s = 0;
    for (let i = 0; i < GL.x.length; i++) s += GL.w[i] * f(mid + 0.5 * h * GL.x[i]);
    total += 0.5 * h * s;
  }
  return total;
}

/** P(Q > q; k, ∞): the range of k standard normals exceeds q. */
function rangeUpperInfinite(q: number, k: number): number {
  if (q <= 0) return 1;
  const m = k - 1;
  const f = (z: number): number => {
    const a = pnorm(z, 0, 1);
    if (a === 0) return 0;
    const b = pnorm(z - q, 0, 1);
    const d = -Math.exp(m * Math.log(a)) * Math.expm1(m * Math.log1p(-b / a));
    return (Math.exp(-0.5 * z * z) / SQRT_2PI) * d;
  };
  // φ(z) is negligible beyond ±9; the difference vanishes below z ≈ −9 and above q + 9... both
  // limits covered by [−9, 9] for the φ factor.
  return Math.min(1, k * integrate(f, -9, 9, 12));
}

/**
 * Upper tail of the studentized range distribution, P(Q > q) for k means and ν df
 * (R's `ptukey(q, k, df, lower.tail = FALSE)`).
 *
 * @param q - the studentized range.
 * @param k - the number of means (at least 2).
 * @param df - the denominator degrees of freedom (Infinity for a known variance).
 * @returns the upper-tail probability.
 * @example
 * ```ts
 * ptukeyUpper(3.5, 3, 20); // 0.05589   (R: ptukey(3.5, 3, 20, lower.tail = FALSE))
 * ```
 */
export function ptukeyUpper(q: number, k: number, df: number): number {
  if (!(q > 0)) return 1;
  if (!Number.isFinite(q)) return 0;
  if (!Number.isFinite(df) || df > 1e7) return rangeUpperInfinite(q, k);
  const nu = df;
  const logC = Math.log(2) + (nu / 2) * Math.log(nu / 2) - logGamma(nu / 2);
  const dens = (s: number): number => (s <= 0 ? 0 : Math.exp(logC + (nu - 1) * Math.log(s) - (nu * s * s) / 2));
  // s = √(χ²_ν/ν) has mode √((ν−1)/ν) and sd about 1/√(2ν); cover ±16 sd (and from 0 for small ν)
  const sd = 1 / Math.sqrt(2 * nu);
  const mode = nu > 1 ? Math.sqrt((nu - 1) / nu) : 0;
  const lo = Math.max(0, mode - 16 * sd);
  const hi = mode + 16 * sd + (nu < 4 ? 6 : 0);
  return Math.min(1, integrate((s) => dens(s) * rangeUpperInfinite(q * s, k), lo, hi, nu < 10 ? 20 : 10));
}
