/**
 * Fit a linear mixed model by REML (default) or ML: profile out β and σ, and minimise the
 * profiled criterion over θ with the bounded derivative-free optimizer (Bates et al. 2015,
 * JSS 67(1), section 3). See workspace.ts for the criterion.
 */
import { MlmError } from "../errors.js";
import type { DataInput } from "../data/data-input.js";
import { toDataTable } from "../data/to-data-table.js";
import { parseFormula } from "../formula/index.js";
import type { Formula } from "../formula/ast.js";
import { modelFrame, requireNumericResponse } from "../model-frame/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import { RandomEffects } from "../terms/random-effects.js";
import { CrossProducts } from "./cross-products.js";
import { addXbeta } from "../linalg/dense.js";
import { float64Views } from "../linalg/work-arrays.js";
import { LmmWorkspace } from "./workspace.js";
import { modelSealer, type FitProgress, type LinearMixedModel } from "../model/mixed-model.js";
import { lmmOptimum } from "./lmm-optimum.js";
import { momentStart } from "./moment-start.js";

export { interceptIcc } from "./lmm-optimum.js";

/** Options of {@link fitLmm}. */
export interface LmmOptions {
  /** Fit by REML (default true); false for maximum likelihood. */
  readonly reml?: boolean;
  /** Columns to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
  /** Column of prior weights: row i has residual variance σ² / wᵢ (lme4's `weights`). */
  readonly weights?: string;
  /** Largest number of criterion evaluations (default 10000). */
  readonly maxEval?: number;
  /** Tolerance below which a θ on a zero bound marks the fit singular (lme4's 1e-4). */
  readonly singularTol?: number;
  /** Called after each evaluation of the criterion, for progress displays of long fits. */
  readonly onProgress?: FitProgress;
  /**
   * Refine BOBYQA's optimum by Newton steps on difference gradients (src/optim/newton-polish.ts),
   * so that θ̂ depends on A alone to about 1e-9 rather than on the optimizer's path to about 1e-6.
   * Default false for fits from rows (it costs 40–80% more evaluations and changes nothing a user
   * reads); fits from summary statistics polish by default, so that they agree with a polished
   * in-memory fit within 1e-8.
   */
  readonly polish?: boolean;
}

/**
 * Fit a linear mixed model.
 *
 * @param formula - an lme4 formula such as `"Reaction ~ Days + (Days | Subject)"`.
 * @param data - columns, rows, an Arrow-like table, or a DataTable.
 * @param options - REML or ML, categorical columns, optimizer limits.
 * @returns the fitted model.
 * @throws MlmError for bad formulas, data or models.
 * @example
 * ```ts
 * const m = fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * m.fixef[1]; // { term: "Days", estimate: 10.467, se: 1.546, statistic: 6.771 }
 * m.sigma;    // 25.59
 * ```
 */
export function fitLmm(formula: string | Formula, data: DataInput, options: LmmOptions = {}): LinearMixedModel {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const table = toDataTable(data, { factors: options.factors });
  const frame = modelFrame(f, table, options.weights ? { weights: options.weights } : undefined);
  return fitLmmFrame(frame, options, t0);
}

/**
 * Fit a linear mixed model to a model frame already built.
 *
 * @param frame - the model frame.
 * @param options - see {@link LmmOptions}.
 * @param t0 - `performance.now()` when the fit started (for `fitSeconds`).
 * @returns the fitted model.
 * @throws MlmError when the model cannot be fitted to these data.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("Yield ~ 1 + (1 | Batch)"), dyestuff);
 * const m = fitLmmFrame(frame, { reml: false });
 * [m.method, m.logLik]; // ["ML", -163.6635]
 * ```
 */
export function fitLmmFrame(frame: ModelFrame, options: LmmOptions = {}, t0 = performance.now()): LinearMixedModel {
  const n = frame.n;
  const p = frame.fixefNames.length;
  const y = frame.response.y;
  checkLmm(frame);

  const re = RandomEffects.of(frame);
  const A = new CrossProducts(re.terms, n, p);
  // an offset is known: fit y − offset, and add it back to the fitted values
  const offset = frame.offset;
  A.fill(frame.X, offset ? y.map((v, i) => v - offset[i]) : y, frame.weights?.map(Math.sqrt));
  const ws = new LmmWorkspace(A).fixA();
  const theta0 = re.start();
  momentStart(A, re.terms, theta0);
  const { fields, arrays, b } = lmmOptimum(frame, re, ws, theta0, options, frame.messages);

  // fitted values and residuals: offset + Xβ + Zb
  const [fitted, residuals] = float64Views([n, n]);
  if (offset) fitted.set(offset);
  addXbeta(frame.X, n, p, arrays.beta, fitted);
  re.addZb(b, fitted);
  for (let i = 0; i < n; i++) residuals[i] = y[i] - fitted[i];
  const model = Object.assign(fields, { crossProducts: () => A.dense(), fitSeconds: (performance.now() - t0) / 1000 });
  // named, not spread: `{ ...arrays, fitted }` takes V8's slow path (over a microsecond)
  return sealLmm(model, { beta: arrays.beta, vcov: arrays.vcov, theta: arrays.theta, lower: arrays.lower, fitted, residuals });
}

const sealLmm = modelSealer(["beta", "vcov", "theta", "lower", "fitted", "residuals"]);

/** Reject models lme4 would refuse, with a sentence that says why. */
function checkLmm(frame: ModelFrame): void {
  // lmer refuses a factor response; coding it 0/1 would fit a linear probability model
  requireNumericResponse(frame.response);
  const n = frame.n;
  const p = frame.fixefNames.length;
  if (frame.reterms.length === 0) {
    throw new MlmError("The formula has no random-effects term such as (1 | group); add one, or use ordinary regression for a model without grouping.");
  }
  if (n <= p) throw new MlmError(`There are ${n} observations for ${p} fixed effects; a linear mixed model needs more observations than fixed effects.`);
  const y = frame.response.y;
  let allSame = true;
  for (let i = 1; i < n && allSame; i++) if (y[i] !== y[0]) allSame = false;
  if (allSame) throw new MlmError(`The response ${frame.response.label} has the same value (${y[0]}) in every row, so there is no variance to model.`);
  if (frame.weights?.some((w) => !(w > 0))) throw new MlmError("The weights of a linear mixed model must all be positive (each row's residual variance is σ² / weight).");
  for (const t of frame.reterms) {
    const nlev = t.group.levels.length;
    if (nlev >= n) {
      throw new MlmError(`The grouping factor ${t.group.name} has ${nlev} levels for ${n} observations; each group needs more than one observation on average, so its variance cannot be told from the residual variance.`);
    }
    const q = nlev * t.cnms.length;
    if (q >= n) {
      throw new MlmError(`The term (${t.cnms.join(" + ")} | ${t.group.name}) has ${q} random effects for ${n} observations; simplify it (fewer random slopes), as its variances cannot be estimated.`);
    }
  }
}
