/**
 * The cross-product blocks A = [Z X y]'[Z X y], formed once so that each evaluation of the
 * objective costs nothing that grows with the number of rows.
 *
 * The random-effects terms are split into the first term (the one with most levels after lme4's
 * ordering) and the rest. With the columns ordered [Z₁ | Z_rest X y]:
 *
 * - `A11 = Z₁'Z₁` is block diagonal: one k₁ × k₁ block per level of the first factor;
 * - `A21 = [Z_rest X y]'Z₁` is stored by level of the first factor as a short list of blocks:
 *   the levels of the other factors that co-occur with it (sparse) and the [X y] block (dense);
 * - `A22 = [Z_rest X y]'[Z_rest X y]` is dense (its lower triangle), of order
 *   D = Σ_{t>1} q_t + p + 1.
 *
 * Rows may carry weights (PIRLS): every row of [Z X y] is multiplied by √wᵢ.
 */
import type { ReTerm } from "../terms/re-term.js";

/**
 * The blocks of A that the workspace reads, however they were computed: from the rows
 * ({@link CrossProducts}) or from summary statistics (src/lmm/statistics-cross-products.ts).
 */
export type CrossProductBlocks = Omit<CrossProducts, "fill" | "dense">;

/** Cross-product blocks of one model; see the file comment for the layout. */
export class CrossProducts {
  /** Columns per level of the first term. */
  readonly k1: number;
  /** Levels of the first term. */
  readonly nlev1: number;
  /** Order of the dense trailing block: Q_rest + p + 1. */
  readonly D: number;
  /** Number of random effects in the trailing terms. */
  readonly qRest: number;
  /** Number of fixed-effects columns. */
  readonly p: number;
  /** Start of each trailing term's random effects in the trailing block (index t − 1). */
  readonly restOffset: Int32Array;
  /** Z₁'Z₁ as nlev1 blocks of k1 × k1, column-major. */
  readonly A11: Float64Array;
  /** First block of each level of term 1 in the block list (length nlev1 + 1). */
  readonly colPtr: Int32Array;
  /** Start row (in the trailing block) of each block. */
  readonly blkRow: Int32Array;
  /** Rows of each block: k_t for a random-effects level, p + 1 for [X y]. */
  readonly blkSize: Int32Array;
  /** Term index (≥ 1) of each block, −1 for the [X y] block. */
  readonly blkTerm: Int32Array;
  /** Offset of each block's values (blkSize × k1, column-major); length nblk + 1. */
  readonly valPtr: Int32Array;
  /** Values of A21 block by block. */
  readonly A21: Float64Array;
  /** Lower triangle of A22, D × D column-major. */
  readonly A22: Float64Array;
  /** Σᵢ log wᵢ of the row weights of the last {@link fill} (0 for unit weights). */
  logW = 0;
  /** Rows grouped by level of term 1 (a counting sort). */
  private readonly order: Int32Array;
  /** For each row (in `order`) and trailing term, the index of its block in the block list. */
  private readonly rowBlock: Int32Array;

  /**
   * Work out the sparsity pattern of A for these terms; call {@link fill} to compute values.
   *
   * @param terms - random-effects terms, in fitting order (term 0 has the most levels).
   * @param n - number of rows.
   * @param p - number of fixed-effects columns.
   * @example
   * ```ts
   * const frame = sleepstudyFrame;
   * const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, frame.fixefNames.length);
   * [A.k1, A.nlev1, A.qRest, A.D]; // [2, 18, 0, 3] (one term: no trailing random effects; D = p + 1)
   * A.fill(frame.X, frame.response.y);
   * A.A11.subarray(0, 4); // Float64Array [10, 45, 0, 285] (Z'Z of Subject 308: n, Σ Days; Σ Days²)
   * ```
   */
  constructor(readonly terms: readonly ReTerm[], readonly n: number, p: number) {
    const t1 = terms[0];
    this.k1 = t1.k;
    this.nlev1 = t1.nlev;
    this.p = p;
    const nt = terms.length;
    this.restOffset = new Int32Array(Math.max(nt - 1, 0));
    let q = 0;
    for (let t = 1; t < nt; t++) {
      this.restOffset[t - 1] = q;
      q += terms[t].q;
    }
    this.qRest = q;
    this.D = q + p + 1;
    this.A11 = new Float64Array(this.nlev1 * this.k1 * this.k1);
    this.A22 = new Float64Array(this.D * this.D);

    // Counting sort of the rows by level of term 1.
    const refs1 = t1.frame.group.refs;
    const start = new Int32Array(this.nlev1 + 1);
    for (let i = 0; i < n; i++) start[refs1[i] + 1]++;
    for (let g = 0; g < this.nlev1; g++) start[g + 1] += start[g];
    const fillPos = start.slice(0, this.nlev1);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[fillPos[refs1[i]]++] = i;

    // Symbolic pass: the distinct trailing levels each level of term 1 meets.
    const nrest = nt - 1;
    this.rowBlock = new Int32Array(n * nrest);
    const marker = new Int32Array(q).fill(-1);
    const colPtr = [0];
    const blkRow: number[] = [];
    const blkSize: number[] = [];
    const blkTerm: number[] = [];
    let most = 0;
    for (let g = 0; g < this.nlev1; g++) most = Math.max(most, start[g + 1] - start[g]);
    // the level's distinct trailing rows, as row · nt + t (sorted, they are in row order)
    const buffer = new Int32Array(most * nrest);
    for (let g = 0; g < this.nlev1; g++) {
      let len = 0;
      for (let r = start[g]; r < start[g + 1]; r++) {
        const i = this.order[r];
        for (let t = 1; t < nt; t++) {
          const row = this.restOffset[t - 1] + terms[t].frame.group.refs[i] * terms[t].k;
          if (marker[row] < 0) {
            marker[row] = 0;
            buffer[len++] = row * nt + t;
          }
        }
      }
      if (len > 16) buffer.subarray(0, len).sort();
      else {
        // a few rows (nested factors: one per term): insertion sort, without a view to allocate
        for (let a = 1; a < len; a++) {
          const v = buffer[a];
          let b = a - 1;
          for (; b >= 0 && buffer[b] > v; b--) buffer[b + 1] = buffer[b];
          buffer[b + 1] = v;
        }
      }
      const base = blkRow.length;
      for (let m = 0; m < len; m++) {
        const row = Math.floor(buffer[m] / nt);
        const t = buffer[m] - row * nt;
        marker[row] = base + m;
        blkRow.push(row);
        blkSize.push(terms[t].k);
        blkTerm.push(t);
      }
      for (let r = start[g]; r < start[g + 1]; r++) {
        const i = this.order[r];
        for (let t = 1; t < nt; t++) {
          const row = this.restOffset[t - 1] + terms[t].frame.group.refs[i] * terms[t].k;
          this.rowBlock[r * nrest + t - 1] = marker[row];
        }
      }
      for (let m = 0; m < len; m++) marker[Math.floor(buffer[m] / nt)] = -1;
      blkRow.push(q);
      blkSize.push(p + 1);
      blkTerm.push(-1);
      colPtr.push(blkRow.length);
    }
    this.colPtr = Int32Array.from(colPtr);
    this.blkRow = Int32Array.from(blkRow);
    this.blkSize = Int32Array.from(blkSize);
    this.blkTerm = Int32Array.from(blkTerm);
    this.valPtr = new Int32Array(blkRow.length + 1);
    for (let b = 0; b < blkRow.length; b++) this.valPtr[b + 1] = this.valPtr[b] + blkSize[b] * this.k1;
    this.A21 = new Float64Array(this.valPtr[blkRow.length]);
    this.rowStart = start;
  }

  /** First row (in `order`) of each level of term 1. */
  private readonly rowStart: Int32Array;

  /**
   * Compute the values of A from X, the response and optional row weights.
   *
   * @param X - n × p fixed-effects matrix, column-major.
   * @param y - the response (or PIRLS working response), length n.
   * @param sqrtw - √ of the row weights, or undefined for unit weights.
   * @param withLogW - whether to compute {@link logW} (n logarithms; PIRLS, whose weights change
   *   every iteration and do not enter its objective through logW, skips it).
   * @param signs - ±1 per row, or undefined: row i then enters A with the weight signsᵢ·sqrtwᵢ²,
   *   an indefinite weighted cross product (the observed information of a Laplace
   *   approximation, negative on some rows).
   * @example
   * ```ts
   * const frame = sleepstudyFrame;
   * const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, 2);
   * A.fill(frame.X, frame.response.y);
   * A.A22[A.D * A.D - 1]; // 16607207.3191 (Σ yᵢ²)
   * ```
   */
  fill(X: Float64Array, y: Float64Array, sqrtw?: Float64Array, withLogW = true, signs?: Float64Array): void {
    const { terms, n, p, k1, D, A11, A21, A22 } = this;
    const nt = terms.length;
    const nrest = nt - 1;
    let logW = 0;
    if (sqrtw && withLogW) for (let i = 0; i < n; i++) logW += 2 * Math.log(sqrtw[i]);
    this.logW = logW;
    A11.fill(0);
    A21.fill(0);
    A22.fill(0);
    if (nt === 1 && k1 === 1 && !signs) {
      this.fillScalar(X, y, sqrtw);
      return;
    }
    const z1 = terms[0].frame.z;
    // v holds one row's trailing values: [z_t for t ≥ 2 …, x, y] (x without its zeros); pos holds their rows in A22.
    let width = p + 1;
    for (let t = 1; t < nt; t++) width += terms[t].k;
    const v = new Float64Array(width);
    const pos = new Int32Array(width);
    const zr = new Float64Array(k1);
    // zr times the row's sign (the same array when there are no signs)
    const zg = signs ? new Float64Array(k1) : zr;
    for (let g = 0; g < this.nlev1; g++) {
      const a11 = g * k1 * k1;
      const xyBlock = this.colPtr[g + 1] - 1;
      const xyOff = this.valPtr[xyBlock];
      for (let r = this.rowStart[g]; r < this.rowStart[g + 1]; r++) {
        const i = this.order[r];
        const s = sqrtw ? sqrtw[i] : 1;
        for (let c = 0; c < k1; c++) zr[c] = z1[i + c * n] * s;
        const sign = signs ? signs[i] : 1;
        if (signs) for (let c = 0; c < k1; c++) zg[c] = zr[c] * sign;
        // A11 block of level g
        for (let c = 0; c < k1; c++) for (let d = c; d < k1; d++) A11[a11 + d + c * k1] += zr[d] * zg[c];
        // trailing values of this row
        let m = 0;
        for (let t = 1; t < nt; t++) {
          const term = terms[t];
          const kt = term.k;
          const row0 = this.restOffset[t - 1] + term.frame.group.refs[i] * kt;
          const blk = this.rowBlock[r * nrest + t - 1];
          const off = this.valPtr[blk];
          for (let j = 0; j < kt; j++) {
            const val = term.frame.z[i + j * n] * s;
            v[m] = val;
            pos[m++] = row0 + j;
            for (let c = 0; c < k1; c++) A21[off + j + c * kt] += val * zg[c];
          }
        }
        // X's zeros are left out of v (the dummies of factors: InstEval's rows have 4 of 28)
        for (let j = 0; j < p; j++) {
          const val = X[i + j * n] * s;
          if (val === 0) continue;
          v[m] = val;
          pos[m++] = this.qRest + j;
          for (let c = 0; c < k1; c++) A21[xyOff + j + c * (p + 1)] += val * zg[c];
        }
        const yv = y[i] * s;
        v[m] = yv;
        pos[m++] = D - 1;
        for (let c = 0; c < k1; c++) A21[xyOff + p + c * (p + 1)] += yv * zg[c];
        // lower triangle of A22 (positions increase along v, so pos[b] ≥ pos[a] for b ≥ a)
        for (let a = 0; a < m; a++) {
          const va = v[a] * sign;
          if (va === 0) continue;
          const col = pos[a] * D;
          for (let b = a; b < m; b++) A22[col + pos[b]] += v[b] * va;
        }
      }
    }
  }

  /**
   * {@link fill} for one scalar random-effects term (a random intercept, or one slope without
   * it), the common GLMM, whose PIRLS refills A every iteration. A11 and A21 are one value per
   * level, summed over each run of rows of one level (the rows of a group usually sit together)
   * and added to the level when the run ends. The sums of the z and y columns are locals, as
   * is Σ (y√w)²: the u-only PIRLS (no X) then keeps no running sum in memory.
   */
  private fillScalar(X: Float64Array, y: Float64Array, sqrtw: Float64Array | undefined): void {
    const { n, p, D, A11, A21, A22, colPtr, valPtr } = this;
    const refs = this.terms[0].frame.group.refs;
    const z = this.terms[0].frame.z;
    // one row's X·√w, and the run's Σ X·√w · z√w
    const v = new Float64Array(p);
    const run = new Float64Array(p);
    let level = refs[0];
    let zz = 0;
    let zy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const s = sqrtw ? sqrtw[i] : 1;
      const g = refs[i];
      if (g !== level) {
        const off = valPtr[colPtr[level]];
        A11[level] += zz;
        A21[off + p] += zy;
        for (let a = 0; a < p; a++) {
          A21[off + a] += run[a];
          run[a] = 0;
        }
        zz = 0;
        zy = 0;
        level = g;
      }
      const zs = z[i] * s;
      const ys = y[i] * s;
      zz += zs * zs;
      zy += ys * zs;
      yy += ys * ys;
      for (let a = 0; a < p; a++) {
        const va = X[i + a * n] * s;
        v[a] = va;
        run[a] += va * zs;
      }
      // the lower triangle of [X y]'[X y] but its last entry (yy)
      for (let a = 0; a < p; a++) {
        const va = v[a];
        if (va === 0) continue;
        const col = a * D;
        for (let b = a; b < p; b++) A22[col + b] += v[b] * va;
        A22[col + p] += ys * va;
      }
    }
    if (n > 0) {
      const off = valPtr[colPtr[level]];
      A11[level] += zz;
      A21[off + p] += zy;
      for (let a = 0; a < p; a++) A21[off + a] += run[a];
    }
    A22[D * D - 1] = yy;
  }

  /**
   * The blocks of A as dense matrices: C = Z'Z (q × q), Z'X (q × p) and X'X (p × p), all
   * column-major with the random effects in fitted order (Kenward-Roger's products need them whole).
   *
   * @returns new arrays.
   * @example
   * ```ts
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, 180, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const { q, C, ZX, XX } = A.dense();
   * [q, C.length, ZX.length]; // [36, 1296, 72] (C is 36 × 36, ZX 36 × 2)
   * XX; // Float64Array [180, 810, 810, 5130] (X'X: n, Σ Days; Σ Days, Σ Days²)
   * ```
   */
  dense(): { q: number; C: Float64Array; ZX: Float64Array; XX: Float64Array } {
    return denseCrossProducts(this);
  }

}

/**
 * Z'Z, Z'X and X'X as dense matrices from the blocks of A (for {@link CrossProducts.dense} and
 * for cross products formed from summary statistics).
 *
 * @param A - the blocks.
 * @returns new arrays, column-major, random effects in fitted order.
 * @example
 * ```ts
 * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
 * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
 * denseCrossProducts(A).XX[0]; // 180
 * ```
 */
export function denseCrossProducts(A: CrossProductBlocks): { q: number; C: Float64Array; ZX: Float64Array; XX: Float64Array } {
  const { k1, nlev1, p, D, qRest, A11, A21, A22 } = A;
  const q1 = nlev1 * k1;
  const q = q1 + qRest;
  const C = new Float64Array(q * q);
  const ZX = new Float64Array(q * p);
  const XX = new Float64Array(p * p);
  // trailing block (lower triangle of A22): rows/cols < qRest are random effects, then X, then y
  const a22 = (i: number, j: number): number => (i >= j ? A22[i + j * D] : A22[j + i * D]);
  for (let j = 0; j < qRest; j++) for (let i = 0; i < qRest; i++) C[q1 + i + (q1 + j) * q] = a22(i, j);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < qRest; i++) ZX[q1 + i + j * q] = a22(qRest + j, i);
    for (let i = 0; i < p; i++) XX[i + j * p] = a22(qRest + i, qRest + j);
  }
  for (let g = 0; g < nlev1; g++) {
    // A11 block of level g (lower triangle stored)
    for (let c = 0; c < k1; c++) {
      for (let d = c; d < k1; d++) {
        const v = A11[g * k1 * k1 + d + c * k1];
        C[g * k1 + d + (g * k1 + c) * q] = v;
        C[g * k1 + c + (g * k1 + d) * q] = v;
      }
    }
    // A21 blocks of level g: rows of the trailing block times the level's k1 columns
    for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) {
      const size = A.blkSize[b];
      const row0 = A.blkRow[b];
      const off = A.valPtr[b];
      for (let c = 0; c < k1; c++) {
        const col = g * k1 + c;
        for (let j = 0; j < size; j++) {
          const v = A21[off + j + c * size];
          const row = row0 + j;
          if (row < qRest) {
            C[q1 + row + col * q] = v;
            C[col + (q1 + row) * q] = v;
          } else if (row < qRest + p) ZX[col + (row - qRest) * q] = v;
        }
      }
    }
  }
  return { q, C, ZX, XX };
}
