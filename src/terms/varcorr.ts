/**
 * Variance components: the covariance matrix of each term's random effects, Σ_t = σ² Λ_t Λ_t',
 * reported as lme4's `as.data.frame(VarCorr(fit))` rows: one row per variance (standard
 * deviation in `sdcor`), one per covariance (correlation in `sdcor`), and a last row for the
 * residual (omitted for families without a scale parameter).
 */
import { lambdaCrossprod } from "./covariance/structure.js";
import type { RandomEffects } from "./random-effects.js";

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
  /** The term's covariance structure, when it is not unstructured or diagonal (`cs`, `ar1`, `toep`). */
  readonly structure?: string;
  /** The structure's correlation parameter: ρ for ar1 and cs, ρ₁ … ρ_{k−1} (by lag) for toep. */
  readonly rho?: number | readonly number[];
}

/**
 * Compute the VarCorr rows from θ and σ.
 *
 * Σ_t = σ² Λ_t Λ_t'; sd = √diag Σ_t; correlation ρ_ij = Σ_ij / (sd_i sd_j).
 *
 * @param re - the model's random-effects layer.
 * @param theta - covariance parameters.
 * @param sigma - residual standard deviation (1 for binomial and Poisson models).
 * @param residual - whether to append the residual row.
 * @returns rows in lme4's order: per term, variances, then covariances column by column.
 * @example
 * ```ts
 * varCorr(sleepstudyFit.randomEffects, [0.9667, 0.0152, 0.2309], 25.59, true);
 * // [{ group: "Subject", var1: "(Intercept)", var2: null, vcov: 612.0, sdcor: 24.74 },
 * //  { group: "Subject", var1: "Days", var2: null, vcov: 35.07, sdcor: 5.922 },
 * //  { group: "Subject", var1: "(Intercept)", var2: "Days", vcov: 9.62, sdcor: 0.0656 },
 * //  { group: "Residual", var1: null, var2: null, vcov: 654.9, sdcor: 25.59 }]
 * ```
 */
export function varCorr(re: RandomEffects, theta: ArrayLike<number>, sigma: number, residual: boolean): VarCorrRow[] {
  const rows: VarCorrRow[] = [];
  const names = re.groupNames();
  const lambdas = re.lambdas(theta);
  re.terms.forEach((term, t) => {
    const k = term.k;
    const cov = lambdaCrossprod(lambdas[t], k, new Float64Array(k * k));
    for (let i = 0; i < k * k; i++) cov[i] = cov[i] * sigma * sigma;
    const sd: number[] = [];
    for (let i = 0; i < k; i++) sd.push(Math.sqrt(cov[i + i * k]));
    const cnms = term.frame.cnms;
    const params = term.cov.parameters(theta, term.offset, k);
    const rho = "rho" in params ? params.rho : Object.keys(params).length > 0 ? Object.values(params) : undefined;
    const structured = term.cov.name !== "us" && term.cov.name !== "diag";
    // the structure's fields are assigned, not spread: a spread row literal takes V8's slow path
    const row = (var1: string, var2: string | null, vcov: number, sdcor: number): VarCorrRow => {
      const r: { -readonly [K in keyof VarCorrRow]: VarCorrRow[K] } = { group: names[t], var1, var2, vcov, sdcor };
      if (structured) r.structure = term.cov.name;
      if (structured && rho !== undefined) r.rho = rho;
      return Object.freeze(r);
    };
    for (let i = 0; i < k; i++) rows.push(row(cnms[i], null, cov[i + i * k], sd[i]));
    for (let j = 0; j < k; j++) {
      for (let i = j + 1; i < k; i++) {
        const c = cov[i + j * k];
        rows.push(row(cnms[j], cnms[i], c, sd[i] > 0 && sd[j] > 0 ? c / (sd[i] * sd[j]) : NaN));
      }
    }
  });
  if (residual) rows.push(Object.freeze({ group: "Residual", var1: null, var2: null, vcov: sigma * sigma, sdcor: sigma }));
  return rows;
}
