/**
 * Whitening of a group by a dense correlation block: with C_g = L_g L_gᵀ (Cholesky), replace
 * the group's rows E by L_g⁻¹ E, and return log|C_g| = 2 Σ log L_g,ii. O(m³ + m² c) for m rows
 * of c values; the groups of corARMA, corSymm and friends are short.
 */
import { cholesky, solveLower } from "../linalg/dense.js";

/**
 * Factor the m × m correlation block in `work` (column-major, lower triangle filled) and whiten
 * the group's rows with it.
 *
 * @param work - C_g, overwritten by L_g.
 * @param m - rows in the group.
 * @param buf - the rows, row-major.
 * @param off - first value of the group's first row.
 * @param c - values per row.
 * @returns log|C_g|, or NaN when C_g is not positive definite.
 * @example
 * ```ts
 * const rows = Float64Array.of(1, 2);
 * denseWhiten(Float64Array.of(1, 0.6, 0.6, 1), 2, rows, 0, 1); // -0.4463 (log 0.64)
 * rows; // Float64Array [1, 1.75]
 * ```
 */
export function denseWhiten(work: Float64Array, m: number, buf: Float64Array, off: number, c: number): number {
  if (cholesky(work, m, m) >= 0) return NaN;
  let logdet = 0;
  for (let i = 0; i < m; i++) logdet += 2 * Math.log(work[i + i * m]);
  for (let j = 0; j < c; j++) solveLower(work, m, m, buf, off + j, c);
  return logdet;
}
