/**
 * A linear mixed model without rows: fitted from summary statistics (src/sql/fit-from-stats.ts),
 * it has A = [Z X y]'W[Z X y] but no data, and refits itself from its statistics. Inference code
 * asks for these through {@link isRowlessModel} instead of reaching for the rows.
 */
import type { LinearMixedModel } from "../model/mixed-model.js";
import type { CrossProductBlocks } from "./cross-products.js";

/** What a model without rows offers in their place. */
export interface RowlessModel extends LinearMixedModel {
  /** Always true: the model was fitted from summary statistics and holds no rows. */
  readonly fromStatistics: true;
  /** The cross-product blocks A (for profiling fixed effects without rows). */
  crossProductBlocks(): CrossProductBlocks;
  /** The same model refitted by maximum likelihood (from its statistics). */
  refitMl(): LinearMixedModel;
}

/**
 * Whether a model was fitted from summary statistics (and so has no rows).
 *
 * @param m - a fitted model.
 * @returns true for the models of `fitFromStatistics`.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * isRowlessModel(fitFromStatistics(stats)); // true
 * isRowlessModel(sleepstudyFit); // false
 * ```
 */
export function isRowlessModel(m: object): m is RowlessModel {
  return "fromStatistics" in m && (m as { fromStatistics?: unknown }).fromStatistics === true;
}
