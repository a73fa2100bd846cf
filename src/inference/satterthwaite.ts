/**
 * Satterthwaite's approximation to the denominator degrees of freedom of t tests on fixed
 * effects, as lmerTest computes it (Kuznetsova, Brockhoff and Christensen 2017, JSS 82(13)).
 *
 * With φ = (θ, σ) the variance parameters, A = 2 H⁻¹ their asymptotic covariance (H the Hessian
 * of the REML or ML criterion in φ, σ not profiled), V(φ) = σ² (X'V⁻¹X)⁻¹ the covariance of β̂ and
 * a contrast l, the variance of l'β̂ is v = l'V l, its gradient g_i = l' (∂V/∂φ_i) l, and
 *
 *     df = 2 v² / (g' A g),   t = l'β̂ / √v,   p = 2 P(T_df > |t|).
 */
import tcdf from "@stdlib/stats-base-dists-t-cdf";
import type { LinearMixedModel } from "../model/mixed-model.js";
import { hessian, jacobian } from "../numerics/derivatives.js";
import { invertSymmetric } from "../linalg/dense.js";

/** Degrees of freedom and p-value of each fixed effect. */
export interface DdfResult {
  readonly df: readonly number[];
  readonly p: readonly number[];
}

/**
 * Satterthwaite df and p-values for every fixed effect of a linear mixed model.
 *
 * @param m - the fitted model.
 * @returns df and two-sided p-values, one per coefficient.
 * @example
 * ```ts
 * satterthwaite(sleepstudyFit).df; // [17.00, 17.00]
 * ```
 */
export function satterthwaite(m: LinearMixedModel): DdfResult {
  const reml = m.method === "REML";
  const nt = m.theta.length;
  const phi = Float64Array.of(...m.theta, m.sigma);
  const dev = (v: Float64Array): number => m.devianceAt(v.subarray(0, nt), v[nt], reml);
  const H = hessian(dev, phi);
  const Hinv = invertSymmetric(H, nt + 1);
  const p = m.fixef.length;
  const vcovAt = (v: Float64Array): Float64Array => {
    const s2 = v[nt] * v[nt];
    return m.unscaledVcovAt(v.subarray(0, nt)).map((x) => x * s2);
  };
  const J = jacobian(vcovAt, phi);
  m.unscaledVcovAt(m.theta); // leave the workspace at the optimum
  const df: number[] = [];
  const pv: number[] = [];
  for (let j = 0; j < p; j++) {
    const v = m.vcov[j + j * p];
    let d = NaN;
    if (Hinv) {
      let q = 0;
      for (let a = 0; a <= nt; a++) for (let b = 0; b <= nt; b++) q += J[a][j + j * p] * 2 * Hinv[a + b * (nt + 1)] * J[b][j + j * p];
      d = (2 * v * v) / q;
    }
    df.push(d);
    pv.push(tPValue(m.fixef[j].statistic, d));
  }
  return { df, p: pv };
}

/** Standard error and Satterthwaite df of one linear function l'β̂. */
export interface ContrastDf {
  readonly se: number;
  readonly df: number;
}

/**
 * Satterthwaite df of linear functions l'β̂ of the fixed effects (as lmerTest's `contest` and
 * emmeans's `lmer.df = "satterthwaite"` compute them): v = l'Vl, g_i = l'(∂V/∂φ_i)l,
 * df = 2v² / (g'(2H⁻¹)g). The Hessian and the Jacobian of V(φ) are computed once for all rows.
 *
 * @param m - the fitted linear mixed model.
 * @param L - the contrast vectors, each of length p.
 * @returns se = √(l'Vl) and df per vector.
 * @example
 * ```ts
 * satterthwaiteContrasts(fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy), [[1, 5]]);
 * // [{ se: 9.5812, df: 17.0 }]   (the mean reaction on day 5)
 * ```
 */
export function satterthwaiteContrasts(m: LinearMixedModel, L: readonly ArrayLike<number>[]): ContrastDf[] {
  const reml = m.method === "REML";
  const nt = m.theta.length;
  const p = m.fixef.length;
  const phi = Float64Array.of(...m.theta, m.sigma);
  const dev = (v: Float64Array): number => m.devianceAt(v.subarray(0, nt), v[nt], reml);
  const H = hessian(dev, phi);
  const Hinv = invertSymmetric(H, nt + 1);
  const vcovAt = (v: Float64Array): Float64Array => {
    const s2 = v[nt] * v[nt];
    return m.unscaledVcovAt(v.subarray(0, nt)).map((x) => x * s2);
  };
  const J = jacobian(vcovAt, phi);
  m.unscaledVcovAt(m.theta); // leave the workspace at the optimum
  const quad = (A: ArrayLike<number>, l: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += l[i] * A[i + j * p] * l[j];
    return s;
  };
  const vcov = m.vcov;
  return L.map((l) => {
    const v = quad(vcov, l);
    let df = NaN;
    if (Hinv) {
      const g = J.map((Ja) => quad(Ja, l));
      let q = 0;
      for (let a = 0; a <= nt; a++) for (let b = 0; b <= nt; b++) q += g[a] * 2 * Hinv[a + b * (nt + 1)] * g[b];
      df = (2 * v * v) / q;
    }
    return { se: Math.sqrt(v), df };
  });
}

/**
 * Two-sided p-value of a t statistic, from the lower tail at −|t| (accurate for tiny p).
 *
 * @param t - the statistic.
 * @param df - degrees of freedom (Infinity gives the normal limit).
 * @returns 2 P(T_df < −|t|).
 * @example
 * ```ts
 * tPValue(2.0, 10); // 0.0734
 * ```
 */
export function tPValue(t: number, df: number): number {
  if (!Number.isFinite(df) || df <= 0) return NaN;
  return 2 * tcdf(-Math.abs(t), df);
}
