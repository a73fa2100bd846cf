/**
 * Variance components: the covariance matrix of each term's random effects, Σ_t = σ² Λ_t Λ_t',
 * reported as lme4's `as.data.frame(VarCorr(fit))` rows: one row per variance (standard
 * deviation in `sdcor`), one per covariance (correlation in `sdcor`), and a last row for the
 * residual (omitted for GLMMs without a scale parameter). Terms with a covariance structure show
 * the standard deviations and correlations it implies (none for diag), each row naming the
 * structure and its ρ.
 */
import type { ReTerm } from "../terms/re-term.js";

/** One row of lme4's `as.data.frame(VarCorr(fit))`. */
export interface VarCorrRow {
  /** Grouping factor (`Subject`; the second and later `||` terms of a factor are `Subject.1`, …), or `Residual`. */
  readonly group: string;
  /** The random effect, or null for the residual row. */
  readonly var1: string | null;
  /** For a covariance row, the second random effect; null otherwise. */
  readonly var2: string | null;
  /** Variance or covariance. */
  readonly vcov: number;
  /** Standard deviation, or correlation for a covariance row. */
  readonly sdcor: number;
  /** For a term with a covariance structure other than us: its name (diag, cs, ar1, toep). */
  readonly structure?: string;
  /** The structure's correlation parameter: ρ for ar1 and cs, ρ₁ … ρ_{k−1} for toep. */
  readonly rho?: number | readonly number[];
}

/**
 * The names lme4 gives the groups of the terms: a factor's first term keeps its name, later terms
 * on the same factor get `.1`, `.2`, ….
 *
 * @param terms - terms in fitting order.
 * @returns one name per term.
 * @example
 * ```ts
 * vcGroupNames(termsOf("(Days || Subject)")); // ["Subject", "Subject.1"]
 * ```
 */
export function vcGroupNames(terms: readonly ReTerm[]): string[] {
  const seen = new Map<string, number>();
  return terms.map((t) => {
    const name = t.frame.group.name;
    const m = seen.get(name) ?? 0;
    seen.set(name, m + 1);
    return m === 0 ? name : `${name}.${m}`;
  });
}

/**
 * Compute the VarCorr rows from θ and σ.
 *
 * Σ_t = σ² Λ_t Λ_t'; sd = √diag Σ_t; correlation ρ_ij = Σ_ij / (sd_i sd_j).
 *
 * @param terms - terms in fitting order.
 * @param theta - covariance parameters.
 * @param sigma - residual standard deviation (1 for binomial and Poisson models).
 * @param residual - whether to append the residual row.
 * @returns rows in lme4's order: per term, variances, then covariances column by column.
 * @example
 * ```ts
 * varCorr(terms, [0.9667, 0.0152, 0.2309], 25.59, true);
 * // [{group: "Subject", var1: "(Intercept)", var2: null, vcov: 612.09, sdcor: 24.74}, …,
 * //  {group: "Residual", var1: null, var2: null, vcov: 654.94, sdcor: 25.59}]
 * ```
 */
export function varCorr(terms: readonly ReTerm[], theta: ArrayLike<number>, sigma: number, residual: boolean): VarCorrRow[] {
  const rows: VarCorrRow[] = [];
  const names = vcGroupNames(terms);
  let off = 0;
  terms.forEach((term, t) => {
    const k = term.k;
    const lam = new Float64Array(k * k);
    term.fillLambda(theta, off, lam);
    off += term.ntheta;
    const cov = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let r = 0; r <= Math.min(i, j); r++) s += lam[i + r * k] * lam[j + r * k];
        cov[i + j * k] = s * sigma * sigma;
      }
    }
    const sd = Array.from({ length: k }, (_, i) => Math.sqrt(cov[i + i * k]));
    const cnms = term.frame.cnms;
    const st = term.structure;
    const rho = st.rho(theta, off - term.ntheta, k);
    const extra = st.name === "us" ? {} : { structure: st.name, ...(rho === undefined ? {} : { rho }) };
    for (let i = 0; i < k; i++) rows.push({ group: names[t], var1: cnms[i], var2: null, vcov: cov[i + i * k], sdcor: sd[i], ...extra });
    // a diagonal structure has no covariances to show
    if (st.name !== "diag") for (let j = 0; j < k; j++) {
      for (let i = j + 1; i < k; i++) {
        const c = cov[i + j * k];
        const r = sd[i] > 0 && sd[j] > 0 ? c / (sd[i] * sd[j]) : NaN;
        rows.push({ group: names[t], var1: cnms[j], var2: cnms[i], vcov: c, sdcor: r, ...extra });
      }
    }
  });
  if (residual) rows.push({ group: "Residual", var1: null, var2: null, vcov: sigma * sigma, sdcor: sigma });
  return rows;
}
