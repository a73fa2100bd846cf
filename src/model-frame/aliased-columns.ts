/**
 * Aliased columns of a model matrix: those that are (numerically) linear combinations of the
 * columns before them, found as R's `qr(X, tol = 1e-7)` finds them (LINPACK `dqrdc2`, which
 * lme4 uses to drop columns of a rank-deficient X).
 *
 * Householder QR with limited pivoting: columns are processed left to right; a column whose
 * norm orthogonal to the columns already accepted, ||(I - P) x_j||, has fallen below
 * tol · ||x_j|| is moved to the end and counted as aliased. The rank is the number accepted.
 */

import { axpy, dot } from "../linalg/small.js";

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
  // a matrix of factor codes repeats its rows: the QR of its distinct rows, each scaled by the
  // square root of its count, has the same R (the same cross product X'X), so the same decisions;
  // finding them costs about as much as the QR of a few columns, so only wider X look for them
  const distinct = n > 64 && p > 4 ? weightedDistinctRows(X, n, p, n >>> 2) : undefined;
  return distinct ? limitedPivotingQr(distinct.rows, distinct.n, p, tol) : limitedPivotingQr(X.slice(), n, p, tol);
}

/** The aliased columns by Householder QR with limited pivoting of A (n × p, overwritten). */
function limitedPivotingQr(A: Float64Array, n: number, p: number, tol: number): number[] {
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
    // the column's rows rank..n-1, at A[v0 + i] for i < m (offsets, not subarray views: a view
    // costs an allocation, several per column)
    const v0 = j * n + rank;
    const m = n - rank;
    const norm = Math.sqrt(dot(A, v0, A, v0, m));
    if (norm < tol * original[j]) {
      aliased.push(j);
      continue;
    }
    // Householder reflector v = x + sign(x_r) ||x|| e_r on rows rank..n-1, applied to later columns.
    const alpha = A[v0] >= 0 ? -norm : norm;
    A[v0] -= alpha;
    const vnorm2 = dot(A, v0, A, v0, m);
    if (vnorm2 > 0) {
      for (let k = j + 1; k < p; k++) {
        const w0 = k * n + rank;
        axpy((-2 * dot(A, v0, A, w0, m)) / vnorm2, A, v0, A, w0, m);
      }
    }
    rank++;
  }
  return aliased;
}

/**
 * The distinct rows of a column-major n × p matrix, each multiplied by √(its count), so that
 * their cross product is X'X; undefined when there are more than `most` of them.
 *
 * @example
 * ```ts
 * // rows (1, 0), (1, 0), (1, 1): (√2, 0) and (1, 1)
 * weightedDistinctRows(Float64Array.of(1, 1, 1, 0, 0, 1), 3, 2, 2)?.rows; // Float64Array [1.4142136, 1, 0, 1]
 * ```
 */
export function weightedDistinctRows(X: Float64Array, n: number, p: number, most: number): { rows: Float64Array; n: number } | undefined {
  const bits = new Uint32Array(X.buffer, X.byteOffset, 2 * n * p);
  // FNV-1a of each row's bits, column by column (X is read in its order)
  const hash = new Uint32Array(n).fill(0x811c9dc5);
  for (let j = 0; j < p; j++) {
    for (let i = 0, w = 2 * j * n; i < n; i++, w += 2) hash[i] = Math.imul(Math.imul(hash[i] ^ bits[w], 0x01000193) ^ bits[w + 1], 0x01000193);
  }
  const size = 2 ** Math.ceil(Math.log2(4 * most + 4));
  const slot = new Int32Array(size).fill(-1); // the first row of each distinct row, by hash
  const first: number[] = [];
  const count: number[] = [];
  const same = (a: number, b: number): boolean => {
    if (hash[a] !== hash[b]) return false;
    for (let j = 0; j < p; j++) if (X[a + j * n] !== X[b + j * n]) return false;
    return true;
  };
  for (let i = 0; i < n; i++) {
    // the multiplications carry a word's bits only upwards, and a double's information is in its
    // high bits (an integer's low word is 0): mix the high bits down before taking the slot
    let h = hash[i];
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    let s = (h ^ (h >>> 16)) & (size - 1);
    while (slot[s] >= 0 && !same(first[slot[s]], i)) s = (s + 1) & (size - 1);
    if (slot[s] >= 0) {
      count[slot[s]]++;
      continue;
    }
    if (first.length === most) return undefined;
    slot[s] = first.length;
    first.push(i);
    count.push(1);
  }
  const d = first.length;
  const rows = new Float64Array(d * p);
  for (let k = 0; k < d; k++) {
    const w = Math.sqrt(count[k]);
    for (let j = 0; j < p; j++) rows[k + j * d] = X[first[k] + j * n] * w;
  }
  return { rows, n: d };
}
