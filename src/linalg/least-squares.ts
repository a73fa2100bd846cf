/**
 * Weighted least squares on (a subset of) the rows of a column-major model matrix, by the
 * Cholesky factor of X'WX: β̂ = (X'WX)⁻¹X'Wy, followed by one step of iterative refinement
 * (β̂ += (X'WX)⁻¹X'W(y − Xβ̂)), which brings the normal-equation solution to the accuracy of a QR
 * solution for the well-conditioned designs it is used for (single-level comparisons, pooling).
 */
import { cholesky, solveLower, solveLowerTranspose } from "./dense.js";

/** Relative size below which a Cholesky pivot marks X as rank deficient. */
const RANK_TOL = 1e-10;

/** Which rows to use and how to weight them. */
export interface LeastSquaresOptions {
  /** Row weights wᵢ (all 1 when omitted). */
  readonly weights?: ArrayLike<number>;
  /** The rows to use (all rows when omitted). */
  readonly rows?: ArrayLike<number>;
}

/**
 * The lower Cholesky factor L of X'WX over the chosen rows, or null when X restricted to them has
 * rank below p (too few rows, or a column aliased with others).
 *
 * @param X - n × p, column-major.
 * @param n - rows of X.
 * @param p - columns of X.
 * @param options - weights and rows.
 * @returns L (p × p, lower triangle), or null.
 * @example
 * ```ts
 * // X'X = [[3, 3], [3, 5]], whose factor is [[√3, 0], [√3, √2]]
 * crossProductFactor(Float64Array.of(1, 1, 1, 0, 1, 2), 3, 2); // Float64Array [1.7320508, 1.7320508, 0, 1.4142136]
 * ```
 */
export function crossProductFactor(X: Float64Array, n: number, p: number, options: LeastSquaresOptions = {}): Float64Array | null {
  const { weights, rows } = options;
  const m = rows ? rows.length : n;
  if (m < p) return null;
  const l = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    for (let c = a; c < p; c++) {
      const cc = c * n;
      let s = 0;
      for (let r = 0; r < m; r++) {
        const i = rows ? rows[r] : r;
        s += (weights ? weights[i] : 1) * X[ca + i] * X[cc + i];
      }
      l[c + a * p] = s;
    }
  }
  const diag = Float64Array.from({ length: p }, (_, a) => l[a + a * p]);
  if (cholesky(l, p, p) >= 0) return null;
  for (let a = 0; a < p; a++) if (!(l[a + a * p] ** 2 > RANK_TOL * diag[a])) return null;
  return l;
}

/**
 * Weighted least-squares coefficients of y on the columns of X, with the Cholesky factor of X'WX.
 *
 * @param X - n × p, column-major.
 * @param n - rows of X.
 * @param p - columns of X.
 * @param y - response, length n.
 * @param options - weights and rows.
 * @returns `{ beta, factor }`, or null when X restricted to the rows has rank below p.
 * @example
 * ```ts
 * // y = 1 + 2x on x = 0, 1, 2
 * leastSquares(Float64Array.of(1, 1, 1, 0, 1, 2), 3, 2, Float64Array.of(1, 3, 5))?.beta; // Float64Array [1, 2]
 * leastSquares(Float64Array.of(1, 1, 1, 0, 1, 2), 3, 2, Float64Array.of(1, 3, 5), { rows: [0] }); // null
 * ```
 */
export function leastSquares(X: Float64Array, n: number, p: number, y: ArrayLike<number>, options: LeastSquaresOptions = {}): { beta: Float64Array; factor: Float64Array } | null {
  const factor = crossProductFactor(X, n, p, options);
  if (!factor) return null;
  const { weights, rows } = options;
  const m = rows ? rows.length : n;
  const beta = new Float64Array(p);
  const step = new Float64Array(p);
  const resid = new Float64Array(m);
  for (let r = 0; r < m; r++) resid[r] = y[rows ? rows[r] : r];
  // the first pass solves the normal equations, the second refines the solution once
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < p; a++) {
      const ca = a * n;
      let s = 0;
      for (let r = 0; r < m; r++) {
        const i = rows ? rows[r] : r;
        s += (weights ? weights[i] : 1) * X[ca + i] * resid[r];
      }
      step[a] = s;
    }
    solveLower(factor, p, p, step);
    solveLowerTranspose(factor, p, p, step);
    for (let a = 0; a < p; a++) beta[a] += step[a];
    if (pass === 1) break;
    for (let r = 0; r < m; r++) {
      const i = rows ? rows[r] : r;
      let s = y[i];
      for (let a = 0; a < p; a++) s -= X[a * n + i] * beta[a];
      resid[r] = s;
    }
  }
  return { beta, factor };
}

/**
 * (L Lᵀ)⁻¹ from the Cholesky factor L, full p × p: (X'WX)⁻¹, or the unscaled vcov(β̂) from the
 * fixed-effects block of a larger factor (pass that block's offset and leading dimension).
 *
 * @param l - the factor (lower triangle), column-major.
 * @param p - its order.
 * @param ld - its leading dimension (default p).
 * @param lOff - the offset of its first element in `l` (default 0).
 * @returns the inverse.
 * @example
 * The second call inverts the trailing 1 × 1 block of a 2 × 2 factor, at offset 3.
 * ```ts
 * inverseFromCholesky(Float64Array.of(2, 0, 0, 1), 2); // [0.25, 0, 0, 1]
 * inverseFromCholesky(Float64Array.of(1, 3, 0, 2), 1, 2, 3); // [0.25]
 * ```
 */
export function inverseFromCholesky(l: Float64Array, p: number, ld = p, lOff = 0): Float64Array {
  const inv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    inv[j + j * p] = 1;
    solveLower(l, p, ld, inv, j * p, 1, lOff);
    solveLowerTranspose(l, p, ld, inv, j * p, 1, lOff);
  }
  return inv;
}
