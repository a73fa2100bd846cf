/**
 * Fit a linear mixed model from summary statistics (src/sql/statistics.ts) instead of rows: the
 * profiled REML or ML criterion of Bates et al. (2015, JSS 67(1), section 3) depends on the data
 * only through A = [Z X y]'W[Z X y], n and Σ log w, so the estimates, standard errors, VarCorr,
 * logLik, θ, the Satterthwaite df (through `devianceAt`/`unscaledVcovAt`), likelihood-ratio
 * tests, profiles of the variance parameters and the conditional modes of the random effects are
 * those of the fit from the rows. The optimizer starts where the fit from rows starts (θ of
 * scalar random intercepts by the method of moments, from the per-level sums in A), so both
 * reach the same optimum along the same path.
 *
 * Kenward-Roger's method needs Z'Z, Z'X and X'X, which are blocks of A too. What needs the rows
 * is absent and says so: fitted values, residuals, the model matrix X (for simulation and the
 * bootstrap). Profiles of fixed effects hold β_j at a value by changing A (heldFixedEffect).
 */
import { MlmError } from "../errors.js";
import { parseFormula } from "../formula/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import { message, type Message } from "../messages.js";
import { aliasedMessage } from "../model-frame/messages.js";
import type { ReTerm } from "../terms/re-term.js";
import type { LmmStatistics } from "./statistics.js";
import { denseCrossProducts, type CrossProductBlocks } from "../lmm/cross-products.js";
import { momentStart } from "../lmm/moment-start.js";
import type { LmmOptions } from "../lmm/fit-lmm.js";
import { modelSealer } from "../model/mixed-model.js";
import { lmmOptimum, type LmmOptimumFields } from "../lmm/lmm-optimum.js";
import { statisticsCrossProducts } from "./statistics-cross-products.js";
import { LmmWorkspace } from "../lmm/workspace.js";
import { isRowlessModel, type RowlessModel } from "../lmm/rowless-model.js";

/** A linear mixed model fitted from statistics: no rows, so no fitted values or residuals. */
export interface StatisticsModel extends RowlessModel {
  /** The statistics it was fitted from. */
  readonly statistics: LmmStatistics;
}

/**
 * Whether a model was fitted from summary statistics (and so has no rows).
 *
 * @param m - a fitted model.
 * @returns true for the models of {@link fitFromStatistics}.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * isStatisticsModel(fitFromStatistics(stats)); // true
 * isStatisticsModel(sleepstudyFit); // false
 * ```
 */
export function isStatisticsModel(m: object): m is StatisticsModel {
  return isRowlessModel(m) && "statistics" in m;
}

/**
 * The sentence for a result that needs the rows of the data.
 *
 * @param what - what was asked for.
 * @returns the message.
 * @example
 * ```ts
 * rowsNeededMessage("residuals");
 * // "The model was fitted from summary statistics, which hold no rows, so its residuals are not available; fit the data in memory (without --engine or --from-stats) for them."
 * ```
 */
export function rowsNeededMessage(what: string): string {
  return `The model was fitted from summary statistics, which hold no rows, so its ${what} are not available; fit the data in memory (without --engine or --from-stats) for them.`;
}

/**
 * Fit a linear mixed model from its statistics.
 *
 * @param stats - statistics of one table or merged shards.
 * @param options - REML (default) or ML, optimizer limits; `factors` and `weights` were fixed
 *   when the statistics were computed and are ignored here.
 * @returns the fitted model, as `fitLmm` returns it, without fitted values and residuals.
 * @throws MlmError when the model cannot be fitted (too few rows, a constant response, …).
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * const m = fitFromStatistics(stats);
 * m.fixef[1]; // { term: "Days", estimate: 10.4673, se: 1.5458 }
 * m.theta;    // Float64Array [0.96673, 0.015169, 0.23091]
 * m.logLik;   // -871.8141
 * m.residuals; // throws MlmError: The model was fitted from summary statistics, which hold no rows…
 * ```
 */
export function fitFromStatistics(stats: LmmStatistics, options: LmmOptions = {}): StatisticsModel {
  const t0 = performance.now();
  const reml = options.reml ?? true;
  const formula = parseFormula(stats.plan.formula);
  const built = statisticsCrossProducts(stats, formula);
  const { A, re, terms, reterms, fixefNames } = built;
  const n = stats.n;
  const p = fixefNames.length;
  checkStatistics(A, terms, n, p);

  const messages: Message[] = [];
  if (stats.dropped > 0) messages.push(message("rows-dropped", `Dropped ${stats.dropped} of ${stats.n + stats.dropped} rows with a missing value in one of ${stats.plan.columns.join(", ")}.`));
  if (built.aliased.length > 0) messages.push(message("aliased-columns", aliasedMessage(built.aliased)));
  const frame: ModelFrame = Object.freeze({
    formula,
    n,
    dropped: stats.dropped,
    rows: new Int32Array(0),
    response: Object.freeze({ label: stats.plan.responseLabel, y: new Float64Array(0), trials: undefined, levels: undefined }),
    get X(): Float64Array {
      return noRows("model matrix X and the values computed from it (simulations, the bootstrap)");
    },
    fixefNames,
    aliased: built.aliased,
    offset: undefined,
    reterms,
    messages: Object.freeze([...messages]),
    // no rows, but the marker that the model has prior weights (Kenward-Roger refuses them)
    weights: stats.plan.weights === undefined ? undefined : new Float64Array(0),
  });

  const ws = new LmmWorkspace(A).fixA();
  const theta0 = re.start();
  momentStart(A, terms, theta0);
  const { fields, arrays } = lmmOptimum(frame, re, ws, theta0, { polish: true, ...options }, messages);
  Object.defineProperties(fields, rowlessGetters);
  const model: StatisticsModel = sealStatistics(
    Object.assign(fields as LmmOptimumFields & Pick<StatisticsModel, "fitted" | "residuals">, {
      formula: stats.plan.formula,
      fromStatistics: true as const,
      statistics: stats,
      crossProducts: () => denseCrossProducts(A),
      crossProductBlocks: () => A,
      refitMl: () => (reml ? fitFromStatistics(stats, { ...options, reml: false }) : model),
      fitSeconds: (performance.now() - t0) / 1000,
    }),
    arrays,
  );
  return model;
}

const sealStatistics = modelSealer(["beta", "vcov", "theta", "lower"]);

function noRows(what: string): never {
  throw new MlmError(rowsNeededMessage(what));
}

/** The fields that need the rows, as getters that say so (shared, so that these models share one hidden class). */
const rowlessGetters: PropertyDescriptorMap = {
  fitted: { get: () => noRows("fitted values"), enumerable: true },
  residuals: { get: () => noRows("residuals"), enumerable: true },
};

/** The checks of the fit from rows that A can answer. */
function checkStatistics(A: CrossProductBlocks, terms: readonly ReTerm[], n: number, p: number): void {
  if (n <= p) throw new MlmError(`There are ${n} observations for ${p} fixed effects; a linear mixed model needs more observations than fixed effects.`);
  // a constant response: its sum of squares about the mean is zero (Σw y² − (Σw y)² / Σw)
  const D = A.D;
  const yy = A.A22[D * D - 1];
  let sw = 0;
  let sy = 0;
  for (let g = 0; g < A.nlev1; g++) {
    const o = A.valPtr[A.colPtr[g + 1] - 1];
    if (terms[0].frame.cnms[0] === "(Intercept)") {
      sw += A.A11[g * A.k1 * A.k1];
      sy += A.A21[o + A.p];
    }
  }
  if (sw > 0 && yy - (sy * sy) / sw <= 1e-12 * yy) throw new MlmError("The response has the same value in every row, so there is no variance to model.");
  for (const t of terms) {
    if (t.nlev >= n) {
      throw new MlmError(`The grouping factor ${t.frame.group.name} has ${t.nlev} levels for ${n} observations; each group needs more than one observation on average, so its variance cannot be told from the residual variance.`);
    }
    if (t.q >= n) {
      throw new MlmError(`The term (${t.frame.cnms.join(" + ")} | ${t.frame.group.name}) has ${t.q} random effects for ${n} observations; simplify it (fewer random slopes), as its variances cannot be estimated.`);
    }
  }
}
