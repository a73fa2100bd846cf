/**
 * Satterthwaite's approximation to the denominator degrees of freedom of t tests on fixed
 * effects, as lmerTest computes it (Kuznetsova, Brockhoff and Christensen 2017, JSS 82(13)).
 *
 * With φ = (θ, σ) the variance parameters, A = 2 H⁻¹ their asymptotic covariance (H the Hessian
 * of the REML or ML criterion in φ, σ not profiled), V(φ) = σ² (X'V⁻¹X)⁻¹ the covariance of β̂ and
 * a contrast l, the variance of l'β̂ is v = l'V l, its gradient g_i = l' (∂V/∂φ_i) l, and
 *
 *     df = 2 v² / (g' A g),   t = l'β̂ / √v,   p = 2 P(T_df > |t|).
 *
 * The σ-dependence is analytic. With F(θ) = log|L_θ|² (+ log|R_X|² for REML), r(θ) = r²_θ and
 * m = n (ML) or n − p (REML), the criterion is F(θ) + r(θ)/σ² + m log(2πσ²) + const, so
 *
 *     H_θθ = ∂²F + ∂²r/σ²,   H_θσ = −2 ∂r/σ³,   H_σσ = −2m/σ² + 6r/σ⁴,
 *     ∂V/∂θ_i = σ² ∂U/∂θ_i,  ∂V/∂σ = 2σ U     (U = R_X⁻¹R_X⁻ᵀ).
 *
 * Only the θ-derivatives are numerical: central differences with Richardson extrapolation (steps
 * h and h/2, h = 10⁻³ max(|θ_i|, 0.1)), each point one factorisation that gives F, r and U at
 * once: 1 + 4 n_θ + 4 n_θ(n_θ − 1) factorisations in all (37 for three θ, where a numerical
 * Hessian and Jacobian in (θ, σ) took 80).
 */
import tcdf from "@stdlib/stats-base-dists-t-cdf";
import type { CriterionParts, LinearMixedModel } from "../model/mixed-model.js";
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
  const nt = m.theta.length;
  const p = m.fixef.length;
  const { Hinv, J } = varianceDerivatives(m);
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

/**
 * H⁻¹ (H the Hessian of the criterion in φ = (θ, σ) at the estimate) and the Jacobian of
 * V(φ) = σ² U(θ), as the file's header derives them.
 *
 * @param m - the fitted linear mixed model.
 * @returns Hinv ((n_θ + 1)², column-major; undefined when H is singular) and J (one p × p matrix per φ_i).
 */
function varianceDerivatives(m: LinearMixedModel): { Hinv: Float64Array | undefined; J: Float64Array[] } {
  const reml = m.method === "REML";
  const nt = m.theta.length;
  const p = m.fixef.length;
  const sigma = m.sigma;
  const s2 = sigma * sigma;
  const dof = reml ? m.nobs - p : m.nobs;
  const th = Float64Array.from(m.theta);
  const parts = (): CriterionParts | undefined => m.criterionPartsAt(th);
  const F = (c: CriterionParts | undefined): number => (c ? c.logdetL + (reml ? c.logdetRX : 0) + c.pwrss / s2 : Infinity);
  const at = (i: number, di: number, j: number, dj: number): CriterionParts | undefined => {
    th[i] += di;
    th[j] += dj;
    const c = parts();
    th[i] -= di;
    th[j] -= dj;
    return c;
  };
  const c0 = parts();
  const F0 = F(c0);
  const r0 = c0 ? c0.pwrss : NaN;
  const U0 = c0 ? c0.unscaledVcov : m.vcov.map((x) => x / s2);
  const n1 = nt + 1;
  const H = new Float64Array(n1 * n1);
  const J: Float64Array[] = [];
  const steps = Array.from(m.theta, (x) => 1e-3 * Math.max(Math.abs(x), 0.1));
  const nanU = new Float64Array(p * p).fill(NaN);
  for (let i = 0; i < nt; i++) {
    const h = steps[i];
    const [pp, pm, hp, hm] = [at(i, h, i, 0), at(i, -h, i, 0), at(i, h / 2, i, 0), at(i, -h / 2, i, 0)];
    // second derivative of F, Richardson: (4 D(h/2) − D(h)) / 3
    const d1 = (F(pp) - 2 * F0 + F(pm)) / (h * h);
    const d2 = (F(hp) - 2 * F0 + F(hm)) / ((h * h) / 4);
    H[i + i * n1] = (4 * d2 - d1) / 3;
    // first derivatives of r and U, Richardson on the central differences
    const g = (a: number, b: number, ha: number, hb: number): number => (4 * ((ha - hb) / h) - (a - b) / (2 * h)) / 3;
    const rp = pp?.pwrss ?? NaN;
    const rm = pm?.pwrss ?? NaN;
    const dr = g(rp, rm, hp?.pwrss ?? NaN, hm?.pwrss ?? NaN);
    H[i + nt * n1] = H[nt + i * n1] = (-2 * dr) / (s2 * sigma);
    const [Up, Um, Uhp, Uhm] = [pp, pm, hp, hm].map((c) => c?.unscaledVcov ?? nanU);
    const Ji = new Float64Array(p * p);
    for (let k = 0; k < p * p; k++) Ji[k] = s2 * g(Up[k], Um[k], Uhp[k], Uhm[k]);
    J.push(Ji);
  }
  for (let i = 0; i < nt; i++) {
    for (let j = 0; j < i; j++) {
      const cross = (hi: number, hj: number): number => (F(at(i, hi, j, hj)) - F(at(i, hi, j, -hj)) - F(at(i, -hi, j, hj)) + F(at(i, -hi, j, -hj))) / (4 * hi * hj);
      const d1 = cross(steps[i], steps[j]);
      const v = (4 * cross(steps[i] / 2, steps[j] / 2) - d1) / 3;
      H[i + j * n1] = H[j + i * n1] = v;
    }
  }
  H[nt + nt * n1] = (-2 * dof) / s2 + (6 * r0) / (s2 * s2);
  J.push(U0.map((x) => 2 * sigma * x));
  m.criterionPartsAt(m.theta); // leave the workspace at the optimum
  return { Hinv: invertSymmetric(H, n1), J };
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
  const nt = m.theta.length;
  const p = m.fixef.length;
  const { Hinv, J } = varianceDerivatives(m);
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
