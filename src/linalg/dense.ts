/**
 * Dense kernels on column-major `Float64Array` matrices with an explicit leading dimension.
 *
 * Element (i, j) of an m × n matrix `a` with leading dimension `ld` is `a[i + j * ld]`. Only the
 * lower triangle of symmetric matrices is read or written. No function here allocates.
 */

/** Panel width of the blocked Cholesky factorisation. */
export const NB = 48;

/**
 * Cholesky factorisation in place: overwrite the lower triangle of the symmetric positive
 * definite n × n matrix A with L such that A = L L'.
 *
 * Blocked by panels of NB columns, so that large factors stay cache-friendly: each panel is
 * factored left-looking (column k receives the updates of the panel's earlier columns, then is
 * scaled by its pivot), and then every later column j receives the whole panel's update
 * L[j:n, j] −= Σ_k L[j, k] L[j:n, k] while it sits in cache, four panel columns at a time. All
 * inner loops run down contiguous columns, and zeros of L (sparse blocks, nested factors) cost
 * only their test.
 *
 * @param a - the matrix, overwritten by L in its lower triangle (the upper triangle is untouched).
 * @param n - its order.
 * @param ld - its leading dimension (≥ n).
 * @param offset - where element (0, 0) sits in `a`.
 * @returns -1 on success, or the first column k whose pivot was not positive.
 * @example
 * ```ts
 * // A = [[4, 2], [2, 3]], column-major
 * const a = Float64Array.of(4, 2, 0, 3);
 * cholesky(a, 2, 2); // -1
 * a; // Float64Array [2, 1, 0, 1.4142135623730951] (L = [[2, 0], [1, √2]] in the lower triangle)
 * cholesky(Float64Array.of(1, 2, 0, 1), 2, 2); // 1 (not positive definite: column 1 fails)
 * ```
 */
export function cholesky(a: Float64Array, n: number, ld: number, offset = 0): number {
  for (let kb = 0; kb < n; kb += NB) {
    const ke = Math.min(kb + NB, n);
    for (let k = kb; k < ke; k++) {
      updateColumn(a, ld, offset, k, kb, k, n);
      if (!pivotColumn(a, offset + k * ld, k, n)) return k;
    }
    let j = ke;
    for (; j + 1 < n; j += 2) updateColumnPair(a, ld, offset, j, kb, ke, n);
    if (j < n) updateColumn(a, ld, offset, j, kb, ke, n);
  }
  return -1;
}

/**
 * {@link updateColumn} for columns j and j + 1 together, sharing the loads of the panel:
 * L[j:n, j] −= Σ_k L[j, k] L[j:n, k] and L[j+1:n, j+1] −= Σ_k L[j+1, k] L[j+1:n, k].
 *
 * @param a - the matrix.
 * @param ld - leading dimension.
 * @param offset - position of element (0, 0).
 * @param j - the first of the two columns.
 * @param k0 - first panel column.
 * @param k1 - end of the panel columns.
 * @param n - the order.
 * @example
 * ```ts
 * // column 0 = [1, 2, 3] is the panel; columns 1 and 2 of a 3 × 3 matrix receive its update
 * const a = Float64Array.of(1, 2, 3, 0, 10, 10, 0, 0, 10);
 * updateColumnPair(a, 3, 0, 1, 0, 1, 3);
 * a; // Float64Array [1, 2, 3, 0, 6, 4, 0, 0, 1]
 * ```
 */
export function updateColumnPair(a: Float64Array, ld: number, offset: number, j: number, k0: number, k1: number, n: number): void {
  const cj = offset + j * ld;
  const cj1 = cj + ld;
  let k = k0;
  for (; k + 3 < k1; k += 4) {
    const c0 = offset + k * ld;
    const c1 = c0 + ld;
    const c2 = c1 + ld;
    const c3 = c2 + ld;
    const l0 = a[c0 + j];
    const l1 = a[c1 + j];
    const l2 = a[c2 + j];
    const l3 = a[c3 + j];
    const m0 = a[c0 + j + 1];
    const m1 = a[c1 + j + 1];
    const m2 = a[c2 + j + 1];
    const m3 = a[c3 + j + 1];
    if (l0 === 0 && l1 === 0 && l2 === 0 && l3 === 0 && m0 === 0 && m1 === 0 && m2 === 0 && m3 === 0) continue;
    a[cj + j] -= l0 * a[c0 + j] + l1 * a[c1 + j] + l2 * a[c2 + j] + l3 * a[c3 + j];
    for (let i = j + 1; i < n; i++) {
      const p0 = a[c0 + i];
      const p1 = a[c1 + i];
      const p2 = a[c2 + i];
      const p3 = a[c3 + i];
      a[cj + i] -= l0 * p0 + l1 * p1 + l2 * p2 + l3 * p3;
      a[cj1 + i] -= m0 * p0 + m1 * p1 + m2 * p2 + m3 * p3;
    }
  }
  if (k < k1) {
    updateColumn(a, ld, offset, j, k, k1, n);
    updateColumn(a, ld, offset, j + 1, k, k1, n);
  }
}

/**
 * Finish column k of a Cholesky factor once every earlier column's update has reached it:
 * L[k, k] = √A[k, k] and L[k+1:n, k] /= L[k, k].
 *
 * @param a - the matrix.
 * @param ck - position of element (0, k) in `a`.
 * @param k - the column.
 * @param n - the order.
 * @returns false when the pivot is not positive (the matrix is not positive definite).
 * @example
 * ```ts
 * const a = Float64Array.of(4, 2);
 * pivotColumn(a, 0, 0, 2); // true
 * a; // Float64Array [2, 1]
 * ```
 */
export function pivotColumn(a: Float64Array, ck: number, k: number, n: number): boolean {
  const d = a[ck + k];
  if (!(d > 0)) return false;
  const s = Math.sqrt(d);
  a[ck + k] = s;
  const r = 1 / s;
  for (let i = k + 1; i < n; i++) a[ck + i] *= r;
  return true;
}

/**
 * One column's update from earlier columns: L[j:n, j] −= Σ_{k0 ≤ k < k1} L[j, k] L[j:n, k], four
 * columns k at a time.
 *
 * @param a - the matrix (column-major, leading dimension ld, element (0, 0) at offset).
 * @param ld - leading dimension.
 * @param offset - position of element (0, 0).
 * @param j - the column updated.
 * @param k0 - first column applied.
 * @param k1 - one past the last column applied.
 * @param n - the order.
 * @example
 * ```ts
 * // column 0 of L is final, column 1 not yet updated
 * const a = Float64Array.of(1, 2, 0, 5);
 * updateColumn(a, 2, 0, 1, 0, 1, 2);
 * a[3]; // 1 (5 − 2 · 2)
 * ```
 */
export function updateColumn(a: Float64Array, ld: number, offset: number, j: number, k0: number, k1: number, n: number): void {
  const cj = offset + j * ld;
  let k = k0;
  for (; k + 3 < k1; k += 4) {
    const c0 = offset + k * ld;
    const c1 = c0 + ld;
    const c2 = c1 + ld;
    const c3 = c2 + ld;
    const l0 = a[c0 + j];
    const l1 = a[c1 + j];
    const l2 = a[c2 + j];
    const l3 = a[c3 + j];
    if (l0 === 0 && l1 === 0 && l2 === 0 && l3 === 0) continue;
    for (let i = j; i < n; i++) a[cj + i] -= l0 * a[c0 + i] + l1 * a[c1 + i] + l2 * a[c2 + i] + l3 * a[c3 + i];
  }
  for (; k < k1; k++) {
    const ck = offset + k * ld;
    const l = a[ck + j];
    if (l === 0) continue;
    for (let i = j; i < n; i++) a[cj + i] -= l * a[ck + i];
  }
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
 * // L = [[2, 0], [1, 1]]
 * const l = Float64Array.of(2, 1, 0, 1);
 * const b = Float64Array.of(2, 3);
 * solveLower(l, 2, 2, b);
 * b; // Float64Array [1, 2]
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
 * // L' = [[2, 1], [0, 1]]
 * const l = Float64Array.of(2, 1, 0, 1);
 * const b = Float64Array.of(4, 2);
 * solveLowerTranspose(l, 2, 2, b);
 * b; // Float64Array [1, 2]
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
 * invertLower(l, 2, 2);
 * l; // Float64Array [0.5, -0.5, 0, 1]
 * ```
 */
export function invertLower(l: Float64Array, n: number, ld: number): void {
  // column j of L⁻¹ solves L x = e_j by forward substitution down the columns of L (contiguous
  // in memory): columns k > j still hold L when column j is overwritten by x
  for (let j = 0; j < n; j++) {
    const cj = j * ld;
    const xj = 1 / l[cj + j];
    l[cj + j] = xj;
    for (let i = j + 1; i < n; i++) l[cj + i] = -l[cj + i] * xj;
    for (let k = j + 1; k < n; k++) {
      const ck = k * ld;
      const xk = l[cj + k] / l[ck + k];
      l[cj + k] = xk;
      if (xk === 0) continue;
      for (let i = k + 1; i < n; i++) l[cj + i] -= l[ck + i] * xk;
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
 * symmetrizeLower(a, 2, 2);
 * a; // Float64Array [1, 2, 2, 3]
 * ```
 */
export function symmetrizeLower(a: Float64Array, n: number, ld: number): void {
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) a[j + i * ld] = a[i + j * ld];
}

/**
 * Add X β to a vector: out[i] += Σ_j X[i, j] β_j for the n × p column-major X.
 *
 * @param X - the matrix.
 * @param n - rows.
 * @param p - columns.
 * @param beta - coefficients.
 * @param out - updated in place.
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * addXbeta(Float64Array.of(1, 1, 0, 2), 2, 2, Float64Array.of(3, 4), out);
 * out; // Float64Array [3, 11]
 * ```
 */
export function addXbeta(X: Float64Array, n: number, p: number, beta: ArrayLike<number>, out: Float64Array): void {
  for (let j = 0; j < p; j++) {
    const bj = beta[j];
    if (bj === 0) continue;
    const c = j * n;
    for (let i = 0; i < n; i++) out[i] += X[c + i] * bj;
  }
}

/**
 * Invert a symmetric positive definite matrix (Gauss–Jordan with partial pivoting; small n only).
 *
 * @param a - n × n column-major.
 * @param n - the order.
 * @returns the inverse, or undefined when the matrix is singular.
 * @example
 * ```ts
 * invertSymmetric(Float64Array.of(2, 0, 0, 4), 2); // [0.5, 0, 0, 0.25]
 * ```
 */
export function invertSymmetric(a: Float64Array, n: number): Float64Array | undefined {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i + i * n] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r + c * n]) > Math.abs(m[piv + c * n])) piv = r;
    const pv = m[piv + c * n];
    if (!(Math.abs(pv) > 1e-300)) return undefined;
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        [m[c + j * n], m[piv + j * n]] = [m[piv + j * n], m[c + j * n]];
        [inv[c + j * n], inv[piv + j * n]] = [inv[piv + j * n], inv[c + j * n]];
      }
    }
    for (let j = 0; j < n; j++) {
      m[c + j * n] /= pv;
      inv[c + j * n] /= pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r + c * n];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[r + j * n] -= f * m[c + j * n];
        inv[r + j * n] -= f * inv[c + j * n];
      }
    }
  }
  return inv;
}
