/**
 * Ordinary least squares on a subset of the rows of a model matrix, for the complete- and
 * no-pooling fits of {@link pooling}: β̂ = (X'X)⁻¹X'y by the Cholesky factor of X'X, followed by
 * one step of iterative refinement (β̂ += (X'X)⁻¹X'(y − Xβ̂)), which brings the normal-equation
 * solution to the accuracy of a QR solution for the well-conditioned designs it is used for.
 */
import { cholesky, solveLower, solveLowerTranspose } from "../linalg/dense.js";

/** Relative size below which a Cholesky pivot marks X as rank deficient. */
const RANK_TOL = 1e-10;

/**
 * Least-squares coefficients of y on the columns of X, using only some rows.
 *
 * @param X - model matrix, n × p, column-major (leading dimension n).
 * @param n - its number of rows.
 * @param p - its number of columns.
 * @param y - response, length n.
 * @param rows - the rows to use (all rows when omitted).
 * @returns β̂ (length p), or null when X restricted to the rows has rank below p (too few rows, or a
 *   column constant within them).
 * @example
 * ```ts
 * // y = 1 + 2x on x = 0, 1, 2
 * ols(Float64Array.of(1, 1, 1, 0, 1, 2), 3, 2, Float64Array.of(1, 3, 5)); // Float64Array [1, 2]
 * ols(Float64Array.of(1, 1, 1, 0, 1, 2), 3, 2, Float64Array.of(1, 3, 5), Int32Array.of(0)); // null
 * ```
 */
export function ols(X: Float64Array, n: number, p: number, y: Float64Array, rows?: ArrayLike<number>): Float64Array | null {
  const idx = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = idx.length;
  if (m < p) return null;
  // X'X (lower triangle) and X'y
  const xtx = new Float64Array(p * p);
  const beta = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    for (let c = a; c < p; c++) {
      const cc = c * n;
      let s = 0;
      for (let r = 0; r < m; r++) s += X[ca + idx[r]] * X[cc + idx[r]];
      xtx[c + a * p] = s;
    }
    let s = 0;
    for (let r = 0; r < m; r++) s += X[ca + idx[r]] * y[idx[r]];
    beta[a] = s;
  }
  const diag = Float64Array.from({ length: p }, (_, a) => xtx[a + a * p]);
  if (cholesky(xtx, p, p) >= 0) return null;
  for (let a = 0; a < p; a++) {
    const l = xtx[a + a * p];
    if (!(l * l > RANK_TOL * diag[a])) return null;
  }
  const solve = (v: Float64Array): void => {
    solveLower(xtx, p, p, v);
    solveLowerTranspose(xtx, p, p, v);
  };
  solve(beta);
  // one refinement step: δ = (X'X)⁻¹X'(y − Xβ̂)
  const resid = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = y[idx[r]];
    for (let a = 0; a < p; a++) s -= X[a * n + idx[r]] * beta[a];
    resid[r] = s;
  }
  const delta = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += X[a * n + idx[r]] * resid[r];
    delta[a] = s;
  }
  solve(delta);
  for (let a = 0; a < p; a++) beta[a] += delta[a];
  return beta;
}
