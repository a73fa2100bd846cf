/**
 * Operations over all random-effects terms of a model: θ's bounds and start, b = Λu, the
 * singular-fit check and the conditional modes with their standard deviations.
 */
import type { RanefRow } from "../lmm/linear-mixed-model.js";
import type { ReTerm } from "./re-term.js";

/**
 * Lower bounds and lme4's starting value of θ for a list of terms.
 *
 * @param terms - terms in fitting order.
 * @returns `lower` (0 on Λ's diagonals, −∞ elsewhere) and `theta0` (identity Λ).
 * @example
 * ```ts
 * thetaStart(terms); // for (Days | Subject): lower [0, -Inf, 0], theta0 [1, 0, 1]
 * ```
 */
export function thetaStart(terms: readonly ReTerm[]): { lower: Float64Array; theta0: Float64Array } {
  const nt = terms.reduce((s, t) => s + t.ntheta, 0);
  const lower = new Float64Array(nt);
  const theta0 = new Float64Array(nt);
  let off = 0;
  for (const t of terms) {
    t.lowerBounds(lower, off);
    t.initialTheta(theta0, off);
    off += t.ntheta;
  }
  return { lower, theta0 };
}

/**
 * The random effects on the original scale, b = Λ(θ) u, term by term and level by level.
 *
 * @param terms - terms in fitting order.
 * @param lambda - Λ_t of each term.
 * @param u - spherical random effects.
 * @param out - where to write b (a new array by default).
 * @returns b, same layout as u.
 * @example
 * ```ts
 * sphericalToB(terms, ws.lambda, u);
 * ```
 */
export function sphericalToB(terms: readonly ReTerm[], lambda: readonly Float64Array[], u: Float64Array, out?: Float64Array): Float64Array {
  const b = out ?? new Float64Array(u.length);
  let o = 0;
  terms.forEach((term, t) => {
    const k = term.k;
    const lam = lambda[t];
    for (let h = 0; h < term.nlev; h++) {
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let r = 0; r <= i; r++) s += lam[i + r * k] * u[o + h * k + r];
        b[o + h * k + i] = s;
      }
    }
    o += term.q;
  });
  return b;
}

/**
 * Add Z b to a vector of per-row values: out[i] += Σ_t z_t(i) · b_t[level_t(i)].
 *
 * @param terms - terms in fitting order.
 * @param b - random effects (layout of u).
 * @param out - per-row values, updated.
 * @example
 * ```ts
 * addZb(terms, b, fitted);
 * ```
 */
export function addZb(terms: readonly ReTerm[], b: Float64Array, out: Float64Array): void {
  const n = out.length;
  let o = 0;
  for (const term of terms) {
    const k = term.k;
    const refs = term.frame.group.refs;
    const z = term.frame.z;
    for (let i = 0; i < n; i++) {
      const base = o + refs[i] * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += z[i + j * n] * b[base + j];
      out[i] += s;
    }
    o += term.q;
  }
}

/**
 * The grouping factors whose θ elements sit on their zero bound (lme4's `isSingular`, tol 1e-4).
 *
 * @param terms - terms in fitting order.
 * @param theta - estimates.
 * @param lower - bounds.
 * @param tol - tolerance.
 * @returns the names of those factors (empty for a regular fit).
 * @example
 * ```ts
 * singularGroups(terms, Float64Array.of(0), Float64Array.of(0), 1e-4); // ["Batch"]
 * ```
 */
export function singularGroups(terms: readonly ReTerm[], theta: ArrayLike<number>, lower: ArrayLike<number>, tol: number): string[] {
  const out = new Set<string>();
  let off = 0;
  for (const t of terms) {
    for (let i = off; i < off + t.ntheta; i++) if (lower[i] === 0 && theta[i] < tol) out.add(t.frame.group.name);
    off += t.ntheta;
  }
  return [...out];
}

/**
 * Conditional modes and conditional standard deviations of the random effects, in lme4's
 * `as.data.frame(ranef(fit, condVar = TRUE))` order: by term, by column, by level.
 *
 * Var(b_j | y) = σ² (Λ C Λ')_jj, with C the conditional covariance block of u up to σ².
 *
 * @param terms - terms in fitting order.
 * @param lambda - Λ_t of each term.
 * @param b - conditional modes (layout of u).
 * @param condVarU - per term, blocks of C.
 * @param sigma - residual standard deviation (1 for GLMMs).
 * @returns one row per group, column and level.
 * @example
 * ```ts
 * ranefRows(terms, ws.lambda, b, ws.condVarU(), sigma)[0];
 * // { group: "Subject", term: "(Intercept)", level: "308", condval: 2.26, condsd: 12.07 }
 * ```
 */
export function ranefRows(terms: readonly ReTerm[], lambda: readonly Float64Array[], b: Float64Array, condVarU: readonly Float64Array[], sigma: number): RanefRow[] {
  const rows: RanefRow[] = [];
  let o = 0;
  terms.forEach((term, t) => {
    const k = term.k;
    const lam = lambda[t];
    const cv = condVarU[t];
    const levels = term.frame.group.levels;
    for (let j = 0; j < k; j++) {
      for (let h = 0; h < term.nlev; h++) {
        let v = 0;
        for (let r = 0; r <= j; r++) for (let s = 0; s <= j; s++) v += lam[j + r * k] * cv[h * k * k + r + s * k] * lam[j + s * k];
        rows.push({ group: term.frame.group.name, term: term.frame.cnms[j], level: levels[h], condval: b[o + h * k + j], condsd: sigma * Math.sqrt(Math.max(v, 0)) });
      }
    }
    o += term.q;
  });
  return rows;
}

/**
 * Levels per grouping factor, by name.
 *
 * @param terms - terms.
 * @returns `{ name: levels }`.
 * @example
 * ```ts
 * ngroupsOf(terms); // { Subject: 18 }
 * ```
 */
export function ngroupsOf(terms: readonly ReTerm[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of terms) out[t.frame.group.name] = t.nlev;
  return out;
}
