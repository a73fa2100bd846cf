/**
 * Linear mixed models with a residual correlation structure and/or variance function (nlme's
 * lme, and further: crossed random effects with a residual structure). The residual covariance
 * is σ²Λ(ϱ), block diagonal by the correlation's groups; with W(ϱ) its whitening
 * (structure.ts), y = Xβ + ZΛ_θu + ε becomes Wy = WXβ + WZΛ_θu + Wε with independent errors,
 * so the profiled criterion of Bates et al. (2015, JSS 67(1)) applies to [WZ WX Wy] with the
 * log-determinant of Λ(ϱ) added:
 *
 *     −2 ℓ(θ, ϱ)   = log|L_θ|² + n (1 + log(2π r²/n)) + log|Λ(ϱ)|
 *     −2 ℓ_R(θ, ϱ) = log|L_θ|² + log|R_X|² + (n − p)(1 + log(2π r²/(n − p))) + log|Λ(ϱ)|
 *
 * θ and ϱ are optimised jointly. Each correlation group must lie within one level of some
 * random-effects grouping factor (the innermost, or a coarser one); that term is put first, so
 * the whitened rows of a group stay within one diagonal block of Z'Λ⁻¹Z and the cross-product
 * blocks of src/lmm keep their pattern. Each evaluation re-forms the blocks from the whitened
 * rows, group by group: O(Σ_g m_g c_g²) for groups of m_g rows touching c_g columns.
 */
import { MlmError } from "../errors.js";
import type { DataInput } from "../data/data-input.js";
import type { DataTable } from "../data/table.js";
import { toDataTable } from "../data/to-data-table.js";
import { parseFormula } from "../formula/index.js";
import type { Formula } from "../formula/ast.js";
import { modelFrame, requireNumericResponse } from "../model-frame/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import { CrossProducts } from "./cross-products.js";
import { LmmWorkspace } from "./workspace.js";
import { notConvergedMessage, singularFitMessage } from "../messages.js";
import { ReTerm } from "../terms/re-term.js";
import { RandomEffects } from "../terms/random-effects.js";
import { varCorr } from "../terms/varcorr.js";
import { parseCorrelation, type CorrelationSpec } from "../residual/parse-structure.js";
import { ResidualStructure } from "../residual/residual-structure.js";
import type { ResidualFitOptions, ResidualModel } from "../residual/residual-model.js";
import { linearPredictor, optimizeStructure } from "../residual/fit-gls.js";
import { fixefRows, type RanefRow } from "../model/mixed-model.js";

/**
 * Fit a linear mixed model with nlme's residual structures.
 *
 * @param formula - an lme4 formula with random-effects terms, e.g. `"Reaction ~ Days + (1 | Subject)"`.
 * @param data - columns, rows, an Arrow-like table, or a DataTable.
 * @param options - correlation, variance, REML or ML, categorical columns.
 * @returns the fitted model.
 * @throws MlmError for bad formulas, structures or data, and for a correlation grouping that cuts across every random-effects grouping.
 * @example
 * ```ts
 * const m = fitLmmResidual("Reaction ~ Days + (1 | Subject)", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)", factors: ["Subject"] });
 * m.correlation?.parameters; // { Phi: 0.6531 }   (nlme: 0.6531)
 * m.logLik;                  // -868.0955         (nlme: -868.0955)
 * ```
 */
export function fitLmmResidual(formula: string | Formula, data: DataInput, options: ResidualFitOptions = {}): ResidualModel {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const table = toDataTable(data, { factors: options.factors });
  const frame = modelFrame(f, table);
  return fitLmmResidualFrame(frame, table, options, t0);
}

/** The per-group whitened cross products poured into the LMM blocks. */
class ResidualBlocks {
  /** Per correlation group: offset of its rows in `raw` / `work`. */
  private readonly bufOff: Int32Array;
  /** Per group: number of local columns. */
  private readonly width: Int32Array;
  /** Per group: offset of its column maps in `pos`, `a21`, `stride`. */
  private readonly colOff: Int32Array;
  /** Per group: level of the first term. */
  private readonly level: Int32Array;
  /** Per local non-Z₁ column: row in the trailing block. */
  private readonly pos: Int32Array;
  /** Per local non-Z₁ column: offset of its value for Z₁ column 0 in A21, and the stride. */
  private readonly a21: Int32Array;
  private readonly stride: Int32Array;
  private readonly raw: Float64Array;
  private readonly work: Float64Array;
  private readonly S: Float64Array;

  constructor(
    readonly A: CrossProducts,
    readonly rs: ResidualStructure,
    frame: ModelFrame,
    y: Float64Array,
  ) {
    const { layout } = rs;
    const terms = A.terms;
    const n = frame.n;
    const p = A.p;
    const k1 = A.k1;
    const ng = layout.ngroups;
    this.bufOff = new Int32Array(ng + 1);
    this.width = new Int32Array(ng);
    this.colOff = new Int32Array(ng + 1);
    this.level = new Int32Array(ng);
    const refs1 = terms[0].frame.group.refs;
    const posList: number[] = [];
    const a21List: number[] = [];
    const strideList: number[] = [];
    const locals: number[][] = [];
    let maxW = 0;
    for (let g = 0; g < ng; g++) {
      const a = layout.start[g];
      const b = layout.start[g + 1];
      const lev = b > a ? refs1[layout.order[a]] : 0;
      this.level[g] = lev;
      const set = new Set<number>();
      for (let r = a; r < b; r++) {
        const i = layout.order[r];
        for (let t = 1; t < terms.length; t++) {
          const row0 = A.restOffset[t - 1] + terms[t].frame.group.refs[i] * terms[t].k;
          for (let j = 0; j < terms[t].k; j++) set.add(row0 + j);
        }
      }
      const trail = [...set].sort((x, z) => x - z);
      locals.push(trail);
      const w = k1 + trail.length + p + 1;
      this.width[g] = w;
      maxW = Math.max(maxW, w);
      this.bufOff[g + 1] = this.bufOff[g] + (b - a) * w;
      // column maps for the non-Z₁ columns
      const xy = A.colPtr[lev + 1] - 1;
      for (const row of trail) {
        let blk = -1;
        for (let bb = A.colPtr[lev]; bb < xy; bb++) {
          if (A.blkRow[bb] <= row && row < A.blkRow[bb] + A.blkSize[bb]) {
            blk = bb;
            break;
          }
        }
        if (blk < 0) throw new Error("residual blocks: trailing level outside the pattern");
        posList.push(row);
        a21List.push(A.valPtr[blk] + row - A.blkRow[blk]);
        strideList.push(A.blkSize[blk]);
      }
      for (let j = 0; j <= p; j++) {
        posList.push(A.qRest + j);
        a21List.push(A.valPtr[xy] + j);
        strideList.push(p + 1);
      }
      this.colOff[g + 1] = posList.length;
    }
    this.pos = Int32Array.from(posList);
    this.a21 = Int32Array.from(a21List);
    this.stride = Int32Array.from(strideList);
    this.raw = new Float64Array(this.bufOff[ng]);
    this.work = new Float64Array(this.bufOff[ng]);
    this.S = new Float64Array(maxW * maxW);
    // raw rows [Z₁ | Z_rest (local) | X | y]
    const z1 = terms[0].frame.z;
    for (let g = 0; g < ng; g++) {
      const w = this.width[g];
      const trail = locals[g];
      const local = new Map(trail.map((row, c) => [row, k1 + c]));
      for (let r = layout.start[g]; r < layout.start[g + 1]; r++) {
        const i = layout.order[r];
        const o = this.bufOff[g] + (r - layout.start[g]) * w;
        for (let c = 0; c < k1; c++) this.raw[o + c] = z1[i + c * n];
        for (let t = 1; t < terms.length; t++) {
          const row0 = A.restOffset[t - 1] + terms[t].frame.group.refs[i] * terms[t].k;
          for (let j = 0; j < terms[t].k; j++) this.raw[o + (local.get(row0 + j) as number)] = terms[t].frame.z[i + j * n];
        }
        const xo = o + k1 + trail.length;
        for (let j = 0; j < p; j++) this.raw[xo + j] = frame.X[i + j * n];
        this.raw[xo + p] = y[i];
      }
    }
    this.byStratum = this.stratumSums();
    this.byPhi = this.phiPolynomial();
  }

  /**
   * Whiten every group at u and pour the cross products into A; A.logW = −log|Λ(ϱ)|.
   * Returns false where the structure is not valid.
   */
  fill(u: ArrayLike<number>, off: number, fitted: Float64Array | undefined): boolean {
    if (!this.rs.set(u, off, fitted)) return false;
    if (this.byStratum) {
      // v is normalised, so log|Λ| = 0
      this.combine(this.byStratum, this.rs.stratumV!.map((v) => 1 / (v * v)));
      this.A.logW = 0;
      return true;
    }
    if (this.byPhi) {
      const phi = this.rs.cor!.natural(u, off)[0];
      const d = 1 - phi * phi;
      this.combine(this.byPhi.P, [1 / d, phi / d, (phi * phi) / d]);
      this.A.logW = -this.byPhi.K * Math.log(d);
      return true;
    }
    return this.accumulate(this.rs.v);
  }

  /**
   * A from the rows divided by v and whitened group by group; A.logW = −log|Λ(ϱ)|. False where
   * a correlation block is not positive definite.
   */
  private accumulate(v: Float64Array): boolean {
    const { A, rs, raw, work, S } = this;
    const { layout } = rs;
    const k1 = A.k1;
    const D = A.D;
    const kk = k1 * k1;
    const { A11, A21, A22 } = A;
    A11.fill(0);
    A21.fill(0);
    A22.fill(0);
    let logdet = rs.logdetV;
    for (let g = 0; g < layout.ngroups; g++) {
      const a = layout.start[g];
      const m = layout.start[g + 1] - a;
      if (m === 0) continue;
      const w = this.width[g];
      const o = this.bufOff[g];
      for (let r = 0; r < m; r++) {
        const s = 1 / v[layout.order[a + r]];
        const ro = o + r * w;
        for (let j = 0; j < w; j++) work[ro + j] = raw[ro + j] * s;
      }
      const ld = rs.whiten(g, work, o, w);
      if (!Number.isFinite(ld)) return false;
      logdet += ld;
      // S = lower triangle of W_gᵀ W_g, column pair by column pair, each a sum in a local
      const end = o + m * w;
      for (let c = 0; c < w; c++) {
        for (let d = c; d < w; d++) {
          let sum = 0;
          for (let ro = o; ro < end; ro += w) sum += work[ro + c] * work[ro + d];
          S[d + c * w] = sum;
        }
      }
      const lev = this.level[g];
      for (let c = 0; c < k1; c++) for (let d = c; d < k1; d++) A11[lev * kk + d + c * k1] += S[d + c * w];
      const co = this.colOff[g];
      const nrest = w - k1;
      for (let x = 0; x < nrest; x++) {
        const col = k1 + x;
        const base = this.a21[co + x];
        const st = this.stride[co + x];
        for (let c = 0; c < k1; c++) A21[base + c * st] += S[col + c * w];
        const px = this.pos[co + x];
        for (let z = x; z < nrest; z++) A22[px * D + this.pos[co + z]] += S[k1 + z + col * w];
      }
    }
    A.logW = -logdet;
    return true;
  }

  /**
   * Without a correlation structure and with one multiplier per stratum (varIdent), A is
   * Σ_s A_s / v_s² with A_s the cross products of stratum s's rows: summed once here (rows of
   * other strata divided by an infinite v), so that an evaluation costs the size of A, not a
   * pass over the rows. Undefined for other structures.
   */
  private readonly byStratum: readonly Blocks[] | undefined;

  private stratumSums(): Blocks[] | undefined {
    const { rs } = this;
    const strata = rs.variance?.strata;
    if (rs.cor || !rs.variance?.byStratumOnly || !strata) return undefined;
    const codes = strata.codes;
    const v = new Float64Array(codes.length);
    return strata.names.map((_, k) => {
      for (let i = 0; i < v.length; i++) v[i] = codes[i] === k ? 1 : Infinity;
      this.accumulate(v);
      return this.copyBlocks(1);
    });
  }

  /**
   * With AR(1) residuals on positions without gaps and no variance function, (1 − φ²) C_g⁻¹ is
   * tridiagonal with entries 1, 1 + φ² and −φ, so (1 − φ²) A(φ) is a quadratic polynomial in φ
   * entry by entry, and log|Λ| = K log(1 − φ²). The polynomial's three coefficients are
   * interpolated once from A at three φ and checked at a fourth (positions with gaps fail the
   * check and keep the pass over the rows), so that an evaluation costs the size of A.
   */
  private readonly byPhi: { P: readonly Blocks[]; K: number } | undefined;

  private phiPolynomial(): { P: Blocks[]; K: number } | undefined {
    const { rs, A } = this;
    const cor = rs.cor;
    if (rs.variance || !cor?.quadraticPrecision) return undefined;
    const u = new Float64Array(1);
    const phis: number[] = [];
    const B: Blocks[] = [];
    const K: number[] = [];
    for (const uj of [-1, 0, 1, 0.5]) {
      u[0] = uj;
      if (!rs.set(u, 0, undefined) || !this.accumulate(rs.v)) return undefined;
      const phi = cor.natural(u, 0)[0];
      phis.push(phi);
      B.push(this.copyBlocks(1 - phi * phi));
      if (phi !== 0) K.push(A.logW / -Math.log(1 - phi * phi));
    }
    // Lagrange interpolation through the first three φ: coefficients of 1, φ, φ²
    const [a, b, c] = phis;
    const P = [0, 1, 2].map(() => this.copyBlocks(0));
    const basis = [
      [b * c, -(b + c), 1].map((x) => x / ((a - b) * (a - c))),
      [a * c, -(a + c), 1].map((x) => x / ((b - a) * (b - c))),
      [a * b, -(a + b), 1].map((x) => x / ((c - a) * (c - b))),
    ];
    for (const key of KEYS) {
      for (let m = 0; m < P[0][key].length; m++) {
        for (let d = 0; d < 3; d++) P[d][key][m] = basis[0][d] * B[0][key][m] + basis[1][d] * B[1][key][m] + basis[2][d] * B[2][key][m];
      }
    }
    // the check at the fourth φ, entry by entry, and one K for every φ
    const f = phis[3];
    for (const key of KEYS) {
      const want = B[3][key];
      let scale = 0;
      for (let m = 0; m < want.length; m++) scale = Math.max(scale, Math.abs(want[m]));
      for (let m = 0; m < want.length; m++) if (Math.abs(P[0][key][m] + f * P[1][key][m] + f * f * P[2][key][m] - want[m]) > 1e-10 * scale) return undefined;
    }
    if (K.some((k) => Math.abs(k - K[0]) > 1e-9 * Math.max(1, Math.abs(K[0])))) return undefined;
    return { P, K: K[0] };
  }

  /** A's three arrays, copied and multiplied by `factor`. */
  private copyBlocks(factor: number): Blocks {
    const { A } = this;
    return { A11: A.A11.map((x) => x * factor), A21: A.A21.map((x) => x * factor), A22: A.A22.map((x) => x * factor) };
  }

  /** A = Σ_k w_k S_k. */
  private combine(sums: readonly Blocks[], w: ArrayLike<number>): void {
    const { A } = this;
    for (const key of KEYS) {
      const out = A[key];
      out.fill(0);
      for (let k = 0; k < sums.length; k++) {
        const wk = w[k];
        const src = sums[k][key];
        for (let m = 0; m < out.length; m++) out[m] += wk * src[m];
      }
    }
  }
}

/** The cross-product arrays a residual structure fills. */
type Blocks = { A11: Float64Array; A21: Float64Array; A22: Float64Array };
const KEYS = ["A11", "A21", "A22"] as const;

/**
 * The random-effects layer with term `first` (of the fitted order) moved to the front, so that
 * the correlation groups lie within the levels of the first term; θ follows the new order.
 */
function effectsWithFirst(frame: ModelFrame, base: RandomEffects, first: number): RandomEffects {
  if (first === 0) return base;
  const order = [base.order[first], ...base.order.filter((_, i) => i !== first)];
  let off = 0;
  const terms = order.map((i) => {
    const t = new ReTerm(frame.reterms[i], off);
    off += t.ntheta;
    return t;
  });
  const re = Object.create(RandomEffects.prototype) as RandomEffects;
  return Object.freeze(Object.assign(re, { terms: Object.freeze(terms), order: Object.freeze(order), ntheta: base.ntheta, q: base.q }));
}

/** The term whose grouping contains each correlation group, or −1. */
function containingTerm(terms: readonly ReTerm[], groupOf: Int32Array): number {
  for (let t = 0; t < terms.length; t++) {
    const refs = terms[t].frame.group.refs;
    const seen = new Map<number, number>();
    let ok = true;
    for (let i = 0; i < refs.length && ok; i++) {
      const prev = seen.get(groupOf[i]);
      if (prev === undefined) seen.set(groupOf[i], refs[i]);
      else if (prev !== refs[i]) ok = false;
    }
    if (ok) return t;
  }
  return -1;
}

/**
 * Fit a linear mixed model with a residual structure to a model frame already built.
 *
 * @param frame - the model frame.
 * @param table - the data it was built from.
 * @param options - see {@link ResidualFitOptions}.
 * @param t0 - when the fit started.
 * @returns the fitted model.
 * @throws MlmError when the model cannot be fitted.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("Reaction ~ Days + (1 | Subject)"), sleepstudy);
 * fitLmmResidualFrame(frame, sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }).logLik; // -868.0955
 * ```
 */
export function fitLmmResidualFrame(frame: ModelFrame, table: DataTable, options: ResidualFitOptions = {}, t0 = performance.now()): ResidualModel {
  const reml = options.reml ?? true;
  const n = frame.n;
  const p = frame.fixefNames.length;
  if (frame.reterms.length === 0) throw new MlmError("The formula has no random-effects term such as (1 | group); use fitGls for a model without random effects.");
  requireNumericResponse(frame.response);
  if (n <= p) throw new MlmError(`There are ${n} observations for ${p} fixed effects; a linear mixed model needs more observations than fixed effects.`);
  const base = RandomEffects.of(frame);
  const corSpec: CorrelationSpec | undefined = typeof options.correlation === "string" ? parseCorrelation(options.correlation) : options.correlation;
  // without "| g" the correlation applies within the innermost grouping (nlme's default)
  const inner = base.terms[0].frame.group;
  const fallback = { name: inner.name, refs: inner.refs, nlev: inner.levels.length };
  const rs = new ResidualStructure(corSpec, options.variance, table, frame.rows, fallback);
  const t = containingTerm(base.terms, rs.layout.groupOf);
  if (t < 0) {
    throw new MlmError(`The correlation grouping ${corSpec?.group ?? ""} cuts across every random-effects grouping factor; group the correlation by ${inner.name} or a factor nested within one grouping factor.`);
  }
  const re = effectsWithFirst(frame, base, t);
  const terms = re.terms;
  const A = new CrossProducts(terms, n, p);
  const off = frame.offset;
  const y = off ? frame.response.y.map((v, i) => v - off[i]) : frame.response.y;
  const blocks = new ResidualBlocks(A, rs, frame, y);
  const ws = new LmmWorkspace(A);
  const ntheta = ws.ntheta;
  const thLower = re.lower();
  const theta0 = re.start();
  const x0 = new Float64Array(ntheta + rs.npar);
  x0.set(theta0);
  x0.set(rs.start(), ntheta);
  const lower = new Float64Array(ntheta + rs.npar).fill(-Infinity);
  lower.set(thLower);

  const crit = (x: Float64Array, fitted: Float64Array | undefined): number => {
    if (!blocks.fill(x, ntheta, fitted)) return Infinity;
    return ws.objective(x.subarray(0, ntheta), reml);
  };
  const fittedAt = (x: Float64Array, fitted: Float64Array | undefined): Float64Array => {
    crit(x, fitted);
    return conditionalFitted(x, ws.beta());
  };
  const conditionalFitted = (x: Float64Array, beta: Float64Array): Float64Array => {
    const mu = linearPredictor(frame, beta);
    const b = re.sphericalToB(ws.lambda, ws.u(beta));
    re.addZb(b, mu);
    return mu;
  };
  // fitted values for fitted(.) covariates start at the fit without the structure
  let fitted0: Float64Array | undefined;
  if (rs.usesFitted) {
    const plain = new ResidualStructure(undefined, undefined, table, frame.rows, fallback);
    const pb = new ResidualBlocks(A, plain, frame, y);
    pb.fill(new Float64Array(0), 0, undefined);
    // only a start: the alternation below refines the fitted values
    const o = optimizeStructure((th) => ws.objective(th, reml), theta0, thLower, false, () => new Float64Array(0), undefined, options.maxEval ?? 20000, 1e-4);
    ws.objective(o.x, reml);
    // and θ starts there too (BodyWeight with varPower(): 549 evaluations in the first round from θ's usual start)
    x0.set(o.x);
    const beta = ws.beta();
    const mu = linearPredictor(frame, beta);
    re.addZb(re.sphericalToB(ws.lambda, ws.u(beta)), mu);
    fitted0 = mu;
  }
  // from the fit without the structure, θ is measured in units of its own size (at least 0.1):
  // a random slope's θ can be a hundredth of the intercept's (BodyWeight, varPower(): 410 → 143
  // evaluations)
  const scale = fitted0 ? Float64Array.from(x0, (v, j) => (j < ntheta ? Math.max(Math.abs(v), 0.1) : 1)) : undefined;
  const opt = optimizeStructure(crit, x0, lower, rs.usesFitted, fittedAt, fitted0, options.maxEval ?? 20000, undefined, scale);
  const value = crit(opt.x, opt.fitted);
  if (!Number.isFinite(value)) throw new MlmError("The model could not be fitted: the criterion is not finite at the optimum; check the data or simplify the model.");
  // θ and σ of the model as written: the optimizer saw the variance multipliers scaled by 1/g
  const g = rs.vScale;
  const theta = opt.x.slice(0, ntheta).map((v) => v * g);
  const u = opt.x.slice(ntheta);
  const beta = ws.beta();
  const sigma = Math.sqrt(ws.pwrss() / (reml ? n - p : n)) / g;
  // nlme scales vcov(β̂) by the unbiased σ² = r² / (n − p) under ML as well
  const s2 = ws.pwrss() / (n - p);
  const vcov = ws.unscaledVcov().map((v) => v * s2);
  const fitted = conditionalFitted(opt.x, beta);
  // b̂ (ws holds the optimum after conditionalFitted's evaluation) per term of the frame
  const bAll = re.sphericalToB(ws.lambda, ws.u(beta));
  const ranef: Float64Array[] = new Array<Float64Array>(frame.reterms.length);
  let bOff = 0;
  const ranefCovariance: Float64Array[] = new Array<Float64Array>(frame.reterms.length);
  const s2opt = ws.pwrss() / (reml ? n - p : n);
  re.terms.forEach((term, t) => {
    ranef[re.order[t]] = bAll.slice(bOff, bOff + term.q);
    bOff += term.q;
    // Cov(b_t) = σ² Λ_t Λ_tᵀ on the optimizer's scale, which b̂ is on too (response units)
    const k = term.k;
    const lam = ws.lambda[t];
    const cov = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += lam[a + j * k] * lam[c + j * k];
      cov[a + c * k] = s2opt * sum;
    }
    ranefCovariance[re.order[t]] = cov;
  });
  // Var(b | y) = σ² Λ C Λ' per level, C the level's block of (L_ZZ L_ZZ')⁻¹ (on the optimizer's
  // scale, as b̂); the workspace is re-evaluated at the optimum first (criterionAt moves it)
  let condVarUCache: Float64Array[] | undefined;
  const condVarUAtOptimum = (): Float64Array[] => {
    if (!condVarUCache) {
      crit(opt.x, opt.fitted);
      condVarUCache = ws.condVarU();
    }
    return condVarUCache;
  };
  let condVarCache: Float64Array[] | undefined;
  let ranefRowsCache: readonly RanefRow[] | undefined;
  const conditionalCovariance = (): Float64Array[] => {
    const cov = re.conditionalCovariance(ws.lambda, condVarUAtOptimum());
    const out: Float64Array[] = new Array<Float64Array>(frame.reterms.length);
    cov.forEach((blocks, t) => (out[re.order[t]] = blocks.map((v) => s2opt * v)));
    return out;
  };
  const residuals = frame.response.y.map((v, i) => v - fitted[i]);
  const npar = p + ntheta + rs.npar + 1;
  const messages = [...frame.messages];
  const singularAt = re.singularGroups(theta, 1e-4);
  if (singularAt.length > 0) messages.push(singularFitMessage(singularAt));
  if (!opt.converged) messages.push(notConvergedMessage(opt.evaluations));
  return Object.freeze({
    kind: "lme" as const,
    formula: frame.formula.text,
    method: reml ? ("REML" as const) : ("ML" as const),
    frame,
    nobs: n,
    ngroups: Object.freeze(re.ngroups()),
    fixefNames: frame.fixefNames,
    beta,
    vcov,
    fixef: Object.freeze(fixefRows(frame.fixefNames, beta, vcov)),
    sigma,
    theta,
    ranef: Object.freeze(ranef),
    ranefCovariance: Object.freeze(ranefCovariance),
    varcorr: Object.freeze(varCorr(re, theta, sigma, true)),
    ...rs.results(u, 0),
    structureParameters: u,
    npar,
    logLik: -value / 2,
    AIC: value + 2 * npar,
    BIC: value + npar * Math.log(reml ? n - p : n),
    converged: opt.converged,
    optimizer: { name: "bobyqa", evaluations: opt.evaluations, criterion: value, converged: opt.converged },
    fitted,
    residuals,
    messages: Object.freeze(messages),
    fitSeconds: (performance.now() - t0) / 1000,
    optimum: opt.x,
    natural: (v: Float64Array) => rs.natural(v),
    nthetaOptimum: ntheta,
    varcorrAt: (x: ArrayLike<number>, s: number) => varCorr(re, Array.from(x).slice(0, ntheta), s, false),
    criterionAt: (x: ArrayLike<number>) => crit(Float64Array.from(x), opt.fitted),
    colourResiduals: (e: Float64Array) => rs.colour(opt.x, ntheta, opt.fitted, Math.sqrt(s2opt), e),
    condVar: () => (condVarCache ??= conditionalCovariance()),
    ranefRows: () => (ranefRowsCache ??= Object.freeze(re.ranefRows(re.lambdas(opt.x.subarray(0, ntheta)), bAll, condVarUAtOptimum(), Math.sqrt(s2opt)))),
    varianceMultipliers: (t: DataTable, rows: Int32Array, mu: Float64Array) => rs.newMultipliers(t, rows, opt.x, ntheta, mu),
    covarianceAt: (x: ArrayLike<number>) => (Number.isFinite(crit(Float64Array.from(x), opt.fitted)) ? { r2: ws.pwrss(), unscaledVcov: ws.unscaledVcov(), scale: rs.vScale } : undefined),
  });
}
