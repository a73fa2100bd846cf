/**
 * Small dense helpers on flat column-major arrays: dot products, axpy and products of small
 * square matrices (the p × p and parameter-sized matrices of inference).
 */

/**
 * Σ_i a[ao + i] b[bo + i] for i < len.
 *
 * @param a - first vector's storage.
 * @param ao - its offset.
 * @param b - second vector's storage.
 * @param bo - its offset.
 * @param len - the length.
 * @returns the dot product.
 * @example
 * ```ts
 * dot(Float64Array.of(1, 2, 3), 1, Float64Array.of(4, 5), 0, 2); // 23 (2 · 4 + 3 · 5)
 * ```
 */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[ao + i] * b[bo + i];
  return s;
}

/**
 * y[yo + i] += alpha x[xo + i] for i < len.
 *
 * @param alpha - the scale.
 * @param x - the added vector's storage.
 * @param xo - its offset.
 * @param y - the updated vector's storage.
 * @param yo - its offset.
 * @param len - the length.
 * @example
 * ```ts
 * const y = Float64Array.of(1, 1);
 * axpy(2, Float64Array.of(1, 2), 0, y, 0, 2);
 * y; // Float64Array [3, 5]
 * ```
 */
export function axpy(alpha: number, x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): void {
  for (let i = 0; i < len; i++) y[yo + i] += alpha * x[xo + i];
}

/**
 * A B for p × p matrices.
 *
 * @param A - p × p, column-major.
 * @param B - p × p, column-major.
 * @param p - the order.
 * @returns a new p × p matrix.
 * @example
 * ```ts
 * matmul(Float64Array.of(1, 0, 0, 2), Float64Array.of(1, 2, 3, 4), 2); // Float64Array [1, 4, 3, 8]
 * ```
 */
export function matmul(A: Float64Array, B: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) {
    const b = B[l + j * p];
    if (b !== 0) axpy(b, A, l * p, out, j * p, p);
  }
  return out;
}

/**
 * A' for a p × p matrix.
 *
 * @param A - p × p, column-major.
 * @param p - the order.
 * @returns a new p × p matrix.
 * @example
 * ```ts
 * transpose(Float64Array.of(1, 2, 3, 4), 2); // Float64Array [1, 3, 2, 4]
 * ```
 */
export function transpose(A: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) out[j + i * p] = A[i + j * p];
  return out;
}
