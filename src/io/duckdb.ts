/**
 * Embedded DuckDB as the engine of the statistics queries: a Parquet, CSV or JSON file (or any
 * DuckDB table expression) is aggregated where it lies, by DuckDB's own threads, and only the
 * statistics (one row per level, pair of levels or cell; src/sql/statistics-sql.ts) enter
 * JavaScript. This is the Node path to data larger than memory; the library's in-memory fit is
 * unchanged.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { MlmError, parseFormula, statisticsPlan, statisticsSql, statisticsFromRows, statisticsRows } from "../index.js";
import type { LmmStatistics, StatisticsPlan, StatisticsRow, TableColumn } from "../index.js";

/** Options of {@link duckdbStatistics}. */
export interface DuckdbStatisticsOptions {
  /** Column of prior weights. */
  readonly weights?: string;
  /** Numeric columns to treat as categorical. */
  readonly factors?: readonly string[];
  /** DuckDB threads (default: DuckDB's, all cores). */
  readonly threads?: number;
  /** DuckDB's memory limit, e.g. "2GB" (default: DuckDB's, 80% of RAM). */
  readonly memoryLimit?: string;
}

/** Timings and sizes of one aggregation. */
export interface DuckdbRun {
  readonly stats: LmmStatistics;
  readonly plan: StatisticsPlan;
  readonly sql: string;
  /** Seconds DuckDB took to compute the statistics, and to read them into JavaScript. */
  readonly seconds: number;
  /** Rows of the result (statistics rows). */
  readonly resultRows: number;
}

/**
 * The DuckDB table expression that reads a file: read_parquet, read_csv (NA and empty cells
 * missing, as mlm reads CSV) or read_json_auto, chosen by the file's extension.
 *
 * @param path - the file.
 * @returns SQL text to put after FROM.
 * @throws MlmError for an extension DuckDB is not asked to read.
 * @example
 * ```ts
 * fileSource("data/sleep.parquet"); // "read_parquet('data/sleep.parquet')"
 * ```
 */
export function fileSource(path: string): string {
  const lit = `'${path.replace(/'/g, "''")}'`;
  const lower = path.toLowerCase();
  if (/\.parquet$|\.pq$/.test(lower)) return `read_parquet(${lit})`;
  if (/\.(csv|tsv|txt)(\.gz)?$/.test(lower)) return `read_csv(${lit}, nullstr = ['NA', ''])`;
  if (/\.(json|ndjson|jsonl)$/.test(lower)) return `read_json_auto(${lit})`;
  throw new MlmError(`DuckDB reads Parquet, CSV, TSV and JSON files, and '${path}' is none of these by its extension; convert it or rename it.`);
}

/**
 * Open an in-memory DuckDB database.
 *
 * @param options - threads and memory limit.
 * @returns a connection (close it with `closeSync()`).
 * @example
 * ```ts
 * const con = await openDuckdb({ threads: 2 });
 * (await con.runAndReadAll("SELECT 6 * 7 AS x")).getRowObjects()[0].x; // 42
 * con.closeSync();
 * ```
 */
export async function openDuckdb(options: { threads?: number; memoryLimit?: string } = {}): Promise<DuckDBConnection> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(":memory:", config);
  return instance.connect();
}

/**
 * The columns of a DuckDB relation and whether each is categorical (text, boolean, enum).
 *
 * @param con - the connection.
 * @param source - a table name or table expression.
 * @returns the columns.
 * @throws MlmError when DuckDB cannot read the source.
 * @example
 * ```ts
 * const con = await openDuckdb({ threads: 1 });
 * await duckdbColumns(con, fileSource(dataFile("sleepstudy.csv")));
 * // [{ name: "Reaction", categorical: false }, { name: "Days", categorical: false }, { name: "Subject", categorical: false }]
 * con.closeSync();
 * ```
 */
export async function duckdbColumns(con: DuckDBConnection, source: string): Promise<TableColumn[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjects();
  } catch (e) {
    throw new MlmError(`DuckDB could not read ${source}: ${firstLine(e)}`);
  }
  return rows.map((r) => {
    const type = String(r.column_type).toUpperCase();
    const boolean = type === "BOOLEAN";
    const categorical = boolean || type === "VARCHAR" || type.startsWith("ENUM") || type === "UUID";
    return { name: String(r.column_name), categorical, boolean };
  });
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0];
}

/**
 * Run a plan's statistics query in DuckDB and read its result chunk by chunk.
 *
 * @param con - the connection.
 * @param plan - the plan.
 * @param source - a table expression (placed after FROM as is).
 * @returns the statistics, the SQL and the time taken.
 * @throws MlmError when DuckDB rejects the query (for instance log of a negative number).
 * @example
 * ```ts
 * const con = await openDuckdb({ threads: 1 });
 * const source = fileSource(ioFile("sleepstudy.parquet"));
 * const plan = statisticsPlan(parseFormula("Reaction ~ Days + (Days | Subject)"), await duckdbColumns(con, source));
 * const run = await runStatistics(con, plan, source);
 * [run.stats.n, run.resultRows]; // [180, 20]
 * con.closeSync();
 * ```
 */
export async function runStatistics(con: DuckDBConnection, plan: StatisticsPlan, source: string): Promise<DuckdbRun> {
  const sql = statisticsSql(plan, source, "duckdb", { raw: true });
  const t0 = performance.now();
  const rows: StatisticsRow[] = [];
  try {
    await readResultRows(con, sql, plan, rows);
  } catch (e) {
    if (e instanceof MlmError) throw e;
    throw new MlmError(`DuckDB could not compute the statistics: ${firstLine(e)}`);
  }
  const stats = statisticsFromRows(plan, rows);
  return { stats, plan, sql, seconds: (performance.now() - t0) / 1000, resultRows: rows.length };
}

/** Stream a result table (block, k1…, v1…) chunk by chunk into statistics rows. */
async function readResultRows(con: DuckDBConnection, sql: string, plan: StatisticsPlan, rows: StatisticsRow[]): Promise<void> {
  const result = await con.stream(sql);
  const nk = plan.nkeys;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const cols = chunk.getColumns();
    for (let r = 0; r < chunk.rowCount; r++) {
      const keys: (string | null)[] = [];
      for (let k = 0; k < nk; k++) keys.push(cols[1 + k][r] as string | null);
      const values: (number | null)[] = [];
      for (let v = 0; v < plan.nvalues; v++) values.push(cols[1 + nk + v][r] as number | null);
      rows.push({ block: String(cols[0][r]), keys, values });
    }
  }
}

/**
 * The statistics of a linear mixed model on a data file, computed by embedded DuckDB.
 *
 * @param path - a Parquet, CSV, TSV or JSON file.
 * @param formula - the model formula.
 * @param options - weights, factors, DuckDB threads and memory.
 * @returns the statistics with the SQL and the time taken.
 * @throws MlmError for unknown columns, terms SQL cannot express, or unreadable files.
 * @example
 * ```ts
 * const { stats } = await duckdbStatistics(ioFile("sleepstudy.parquet"), "Reaction ~ Days + (Days | Subject)");
 * fitFromStatistics(stats).fixef[1].estimate; // 10.467
 * ```
 */
export async function duckdbStatistics(path: string, formula: string, options: DuckdbStatisticsOptions = {}): Promise<DuckdbRun> {
  const con = await openDuckdb(options);
  try {
    const source = fileSource(path);
    const columns = await duckdbColumns(con, source);
    const plan = statisticsPlan(parseFormula(formula), columns, { weights: options.weights, factors: options.factors });
    return await runStatistics(con, plan, source);
  } finally {
    con.closeSync();
  }
}

/** The Parquet key-value metadata entry that marks an mlm statistics file and holds its plan. */
const PARQUET_KEY = "mlm-lmm-statistics";

/**
 * Write statistics as a Parquet file (with DuckDB): the table the statistics query returns
 * (block, k1…, v1…; see src/sql/statistics-sql.ts), one row per level, pair or cell, with the
 * plan in the file's key-value metadata, so that {@link readStatisticsParquet} reads it back
 * exactly and engines read it as any table.
 *
 * @param path - the file to write.
 * @param stats - the statistics.
 * @throws MlmError when the file cannot be written.
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * const file = `${mkdtempSync(`${tmpdir()}/mlm-`)}/stats.parquet`;
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * await writeStatisticsParquet(file, stats);
 * const back = await readStatisticsParquet(file);
 * [back?.n, back?.blocks.term1.sums[5] === stats.blocks.term1.sums[5]]; // [180, true]
 * ```
 */
export async function writeStatisticsParquet(path: string, stats: LmmStatistics): Promise<void> {
  const { plan } = stats;
  const con = await openDuckdb({ threads: 1 });
  try {
    const cols = ["block VARCHAR", ...Array.from({ length: plan.nkeys }, (_, k) => `k${k + 1} VARCHAR`), ...Array.from({ length: plan.nvalues }, (_, v) => `v${v + 1} DOUBLE`)];
    await con.run(`CREATE TABLE s (${cols.join(", ")})`);
    const app = await con.createAppender("s");
    for (const r of statisticsRows(stats)) {
      app.appendVarchar(r.block);
      for (const k of r.keys) {
        if (k === null) app.appendNull();
        else app.appendVarchar(k);
      }
      for (const v of r.values) {
        if (v === null) app.appendNull();
        else app.appendDouble(v);
      }
      app.endRow();
    }
    app.closeSync();
    const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    try {
      await con.run(`COPY s TO ${lit(path)} (FORMAT parquet, KV_METADATA {${lit(PARQUET_KEY)}: ${lit(JSON.stringify(plan))}})`);
    } catch (e) {
      throw new MlmError(`Cannot write '${path}' (${firstLine(e)}); check that its folder exists and is writable.`);
    }
  } finally {
    con.closeSync();
  }
}

/**
 * Read a Parquet statistics file written by {@link writeStatisticsParquet}.
 *
 * @param path - the file.
 * @returns the statistics, or undefined when the file has no mlm plan in its metadata (a result
 *   table of the `mlm sql` query saved by another engine, read with its formula instead).
 * @throws MlmError when DuckDB cannot read the file, or its rows do not match its plan.
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * const file = `${mkdtempSync(`${tmpdir()}/mlm-`)}/stats.parquet`;
 * await writeStatisticsParquet(file, (await duckdbStatistics(dataFile("Machines.csv"), "score ~ Machine + (1 | Worker)")).stats);
 * (await readStatisticsParquet(file))?.plan.formula; // "score ~ Machine + (1 | Worker)"
 *
 * // a Parquet file without mlm's metadata is not statistics
 * await readStatisticsParquet(ioFile("sleepstudy.parquet")); // undefined
 * ```
 */
export async function readStatisticsParquet(path: string): Promise<LmmStatistics | undefined> {
  const con = await openDuckdb({ threads: 1 });
  const lit = `'${path.replace(/'/g, "''")}'`;
  try {
    let meta: Record<string, unknown>[];
    try {
      meta = (await con.runAndReadAll(`SELECT decode(value) AS plan FROM parquet_kv_metadata(${lit}) WHERE decode(key) = '${PARQUET_KEY}'`)).getRowObjects();
    } catch (e) {
      throw new MlmError(`DuckDB could not read '${path}': ${firstLine(e)}`);
    }
    if (meta.length === 0) return undefined;
    const plan = JSON.parse(String(meta[0].plan)) as StatisticsPlan;
    const rows: StatisticsRow[] = [];
    await readResultRows(con, `SELECT * FROM read_parquet(${lit})`, plan, rows);
    return statisticsFromRows(plan, rows);
  } finally {
    con.closeSync();
  }
}
