/**
 * Generalized least squares with a residual correlation structure and/or variance function
 * (nlme's gls). For structure parameters ϱ, with the rows whitened group by group,
 * [X̃ ỹ] = W(ϱ)[X y] (see structure.ts), β and σ are profiled out analytically:
 *
 *     −2 ℓ(ϱ)   = n (1 + log(2π r²/n)) + log|Λ(ϱ)|                              (ML)
 *     −2 ℓ_R(ϱ) = (n − p)(1 + log(2π r²/(n − p))) + log|X̃'X̃| + log|Λ(ϱ)|       (REML)
 *
 * with r² the residual sum of squares of ỹ on X̃ and log|Λ| = Σ_g log|Λ_g| (Pinheiro and Bates
 * 2000, section 5.1.1). Each evaluation whitens [X y] (O(n) for AR(1), small dense blocks
 * otherwise) and factors the (p + 1) × (p + 1) cross product: O(n p²), no n × n matrix.
 */
import { MlmError } from "../errors.js";
import type { DataInput } from "../data/data-input.js";
import type { DataTable } from "../data/table.js";
import { toDataTable } from "../data/to-data-table.js";
import { parseFormula } from "../formula/index.js";
import type { Formula } from "../formula/ast.js";
import { cholesky, solveLowerTranspose } from "../linalg/dense.js";
import { inverseFromCholesky } from "../linalg/least-squares.js";
import { modelFrame, requireNumericResponse } from "../model-frame/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import { fixefRows } from "../model/mixed-model.js";
import { notConvergedMessage } from "../messages.js";
import { bobyqa } from "../optim/index.js";
import { ResidualStructure } from "./residual-structure.js";
import type { ResidualFitOptions, ResidualModel } from "./residual-model.js";

/**
 * Fit a linear model by generalized least squares with nlme's residual structures.
 *
 * @param formula - a formula without random-effects terms, e.g. `"Reaction ~ Days"`.
 * @param data - columns, rows, an Arrow-like table, or a DataTable.
 * @param options - correlation, variance, REML or ML, categorical columns.
 * @returns the fitted model.
 * @throws MlmError for bad formulas, structures or data.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)", factors: ["Subject"] });
 * m.correlation?.parameters; // { Phi: 0.79995 }   (nlme: 0.79995)
 * m.logLik;                  // -869.603           (nlme: -869.6030)
 * ```
 */
export function fitGls(formula: string | Formula, data: DataInput, options: ResidualFitOptions = {}): ResidualModel {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const table = toDataTable(data, { factors: options.factors });
  const frame = modelFrame(f, table);
  if (frame.reterms.length > 0) throw new MlmError("fitGls fits models without random-effects terms; use fitLmmResidual for a formula with (… | group).");
  return fitGlsFrame(frame, table, options, t0);
}

/** The GLS criterion and its pieces at one ϱ. */
class GlsWorkspace {
  readonly c: number;
  readonly raw: Float64Array;
  readonly w: Float64Array;
  readonly S: Float64Array;
  logdet = 0;

  constructor(
    readonly frame: ModelFrame,
    readonly rs: ResidualStructure,
  ) {
    const n = frame.n;
    const p = frame.fixefNames.length;
    const c = p + 1;
    this.c = c;
    this.raw = new Float64Array(n * c);
    this.w = new Float64Array(n * c);
    this.S = new Float64Array(c * c);
    const { order } = rs.layout;
    const y = frame.response.y;
    const off = frame.offset;
    for (let r = 0; r < n; r++) {
      const i = order[r];
      for (let j = 0; j < p; j++) this.raw[r * c + j] = frame.X[i + j * n];
      this.raw[r * c + p] = y[i] - (off ? off[i] : 0);
    }
  }

  /** Whiten and factor at u; false where the structure is not valid. */
  update(u: ArrayLike<number>, fitted: Float64Array | undefined): boolean {
    const { rs, raw, w, S, c } = this;
    if (!rs.set(u, 0, fitted)) return false;
    const { order, start, ngroups } = rs.layout;
    const n = order.length;
    const v = rs.v;
    for (let r = 0; r < n; r++) {
      const s = 1 / v[order[r]];
      for (let j = 0; j < c; j++) w[r * c + j] = raw[r * c + j] * s;
    }
    let logdet = rs.logdetV;
    for (let g = 0; g < ngroups; g++) {
      if (start[g + 1] === start[g]) continue;
      const ld = rs.whiten(g, w, start[g] * c, c);
      if (!Number.isFinite(ld)) return false;
      logdet += ld;
    }
    this.logdet = logdet;
    // S = W'W column pair by column pair, each a sum in a local (the rows are strided by c)
    for (let a = 0; a < c; a++) {
      for (let b = a; b < c; b++) {
        let sum = 0;
        for (let o = 0; o < n * c; o += c) sum += w[o + a] * w[o + b];
        S[b + a * c] = sum;
      }
    }
    return cholesky(S, c, c) < 0;
  }

  rss(): number {
    const c = this.c;
    const r = this.S[c * c - 1];
    return r * r;
  }

  logdetRX(): number {
    let s = 0;
    for (let j = 0; j < this.c - 1; j++) s += Math.log(this.S[j + j * this.c]);
    return 2 * s;
  }

  criterion(u: ArrayLike<number>, reml: boolean, fitted: Float64Array | undefined): number {
    if (!this.update(u, fitted)) return Infinity;
    const n = this.frame.n;
    const p = this.c - 1;
    const nu = reml ? n - p : n;
    const r2 = this.rss();
    if (!(r2 > 0)) return Infinity;
    return nu * (1 + Math.log((2 * Math.PI * r2) / nu)) + (reml ? this.logdetRX() : 0) + this.logdet;
  }

  beta(): Float64Array {
    const c = this.c;
    const p = c - 1;
    const beta = new Float64Array(p);
    for (let j = 0; j < p; j++) beta[j] = this.S[p + j * c];
    solveLowerTranspose(this.S, p, c, beta);
    return beta;
  }

  unscaledVcov(): Float64Array {
    return inverseFromCholesky(this.S, this.c - 1, this.c);
  }
}

/** Xβ (+ offset) on the model-frame rows. */
export function linearPredictor(frame: ModelFrame, beta: ArrayLike<number>): Float64Array {
  const n = frame.n;
  const out = frame.offset ? Float64Array.from(frame.offset) : new Float64Array(n);
  for (let j = 0; j < beta.length; j++) {
    const b = beta[j];
    for (let i = 0; i < n; i++) out[i] += frame.X[i + j * n] * b;
  }
  return out;
}

/**
 * Minimise a criterion over the structure parameters, and when the variance function uses the
 * fitted values, alternate as nlme does: hold the fitted values, optimise, update them from the
 * new β̂, until the criterion and the fitted values settle.
 *
 * @param crit - the criterion given the fitted values.
 * @param x0 - start.
 * @param lower - lower bounds.
 * @param usesFitted - whether to iterate on the fitted values.
 * @param fittedAt - fitted values at a parameter vector.
 * @param initialFitted - fitted values to start from.
 * @param maxEval - evaluation limit per optimisation.
 * @param rhoEnd - the optimizer's final trust-region radius (looser for a fit that only gives starting values).
 * @param scale - optional: the optimizer works on x / scale (a unit of each parameter's size).
 * @returns the optimum, the fitted values it was computed with, and the optimizer's summary.
 * @example
 * ```ts
 * const o = optimizeStructure((x) => (x[0] - 2) ** 2, Float64Array.of(1), Float64Array.of(-Infinity), false, (x) => x, undefined, 200);
 * o.x[0]; // 2
 * o.converged; // true
 * ```
 */
export function optimizeStructure(
  crit: (x: Float64Array, fitted: Float64Array | undefined) => number,
  x0: Float64Array,
  lower: Float64Array,
  usesFitted: boolean,
  fittedAt: (x: Float64Array, fitted: Float64Array | undefined) => Float64Array,
  initialFitted: Float64Array | undefined,
  maxEval: number,
  rhoEnd = 1e-7,
  scale?: Float64Array,
): { x: Float64Array; fitted: Float64Array | undefined; evaluations: number; converged: boolean } {
  if (scale) {
    // the optimizer works on x / scale
    const up = (z: Float64Array): Float64Array => z.map((v, j) => v * scale[j]);
    const o = optimizeStructure((z, f) => crit(up(z), f), x0.map((v, j) => v / scale[j]), lower.map((v, j) => v / scale[j]), usesFitted, (z, f) => fittedAt(up(z), f), initialFitted, maxEval, rhoEnd);
    return { ...o, x: up(o.x) };
  }
  let fitted = initialFitted;
  let x = x0;
  let evaluations = 0;
  let converged = false;
  let change = Infinity;
  let lastCrit = Infinity;
  let lastDmu = Infinity;
  for (let iter = 0; iter < (usesFitted ? 100 : 1); iter++) {
    // later rounds start where the last one ended, with a trust region of the size of its last move
    const rhoBeg = iter === 0 ? 0.2 : Math.min(0.02, Math.max(1e-5, 10 * change));
    // a round of an alternation need not be finer than the fitted values it holds: the first
    // ends at radius 1e-4, later ones at the last change of the fitted values (down to rhoEnd)
    const end = usesFitted ? Math.max(Math.min(rhoEnd, rhoBeg / 10), Math.min(1e-4, lastDmu)) : rhoEnd;
    const opt = bobyqa((t) => crit(t, fitted), x, { lower, rhoBeg, rhoEnd: end, maxEval });
    evaluations += opt.evaluations;
    converged = opt.converged;
    change = Math.max(0, ...Array.from(opt.x, (v, i) => Math.abs(v - x[i])));
    x = opt.x;
    if (!usesFitted) break;
    const next = fittedAt(x, fitted);
    let dmu = 0;
    for (let i = 0; i < next.length; i++) dmu = Math.max(dmu, Math.abs(next[i] - (fitted as Float64Array)[i]) / Math.max(1, Math.abs(next[i])));
    fitted = next;
    lastDmu = dmu;
    // settled: the criterion moved by less than 1e-5 and the fitted values by less than 1e-6
    // (relative); the parameters themselves can wander further along a flat ridge (σ against
    // the power of varPower) without changing the fit
    if (iter > 0 && Math.abs(opt.fx - lastCrit) < 1e-5 && dmu < 1e-6) break;
    lastCrit = opt.fx;
  }
  return { x, fitted, evaluations, converged };
}

/**
 * Fit GLS to a model frame already built.
 *
 * @param frame - the model frame (no random-effects terms).
 * @param table - the data it was built from (for the structures' columns).
 * @param options - see {@link ResidualFitOptions}.
 * @param t0 - when the fit started.
 * @returns the fitted model.
 * @throws MlmError when the model cannot be fitted.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
 * fitGlsFrame(frame, sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }).correlation?.parameters; // { Phi: 0.79995 }
 * ```
 */
export function fitGlsFrame(frame: ModelFrame, table: DataTable, options: ResidualFitOptions = {}, t0 = performance.now()): ResidualModel {
  const reml = options.reml ?? true;
  const n = frame.n;
  const p = frame.fixefNames.length;
  requireNumericResponse(frame.response);
  if (n <= p) throw new MlmError(`There are ${n} observations for ${p} coefficients; generalized least squares needs more observations than coefficients.`);
  const rs = new ResidualStructure(options.correlation, options.variance, table, frame.rows, undefined);
  const ws = new GlsWorkspace(frame, rs);
  const x0 = rs.start();
  const lower = new Float64Array(rs.npar).fill(-Infinity);
  // the fitted values start at OLS (the structure at its start), as nlme's do
  let fitted0: Float64Array | undefined;
  if (rs.usesFitted) {
    const ols = new ResidualStructure(undefined, undefined, table, frame.rows, undefined);
    const w0 = new GlsWorkspace(frame, ols);
    if (!w0.update(new Float64Array(0), undefined)) throw new MlmError("The fixed-effects columns are linearly dependent; remove the redundant ones.");
    fitted0 = linearPredictor(frame, w0.beta());
  }
  const fittedAt = (x: Float64Array, fitted: Float64Array | undefined): Float64Array => {
    ws.update(x, fitted);
    return linearPredictor(frame, ws.beta());
  };
  const opt = rs.npar > 0
    ? optimizeStructure((x, fit) => ws.criterion(x, reml, fit), x0, lower, rs.usesFitted, fittedAt, fitted0, options.maxEval ?? 20000)
    : { x: x0, fitted: fitted0, evaluations: 1, converged: true };
  const crit = ws.criterion(opt.x, reml, opt.fitted);
  if (!Number.isFinite(crit)) throw new MlmError("The model could not be fitted: the criterion is not finite at the optimum; check the data or simplify the residual structure.");
  const beta = ws.beta();
  const sigmaOpt = Math.sqrt(ws.rss() / (reml ? n - p : n));
  const sigma = sigmaOpt / rs.vScale;
  // nlme's gls scales vcov(β̂) by the unbiased σ² = r² / (n − p) under ML as well
  const s2 = ws.rss() / (n - p);
  const vcov = ws.unscaledVcov().map((v) => v * s2);
  const fitted = linearPredictor(frame, beta);
  const residuals = frame.response.y.map((v, i) => v - fitted[i]);
  const npar = p + rs.npar + 1;
  const messages = [...frame.messages];
  if (!opt.converged) messages.push(notConvergedMessage(opt.evaluations));
  return Object.freeze({
    kind: "gls" as const,
    formula: frame.formula.text,
    method: reml ? ("REML" as const) : ("ML" as const),
    frame,
    nobs: n,
    ngroups: Object.freeze({}),
    fixefNames: frame.fixefNames,
    beta,
    vcov,
    fixef: Object.freeze(fixefRows(frame.fixefNames, beta, vcov)),
    sigma,
    theta: new Float64Array(0),
    ranef: Object.freeze([]),
    ranefCovariance: Object.freeze([]),
    varcorr: Object.freeze([]),
    ...rs.results(opt.x, 0),
    structureParameters: opt.x,
    npar,
    logLik: -crit / 2,
    AIC: crit + 2 * npar,
    BIC: crit + npar * Math.log(reml ? n - p : n),
    converged: opt.converged,
    optimizer: { name: "bobyqa", evaluations: opt.evaluations, criterion: crit, converged: opt.converged },
    fitted,
    residuals,
    messages: Object.freeze(messages),
    fitSeconds: (performance.now() - t0) / 1000,
    optimum: opt.x,
    natural: (v: Float64Array) => rs.natural(v),
    nthetaOptimum: 0,
    varcorrAt: () => [],
    criterionAt: (x: ArrayLike<number>) => ws.criterion(x, reml, opt.fitted),
    colourResiduals: (e: Float64Array) => rs.colour(opt.x, 0, opt.fitted, sigmaOpt, e),
    condVar: () => [],
    ranefRows: () => [],
    varianceMultipliers: (t: DataTable, rows: Int32Array, mu: Float64Array) => rs.newMultipliers(t, rows, opt.x, 0, mu),
    covarianceAt: (x: ArrayLike<number>) => (Number.isFinite(ws.criterion(x, reml, opt.fitted)) ? { r2: ws.rss(), unscaledVcov: ws.unscaledVcov(), scale: rs.vScale } : undefined),
  });
}
