/**
 * The sparsity pattern of the trailing Cholesky factor L22 (the random-effects terms after the
 * first, then X and y), found once per model by symbolic factorisation.
 *
 * The trailing matrix T = Λ'A22Λ + I − L21 L21' has a non-zero (i, j) only where levels i and j
 * co-occur with one level of the first term (or in one row), and the [X y] rows are dense. The
 * pattern of L follows from T's by the elimination tree: the pattern of column j is T's column j
 * joined with the patterns of the columns whose parent is j (their first sub-diagonal non-zero).
 * Nested grouping factors keep it sparse: a level of an inner factor meets one level of each
 * outer factor. Crossed factors fill it in, and then the dense kernel is used instead.
 */
import type { CrossProductBlocks } from "./cross-products.js";

/** Column and row structure of the lower-triangular factor, in a dense D × D array's indices. */
export interface TrailingPattern {
  /** Start of each column's rows in `rows` (length D + 1). */
  readonly colPtr: Int32Array;
  /** Rows i ≥ j of column j, ascending (the diagonal first). */
  readonly rows: Int32Array;
  /** Start of each row's columns in `cols` (length D + 1). */
  readonly rowPtr: Int32Array;
  /** Columns k < j with L[j, k] in the pattern, ascending. */
  readonly cols: Int32Array;
  /** For each entry of `cols`: the position of row j in column k's slice of `rows`. */
  readonly pos: Int32Array;
  /** Entries of L that are zero in T (the fill-in): 0 when no order can do better. */
  readonly fill: number;
}

/**
 * Symbolic factorisation of the trailing block, or undefined when the block is large (D > 64) and the factor would be dense
 * enough (over a quarter of the lower triangle) that the dense kernel is faster.
 *
 * @param A - the model's cross-product blocks.
 * @param position - optionally, a reordering of the random-effects rows of the trailing block:
 *   `position[r]` is where row r goes (the [X y] rows stay last); the pattern is then that of
 *   the reordered block.
 * @returns the pattern, or undefined.
 * @example
 * ```ts
 * import { CrossProducts } from "./cross-products.js";
 * // strength ~ 1 + (1 | batch/cask): batch is the trailing term, nested factors give a sparse factor
 * const frame = pastesFit.frame;
 * const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, 1);
 * A.fill(frame.X, frame.response.y);
 * A.D; // 12 (10 batches, then X and y)
 * trailingPattern(A)?.rows.length; // 33 (of the 78 entries of the lower triangle)
 * trailingPattern(A)?.fill; // 0 (nested factors: L is non-zero only where the block is)
 * ```
 */
export function trailingPattern(A: CrossProductBlocks, position?: Int32Array): TrailingPattern | undefined {
  const D = A.D;
  const lower: number[][] = Array.from({ length: D }, () => []);
  const marker = new Int32Array(D).fill(-1);
  const rowsOfLevel: number[] = [];
  for (let g = 0; g < A.nlev1; g++) {
    rowsOfLevel.length = 0;
    for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) {
      // the [X y] rows are added to every column below
      for (let i = 0; i < A.blkSize[b]; i++) {
        const r = A.blkRow[b] + i;
        if (r < A.qRest) rowsOfLevel.push(position ? position[r] : r);
      }
    }
    rowsOfLevel.sort((x, y) => x - y);
    for (let a = 0; a < rowsOfLevel.length; a++) {
      const j = rowsOfLevel[a];
      for (let b = a + 1; b < rowsOfLevel.length; b++) lower[j].push(rowsOfLevel[b]);
    }
  }
  // the [X y] rows meet every column
  for (let j = 0; j < D; j++) for (let i = Math.max(j + 1, A.qRest); i < D; i++) lower[j].push(i);

  // the rows of each column, column after column: column j's at colPtr[j]..colPtr[j + 1]
  const colPtr = new Int32Array(D + 1);
  const all: number[] = [];
  const children: number[][] = Array.from({ length: D }, () => []);
  let fill = 0;
  const budget = 0.25 * (D * (D + 1)) / 2;
  const acc: number[] = [];
  const add = (i: number, j: number): void => {
    if (i > j && marker[i] !== j) {
      marker[i] = j;
      acc.push(i);
    }
  };
  for (let j = 0; j < D; j++) {
    acc.length = 0;
    marker[j] = j;
    acc.push(j);
    for (const i of lower[j]) add(i, j);
    fill -= acc.length;
    for (const c of children[j]) for (let m = colPtr[c]; m < colPtr[c + 1]; m++) add(all[m], j);
    fill += acc.length;
    acc.sort((x, y) => x - y);
    for (const i of acc) all.push(i);
    colPtr[j + 1] = all.length;
    if (all.length > budget && D > 64) return undefined;
    if (acc.length > 1) children[acc[1]].push(j);
  }
  const rows = Int32Array.from(all);
  // transpose: for each row j, the columns k < j holding it
  const rowCount = new Int32Array(D + 1);
  for (let k = 0; k < D; k++) for (let m = colPtr[k] + 1; m < colPtr[k + 1]; m++) rowCount[rows[m] + 1]++;
  const rowPtr = new Int32Array(D + 1);
  for (let j = 0; j < D; j++) rowPtr[j + 1] = rowPtr[j] + rowCount[j + 1];
  const fillAt = rowPtr.slice(0, D);
  const cols = new Int32Array(rowPtr[D]);
  const pos = new Int32Array(rowPtr[D]);
  for (let k = 0; k < D; k++) {
    for (let m = colPtr[k] + 1; m < colPtr[k + 1]; m++) {
      const j = rows[m];
      cols[fillAt[j]] = k;
      pos[fillAt[j]++] = m;
    }
  }
  return { colPtr, rows, rowPtr, cols, pos, fill };
}

/**
 * Sparse Cholesky of the trailing block on packed values: `val[m]` is the entry at row
 * `rows[m]` of its column (the pattern's order), T on entry and L on exit. Left-looking, column
 * j gathers into a dense accumulator w (length D),
 *
 *     w = T[:, j];  w −= L[j, k] L[:, k] for each k < j with L[j, k] in the pattern;
 *     L[j, j] = √w_j,  L[i, j] = w_i / L[j, j],
 *
 * so every column it reads is contiguous (working in the dense D × D storage would stride over
 * it and miss the cache once D is a thousand or more). The rows of column k below j are a
 * subset of column j's (the pattern is closed under elimination), so w needs no clearing.
 *
 * @param val - packed values, length `rows.length`.
 * @param s - the pattern.
 * @param w - work, length D.
 * @returns -1 on success, or the first column whose pivot was not positive.
 * @example
 * ```ts
 * // T = [[4, 2], [2, 3]] with the full pattern of a 2 × 2 factor
 * const pattern = { colPtr: Int32Array.of(0, 2, 3), rows: Int32Array.of(0, 1, 1), rowPtr: Int32Array.of(0, 0, 1), cols: Int32Array.of(0), pos: Int32Array.of(1), fill: 0 };
 * const val = Float64Array.of(4, 2, 3);
 * sparseCholeskyPacked(val, pattern, new Float64Array(2)); // -1
 * val; // Float64Array [2, 1, 1.4142136]
 * ```
 */
export function sparseCholeskyPacked(val: Float64Array, s: TrailingPattern, w: Float64Array): number {
  const { colPtr, rows, rowPtr, cols, pos } = s;
  const D = colPtr.length - 1;
  for (let j = 0; j < D; j++) {
    const c0 = colPtr[j];
    const c1 = colPtr[j + 1];
    for (let m = c0; m < c1; m++) w[rows[m]] = val[m];
    for (let m = rowPtr[j]; m < rowPtr[j + 1]; m++) {
      const p0 = pos[m];
      const ljk = val[p0];
      if (ljk === 0) continue;
      const end = colPtr[cols[m] + 1];
      for (let r = p0; r < end; r++) w[rows[r]] -= ljk * val[r];
    }
    const d = w[j];
    if (!(d > 0)) return j;
    const sq = Math.sqrt(d);
    val[c0] = sq;
    const inv = 1 / sq;
    for (let m = c0 + 1; m < c1; m++) val[m] = w[rows[m]] * inv;
  }
  return -1;
}

/**
 * Solve L' x = b in place for the leading n columns of the trailing factor, over its pattern.
 *
 * @param a - the factor (dense storage, leading dimension D).
 * @param D - leading dimension.
 * @param s - the pattern.
 * @param n - number of leading columns (rows of L beyond n are ignored).
 * @param b - right-hand side, overwritten; element i at b[bOff + i].
 * @param bOff - offset of b's first element.
 * @example
 * ```ts
 * // L = [[2, 0], [1, 1]] with its full pattern; solve L' x = [4, 2]
 * const pattern = { colPtr: Int32Array.of(0, 2, 3), rows: Int32Array.of(0, 1, 1), rowPtr: Int32Array.of(0, 0, 1), cols: Int32Array.of(0), pos: Int32Array.of(1), fill: 0 };
 * const b = Float64Array.of(4, 2);
 * sparseSolveLowerTranspose(Float64Array.of(2, 1, 0, 1), 2, pattern, 2, b, 0);
 * b; // Float64Array [1, 2]
 * ```
 */
export function sparseSolveLowerTranspose(a: Float64Array, D: number, s: TrailingPattern, n: number, b: Float64Array, bOff: number): void {
  const { colPtr, rows } = s;
  for (let j = n - 1; j >= 0; j--) {
    const cj = j * D;
    let v = b[bOff + j];
    for (let r = colPtr[j] + 1; r < colPtr[j + 1]; r++) {
      const i = rows[r];
      if (i >= n) break;
      v -= a[cj + i] * b[bOff + i];
    }
    b[bOff + j] = v / a[cj + j];
  }
}

/**
 * The entries of M⁻¹ = L⁻ᵀL⁻¹ on the pattern of L (a selected inverse), for the leading n × n
 * block of the trailing factor, by Takahashi's recurrence (Takahashi, Fagan and Chen 1973; Erisman
 * and Tinney 1975): from Z L = L⁻ᵀ, for j from n − 1 down to 0 and rows i ≥ j of column j,
 *
 *     Z[i, j] = (δ_ij / L[j, j] − Σ_{k > j, k ∈ P(j)} Z[i, k] L[k, j]) / L[j, j]
 *
 * where P(j) is column j's pattern; every Z[i, k] it needs lies on the pattern (the rows of a
 * column form a clique of the filled graph). The cost is that of the factorisation, where the
 * whole inverse of a sparse L costs O(n³).
 *
 * @param a - the factor (dense storage, leading dimension D), as the workspace leaves it.
 * @param D - leading dimension of `a`.
 * @param s - the pattern.
 * @param n - the order of the leading block (rows of L beyond n are ignored).
 * @param z - output, n × n column-major: Z[i, j] for i ≥ j on the pattern (other entries untouched).
 * @example
 * ```ts
 * // L = [[2, 0], [1, 1]] with its full pattern: M = LLᵀ = [[4, 2], [2, 2]], M⁻¹ = [[0.5, -0.5], [-0.5, 1]]
 * const pattern = { colPtr: Int32Array.of(0, 2, 3), rows: Int32Array.of(0, 1, 1), rowPtr: Int32Array.of(0, 0, 1), cols: Int32Array.of(0), pos: Int32Array.of(1), fill: 0 };
 * const z = new Float64Array(4);
 * selectedInverse(Float64Array.of(2, 1, 0, 1), 2, pattern, 2, z);
 * z; // Float64Array [0.5, -0.5, 0, 1]
 * ```
 */
export function selectedInverse(a: Float64Array, D: number, s: TrailingPattern, n: number, z: Float64Array): void {
  const { colPtr, rows } = s;
  for (let j = n - 1; j >= 0; j--) {
    const cj = j * D;
    const ljj = a[cj + j];
    let end = colPtr[j] + 1;
    while (end < colPtr[j + 1] && rows[end] < n) end++;
    // off-diagonal rows i > j of column j, then the diagonal
    for (let r = colPtr[j] + 1; r < end; r++) {
      const i = rows[r];
      let sum = 0;
      for (let q = colPtr[j] + 1; q < end; q++) {
        const k = rows[q];
        sum += (i >= k ? z[i + k * n] : z[k + i * n]) * a[cj + k];
      }
      z[i + j * n] = -sum / ljj;
    }
    let sum = 0;
    for (let q = colPtr[j] + 1; q < end; q++) sum += z[rows[q] + j * n] * a[cj + rows[q]];
    z[j + j * n] = (1 / ljj - sum) / ljj;
  }
}
