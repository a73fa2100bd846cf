/**
 * Aliased columns of a model matrix: those that are (numerically) linear combinations of the
 * columns before them, found as R's `qr(X, tol = 1e-7)` finds them (LINPACK `dqrdc2`, which
 * lme4 uses to drop columns of a rank-deficient X).
 *
 * Householder QR with limited pivoting: columns are processed left to right; a column whose
 * norm orthogonal to the columns already accepted, ||(I - P) x_j||, has fallen below
 * tol · ||x_j|| is moved to the end and counted as aliased. The rank is the number accepted.
 */

/**
 * Indices of the aliased columns of a column-major n × p matrix.
 *
 * @param X - the matrix, column-major (not modified).
 * @param n - rows.
 * @param p - columns.
 * @param tol - relative tolerance (R's default for `qr` is 1e-7).
 * @returns the 0-based indices of the dropped columns, in increasing order.
 * @example
 * ```ts
 * // columns 1, x, 2x
 * aliasedColumns(Float64Array.of(1, 1, 1, 1, 2, 3, 2, 4, 6), 3, 3); // [2]
 * ```
 */
export function aliasedColumns(X: Float64Array, n: number, p: number, tol = 1e-7): number[] {
  const A = Float64Array.from(X);
  const original = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[j * n + i] * A[j * n + i];
    original[j] = Math.sqrt(s) || 1;
  }
  const aliased: number[] = [];
  let rank = 0; // accepted columns so far = next Householder row
  for (let j = 0; j < p; j++) {
    if (rank >= n) {
      aliased.push(j);
      continue;
    }
    const v = A.subarray(j * n + rank, (j + 1) * n);
    const m = v.length;
    let s = 0;
    for (let i = 0; i < m; i++) s += v[i] * v[i];
    const norm = Math.sqrt(s);
    if (norm < tol * original[j]) {
      aliased.push(j);
      continue;
    }
    // Householder reflector v = x + sign(x_r) ||x|| e_r on rows rank..n-1, applied to later columns.
    const alpha = v[0] >= 0 ? -norm : norm;
    v[0] -= alpha;
    let vnorm2 = 0;
    for (let i = 0; i < m; i++) vnorm2 += v[i] * v[i];
    if (vnorm2 > 0) {
      for (let k = j + 1; k < p; k++) {
        const w = A.subarray(k * n + rank, (k + 1) * n);
        let dot = 0;
        for (let i = 0; i < m; i++) dot += v[i] * w[i];
        const f = (2 * dot) / vnorm2;
        for (let i = 0; i < m; i++) w[i] -= f * v[i];
      }
    }
    rank++;
  }
  return aliased;
}
