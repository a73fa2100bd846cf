/**
 * The statistics paths of `mlm fit`: `--engine duckdb` (DuckDB aggregates the file, the fit uses
 * the statistics) and `--from-stats FILE` (statistics written by `mlm stats`, or the result of
 * the query `mlm sql` prints, run on another engine).
 */
import { MlmError, fitFromStatistics } from "../index.js";
import type { MixedModel } from "../index.js";
import { readStatistics } from "./statistics-files.js";
import type { CliIo } from "./cli-io.js";
import { fitProgress } from "./progress.js";

/** The options of `mlm fit` this path reads. */
export interface StatisticsFitOptions {
  readonly engine?: "memory" | "duckdb";
  readonly fromStats?: string;
  readonly factor?: string[];
  readonly weights?: string;
  readonly ml?: boolean;
  readonly family?: string;
  readonly iccCi?: boolean;
  readonly compareOls?: boolean;
}

/**
 * Fit from statistics when the options ask for it.
 *
 * @param data - the DATA argument (with --from-stats and one argument: the formula).
 * @param formula - the FORMULA argument.
 * @param options - the parsed options of `mlm fit`.
 * @param io - where a long fit shows its progress (stderr on a terminal); none when omitted.
 * @returns the model, or undefined for the ordinary in-memory fit.
 * @throws MlmError for options that need the rows, a GLMM, or statistics of another formula.
 * @example
 * ```ts
 * import { isRowlessModel } from "../lmm/rowless-model.js";
 * const m = await statisticsFit(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", { engine: "duckdb" });
 * [m?.fixef[1].estimate, isRowlessModel(m as object)]; // [10.467, true]
 *
 * // the in-memory fit is the caller's
 * await statisticsFit(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", {}); // undefined
 * await statisticsFit(dataFile("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", { engine: "duckdb", family: "poisson" });
 * // throws MlmError: --engine duckdb fits linear mixed models only…
 * ```
 */
export async function statisticsFit(data: string | undefined, formula: string | undefined, options: StatisticsFitOptions, io?: CliIo): Promise<MixedModel | undefined> {
  const engine = options.engine ?? "memory";
  if (options.fromStats === undefined && engine === "memory") return undefined;
  const how = options.fromStats !== undefined ? "--from-stats" : "--engine duckdb";
  if (options.fromStats !== undefined && engine !== "memory") throw new MlmError("Give either --from-stats or --engine duckdb, not both.");
  if ((options.family ?? "gaussian") !== "gaussian") throw new MlmError(`${how} fits linear mixed models only; drop --family, or fit the data in memory.`);
  if (options.iccCi || options.compareOls) throw new MlmError(`${options.iccCi ? "--icc-ci" : "--compare-ols"} needs the rows of the data, which ${how} never loads; fit in memory for it.`);
  if (options.fromStats !== undefined) {
    if (data !== undefined && formula !== undefined) throw new MlmError("With --from-stats, give no data file; the statistics replace it (a formula alone is allowed, for a result table of mlm sql).");
    const f = formula ?? data;
    const stats = await readStatistics(options.fromStats, { formula: f, factors: options.factor, weights: options.weights });
    if (f !== undefined && f !== stats.plan.formula) throw new MlmError(`The statistics in '${options.fromStats}' are for the formula '${stats.plan.formula}', not '${f}'; compute them for this formula.`);
    return fitWithProgress(stats, options, io);
  }
  if (data === undefined || formula === undefined) throw new MlmError('Give a data file and a formula, e.g. `mlm fit data.parquet "y ~ x + (1 | g)" --engine duckdb`.');
  const { stats } = await (await import("../io/duckdb.js")).duckdbStatistics(data, formula, { factors: options.factor, weights: options.weights });
  return fitWithProgress(stats, options, io);
}

function fitWithProgress(stats: Parameters<typeof fitFromStatistics>[0], options: StatisticsFitOptions, io: CliIo | undefined): MixedModel {
  const progress = io ? fitProgress(io) : undefined;
  const m = fitFromStatistics(stats, { reml: !options.ml, onProgress: progress?.onProgress });
  progress?.done();
  return m;
}
