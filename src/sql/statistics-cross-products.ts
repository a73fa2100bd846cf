/**
 * The cross-product blocks A = [Z X y]'W[Z X y] of a linear mixed model formed from summary
 * statistics (src/sql/statistics.ts) instead of rows, in the layout of cross-products.ts.
 *
 * Each block row holds the sums S = Σ w b b' over its bases b in one cell (see
 * src/sql/statistics-plan.ts); with M the coefficients of the model's columns on those bases in
 * that cell (src/sql/model-columns.ts), the columns' cross products on the row's rows are
 * M S M'. Summed over cells, they give per level of each grouping factor Σ z z' and Σ [X y] z',
 * per pair of levels of two factors Σ z_s z_t', and X'WX, X'Wy, y'Wy.
 *
 * Aliased fixed-effects columns are found on X'X as R's `qr(X, tol = 1e-7)` finds them on X:
 * column j is dropped when its residual norm after the columns kept before it, √(G_jj − l_j'l_j)
 * from the pivoted Cholesky of G = X'X, is below 1e-7 ‖x_j‖.
 */
import { MlmError } from "../errors.js";
import { compareCodePoints } from "../data/code-point-order.js";
import type { Formula } from "../formula/ast.js";
import type { ReTermFrame } from "../model-frame/types.js";
import { modelColumns, type ModelColumn, type ModelColumns } from "./model-columns.js";
import type { PlanBlock } from "./statistics-plan.js";
import { recentre, type LmmStatistics } from "./statistics.js";
import type { ReTerm } from "../terms/re-term.js";
import { RandomEffects } from "../terms/random-effects.js";
import type { CrossProductBlocks } from "../lmm/cross-products.js";

/** Cross products and the model's layout, built from statistics. */
export interface StatisticsCrossProducts {
  readonly A: CrossProductBlocks;
  /** The random-effects layer (terms in fitting order). */
  readonly re: RandomEffects;
  /** Terms in fitting order. */
  readonly terms: readonly ReTerm[];
  /** The evaluated random-effects terms in formula order (no rows: empty refs and z). */
  readonly reterms: readonly ReTermFrame[];
  readonly columns: ModelColumns;
  /** Names of the fixed-effects columns kept. */
  readonly fixefNames: readonly string[];
  /** Names of the aliased columns dropped. */
  readonly aliased: readonly string[];
  /** All fixed-effects column names before aliased ones were dropped. */
  readonly fullFixefNames: readonly string[];
}

/** Per block row: the raw (uncentred) sums, unpacked to a full nb × nb matrix. */
function rawSums(stats: LmmStatistics, spec: PlanBlock, r: number, out: Float64Array, packed: Float64Array): void {
  const nb = spec.bases.length;
  const m = packed.length;
  const s = stats.blocks[spec.name].sums;
  for (let v = 0; v < m; v++) packed[v] = s[r * m + v];
  recentre(packed, 0, spec.bases.map((b) => stats.shift[b]));
  let p = 0;
  for (let j = 0; j < nb; j++) {
    for (let i = j; i < nb; i++) {
      out[i + j * nb] = packed[p];
      out[j + i * nb] = packed[p++];
    }
  }
}

/**
 * Evaluates the cross products of a list of columns on a block's rows: for each row, M S M'
 * (lower triangle, column-major, order ncol) with M cached per cell.
 */
class BlockProducts {
  readonly ncol: number;
  private readonly nb: number;
  private readonly S: Float64Array;
  private readonly packed: Float64Array;
  private readonly cache = new Map<string, Float64Array>();
  private readonly tmp: Float64Array;
  readonly out: Float64Array;

  constructor(
    private readonly stats: LmmStatistics,
    private readonly spec: PlanBlock,
    private readonly cols: readonly ModelColumn[],
  ) {
    this.nb = spec.bases.length;
    this.ncol = cols.length;
    this.S = new Float64Array(this.nb * this.nb);
    this.packed = new Float64Array((this.nb * (this.nb + 1)) / 2);
    this.tmp = new Float64Array(this.ncol * this.nb);
    this.out = new Float64Array(this.ncol * this.ncol);
  }

  /** M for the cell of row r: ncol × nb, column-major. */
  private coefficients(r: number): Float64Array {
    const { spec } = this;
    const key = this.stats.blocks[spec.name].keys[r];
    const g = spec.groupKeys.length;
    const cellId = key.slice(g).join("\u0000");
    let M = this.cache.get(cellId);
    if (M) return M;
    M = new Float64Array(this.ncol * this.nb);
    const level = new Map<number, string>();
    spec.cellKeys.forEach((c, k) => level.set(c, key[g + k]));
    this.cols.forEach((col, a) => {
      for (const [cell, l] of col.cond) {
        const here = level.get(cell);
        if (here === undefined) throw new Error(`block ${spec.name} lacks cell ${cell}`);
        if (here !== l) return;
      }
      for (const [b, c] of col.lin) {
        const pos = spec.bases.indexOf(b);
        if (pos < 0) throw new Error(`block ${spec.name} lacks base ${b}`);
        M[a + pos * this.ncol] += c;
      }
    });
    this.cache.set(cellId, M);
    return M;
  }

  /** Compute this.out = M S M' for row r (full symmetric). */
  row(r: number): Float64Array {
    const { nb, ncol, S, tmp, out } = this;
    rawSums(this.stats, this.spec, r, S, this.packed);
    const M = this.coefficients(r);
    // tmp = M S (ncol × nb)
    tmp.fill(0);
    for (let j = 0; j < nb; j++) {
      for (let k = 0; k < nb; k++) {
        const s = S[k + j * nb];
        if (s === 0) continue;
        for (let a = 0; a < ncol; a++) tmp[a + j * ncol] += M[a + k * ncol] * s;
      }
    }
    out.fill(0);
    for (let b = 0; b < ncol; b++) {
      for (let k = 0; k < nb; k++) {
        const m = M[b + k * ncol];
        if (m === 0) continue;
        for (let a = b; a < ncol; a++) out[a + b * ncol] += tmp[a + k * ncol] * m;
      }
    }
    for (let b = 0; b < ncol; b++) for (let a = b + 1; a < ncol; a++) out[b + a * ncol] = out[a + b * ncol];
    return out;
  }
}

/**
 * Indices of aliased columns from the Gram matrix G = X'X (R's `qr(X, tol)` criterion).
 *
 * @param G - p × p, column-major (full).
 * @param p - order.
 * @param tol - relative tolerance (1e-7 as R's qr).
 * @returns the dropped indices, ascending.
 * @example
 * ```ts
 * // the Gram matrix of columns x and 2x: the second column is aliased
 * aliasedFromGram(Float64Array.of(3, 6, 6, 12), 2); // [1]
 * aliasedFromGram(Float64Array.of(3, 1, 1, 2), 2); // []
 * ```
 */
export function aliasedFromGram(G: Float64Array, p: number, tol = 1e-7): number[] {
  const kept: number[] = [];
  const L = new Float64Array(p * p); // rows: columns of X; cols: kept pivots
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) {
    const norm2 = G[j + j * p];
    let r = norm2;
    for (let c = 0; c < kept.length; c++) r -= L[j + c * p] * L[j + c * p];
    if (!(Math.sqrt(Math.max(r, 0)) >= tol * Math.sqrt(norm2)) || !(norm2 > 0)) {
      aliased.push(j);
      continue;
    }
    const d = Math.sqrt(r);
    const c = kept.length;
    L[j + c * p] = d;
    for (let i = j + 1; i < p; i++) {
      let s = G[i + j * p];
      for (let e = 0; e < c; e++) s -= L[i + e * p] * L[j + e * p];
      L[i + c * p] = s / d;
    }
    kept.push(j);
  }
  return aliased;
}

/**
 * The cross-product blocks of a model from its statistics.
 *
 * @param stats - the statistics (one table or merged shards).
 * @param formula - the parsed formula of `stats.plan.formula`.
 * @returns A in the layout of cross-products.ts, the terms in fitting order and the columns.
 * @throws MlmError for single-level factors or grouping factors.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * import { LmmWorkspace } from "../lmm/workspace.js";
 * const { A, fixefNames } = statisticsCrossProducts(stats, parseFormula(stats.plan.formula));
 * fixefNames; // ["(Intercept)", "Days"]
 *
 * // the REML criterion at lme4's θ̂, as from the rows (lme4: REMLcrit(fm1) = 1743.628)
 * new LmmWorkspace(A).objective(sleepstudyFit.theta, true); // 1743.628
 * ```
 */
export function statisticsCrossProducts(stats: LmmStatistics, formula: Formula): StatisticsCrossProducts {
  const { plan } = stats;
  const columns = modelColumns(stats, formula.fixed, formula.random.map((r) => r.effects));
  const termBlock = (t: number): PlanBlock => plan.blocks.find((b) => b.kind === "term" && b.terms[0] === t) as PlanBlock;
  const nt = formula.random.length;

  // grouping factors: levels of each term from its block's keys
  const levelIndex: Map<string, number>[] = [];
  const reterms: ReTermFrame[] = formula.random.map((rt, t) => {
    const spec = termBlock(t);
    const g = spec.groupKeys.length;
    const seen = new Set<string>();
    for (const key of stats.blocks[spec.name].keys) seen.add(key.slice(0, g).join(":"));
    const levels = [...seen].sort(compareCodePoints);
    if (levels.length === 1) throw new MlmError(`The grouping factor ${rt.groupLabel} has only one level ('${levels[0]}') in the rows used; a random effect needs at least two groups.`);
    levelIndex.push(new Map(levels.map((l, i) => [l, i])));
    return { group: { name: rt.groupLabel, levels, refs: new Int32Array(0) }, cnms: columns.Z[t].map((c) => c.name), z: new Float64Array(0), correlated: rt.correlated };
  });
  const re = new RandomEffects(reterms);
  const perm = re.order;
  const terms = re.terms;
  const posOf = new Int32Array(nt);
  perm.forEach((f, pos) => (posOf[f] = pos));
  const f1 = perm[0];

  // aliasing, from X'X summed over the first term's block
  const pFull = columns.X.length;
  const G = new Float64Array(pFull * pFull);
  {
    const spec = termBlock(f1);
    const bp = new BlockProducts(stats, spec, columns.X);
    const rows = stats.blocks[spec.name].keys.length;
    for (let r = 0; r < rows; r++) {
      const o = bp.row(r);
      for (let m = 0; m < G.length; m++) G[m] += o[m];
    }
  }
  const aliasedIdx = aliasedFromGram(G, pFull);
  const drop = new Set(aliasedIdx);
  const X = columns.X.filter((_, j) => !drop.has(j));
  const p = X.length;
  const xy = [...X, columns.y];

  // layout
  const k1 = terms[0].k;
  const nlev1 = terms[0].nlev;
  const restOffset = new Int32Array(Math.max(nt - 1, 0));
  let q = 0;
  for (let a = 1; a < nt; a++) {
    restOffset[a - 1] = q;
    q += terms[a].q;
  }
  const D = q + p + 1;
  const A11 = new Float64Array(nlev1 * k1 * k1);
  const A22 = new Float64Array(D * D);
  const xyBlocks = new Float64Array(nlev1 * (p + 1) * k1);
  // sparse blocks of A21 per level of term 1: trailing row → values (k_t × k1)
  const sparse: Map<number, { term: number; vals: Float64Array }>[] = Array.from({ length: nlev1 }, () => new Map());

  for (let f = 0; f < nt; f++) {
    const spec = termBlock(f);
    const z = columns.Z[f];
    const k = z.length;
    const cols = [...z, ...xy];
    const bp = new BlockProducts(stats, spec, cols);
    const nc = cols.length;
    const blk = stats.blocks[spec.name];
    const g = spec.groupKeys.length;
    const pos = posOf[f];
    for (let r = 0; r < blk.keys.length; r++) {
      const o = bp.row(r);
      const h = levelIndex[f].get(blk.keys[r].slice(0, g).join(":")) as number;
      if (pos === 0) {
        for (let c = 0; c < k; c++) for (let d = c; d < k; d++) A11[h * k * k + d + c * k] += o[d + c * nc];
        for (let c = 0; c < k; c++) for (let j = 0; j <= p; j++) xyBlocks[h * (p + 1) * k + j + c * (p + 1)] += o[k + j + c * nc];
        // X'X, X'y, y'y
        for (let c = 0; c <= p; c++) for (let d = c; d <= p; d++) A22[q + d + (q + c) * D] += o[k + d + (k + c) * nc];
      } else {
        const r0 = restOffset[pos - 1] + h * k;
        for (let c = 0; c < k; c++) for (let d = c; d < k; d++) A22[r0 + d + (r0 + c) * D] += o[d + c * nc];
        for (let c = 0; c < k; c++) for (let j = 0; j <= p; j++) A22[q + j + (r0 + c) * D] += o[k + j + c * nc];
      }
    }
  }
  for (const spec of plan.blocks) {
    if (spec.kind !== "pair") continue;
    const [s, t] = spec.terms;
    const zs = columns.Z[s];
    const zt = columns.Z[t];
    const ks = zs.length;
    const kt = zt.length;
    const bp = new BlockProducts(stats, spec, [...zs, ...zt]);
    const nc = ks + kt;
    const blk = stats.blocks[spec.name];
    const gs = plan.termGroups[s].length;
    const gt = plan.termGroups[t].length;
    for (let r = 0; r < blk.keys.length; r++) {
      const o = bp.row(r);
      const key = blk.keys[r];
      const hs = levelIndex[s].get(key.slice(0, gs).join(":")) as number;
      const ht = levelIndex[t].get(key.slice(gs, gs + gt).join(":")) as number;
      // o[ks + i + j * nc] = Σ z_t,i z_s,j
      const ps = posOf[s];
      const pt = posOf[t];
      if (ps === 0 || pt === 0) {
        // A21: rows of the trailing term, columns of term 1
        const [h1, hr, prow, kr, rowFirst] = ps === 0 ? [hs, ht, pt, kt, false] : [ht, hs, ps, ks, true];
        const row = restOffset[prow - 1] + hr * kr;
        let e = sparse[h1].get(row);
        if (!e) {
          e = { term: prow, vals: new Float64Array(kr * k1) };
          sparse[h1].set(row, e);
        }
        for (let i = 0; i < kr; i++) {
          for (let c = 0; c < k1; c++) {
            // trailing column i, first-term column c
            e.vals[i + c * kr] += rowFirst ? o[ks + c + i * nc] : o[ks + i + c * nc];
          }
        }
      } else {
        // both trailing: the block with the later offset gives the rows
        const rs = restOffset[ps - 1] + hs * ks;
        const rt = restOffset[pt - 1] + ht * kt;
        for (let i = 0; i < kt; i++) {
          for (let j = 0; j < ks; j++) {
            const v = o[ks + i + j * nc];
            const ri = rt + i;
            const cj = rs + j;
            if (ri >= cj) A22[ri + cj * D] += v;
            else A22[cj + ri * D] += v;
          }
        }
      }
    }
  }

  // A21 block lists
  const colPtr = [0];
  const blkRow: number[] = [];
  const blkSize: number[] = [];
  const blkTerm: number[] = [];
  const values: Float64Array[] = [];
  for (let h = 0; h < nlev1; h++) {
    const rows = [...sparse[h].keys()].sort((a, b) => a - b);
    for (const row of rows) {
      const e = sparse[h].get(row) as { term: number; vals: Float64Array };
      blkRow.push(row);
      blkSize.push(terms[e.term].k);
      blkTerm.push(e.term);
      values.push(e.vals);
    }
    blkRow.push(q);
    blkSize.push(p + 1);
    blkTerm.push(-1);
    values.push(xyBlocks.subarray(h * (p + 1) * k1, (h + 1) * (p + 1) * k1));
    colPtr.push(blkRow.length);
  }
  const valPtr = new Int32Array(blkRow.length + 1);
  for (let b = 0; b < blkRow.length; b++) valPtr[b + 1] = valPtr[b] + blkSize[b] * k1;
  const A21 = new Float64Array(valPtr[blkRow.length]);
  values.forEach((v, b) => A21.set(v, valPtr[b]));

  const A: CrossProductBlocks = {
    terms,
    n: stats.n,
    k1,
    nlev1,
    D,
    qRest: q,
    p,
    restOffset,
    A11,
    colPtr: Int32Array.from(colPtr),
    blkRow: Int32Array.from(blkRow),
    blkSize: Int32Array.from(blkSize),
    blkTerm: Int32Array.from(blkTerm),
    valPtr,
    A21,
    A22,
    logW: stats.logW,
  };
  return {
    A,
    re,
    terms,
    reterms,
    columns,
    fixefNames: X.map((c) => c.name),
    aliased: aliasedIdx.map((j) => columns.X[j].name),
    fullFixefNames: columns.X.map((c) => c.name),
  };
}

