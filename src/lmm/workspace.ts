/**
 * The LMM workspace: owns A, Λ(θ) and the blocked Cholesky factor L(θ), and evaluates the
 * profiled deviance or REML criterion (Bates, Mächler, Bolker and Walker 2015, JSS 67(1),
 * sections 3.1–3.6).
 *
 * L is the lower Cholesky factor of
 *
 *     [ Λ'Z'ZΛ + I   Λ'Z'X   Λ'Z'y ]
 *     [ X'ZΛ         X'X     X'y   ]
 *     [ y'ZΛ         y'X     y'y   ]
 *
 * so that its diagonal blocks give log|L_θ|², log|R_X|² and the penalised residual sum of
 * squares r²_θ (the square of L's last diagonal element). Then
 *
 *     −2 ℓ(θ)    = log|L_θ|² + n (1 + log(2π r²_θ / n))                          (ML)
 *     −2 ℓ_R(θ)  = log|L_θ|² + log|R_X|² + (n − p)(1 + log(2π r²_θ / (n − p)))  (REML)
 *
 * With prior weights wᵢ (residual variance σ²/wᵢ) the rows of [Z X y] are scaled by √wᵢ and
 * both criteria gain −Σᵢ log wᵢ.
 *
 * L has three parts, matching A's (see cross-products.ts): L11, block diagonal, one k₁ × k₁
 * block per level of the first term; L21 with A21's sparsity; and the dense lower-triangular
 * factor of the trailing block (the other terms, then X, then y).
 */
import { cholesky, invertLower, solveLower, solveLowerTranspose } from "../linalg/dense.js";
import { inverseFromCholesky } from "../linalg/least-squares.js";
import type { CrossProductBlocks, CrossProducts } from "./cross-products.js";
import { choleskySimd, simdMatrix, type SimdMatrix } from "../linalg/simd-cholesky.js";
import { minimumDegreeOrder } from "./minimum-degree.js";
import { selectedInverse, sparseCholeskyPacked, sparseSolveLowerTranspose, trailingPattern, type TrailingPattern } from "./trailing-pattern.js";
import type { ReTerm } from "../terms/re-term.js";

/** The trailing block's downdate summed by class of A11 (see LmmWorkspace.classDowndate). */
interface ClassDowndate {
  /** The distinct values a_c of A11. */
  readonly values: Float64Array;
  /** A22 on the pattern. */
  readonly a22: Float64Array;
  /** −Q_c on the pattern, class after class. */
  readonly minusQ: Float64Array;
}

/**
 * The level-by-level downdate of a dense trailing block whose random-effects rows are in a
 * fill-reducing order (see LmmWorkspace.orderDense).
 */
interface OrderedDowndate {
  /** A22 in the new order, lower triangle, D × D. */
  readonly a22: Float64Array;
  /** The ends of the runs of rows in the new order that share a row scale (a term's rows, then the [X y] rows): the last is D. */
  readonly runEnd: Int32Array;
  /** Each level's random-effects entries sorted by place: their positions in A21 / L21. */
  readonly at: Int32Array;
  /** The place of each entry of `at`. */
  readonly place: Int32Array;
  /** Start of each level's entries in `at` (length nlev1 + 1). */
  readonly levelStart: Int32Array;
  /** Start of each place's entries in `entry` and `level` (length qRest + 1). */
  readonly placeStart: Int32Array;
  /** By place: the index in `at` of each entry at that place. */
  readonly entry: Int32Array;
  /** The level of each entry of `entry`. */
  readonly level: Int32Array;
  /** L21 gathered in `at`'s order (filled at each evaluation). */
  readonly v: Float64Array;
  /** The products with the [X y] rows by place, qRest × (p + 1) row by row (filled at each evaluation). */
  readonly xy: Float64Array;
  /** Start of each level's non-zero [X y] values in xi and xv (length nlev1 + 1; filled at each evaluation). */
  readonly xStart: Int32Array;
  /** The column in [X y] of each non-zero value (filled at each evaluation). */
  readonly xi: Int32Array;
  /** Each level's non-zero [X y] values of L21 (filled at each evaluation). */
  readonly xv: Float64Array;
}

/** Mutable state of a linear mixed model evaluation; internal to the fitting code. */
export class LmmWorkspace<T extends CrossProductBlocks = CrossProducts> {
  /** Λ_t of each term (k_t × k_t, column-major). */
  readonly lambda: Float64Array[];
  /** L11: nlev1 blocks of k1 × k1. */
  readonly L11: Float64Array;
  /** L21 values, laid out as A21. */
  readonly L21: Float64Array;
  /** Dense trailing factor, D × D. */
  readonly L22: Float64Array;
  /** Number of θ elements. */
  readonly ntheta: number;
  private readonly buf: Float64Array;
  /** Row scales of the trailing block when all trailing terms are scalar (else undefined). */
  private readonly scale: Float64Array | undefined;
  /** For a scalar first term: the trailing row of each A21 / L21 value. */
  private readonly entryRow: Int32Array;
  /** For a scalar first term: start of each trailing row's entries in entryAt (length D + 1). */
  private readonly entryStart: Int32Array;
  /** For a scalar first term: the A21 / L21 positions whose trailing row is j, by row. */
  private readonly entryAt: Int32Array;
  /** For each entry of entryAt: the end of its level's entries. */
  private readonly entryEnd: Int32Array;
  /** L22 in WebAssembly memory with the SIMD Cholesky kernel, for large dense trailing blocks. */
  private readonly simd: SimdMatrix | undefined;
  /** Sparsity pattern of L22 when it is sparse (nested factors), else undefined (dense kernel). */
  private pattern: TrailingPattern | undefined;
  /**
   * With a pattern: L22's pattern entries packed column by column (the factorisation works here,
   * then fills L22). With the class sums on a dense block: T's entries i ≥ j, column by column.
   */
  private packed: Float64Array;
  /** With a pattern: the dense accumulator of the packed Cholesky (length D). */
  private readonly work: Float64Array;
  /**
   * After fixA, when a minimum-degree order of the trailing random-effects rows makes the factor
   * sparser: the row of the model's order at each place of the new one. L22 and the pattern are
   * then those of the reordered block; u and condVarU put the rows back.
   */
  private original: Int32Array | undefined;
  /** With a reordering: the row scales in the new order. */
  private orderedScale: Float64Array | undefined;
  /**
   * With a pattern, all trailing terms scalar and a scalar first term: for each product
   * L21[a] L21[b] of the downdate between random-effects rows, in updateL's order, its position
   * in `packed`.
   */
  private pairPos: Int32Array | null | undefined; // undefined until first needed, null where too many
  /** After fixA, with few distinct A11 values: the downdate summed by class (see classDowndate). */
  private byClass: ClassDowndate | undefined;
  /** After fixA, on a dense block with many A11 values: the reordered downdate (see orderDense). */
  private ordered: OrderedDowndate | undefined;

  /**
   * @param A - the model's cross-product blocks (already filled).
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.objective(sleepstudyFit.theta, true); // 1743.628 (lme4: REMLcrit(fm1))
   * ```
   */
  constructor(
    readonly A: T,
    /** Use the dense kernel for the trailing block even where it is sparse (for tests). */
    dense = false,
    /** Allow the WebAssembly SIMD kernel for a large dense trailing block (false for tests). */
    simd = true,
  ) {
    this.lambda = A.terms.map((t) => new Float64Array(t.k * t.k));
    this.ntheta = A.terms.reduce((s, t) => s + t.ntheta, 0);
    this.L11 = new Float64Array(A.A11.length);
    this.L21 = new Float64Array(A.A21.length);
    // a pattern without zeros is factored by the dense kernel; with one term the block is the
    // [X y] rows alone, dense, and its pattern is not worked out
    const pattern = dense || A.qRest === 0 ? undefined : trailingPattern(A);
    this.pattern = pattern && 2 * pattern.rows.length < A.D * (A.D + 1) ? pattern : undefined;
    // a large dense trailing block (crossed factors) is factored by the WebAssembly SIMD kernel
    this.simd = simd && !this.pattern && A.D >= 128 ? simdMatrix(A.D) : undefined;
    this.L22 = this.simd ? this.simd.a : new Float64Array(A.A22.length);
    let maxBlock = A.p + 1;
    for (const t of A.terms) maxBlock = Math.max(maxBlock, t.k);
    this.buf = new Float64Array(Math.max(maxBlock * A.k1, maxBlock * maxBlock));
    this.scale = A.terms.slice(1).every((t) => t.k === 1) ? new Float64Array(A.D).fill(1) : undefined;
    this.entryRow = new Int32Array(A.k1 === 1 ? A.A21.length : 0);
    if (A.k1 === 1) for (let b = 0; b < A.blkRow.length; b++) for (let i = 0; i < A.blkSize[b]; i++) this.entryRow[A.valPtr[b] + i] = A.blkRow[b] + i;
    // the transpose of the scalar first term's L21: per trailing row, its entries and the end of each one's level
    const nnz = this.entryRow.length;
    this.entryStart = new Int32Array(A.D + 1);
    this.entryAt = new Int32Array(nnz);
    this.entryEnd = new Int32Array(nnz);
    for (let m = 0; m < nnz; m++) this.entryStart[this.entryRow[m] + 1]++;
    for (let j = 0; j < A.D; j++) this.entryStart[j + 1] += this.entryStart[j];
    const next = this.entryStart.slice(0, A.D);
    for (let g = 0; g < (A.k1 === 1 ? A.nlev1 : 0); g++) {
      const m1 = A.valPtr[A.colPtr[g + 1]];
      for (let m = A.valPtr[A.colPtr[g]]; m < m1; m++) {
        const e = next[this.entryRow[m]]++;
        this.entryAt[e] = m;
        this.entryEnd[e] = m1;
      }
    }
    const pat = this.pattern;
    this.packed = new Float64Array(pat ? pat.rows.length : 0);
    this.work = new Float64Array(pat ? A.D : 0);
  }

  /**
   * Declare that A will not be refilled (a fit from rows or from statistics; not PIRLS, profiling
   * or residual structures, which refill it), so that work that depends only on A is done once
   * here: the downdate summed by class (see classDowndate) and, with it, a fill-reducing order of
   * the trailing block (see reorder).
   *
   * @returns this workspace.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(pastesFit.frame).terms, pastesFit.frame.n, 1);
   * A.fill(pastesFit.frame.X, pastesFit.frame.response.y);
   * new LmmWorkspace(A).fixA().objective(pastesFit.theta, true); // 246.9907
   * ```
   */
  fixA(): this {
    const A = this.A;
    if (!this.scale || A.k1 !== 1) return this;
    // the classes of A11: at most 8 distinct values (group sizes of unweighted data)
    const values: number[] = [];
    const classOf = new Int32Array(A.nlev1);
    // a dense block factored by the SIMD kernel, which skips zero multipliers: in minimum-degree order
    const order = !this.pattern && this.simd && A.qRest <= 8192;
    for (let g = 0; g < A.nlev1; g++) {
      let c = values.indexOf(A.A11[g]);
      if (c < 0) {
        if (values.length === 8) {
          if (order) this.orderDense(true);
          return this;
        }
        c = values.push(A.A11[g]) - 1;
      }
      classOf[g] = c;
    }
    const budget = 2e7 / values.length; // pattern entries for at most 160 MB of class sums
    if (!this.pattern) {
      // a dense trailing block (crossed factors that all meet): the class sums on the full D × D
      if ((A.D * (A.D + 1)) / 2 > budget) {
        if (order) this.orderDense(true);
        return this;
      }
      if (order) this.orderDense(false);
      const dense = denseLowerPattern(A.D);
      this.byClass = this.classDowndate(dense, Float64Array.from(values), classOf);
      this.packed = new Float64Array(dense.rows.length);
      return this;
    }
    if (this.pattern.rows.length > budget) return this;
    if (this.pattern.fill > 0) this.reorder(budget); // no order has less work than one without fill-in
    this.byClass = this.classDowndate(this.pattern, Float64Array.from(values), classOf);
    return this;
  }

  /**
   * Reorder the trailing random-effects rows by minimum degree (minimum-degree.ts) when that
   * makes the factorisation cheaper by a fifth or more (crossed factors: star's students crossed
   * with teachers, 2.4M to 0.5M multiply-adds); nested factors are left in their order. Only
   * with the class sums (updateL's other paths work in the model's order).
   *
   * @param maxEntries - the most pattern entries the class sums may take.
   */
  private reorder(maxEntries: number): void {
    const { A, entryRow } = this;
    const qr = A.qRest;
    const cliqueStart = new Int32Array(A.nlev1 + 1);
    const vertex: number[] = [];
    for (let g = 0; g < A.nlev1; g++) {
      for (let m = A.valPtr[A.colPtr[g]]; m < A.valPtr[A.colPtr[g + 1]]; m++) if (entryRow[m] < qr) vertex.push(entryRow[m]);
      cliqueStart[g + 1] = vertex.length;
    }
    const order = minimumDegreeOrder(qr, cliqueStart, Int32Array.from(vertex));
    const pat = trailingPattern(A, places(order));
    if (!pat || pat.rows.length > maxEntries || factorWork(pat) > 0.8 * factorWork(this.pattern!)) return;
    this.pattern = pat;
    this.packed = new Float64Array(pat.rows.length);
    this.original = order;
    this.orderedScale = new Float64Array(A.D);
  }

  /**
   * Put the random-effects rows of a dense trailing block in minimum-degree order. The block
   * stays dense (crossed factors: InstEval's lecturers), but its factor gains zeros that the SIMD
   * kernel skips: about half the multiply-adds of the natural order on InstEval.
   *
   * @param downdate - also build the level-by-level downdate in the new order (without the class sums).
   */
  private orderDense(downdate: boolean): void {
    const { A, entryRow } = this;
    const { D, qRest: qr, nlev1, valPtr, colPtr } = A;
    const cliqueStart = new Int32Array(nlev1 + 1);
    const vertex: number[] = [];
    for (let g = 0; g < nlev1; g++) {
      for (let m = valPtr[colPtr[g]]; m < valPtr[colPtr[g + 1]]; m++) if (entryRow[m] < qr) vertex.push(entryRow[m]);
      cliqueStart[g + 1] = vertex.length;
    }
    const order = minimumDegreeOrder(qr, cliqueStart, Int32Array.from(vertex));
    this.original = order;
    this.orderedScale = new Float64Array(D);
    if (!downdate) return;
    const orig = (i: number): number => (i < qr ? order[i] : i);
    const a22 = new Float64Array(D * D);
    for (let j = 0; j < D; j++) {
      const b = orig(j);
      for (let i = j; i < D; i++) {
        const a = orig(i);
        a22[i + j * D] = a >= b ? A.A22[a + b * D] : A.A22[b + a * D];
      }
    }
    // place by place: each level's random-effects entries in the order of their places (in
    // cliqueStart's ranges), and each place's entries in the order of their levels
    const n = vertex.length;
    const levelOf = new Int32Array(A.A21.length);
    for (let g = 0; g < nlev1; g++) levelOf.fill(g, valPtr[colPtr[g]], valPtr[colPtr[g + 1]]);
    const at = new Int32Array(n);
    const place = new Int32Array(n);
    const level = new Int32Array(n);
    const entry = new Int32Array(n);
    const placeStart = new Int32Array(qr + 1);
    const next = cliqueStart.slice(0, nlev1);
    for (let j = 0, e = 0; j < qr; j++) {
      const row = order[j];
      for (let r = this.entryStart[row]; r < this.entryStart[row + 1]; r++, e++) {
        const m = this.entryAt[r];
        const g = levelOf[m];
        const k = next[g]++;
        at[k] = m;
        place[k] = j;
        entry[e] = k;
        level[e] = g;
      }
      placeStart[j + 1] = e;
    }
    // runs of rows of one term in the new order, then the [X y] rows
    const termOf = new Int32Array(qr);
    for (let t = 1; t < A.terms.length; t++) termOf.fill(t, A.restOffset[t - 1], A.restOffset[t - 1] + A.terms[t].q);
    const runEnd: number[] = [];
    for (let i = 1; i < qr; i++) if (termOf[order[i]] !== termOf[order[i - 1]]) runEnd.push(i);
    runEnd.push(qr, D);
    const p1 = A.p + 1;
    this.ordered = {
      a22,
      runEnd: Int32Array.from(runEnd),
      at,
      place,
      levelStart: cliqueStart,
      placeStart,
      entry,
      level,
      v: new Float64Array(n),
      xy: new Float64Array(qr * p1),
      xStart: new Int32Array(nlev1 + 1),
      xi: new Int32Array(nlev1 * p1),
      xv: new Float64Array(nlev1 * p1),
    };
  }

  /**
   * The downdate L21 L21ᵀ of the trailing block summed once for all θ, when the first term is
   * scalar, so are the others, and its levels' A11_g take few distinct values (unweighted data:
   * the group sizes). With L11_g = √(λ₁² A11_g + 1) and L21[a] = s_a A21[a] λ₁ / L11_g,
   *
   *     (L21 L21ᵀ)[i, j] = s_i s_j Σ_c λ₁² / (λ₁² a_c + 1) · Q_c[i, j],
   *     Q_c[i, j] = Σ_{g : A11_g = a_c} A21[i, g] A21[j, g],
   *
   * so an evaluation costs (classes × pattern entries) instead of a pass over every level's
   * pairs of entries (star: 4 classes, 67,519 entries, against 10,732 levels and 1.4M products).
   *
   * @param pat - the trailing pattern (of the reordered block, after reorder).
   * @param values - the distinct values a_c of A11.
   * @param classOf - the class of each level of the first term.
   * @returns the class values, and A22 and −Q_c on the pattern.
   */
  private classDowndate(pat: Pick<TrailingPattern, "colPtr" | "rows">, values: Float64Array, classOf: Int32Array): ClassDowndate {
    const { A, entryRow, original } = this;
    const position = original && places(original);
    const D = A.D;
    const qr = A.qRest;
    const nnz = pat.rows.length;
    const { colPtr, rows } = pat;
    const orig = (i: number): number => (original && i < qr ? original[i] : i);
    const a22 = new Float64Array(nnz);
    for (let j = 0; j < D; j++) {
      for (let m = colPtr[j]; m < colPtr[j + 1]; m++) {
        const a = orig(rows[m]);
        const b = orig(j);
        a22[m] = a >= b ? A.A22[a + b * D] : A.A22[b + a * D];
      }
    }
    // the entries of each level by the place of their row; each pair of a level's entries is
    // added once, in the column of the earlier place, through a scatter of that column
    const nEntries = entryRow.length;
    const place = (m: number): number => (position && entryRow[m] < qr ? position[entryRow[m]] : entryRow[m]);
    const start = new Int32Array(D + 1);
    for (let m = 0; m < nEntries; m++) start[place(m) + 1]++;
    for (let j = 0; j < D; j++) start[j + 1] += start[j];
    const byPlace = new Int32Array(nEntries);
    const fillAt = start.slice(0, D);
    const levelOf = new Int32Array(nEntries);
    for (let g = 0; g < A.nlev1; g++) {
      for (let m = A.valPtr[A.colPtr[g]]; m < A.valPtr[A.colPtr[g + 1]]; m++) {
        levelOf[m] = g;
        byPlace[fillAt[place(m)]++] = m;
      }
    }
    const minusQ = new Float64Array(values.length * nnz);
    const at = new Int32Array(D);
    for (let j = 0; j < D; j++) {
      for (let m = colPtr[j]; m < colPtr[j + 1]; m++) at[rows[m]] = m;
      for (let e = start[j]; e < start[j + 1]; e++) {
        const a = byPlace[e];
        const g = levelOf[a];
        const base = classOf[g] * nnz;
        const va = A.A21[a];
        for (let b = A.valPtr[A.colPtr[g]]; b < A.valPtr[A.colPtr[g + 1]]; b++) {
          const pb = place(b);
          if (pb >= j) minusQ[base + at[pb]] -= va * A.A21[b];
        }
      }
    }
    return { values, a22, minusQ };
  }

  /**
   * The positions in `packed` of the downdate's products between random-effects rows (see
   * pairPos), or undefined when there would be too many to keep. Products with an [X y] row need
   * none: those rows close every column, so their positions follow from the column's end.
   */
  private downdatePositions(pat: TrailingPattern): Int32Array | undefined {
    const { entryStart, entryAt, entryEnd, entryRow } = this;
    const p1 = this.A.p + 1;
    let count = 0;
    for (let e = 0; e < entryAt.length; e++) count += Math.max(0, entryEnd[e] - p1 - entryAt[e]);
    if (count > 5e7) return undefined;
    const out = new Int32Array(count);
    const at = new Int32Array(this.A.D);
    let k = 0;
    for (let j = 0; j < this.A.qRest; j++) {
      for (let m = pat.colPtr[j]; m < pat.colPtr[j + 1]; m++) at[pat.rows[m]] = m;
      for (let e = entryStart[j]; e < entryStart[j + 1]; e++) for (let b = entryAt[e]; b < entryEnd[e] - p1; b++) out[k++] = at[entryRow[b]];
    }
    return out;
  }

  /** The terms, in fitting order. */
  get terms(): readonly ReTerm[] {
    return this.A.terms;
  }

  /**
   * Recompute Λ(θ) and L(θ). Returns false when L is not positive definite (which happens only
   * through rounding in the fixed-effects part: the random-effects part is always positive
   * definite for finite θ).
   *
   * @param theta - covariance parameters, lme4's order.
   * @returns whether the factorisation succeeded.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(Float64Array.of(0.967, 0.0152, 0.231)); // true
   * ```
   */
  updateL(theta: ArrayLike<number>): boolean {
    const { A, lambda, L11, L21, L22, buf } = this;
    const terms = A.terms;
    let off = 0;
    for (let t = 0; t < terms.length; t++) {
      terms[t].fillLambda(theta, off, lambda[t]);
      off += terms[t].ntheta;
    }
    // row scales of the trailing block when its terms are scalar: λ_t, or 1 for X and y
    if (this.scale) for (let t = 1; t < terms.length; t++) this.scale.fill(lambda[t][0], A.restOffset[t - 1], A.restOffset[t - 1] + terms[t].q);
    const k1 = A.k1;
    const lam1 = lambda[0];
    const kk = k1 * k1;
    if (k1 === 1 && this.scale) {
      // scalar terms throughout: L11_g = √(λ₁² A11_g + 1), L21 = s_row A21 λ₁ / L11_g
      const sc = this.scale;
      const l1 = lam1[0];
      const { A11, A21, colPtr, valPtr } = A;
      const row = this.entryRow;
      for (let g = 0; g < A.nlev1; g++) {
        const l = Math.sqrt(l1 * l1 * A11[g] + 1);
        L11[g] = l;
        const f = l1 / l;
        for (let m = valPtr[colPtr[g]]; m < valPtr[colPtr[g + 1]]; m++) L21[m] = A21[m] * sc[row[m]] * f;
      }
    } else {
      const { A11, A21, colPtr, blkSize, valPtr, blkTerm } = A;
      for (let g = 0; g < A.nlev1; g++) {
        // L11_g = chol(Λ₁' A11_g Λ₁ + I)
        const o = g * kk;
        congruence(A11, o, k1, lam1, k1, L11, o, k1);
        for (let j = 0; j < k1; j++) L11[o + j + j * k1] += 1;
        cholesky(L11, k1, k1, o);
        // L21 per block b of level g: (Λ_t' A_b Λ₁) L11_g⁻ᵀ
        for (let b = colPtr[g]; b < colPtr[g + 1]; b++) {
          const s = blkSize[b];
          const vo = valPtr[b];
          const t = blkTerm[b];
          if (k1 === 2 && t < 0) {
            // the [X y] block of a random intercept and slope: the loops below written out, in
            // their order of operations (0 + …: their sums start at +0)
            const l00 = lam1[0];
            const l10 = lam1[1];
            const l11 = lam1[3];
            for (let i = 0; i < s; i++) {
              const a0 = A21[vo + i];
              const a1 = A21[vo + i + s];
              let y0 = 0 + a0 * l00 + a1 * l10;
              let y1 = 0 + a1 * l11;
              y0 /= L11[o];
              if (y0 !== 0) y1 -= L11[o + 1] * y0;
              L21[vo + i] = y0;
              L21[vo + i + s] = y1 / L11[o + 3];
            }
            continue;
          }
          // A_b Λ₁ (s × k1): into L21_b itself for the [X y] block, else into buf and then
          // L21_b = Λ_t' buf
          const ab = t >= 0 ? buf : L21;
          const abOff = t >= 0 ? 0 : vo;
          for (let c = 0; c < k1; c++) {
            for (let i = 0; i < s; i++) {
              let sum = 0;
              for (let r = c; r < k1; r++) sum += A21[vo + i + r * s] * lam1[r + c * k1];
              ab[abOff + i + c * s] = sum;
            }
          }
          if (t >= 0) {
            const lt = lambda[t];
            for (let c = 0; c < k1; c++) {
              for (let i = 0; i < s; i++) {
                let sum = 0;
                for (let r = i; r < s; r++) sum += lt[r + i * s] * buf[r + c * s];
                L21[vo + i + c * s] = sum;
              }
            }
          }
          // right-solve with L11_gᵀ: each row x of L21_b satisfies L11_g xᵀ = rowᵀ
          for (let i = 0; i < s; i++) solveLower(L11, k1, k1, L21, vo + i, s, o);
        }
      }
    }
    // Trailing block: scaled A22, + I on the random-effects part, − L21 L21ᵀ, then Cholesky.
    const D = A.D;
    const pat = this.pattern;
    // the level-by-level downdate's positions, on first use (fixA's class sums need none)
    if (pat && this.scale && k1 === 1 && !this.byClass && this.pairPos === undefined) this.pairPos = this.downdatePositions(pat) ?? null;
    if (pat && this.scale && (this.byClass || this.pairPos)) return this.trailingPacked(pat, this.scale);
    if (!pat && this.byClass && this.scale) return this.trailingDenseByClass(this.byClass, this.scale);
    if (!pat && this.ordered && this.scale) return this.trailingDenseOrdered(this.ordered, this.scale);
    if (this.scale) {
      // every trailing term is scalar: L22[i, j] = A22[i, j] s_i s_j with s = λ_t or 1
      const sc = this.scale;
      const a22 = A.A22;
      if (pat) {
        const { colPtr, rows } = pat;
        for (let j = 0; j < D; j++) {
          const c = j * D;
          const sj = sc[j];
          for (let r = colPtr[j]; r < colPtr[j + 1]; r++) {
            const i = rows[r];
            L22[c + i] = a22[c + i] * sc[i] * sj;
          }
        }
      } else {
        for (let j = 0; j < D; j++) {
          const c = j * D;
          const sj = sc[j];
          for (let i = j; i < D; i++) L22[c + i] = a22[c + i] * sc[i] * sj;
        }
      }
    } else {
      L22.set(A.A22);
      for (let t = 1; t < terms.length; t++) {
        const term = terms[t];
        const lt = lambda[t];
        const k = term.k;
        for (let h = 0; h < term.nlev; h++) scaleTrailing(L22, D, A.restOffset[t - 1] + h * k, k, lt, buf);
      }
    }
    for (let i = 0; i < A.qRest; i++) L22[i + i * D] += 1;
    const { colPtr, blkSize, valPtr, blkRow } = A;
    if (k1 === 1) {
      // L21 is one sparse column per level: L22[r_b, r_a] −= v_b v_a over its entries (b ≥ a).
      // Column by column of L22 (through the entries that sit in each trailing row), so the
      // writes stay in one column: a level-by-level scatter over a large D × D array misses the
      // cache on nearly every write (crossed factors).
      const row = this.entryRow;
      const { entryStart, entryAt, entryEnd } = this;
      for (let j = 0; j < D; j++) {
        const c = j * D;
        for (let e = entryStart[j]; e < entryStart[j + 1]; e++) {
          const a = entryAt[e];
          const va = L21[a];
          if (va === 0) continue;
          const end = entryEnd[e];
          for (let b = a; b < end; b++) L22[c + row[b]] -= va * L21[b];
        }
      }
    } else {
      for (let g = 0; g < A.nlev1; g++) {
        const b0 = colPtr[g];
        const b1 = colPtr[g + 1];
        for (let bb = b0; bb < b1; bb++) {
          const sb = blkSize[bb];
          const ob = valPtr[bb];
          const rb = blkRow[bb];
          for (let ba = b0; ba <= bb; ba++) {
            const sa = blkSize[ba];
            const oa = valPtr[ba];
            const ra = blkRow[ba];
            // L22[rb + i, ra + j] −= Σ_c L21_bb[i, c] L21_ba[j, c]  (rows rb ≥ ra)
            for (let j = 0; j < sa; j++) {
              const col = (ra + j) * D + rb;
              const i0 = ba === bb ? j : 0;
              if (k1 === 2) {
                // the loop over c written out (0 + …: the loop's sum starts at +0)
                const x0 = L21[oa + j];
                const x1 = L21[oa + j + sa];
                for (let i = i0; i < sb; i++) L22[col + i] -= 0 + L21[ob + i] * x0 + L21[ob + i + sb] * x1;
                continue;
              }
              for (let i = i0; i < sb; i++) {
                let sum = 0;
                for (let c = 0; c < k1; c++) sum += L21[ob + i + c * sb] * L21[oa + j + c * sa];
                L22[col + i] -= sum;
              }
            }
          }
        }
      }
    }
    if (!pat) return (this.simd ? choleskySimd(this.simd, D) : cholesky(L22, D, D)) < 0;
    // factor the pattern's entries packed
    const { packed } = this;
    for (let j = 0; j < D; j++) for (let m = pat.colPtr[j]; m < pat.colPtr[j + 1]; m++) packed[m] = L22[j * D + pat.rows[m]];
    return this.factorPacked(pat);
  }

  /** Factor `packed` (T on the pattern) in place and put L22's entries in place; false when T is not positive definite. */
  private factorPacked(pat: TrailingPattern): boolean {
    const { packed, L22 } = this;
    const D = this.A.D;
    const { colPtr, rows } = pat;
    const info = sparseCholeskyPacked(packed, pat, this.work);
    for (let j = 0; j < D; j++) for (let m = colPtr[j]; m < colPtr[j + 1]; m++) L22[j * D + rows[m]] = packed[m];
    return info < 0;
  }

  /**
   * out = A22 − Σ_c w_c Q_c on the class sums' layout, with w_c = λ₁² / (λ₁² a_c + 1) at the
   * current θ (see classDowndate).
   */
  private sumByClass({ values, a22, minusQ }: ClassDowndate, out: Float64Array): void {
    const l2 = this.lambda[0][0] ** 2;
    const nnz = a22.length;
    out.set(a22);
    for (let c = 0; c < values.length; c++) {
      const w = l2 / (l2 * values[c] + 1);
      for (let m = 0, o = c * nnz; m < nnz; m++, o++) out[m] += w * minusQ[o];
    }
  }

  /**
   * The dense trailing block from the class sums (fixA on crossed factors that all meet):
   * L22 = S (A22 − Σ_c w_c Q_c) S + I on the random-effects rows, w_c = λ₁² / (λ₁² a_c + 1), then
   * its Cholesky factor; the sums are stored column by column over rows i ≥ j (denseLowerPattern).
   */
  private trailingDenseByClass(byClass: ClassDowndate, scale: Float64Array): boolean {
    const { A, L22, packed } = this;
    const D = A.D;
    const sc = this.orderScale(scale);
    this.sumByClass(byClass, packed);
    for (let j = 0, m = 0; j < D; j++) {
      const col = j * D;
      const sj = sc[j];
      for (let i = j; i < D; i++, m++) L22[col + i] = packed[m] * sc[i] * sj;
    }
    for (let i = 0; i < A.qRest; i++) L22[i + i * D] += 1;
    return (this.simd ? choleskySimd(this.simd, D) : cholesky(L22, D, D)) < 0;
  }

  /**
   * The dense trailing block in minimum-degree order (see orderDense): L22 = S A22 S + I on the
   * random-effects rows − L21 L21ᵀ, then its Cholesky factor. The downdate goes column by column
   * of L22 through the entries at each place, as updateL's; a level's [X y] rows are the last
   * rows of every column, so their products are contiguous runs.
   */
  private trailingDenseOrdered(ord: OrderedDowndate, scale: Float64Array): boolean {
    const { A, L21, L22 } = this;
    const { D, qRest: qr, p, colPtr, valPtr } = A;
    const p1 = p + 1;
    const sc = this.orderScale(scale);
    const { a22, runEnd, at, place, levelStart, placeStart, entry, level, v, xy, xStart, xi, xv } = ord;
    for (let k = 0; k < at.length; k++) v[k] = L21[at[k]];
    // each level's [X y] row without its zeros (a level sees few of the columns of a factor's
    // dummies: InstEval's students 12 of 29): positions in xi, values in xv, from xStart[g]
    let t = 0;
    for (let g = 0; g < A.nlev1; g++) {
      const x0 = valPtr[colPtr[g + 1] - 1];
      xStart[g] = t;
      for (let m = 0; m < p1; m++) {
        const x = L21[x0 + m];
        if (x !== 0) {
          xi[t] = m;
          xv[t++] = x;
        }
      }
    }
    xStart[A.nlev1] = t;
    // the products with the [X y] rows, level by level into a compact qRest × (p + 1) array:
    // xy[j, ·] = Σ over entries at place j of v · (the level's [X y] row)
    xy.fill(0);
    for (let g = 0; g < A.nlev1; g++) {
      const t0 = xStart[g];
      const t1 = xStart[g + 1];
      for (let k = levelStart[g]; k < levelStart[g + 1]; k++) {
        const va = v[k];
        const c = place[k] * p1;
        for (let u = t0; u < t1; u++) xy[c + xi[u]] += va * xv[u];
      }
    }
    // column by column: fill (one scale per run of rows of a term), then subtract the products
    // at this place while the column is in cache
    for (let j = 0, r = 0; j < qr; j++) {
      const c = j * D;
      const sj = sc[j];
      while (runEnd[r] <= j) r++;
      for (let q = r, i = j; q < runEnd.length; q++) {
        const s = sc[i] * sj;
        for (const end = runEnd[q]; i < end; i++) L22[c + i] = a22[c + i] * s;
      }
      L22[c + j] += 1;
      for (let e = placeStart[j]; e < placeStart[j + 1]; e++) {
        const k = entry[e];
        const va = v[k];
        if (va === 0) continue;
        const end = levelStart[level[e] + 1];
        for (let b = k; b < end; b++) L22[c + place[b]] -= va * v[b];
      }
      for (let i = 0, o = j * p1; i < p1; i++) L22[c + qr + i] -= xy[o + i];
    }
    // the [X y] columns: each level's own products
    for (let j = qr; j < D; j++) {
      const c = j * D;
      for (let i = j; i < D; i++) L22[c + i] = a22[c + i];
    }
    for (let g = 0; g < A.nlev1; g++) {
      const t1 = xStart[g + 1];
      for (let u = xStart[g]; u < t1; u++) {
        const va = xv[u];
        const c = (qr + xi[u]) * D + qr;
        for (let w = u; w < t1; w++) L22[c + xi[w]] -= va * xv[w];
      }
    }
    return choleskySimd(this.simd!, D) < 0;
  }

  /** The row scales in the order of L22's rows (the reordered one when there is a reordering). */
  private orderScale(scale: Float64Array): Float64Array {
    const { original, orderedScale } = this;
    if (!original || !orderedScale) return scale;
    const qr = this.A.qRest;
    for (let i = 0; i < scale.length; i++) orderedScale[i] = scale[i < qr ? original[i] : i];
    return orderedScale;
  }

  /**
   * The trailing block when every term is scalar and it is sparse: fill T = S A22 S + I − L21 L21ᵀ
   * (S the row scales) straight into the packed pattern, factor it there, and put L22 in place.
   */
  private trailingPacked(pat: TrailingPattern, scale: Float64Array): boolean {
    const { A, L21, packed, byClass } = this;
    const D = A.D;
    const { colPtr, rows } = pat;
    if (byClass) {
      const sc = this.orderScale(scale);
      // T = S (A22 − Σ_c w_c Q_c) S + I
      this.sumByClass(byClass, packed);
      for (let j = 0; j < D; j++) {
        const sj = sc[j];
        for (let m = colPtr[j]; m < colPtr[j + 1]; m++) packed[m] *= sc[rows[m]] * sj;
        if (j < A.qRest) packed[colPtr[j]] += 1;
      }
    } else {
      const sc = scale;
      const a22 = A.A22;
      for (let j = 0; j < D; j++) {
        const c = j * D;
        const sj = sc[j];
        for (let m = colPtr[j]; m < colPtr[j + 1]; m++) packed[m] = a22[c + rows[m]] * sc[rows[m]] * sj;
        if (j < A.qRest) packed[colPtr[j]] += 1;
      }
      this.subtractProducts(packed, L21, pat, this.pairPos!);
    }
    return this.factorPacked(pat);
  }

  /**
   * packed −= v vᵀ over each level's pairs of entries (v laid out as A21), on the pattern:
   * through the entries in each trailing row j, where a level's entries are its random-effects
   * rows, then its p + 1 rows of [X y] (the last rows of every column).
   */
  private subtractProducts(packed: Float64Array, v: Float64Array, pat: TrailingPattern, pairPos: Int32Array): void {
    const { entryStart, entryAt, entryEnd } = this;
    const { colPtr } = pat;
    const p1 = this.A.p + 1;
    let k = 0;
    for (let j = 0; j < this.A.D; j++) {
      const jEnd = colPtr[j + 1];
      for (let e = entryStart[j]; e < entryStart[j + 1]; e++) {
        const a = entryAt[e];
        const end = entryEnd[e];
        const xs = end - p1;
        const va = v[a];
        if (a >= xs) {
          // j is a row of [X y]: the rows j, j + 1, … of column j are consecutive in packed
          const c0 = colPtr[j] - a;
          for (let b = a; b < end; b++) packed[c0 + b] -= va * v[b];
          continue;
        }
        for (let b = a; b < xs; b++) packed[pairPos[k++]] -= va * v[b];
        const c0 = jEnd - end;
        for (let b = xs; b < end; b++) packed[c0 + b] -= va * v[b];
      }
    }
  }

  /**
   * log|L_θ|²: twice the sum of the logs of the random-effects diagonal of L.
   *
   * @returns the log-determinant.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * ws.logdetL(); // 75.961
   * ```
   */
  logdetL(): number {
    const { A, L11, L22 } = this;
    let s = 0;
    const k1 = A.k1;
    for (let g = 0; g < A.nlev1; g++) for (let j = 0; j < k1; j++) s += Math.log(L11[g * k1 * k1 + j + j * k1]);
    for (let i = 0; i < A.qRest; i++) s += Math.log(L22[i + i * A.D]);
    return 2 * s;
  }

  /**
   * log|R_X|²: twice the sum of the logs of the fixed-effects diagonal of L.
   *
   * @returns the log-determinant.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * ws.logdetRX(); // 8.276
   * ```
   */
  logdetRX(): number {
    const { A, L22 } = this;
    let s = 0;
    for (let j = 0; j < A.p; j++) {
      const i = A.qRest + j;
      s += Math.log(L22[i + i * A.D]);
    }
    return 2 * s;
  }

  /**
   * The penalised residual sum of squares r²_θ = ‖y − Xβ̂ − ZΛû‖² + ‖û‖².
   *
   * @returns r² at the current θ.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * ws.pwrss(); // 116579.5
   * ```
   */
  pwrss(): number {
    const D = this.A.D;
    const r = this.L22[D * D - 1];
    return r * r;
  }

  /**
   * The profiled criterion at θ: REML criterion or deviance (−2 log-likelihood).
   *
   * @param theta - covariance parameters.
   * @param reml - REML (true) or ML (false).
   * @returns the criterion, or +∞ where L cannot be formed.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.objective(Float64Array.of(0.967, 0.0152, 0.231), true); // 1743.628
   * ws.objective(Float64Array.of(0.967, 0.0152, 0.231), false); // 1751.987 (the deviance, at the REML estimate of θ)
   * ```
   */
  objective(theta: ArrayLike<number>, reml: boolean): number {
    if (!this.updateL(theta)) return Infinity;
    const n = this.A.n;
    const p = this.A.p;
    const r2 = this.pwrss();
    const nu = reml ? n - p : n;
    const ld = this.logdetL() + (reml ? this.logdetRX() : 0);
    return ld + nu * (1 + Math.log((2 * Math.PI * r2) / nu)) - this.A.logW;
  }

  /**
   * β̂ at the current θ: solves R_X β = r_Xy with R_X = L_XXᵀ.
   *
   * @returns the fixed effects.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * ws.beta(); // Float64Array [251.405, 10.467]
   * ```
   */
  beta(): Float64Array {
    const { A, L22 } = this;
    const D = A.D;
    const q = A.qRest;
    const beta = new Float64Array(A.p);
    for (let j = 0; j < A.p; j++) beta[j] = L22[D - 1 + (q + j) * D];
    solveLowerTranspose(L22, A.p, D, beta, 0, 1, q + q * D);
    return beta;
  }

  /**
   * The spherical random effects û at the current θ and β, by back-substitution with L_ZZᵀ.
   *
   * @param beta - the fixed effects.
   * @returns û in lme4's order (by term, then level, then column).
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * const u = ws.u(ws.beta());
   * u.length; // 36 (18 subjects × 2)
   * u.subarray(0, 2); // Float64Array [2.3363, 39.6845]
   * ```
   */
  u(beta: Float64Array): Float64Array {
    const { A, L11, L21, L22 } = this;
    const D = A.D;
    const q1 = A.nlev1 * A.k1;
    const qr = A.qRest;
    const p = A.p;
    const u = new Float64Array(q1 + qr);
    // trailing part: L_restᵀ u_rest = l_y,rest − L_X,restᵀ β
    for (let i = 0; i < qr; i++) {
      let s = L22[D - 1 + i * D];
      for (let j = 0; j < p; j++) s -= L22[qr + j + i * D] * beta[j];
      u[q1 + i] = s;
    }
    if (this.pattern) sparseSolveLowerTranspose(L22, D, this.pattern, qr, u, q1);
    else solveLowerTranspose(L22, qr, D, u, q1);
    const original = this.original;
    if (original) {
      // the solve ran in the reordered rows: put them back
      const placed = u.slice(q1, q1 + qr);
      for (let k = 0; k < qr; k++) u[q1 + original[k]] = placed[k];
    }
    // first term: L11_gᵀ u_g = l_y,g − L_X,gᵀ β − Σ_b L21_bᵀ u_rest
    const k1 = A.k1;
    for (let g = 0; g < A.nlev1; g++) {
      for (let c = 0; c < k1; c++) {
        let s = 0;
        for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) {
          const sz = A.blkSize[b];
          const vo = A.valPtr[b] + c * sz;
          if (A.blkTerm[b] < 0) {
            s += L21[vo + p];
            for (let j = 0; j < p; j++) s -= L21[vo + j] * beta[j];
          } else {
            const row = q1 + A.blkRow[b];
            for (let i = 0; i < sz; i++) s -= L21[vo + i] * u[row + i];
          }
        }
        u[g * k1 + c] = s;
      }
      solveLowerTranspose(L11, k1, k1, u, g * k1, 1, g * k1 * k1);
    }
    return u;
  }

  /**
   * (X'V⁻¹X)⁻¹ up to σ²: the unscaled covariance of β̂, R_X⁻¹R_X⁻ᵀ.
   *
   * @returns p × p column-major.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * ws.unscaledVcov(); // Float64Array [0.071113, -0.0022156, -0.0022156, 0.0036484] (× σ² for vcov(β̂))
   * ```
   */
  unscaledVcov(): Float64Array {
    const { A, L22 } = this;
    // (L Lᵀ)⁻¹ of the fixed-effects block of L22, which starts at row and column qRest
    return inverseFromCholesky(L22, A.p, A.D, A.qRest * (A.D + 1));
  }

  /**
   * Diagonal blocks of (L_ZZ L_ZZᵀ)⁻¹, one k_t × k_t block per level of each term: the
   * conditional covariance of u given y, up to σ². Costs O(q₁ Q_rest²); call it once, after
   * fitting.
   *
   * @returns per term, nlev blocks of k × k, column-major.
   * @example
   * ```ts
   * import { CrossProducts } from "./cross-products.js";
   * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * ws.condVarU()[0].subarray(0, 4); // Float64Array [0.238045, -0.162316, -0.162316, 0.172422] (Subject 308's 2 × 2 block)
   * ```
   */
  condVarU(): Float64Array[] {
    const { A, L11, L21, L22 } = this;
    const D = A.D;
    const qr = A.qRest;
    const k1 = A.k1;
    const kk = k1 * k1;
    const out = A.terms.map((t) => new Float64Array(t.nlev * t.k * t.k));
    // A sparse trailing factor (nested or partly crossed factors): only the entries of
    // (L_rest L_restᵀ)⁻¹ on its pattern are needed, and they cost what the factorisation costs.
    if (this.pattern) return this.condVarUSparse(this.pattern, out);
    // Trailing terms: blocks of L_rest⁻ᵀ L_rest⁻¹, whose rows are at `at` (a reordering) or in place.
    const inv = new Float64Array(qr * qr);
    for (let j = 0; j < qr; j++) for (let i = j; i < qr; i++) inv[i + j * qr] = L22[i + j * D];
    if (qr > 0) invertLower(inv, qr, qr);
    const at = this.original ? places(this.original) : undefined;
    const placeOf = (r: number): number => (at ? at[r] : r);
    for (let t = 1; t < A.terms.length; t++) {
      const term = A.terms[t];
      const k = term.k;
      for (let h = 0; h < term.nlev; h++) {
        const r0 = A.restOffset[t - 1] + h * k;
        for (let a = 0; a < k; a++) {
          for (let b = a; b < k; b++) {
            const pa = placeOf(r0 + a);
            const pb = placeOf(r0 + b);
            let s = 0;
            for (let i = Math.max(pa, pb); i < qr; i++) s += inv[i + pa * qr] * inv[i + pb * qr];
            out[t][h * k * k + a + b * k] = s;
            out[t][h * k * k + b + a * k] = s;
          }
        }
      }
    }
    // First term: L11_g⁻ᵀ L11_g⁻¹ + Yᵀ Y with Y = L_rest⁻¹ L21_g L11_g⁻¹.
    const li = new Float64Array(kk);
    const y = new Float64Array(qr * k1);
    for (let g = 0; g < A.nlev1; g++) {
      for (let m = 0; m < kk; m++) li[m] = L11[g * kk + m];
      invertLower(li, k1, k1);
      // Y = L_rest⁻¹ W with W = L21_g L11_g⁻¹ non-zero only in the rows of the levels that
      // co-occur with g: accumulate the columns of L_rest⁻¹ (lower triangular) at those rows, so the
      // cost is O(q_rest · nnz) per level rather than a dense triangular solve.
      y.fill(0);
      let first = qr;
      for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) {
        if (A.blkTerm[b] < 0) continue;
        const s = A.blkSize[b];
        const row = A.blkRow[b];
        for (let c = 0; c < k1; c++) {
          for (let i = 0; i < s; i++) {
            let w = 0;
            for (let r = c; r < k1; r++) w += L21[A.valPtr[b] + i + r * s] * li[r + c * k1];
            if (w === 0) continue;
            const pi = placeOf(row + i);
            first = Math.min(first, pi);
            const col = pi * qr;
            const yc = c * qr;
            for (let e = pi; e < qr; e++) y[yc + e] += inv[e + col] * w;
          }
        }
      }
      for (let a = 0; a < k1; a++) {
        for (let b = a; b < k1; b++) {
          let s = 0;
          for (let r = b; r < k1; r++) s += li[r + a * k1] * li[r + b * k1];
          for (let i = first; i < qr; i++) s += y[i + a * qr] * y[i + b * qr];
          out[0][g * kk + a + b * k1] = s;
          out[0][g * kk + b + a * k1] = s;
        }
      }
    }
    return out;
  }

  /**
   * condVarU with a sparse trailing factor: Z = (L_rest L_restᵀ)⁻¹ on L's pattern (a selected
   * inverse); the trailing terms' blocks are blocks of Z, and the first term's level g adds
   * Wᵀ Z W to L11_g⁻ᵀ L11_g⁻¹, W = L21_g L11_g⁻¹ (its rows are the levels that co-occur with g,
   * so every Z entry it needs lies on the pattern).
   */
  private condVarUSparse(pattern: TrailingPattern, out: Float64Array[]): Float64Array[] {
    const { A, L11, L21, L22 } = this;
    const qr = A.qRest;
    const k1 = A.k1;
    const kk = k1 * k1;
    const z = new Float64Array(qr * qr);
    selectedInverse(L22, A.D, pattern, qr, z);
    const at = this.original && places(this.original);
    const zAt = (r: number, c: number): number => {
      // rows of the model's order; z is in the reordered one when there is a reordering
      const i = at ? at[r] : r;
      const j = at ? at[c] : c;
      return i >= j ? z[i + j * qr] : z[j + i * qr];
    };
    for (let t = 1; t < A.terms.length; t++) {
      const k = A.terms[t].k;
      for (let h = 0; h < A.terms[t].nlev; h++) {
        const r0 = A.restOffset[t - 1] + h * k;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[t][h * k * k + a + b * k] = zAt(r0 + a, r0 + b);
      }
    }
    const li = new Float64Array(kk);
    let maxRows = 0;
    for (let g = 0; g < A.nlev1; g++) {
      let m = 0;
      for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) if (A.blkTerm[b] >= 0) m += A.blkSize[b];
      maxRows = Math.max(maxRows, m);
    }
    const w = new Float64Array(maxRows * k1);
    const wRow = new Int32Array(maxRows);
    for (let g = 0; g < A.nlev1; g++) {
      for (let m = 0; m < kk; m++) li[m] = L11[g * kk + m];
      invertLower(li, k1, k1);
      // W (nw × k1): the random-effects rows of L21_g times L11_g⁻¹
      let nw = 0;
      for (let b = A.colPtr[g]; b < A.colPtr[g + 1]; b++) {
        if (A.blkTerm[b] < 0) continue;
        const s = A.blkSize[b];
        for (let i = 0; i < s; i++) {
          wRow[nw] = A.blkRow[b] + i;
          for (let c = 0; c < k1; c++) {
            let v = 0;
            for (let r = c; r < k1; r++) v += L21[A.valPtr[b] + i + r * s] * li[r + c * k1];
            w[nw + c * maxRows] = v;
          }
          nw++;
        }
      }
      for (let a = 0; a < k1; a++) {
        for (let b = a; b < k1; b++) {
          let s = 0;
          for (let r = b; r < k1; r++) s += li[r + a * k1] * li[r + b * k1];
          for (let i = 0; i < nw; i++) {
            const wia = w[i + a * maxRows];
            if (wia === 0) continue;
            for (let j = 0; j < nw; j++) s += wia * zAt(wRow[i], wRow[j]) * w[j + b * maxRows];
          }
          out[0][g * kk + a + b * k1] = s;
          out[0][g * kk + b + a * k1] = s;
        }
      }
    }
    return out;
  }
}

/**
 * out ← Λ' M Λ for the symmetric k × k block M at a[o..] (leading dimension lda, read from its
 * lower triangle); the lower triangle of out (leading dimension ldo) is written.
 */
function congruence(a: Float64Array, o: number, lda: number, lam: Float64Array, k: number, out: Float64Array, oo: number, ldo: number): void {
  if (k === 1) {
    out[oo] = a[o] * lam[0] * lam[0];
    return;
  }
  if (k === 2) {
    // the loops below written out (a random intercept and slope), in their order of operations
    const l00 = lam[0];
    const l10 = lam[1];
    const l11 = lam[3];
    const a00 = a[o];
    const a10 = a[o + 1];
    const a11 = a[o + 1 + lda];
    let s00 = 0;
    if (l00 !== 0) {
      s00 += l00 * a00 * l00;
      s00 += l00 * a10 * l10;
    }
    let s10 = 0;
    let s11 = 0;
    if (l10 !== 0) {
      s00 += l10 * a10 * l00;
      s00 += l10 * a11 * l10;
    }
    if (l11 !== 0) {
      s10 += l11 * a10 * l00;
      s10 += l11 * a11 * l10;
      s11 += l11 * a11 * l11;
    }
    out[oo] = s00;
    out[oo + 1] = s10;
    out[oo + 1 + ldo] = s11;
    return;
  }
  for (let j = 0; j < k; j++) {
    for (let i = j; i < k; i++) {
      // (Λ' M Λ)[i, j] = Σ_r Σ_s Λ[r, i] M[r, s] Λ[s, j]
      let sum = 0;
      for (let r = i; r < k; r++) {
        const lri = lam[r + i * k];
        if (lri === 0) continue;
        for (let s = j; s < k; s++) {
          const m = r >= s ? a[o + r + s * lda] : a[o + s + r * lda];
          sum += lri * m * lam[s + j * k];
        }
      }
      out[oo + i + j * ldo] = sum;
    }
  }
}

/** Whether m[o + r · stride] is zero for every r < k. */
function allZero(m: Float64Array, o: number, stride: number, k: number): boolean {
  for (let r = 0; r < k; r++) if (m[o + r * stride] !== 0) return false;
  return true;
}

/**
 * Apply Λ' on the left and Λ on the right to rows and columns r0..r0+k of the symmetric matrix
 * held in the lower triangle of `m` (D × D): M ← S' M S with S = I except S[r0.., r0..] = Λ.
 * `tmp` holds at least k² numbers.
 */
function scaleTrailing(m: Float64Array, D: number, r0: number, k: number, lam: Float64Array, tmp: Float64Array): void {
  if (k === 1) {
    const l = lam[0];
    for (let j = 0; j < r0; j++) m[r0 + j * D] *= l;
    const c = r0 * D;
    m[c + r0] *= l * l;
    for (let i = r0 + 1; i < D; i++) m[c + i] *= l;
    return;
  }
  // rows r0..r0+k left of the block: M[r0+·, j] ← Λ' M[r0+·, j]; a zero row part stays zero
  // (most of them, when the factors are nested)
  for (let j = 0; j < r0; j++) {
    if (allZero(m, r0 + j * D, 1, k)) continue;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let r = a; r < k; r++) s += lam[r + a * k] * m[r0 + r + j * D];
      tmp[a] = s;
    }
    for (let a = 0; a < k; a++) m[r0 + a + j * D] = tmp[a];
  }
  // rows below the block: M[i, r0+·] ← M[i, r0+·] Λ
  for (let i = r0 + k; i < D; i++) {
    if (allZero(m, i + r0 * D, D, k)) continue;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let r = a; r < k; r++) s += m[i + (r0 + r) * D] * lam[r + a * k];
      tmp[a] = s;
    }
    for (let a = 0; a < k; a++) m[i + (r0 + a) * D] = tmp[a];
  }
  // the diagonal block: Λ' B Λ
  congruence(m, r0 + r0 * D, D, lam, k, tmp, 0, k);
  for (let j = 0; j < k; j++) for (let i = j; i < k; i++) m[r0 + i + (r0 + j) * D] = tmp[i + j * k];
}

/** The multiply-adds of the sparse Cholesky over a pattern: Σ_j Σ_{k ∈ row j} |column k from row j on|. */
function factorWork(pat: TrailingPattern): number {
  const { colPtr, rowPtr, cols, pos } = pat;
  let work = 0;
  for (let m = 0; m < cols.length; m++) work += colPtr[cols[m] + 1] - pos[m];
  return work + rowPtr.length;
}

/** The inverse of a permutation: `places(order)[order[k]] = k`. */
function places(order: Int32Array): Int32Array {
  const at = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) at[order[k]] = k;
  return at;
}

/**
 * Every entry on or below the diagonal of a D × D block as a pattern, column by column: the
 * layout of fixA's class sums when the trailing block is dense.
 *
 * @example
 * ```ts
 * denseLowerPattern(3).rows; // Int32Array [0, 1, 2, 1, 2, 2]
 * ```
 */
export function denseLowerPattern(D: number): Pick<TrailingPattern, "colPtr" | "rows"> {
  const colPtr = new Int32Array(D + 1);
  const rows = new Int32Array((D * (D + 1)) / 2);
  for (let j = 0, m = 0; j < D; j++) {
    for (let i = j; i < D; i++) rows[m++] = i;
    colPtr[j + 1] = m;
  }
  return { colPtr, rows };
}
