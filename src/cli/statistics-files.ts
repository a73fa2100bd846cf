/**
 * Reading and writing statistics files for `mlm stats` and `mlm fit --from-stats`: the JSON or
 * Parquet file that `mlm stats` writes (Parquet: the query's result table with the plan in the
 * file's metadata), or the result table of the query `mlm sql` prints, run on another engine
 * and saved as CSV, TSV, JSON or Parquet (then the formula and `--factor`s rebuild its plan).
 */
import { readFile, writeFile } from "node:fs/promises";
import { MlmError, asStatistics, parseFormula, schemaFreePlan, statisticsFromRows } from "../index.js";
import type { LmmStatistics, StatisticsRow } from "../index.js";
import { readTable } from "../io/read-table.js";

/** What a result table needs besides itself: the model it was computed for. */
export interface ResultTableModel {
  readonly formula?: string;
  readonly factors?: readonly string[];
  readonly weights?: string;
}

/**
 * Read statistics: an `mlm stats` JSON or Parquet file, or a result table of the `mlm sql` query.
 *
 * @param path - the file.
 * @param model - for a result table: the formula, `--factor`s and `--weights` given to `mlm sql`.
 * @returns the statistics.
 * @throws MlmError for unreadable files, files of another kind, or a result table without its formula.
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const dir = mkdtempSync(`${tmpdir()}/mlm-`);
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * await writeStatistics(`${dir}/stats.json`, stats);
 * await writeStatistics(`${dir}/stats.parquet`, stats);
 * const back = await readStatistics(`${dir}/stats.json`);
 * [back.plan.formula, back.n]; // ["Reaction ~ Days + (Days | Subject)", 180]
 * (await readStatistics(`${dir}/stats.parquet`)).n; // 180
 * await readStatistics(dataFile("sleepstudy.csv")); // throws: is a result table, not an mlm statistics file
 * ```
 */
export async function readStatistics(path: string, model: ResultTableModel = {}): Promise<LmmStatistics> {
  if (/\.json$/i.test(path)) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new MlmError(`Cannot read the statistics file '${path}'; check the path.`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new MlmError(`'${path}' is not valid JSON; give a file written by \`mlm stats\` or the result of the \`mlm sql\` query.`);
    }
    if (!Array.isArray(value)) return asStatistics(value, `'${path}'`);
  }
  if (/\.(parquet|pq)$/i.test(path)) {
    // DuckDB loads only when a statistics file is Parquet (its native module costs 0.2 s at start)
    const stats = await (await import("../io/duckdb.js")).readStatisticsParquet(path);
    if (stats !== undefined) return stats;
  }
  return resultTableStatistics(path, model);
}

async function resultTableStatistics(path: string, model: ResultTableModel): Promise<LmmStatistics> {
  if (model.formula === undefined) {
    throw new MlmError(`'${path}' is a result table, not an mlm statistics file; give the formula it was computed for (and the same --factor and --weights options as for mlm sql).`);
  }
  const plan = schemaFreePlan(parseFormula(model.formula), { factors: model.factors, weights: model.weights });
  const table = await readTable(path, { factors: ["block", ...Array.from({ length: plan.nkeys }, (_, k) => `k${k + 1}`)] });
  const block = table.columns.get("block");
  if (block === undefined || block.kind !== "categorical") {
    throw new MlmError(`'${path}' has no column 'block'; save the whole result of the query that \`mlm sql\` prints.`);
  }
  const text = (name: string, i: number): string | null => {
    const c = table.columns.get(name);
    if (c === undefined) return null;
    if (c.kind === "categorical") return c.codes[i] < 0 ? null : c.levels[c.codes[i]];
    return Number.isNaN(c.values[i]) ? null : String(c.values[i]);
  };
  const num = (name: string, i: number): number | null => {
    const c = table.columns.get(name);
    if (c === undefined) return null;
    if (c.kind !== "numeric") throw new MlmError(`Column '${name}' of '${path}' should hold numbers.`);
    return Number.isNaN(c.values[i]) ? null : c.values[i];
  };
  const rows: StatisticsRow[] = [];
  for (let i = 0; i < table.nrows; i++) {
    const keys: (string | null)[] = [];
    for (let k = 1; k <= plan.nkeys; k++) keys.push(text(`k${k}`, i));
    const values: (number | null)[] = [];
    for (let v = 1; v <= plan.nvalues; v++) values.push(num(`v${v}`, i));
    rows.push({ block: block.levels[block.codes[i]], keys, values });
  }
  return statisticsFromRows(plan, rows);
}

/**
 * Write statistics as JSON, or as Parquet when the file name ends in `.parquet` (through DuckDB).
 *
 * @param path - the file.
 * @param stats - the statistics.
 * @throws MlmError when the file cannot be written.
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const dir = mkdtempSync(`${tmpdir()}/mlm-`);
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * await writeStatistics(`${dir}/stats.parquet`, stats);
 * (await readStatistics(`${dir}/stats.parquet`)).blocks.term1.keys.length; // 18
 * await writeStatistics(`${dir}/no/such/folder/stats.json`, stats); // throws MlmError: Cannot write '…
 * ```
 */
export async function writeStatistics(path: string, stats: LmmStatistics): Promise<void> {
  if (/\.(parquet|pq)$/i.test(path)) return (await import("../io/duckdb.js")).writeStatisticsParquet(path, stats);
  try {
    await writeFile(path, JSON.stringify(stats));
  } catch {
    throw new MlmError(`Cannot write '${path}'; check that its folder exists and is writable.`);
  }
}
