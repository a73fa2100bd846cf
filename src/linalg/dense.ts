/**
 * Dense kernels on column-major `Float64Array` matrices with an explicit leading dimension.
 *
 * Element (i, j) of an m × n matrix `a` with leading dimension `ld` is `a[i + j * ld]`. Only the
 * lower triangle of symmetric matrices is read or written. No function here allocates.
 */

/**
 * Cholesky factorisation in place: overwrite the lower triangle of the symmetric positive
 * definite n × n matrix A with L such that A = L L'.
 *
 * Right-looking, column by column: once column k is final, each later column j with
 * L[j, k] ≠ 0 is updated by L[j:n, j] −= L[j, k] L[j:n, k]. Both columns are contiguous, and
 * zeros of L (sparse blocks, nested factors) cost only their test.
 *
 * @param a - the matrix, overwritten by L in its lower triangle (the upper triangle is untouched).
 * @param n - its order.
 * @param ld - its leading dimension (≥ n).
 * @param offset - where element (0, 0) sits in `a`.
 * @returns -1 on success, or the first column k whose pivot was not positive.
 * @example
 * ```ts
 * const a = Float64Array.of(4, 2, 0, 3); // [[4, 2], [2, 3]], column-major
 * cholesky(a, 2, 2);                    // -1
 * // a is now [2, 1, 0, 1.4142135623730951] (lower triangle L = [[2, 0], [1, √2]])
 * ```
 */
export function cholesky(a: Float64Array, n: number, ld: number, offset = 0): number {
  for (let k = 0; k < n; k++) {
    const ck = offset + k * ld;
    const d = a[ck + k];
    if (!(d > 0)) return k;
    const s = Math.sqrt(d);
    a[ck + k] = s;
    const r = 1 / s;
    for (let i = k + 1; i < n; i++) a[ck + i] *= r;
    for (let j = k + 1; j < n; j++) {
      const ljk = a[ck + j];
      if (ljk === 0) continue;
      const cj = offset + j * ld;
      for (let i = j; i < n; i++) a[cj + i] -= ljk * a[ck + i];
    }
  }
  return -1;
}

/**
 * Solve L x = b in place for lower-triangular L (forward substitution).
 *
 * @param l - L in its lower triangle, column-major with leading dimension `ld`.
 * @param n - the order of L.
 * @param ld - leading dimension of `l`.
 * @param b - right-hand side, overwritten by x; its elements are `b[bOff + i * inc]`.
 * @param bOff - offset of b's first element.
 * @param inc - stride between b's elements.
 * @param lOff - offset of L's (0, 0) element.
 * @example
 * ```ts
 * const l = Float64Array.of(2, 1, 0, 1); // L = [[2, 0], [1, 1]]
 * const b = Float64Array.of(2, 3);
 * solveLower(l, 2, 2, b);                // b = [1, 2]
 * ```
 */
export function solveLower(l: Float64Array, n: number, ld: number, b: Float64Array, bOff = 0, inc = 1, lOff = 0): void {
  for (let j = 0; j < n; j++) {
    const c = lOff + j * ld;
    const xj = (b[bOff + j * inc] /= l[c + j]);
    if (xj === 0) continue;
    for (let i = j + 1; i < n; i++) b[bOff + i * inc] -= l[c + i] * xj;
  }
}

/**
 * Solve L' x = b in place for lower-triangular L (back substitution with the transpose).
 *
 * @param l - L in its lower triangle, column-major with leading dimension `ld`.
 * @param n - the order of L.
 * @param ld - leading dimension of `l`.
 * @param b - right-hand side, overwritten by x (elements `b[bOff + i * inc]`).
 * @param bOff - offset of b's first element.
 * @param inc - stride between b's elements.
 * @param lOff - offset of L's (0, 0) element.
 * @example
 * ```ts
 * const l = Float64Array.of(2, 1, 0, 1); // L' = [[2, 1], [0, 1]]
 * const b = Float64Array.of(4, 2);
 * solveLowerTranspose(l, 2, 2, b);       // b = [1, 2]
 * ```
 */
export function solveLowerTranspose(l: Float64Array, n: number, ld: number, b: Float64Array, bOff = 0, inc = 1, lOff = 0): void {
  for (let j = n - 1; j >= 0; j--) {
    const c = lOff + j * ld;
    let s = b[bOff + j * inc];
    for (let i = j + 1; i < n; i++) s -= l[c + i] * b[bOff + i * inc];
    b[bOff + j * inc] = s / l[c + j];
  }
}

/**
 * Invert a lower-triangular matrix in place: L ← L⁻¹ (lower triangle only).
 *
 * @param l - L in its lower triangle, overwritten by L⁻¹.
 * @param n - the order.
 * @param ld - leading dimension.
 * @example
 * ```ts
 * const l = Float64Array.of(2, 1, 0, 1);
 * invertLower(l, 2, 2); // l = [0.5, -0.5, 0, 1]
 * ```
 */
export function invertLower(l: Float64Array, n: number, ld: number): void {
  for (let j = 0; j < n; j++) {
    const cj = j * ld;
    l[cj + j] = 1 / l[cj + j];
    for (let i = j + 1; i < n; i++) {
      // (L⁻¹)[i, j] = −(Σ_{k=j}^{i−1} L[i, k] (L⁻¹)[k, j]) / L[i, i]
      let s = 0;
      for (let k = j; k < i; k++) s += l[i + k * ld] * l[cj + k];
      l[cj + i] = -s / l[i + i * ld];
    }
  }
}

/**
 * Fill the upper triangle of a symmetric n × n matrix from its lower triangle.
 *
 * @param a - the matrix (column-major, leading dimension `ld`).
 * @param n - its order.
 * @param ld - leading dimension.
 * @example
 * ```ts
 * const a = Float64Array.of(1, 2, 0, 3);
 * symmetrizeLower(a, 2, 2); // a = [1, 2, 2, 3]
 * ```
 */
export function symmetrizeLower(a: Float64Array, n: number, ld: number): void {
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) a[j + i * ld] = a[i + j * ld];
}
