/**
 * `mlm sql FORMULA --table T --dialect D`: print the query that computes a linear mixed model's
 * statistics on a table of a database (DuckDB, PostgreSQL, Spark, BigQuery, Trino). Save its
 * result (every row and column) as CSV, TSV, JSON or Parquet and fit it with
 * `mlm fit --from-stats RESULT "FORMULA"` (with the same --factor and --weights).
 */
import { Option, type Command } from "commander";
import { SQL_DIALECTS, parseFormula, schemaFreePlan, statisticsSql } from "../../index.js";
import type { CliIo } from "../cli-io.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Options of `mlm sql`. */
interface SqlOptions {
  readonly table: string;
  readonly dialect: string;
  readonly factor?: string[];
  readonly weights?: string;
}

/**
 * Registers `mlm sql` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { memoryIo } from "../cli-io.js";
 * const io = memoryIo();
 * const program = new Command().exitOverride();
 * registerSql(program, io);
 *
 * // $ mlm sql "Reaction ~ Days + (Days | Subject)" --table sleep --dialect postgres
 * await program.parseAsync(["sql", "Reaction ~ Days + (Days | Subject)", "--table", "sleep", "--dialect", "postgres"], { from: "user" });
 * io.out().split("\n")[1]; // '-- Save the whole result, then: mlm fit --from-stats RESULT.csv "Reaction ~ Days + (Days | Subject)"'
 * io.out().includes('FROM "sleep"'); // true
 * ```
 */
export function registerSql(program: Command, io: CliIo): void {
  program
    .command("sql")
    .summary("print the SQL that computes a linear mixed model's statistics on a database table")
    .description(
      "Print one standard SQL query (WITH, GROUP BY, SUM, UNION ALL) that computes the statistics of a linear mixed model on a table. Run it where the data are, save the whole result as CSV, JSON or Parquet, and fit it with `mlm fit --from-stats RESULT FORMULA` (same --factor and --weights). Name every categorical column, text or numeric, with --factor.",
    )
    .argument("<formula>", 'lme4-style model formula in quotes, e.g. "y ~ x + (1 | g)"')
    .requiredOption("--table <name>", "the table (schema.table allowed)")
    .addOption(new Option("--dialect <dialect>", "the SQL dialect").choices(SQL_DIALECTS).default("duckdb"))
    .option("--factor <column>", "a categorical column (text or numbers; repeat for more columns)", collect)
    .option("--weights <column>", "prior weights: residual variance σ² / weight")
    .option("--debug", "print the stack trace of an error")
    .addHelpText("after", '\nExample:\n  $ mlm sql "score ~ Machine + (1 | Worker)" --table machines --dialect bigquery --factor Machine\n')
    .action((formula: string, options: SqlOptions) => {
      const plan = schemaFreePlan(parseFormula(formula), { factors: options.factor, weights: options.weights });
      const flags = [...(options.factor ?? []).map((f) => ` --factor ${f}`), ...(options.weights ? [` --weights ${options.weights}`] : [])].join("");
      io.stdout(`-- mlm statistics of ${formula} (plan ${plan.id}), ${options.dialect} dialect.\n`);
      io.stdout(`-- Save the whole result, then: mlm fit --from-stats RESULT.csv "${formula}"${flags}\n`);
      io.stdout(statisticsSql(plan, options.table, options.dialect));
    });
}
