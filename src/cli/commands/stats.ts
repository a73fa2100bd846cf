/**
 * `mlm stats DATA FORMULA --out stats.json` (or `.parquet`): compute a linear mixed model's summary statistics
 * with embedded DuckDB (the rows stay in DuckDB), and `mlm stats merge A B C --out S`: add the
 * statistics of partitions of one table.
 */
import type { Command } from "commander";
import { MlmError, mergeStatistics } from "../../index.js";
import type { LmmStatistics } from "../../index.js";
import type { CliIo } from "../cli-io.js";
import { readStatistics, writeStatistics } from "../statistics-files.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Options of `mlm stats`. */
interface StatsOptions {
  readonly out?: string;
  readonly factor?: string[];
  readonly weights?: string;
  readonly threads?: string;
  readonly formula?: string;
}

function summaryLine(stats: LmmStatistics, extra: string): string {
  const rows = Object.values(stats.blocks).reduce((s, b) => s + b.keys.length, 0);
  return `${stats.plan.formula}: ${stats.n} rows used, ${stats.dropped} dropped; ${rows} statistics rows${extra}\n`;
}

/**
 * Registers `mlm stats` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { memoryIo } from "../cli-io.js";
 * const io = memoryIo();
 * const program = new Command().exitOverride();
 * registerStats(program, io);
 * const out = `${mkdtempSync(`${tmpdir()}/mlm-`)}/stats.parquet`;
 *
 * // $ mlm stats sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --out stats.parquet
 * await program.parseAsync(["stats", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--out", out, "--threads", "1"], { from: "user" });
 * io.err().split(" in ")[0]; // "Reaction ~ Days + (Days | Subject): 180 rows used, 0 dropped; 18 statistics rows"
 * ```
 */
export function registerStats(program: Command, io: CliIo): void {
  program
    .command("stats")
    .summary("compute a linear mixed model's summary statistics in DuckDB, or merge statistics of partitions")
    .description(
      "Compute the cross products a linear mixed model needs (per-level sums, X'X, X'y, y'y) with embedded DuckDB, so that the rows of a large Parquet or CSV file never enter memory; fit them with `mlm fit --from-stats`. `mlm stats merge A B C --out S` adds statistics computed on partitions of one table.",
    )
    .argument("<data>", "data file (.parquet, .csv, .tsv, .json), or the word merge")
    .argument("[formula]", "lme4-style model formula in quotes (for merge: the first file)")
    .argument("[files...]", "for merge: further statistics files")
    .option("--out <file>", "write the statistics to this file: JSON, or Parquet when it ends in .parquet (default: JSON on standard output)")
    .option("--factor <column>", "treat a numeric column as categorical (repeat for more columns)", collect)
    .option("--weights <column>", "prior weights: residual variance σ² / weight")
    .option("--threads <n>", "DuckDB threads (default: all cores)")
    .option("--formula <formula>", "for merge of result tables of `mlm sql`: the formula they were computed for")
    .option("--debug", "print the stack trace of an error")
    .addHelpText(
      "after",
      '\nExamples:\n  $ mlm stats big.parquet "y ~ x + (x | g)" --out stats.json\n  $ mlm stats big.parquet "y ~ x + (x | g)" --out stats.parquet\n  $ mlm stats merge part1.json part2.parquet part3.json --out all.parquet\n  $ mlm fit --from-stats all.parquet\n',
    )
    .action(async (data: string, formula: string | undefined, files: string[], options: StatsOptions) => {
      let stats: LmmStatistics;
      let extra: string;
      if (data === "merge") {
        const paths = [...(formula === undefined ? [] : [formula]), ...files];
        if (paths.length < 2) throw new MlmError("mlm stats merge needs two or more statistics files, e.g. `mlm stats merge a.json b.json --out all.json`.");
        const parts = await Promise.all(paths.map((p) => readStatistics(p, { formula: options.formula, factors: options.factor, weights: options.weights })));
        stats = mergeStatistics(parts);
        extra = ` from ${paths.length} files`;
      } else {
        if (formula === undefined) throw new MlmError('Give the formula after the data file, e.g. `mlm stats data.parquet "y ~ x + (1 | g)"`.');
        if (files.length > 0) throw new MlmError(`Unexpected arguments after the formula: ${files.join(" ")}; put the formula in quotes.`);
        const threads = options.threads === undefined ? undefined : Number(options.threads);
        if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new MlmError(`--threads takes a whole number of at least 1, not '${options.threads}'.`);
        const run = await (await import("../../io/duckdb.js")).duckdbStatistics(data, formula, { factors: options.factor, weights: options.weights, threads });
        stats = run.stats;
        extra = ` in ${run.seconds.toFixed(2)} s`;
      }
      if (options.out === undefined) {
        io.stdout(`${JSON.stringify(stats)}\n`);
        return;
      }
      await writeStatistics(options.out, stats);
      io.stderr(summaryLine(stats, extra));
    });
}
