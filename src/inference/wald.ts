/**
 * Wald z tests of fixed effects (GLMMs, or linear models without a df method):
 * z = β̂_j / se_j, p = 2 Φ(−|z|).
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import type { FixefRow } from "../model/mixed-model.js";

/**
 * Two-sided normal p-values of the Wald statistics.
 *
 * @param m - a fitted model (a MixedModel, or a fit with residual structures).
 * @returns `{ p }`, one per fixed effect.
 * @example
 * ```ts
 * waldZ(cbppFit).p[0]; // 1.47e-09
 * ```
 */
export function waldZ(m: { readonly fixef: readonly FixefRow[] }): { p: number[] } {
  return { p: m.fixef.map((f) => 2 * normalCdf(-Math.abs(f.statistic), 0, 1)) };
}
