// `npm run bench -- sql [ROWS]`: the statistics path at scale. DuckDB writes a Parquet file of
// ROWS rows (default 100,000,000) in 1,000,000 groups with a random intercept and a random slope,
// computes the statistics of y ~ x + (x | g) from it (the rows never enter JavaScript), and the
// model is fitted from them. Prints the time to generate, to aggregate and to fit, rows per second
// of the aggregation, the peak JavaScript heap (the fit must stay within 1 GB of it; run under
// --max-old-space-size=1024 to enforce it) and the process's peak resident memory, which includes
// DuckDB's own (native) memory. `npm run bench -- sql-memory [ROWS]` fits the same kind of file
// in memory (hyparquet reads it into columns) for the in-memory path's limit.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { cpus, loadavg } from "node:os";
import { fitFromStatistics, fitLmm } from "../src/index.js";
import { fileSource, openDuckdb, duckdbColumns, runStatistics } from "../src/io/duckdb.js";
import { statisticsPlan, parseFormula } from "../src/index.js";
import { readTable } from "../src/io/read-table.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const formula = "y ~ x + (x | g)";

/** Sample the JavaScript heap every 50 ms; returns a function giving the peak so far (MB). */
function heapPeak(): { stop(): number } {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers);
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak / 2 ** 20;
    },
  };
}

/** CPU seconds (user + system, every thread of the process) since a `process.cpuUsage()` reading. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** Write the benchmark's Parquet file with DuckDB (once per size; reused when present). */
async function generate(rows: number, groups: number): Promise<{ path: string; seconds: number }> {
  mkdirSync(`${here}out`, { recursive: true });
  const path = `${here}out/slopes_${rows}_${groups}.parquet`;
  if (existsSync(path)) return { path, seconds: 0 };
  const t0 = performance.now();
  const con = await openDuckdb();
  try {
    await con.run("SELECT setseed(0.25)");
    // per group: b0 ~ N(0, 2²), b1 ~ N(0, 0.5²) (Box-Muller); per row: x ~ U(0, 10), e ~ N(0, 3²)
    await con.run(`CREATE TABLE grp AS SELECT i AS g,
        2 * SQRT(-2 * LN(1 - random())) * COS(2 * PI() * random()) AS b0,
        0.5 * SQRT(-2 * LN(1 - random())) * COS(2 * PI() * random()) AS b1
      FROM range(${groups}) t(i)`);
    await con.run(`COPY (
        SELECT r.g, r.x, 10 + grp.b0 + (1.5 + grp.b1) * r.x + 3 * SQRT(-2 * LN(1 - random())) * COS(2 * PI() * random()) AS y
        FROM (SELECT CAST(i % ${groups} AS INTEGER) AS g, 10 * random() AS x FROM range(${rows}) t(i)) r JOIN grp USING (g)
      ) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`);
  } finally {
    con.closeSync();
  }
  return { path, seconds: (performance.now() - t0) / 1000 };
}

async function statisticsBench(rows: number): Promise<void> {
  const groups = 1_000_000;
  const gen = await generate(rows, groups);
  const mb = statSync(gen.path).size / 2 ** 20;
  console.log(`data: ${gen.path} (${rows.toLocaleString("en")} rows, ${groups.toLocaleString("en")} groups, ${mb.toFixed(0)} MB)${gen.seconds ? `, generated in ${gen.seconds.toFixed(1)} s` : ""}`);
  const heap = heapPeak();
  const con = await openDuckdb({ memoryLimit: process.env.MLM_DUCKDB_MEMORY ?? "6GB" });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const source = fileSource(gen.path);
  const plan = statisticsPlan(parseFormula(formula), await duckdbColumns(con, source));
  const run = await runStatistics(con, plan, source);
  con.closeSync();
  const tAgg = (performance.now() - t0) / 1000;
  const cAgg = cpuSeconds(c0);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const m = fitFromStatistics(run.stats);
  const tFit = (performance.now() - t1) / 1000;
  const cFit = cpuSeconds(c1);
  const heapMB = heap.stop();
  console.log(`aggregation (DuckDB, ${run.resultRows.toLocaleString("en")} statistics rows): ${tAgg.toFixed(1)} s wall, ${cAgg.toFixed(1)} s CPU (all threads), ${(rows / tAgg / 1e6).toFixed(2)} million rows/s (wall)`);
  console.log(`fit from statistics: ${tFit.toFixed(1)} s wall, ${cFit.toFixed(1)} s CPU (${m.optimizer.evaluations} evaluations)`);
  console.log(`machine load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(", ")} on ${cpus().length} cores`);
  console.log(`peak JavaScript heap + array buffers: ${heapMB.toFixed(0)} MB; peak resident memory (JavaScript and DuckDB): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(`fixef: ${m.fixef.map((f) => `${f.term} ${f.estimate.toFixed(4)} (se ${f.se.toFixed(4)})`).join(", ")}; sd: ${m.varcorr.map((v) => `${v.group} ${v.var1 ?? ""}${v.var2 ? `:${v.var2}` : ""} ${v.sdcor.toFixed(4)}`).join(", ")}`);
}

async function memoryBench(rows: number): Promise<void> {
  const groups = Math.min(1_000_000, Math.max(10, Math.floor(rows / 100)));
  const gen = await generate(rows, groups);
  const t0 = performance.now();
  const table = await readTable(gen.path, {});
  const tRead = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const m = fitLmm(formula, table);
  const tFit = (performance.now() - t1) / 1000;
  console.log(`in memory: ${rows.toLocaleString("en")} rows, ${groups.toLocaleString("en")} groups: read ${tRead.toFixed(1)} s, fit ${tFit.toFixed(1)} s, peak resident memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; slope ${m.fixef[1].estimate.toFixed(4)}`);
}

/**
 * Run the SQL benchmark named by the command line (`sql` or `sql-memory`, then the row count).
 *
 * @param argv - the arguments after the script.
 * @example
 * ```ts
 * await sqlBench(["sql", "10000000"]); // prints the aggregation and fit times
 * ```
 */
export async function sqlBench(argv: readonly string[]): Promise<void> {
  const rows = Number(argv[1] ?? 100_000_000);
  if (!(Number.isInteger(rows) && rows > 0)) throw new Error(`rows must be a positive whole number, not ${argv[1]}`);
  if (argv[0] === "sql-memory") await memoryBench(rows);
  else await statisticsBench(rows);
}
