/**
 * The arguments and options every data command shares (`mlm describe`, `mlm fit`, ...):
 * `DATA` and `FORMULA`, `--factor COL` (repeatable), `--format`, `--json` and `--debug`.
 */
import { Command, Option } from "commander";
import type { DataTable } from "../index.js";
import { readTable } from "../io/read-table.js";
import { TABLE_FORMATS } from "../io/table-format.js";
import type { TableFormat } from "../io/table-format.js";

/** The parsed shared options of a data command. */
export interface DataOptions {
  /** Columns to treat as categorical (`--factor`, repeatable); undefined when none. */
  readonly factor?: string[];
  /** The data file's format (`--format`); by default from its extension. */
  readonly format?: TableFormat;
  /** Print JSON instead of text (`--json`). */
  readonly json?: boolean;
  /** Print stack traces of errors (`--debug`). */
  readonly debug?: boolean;
}

/** What a data command says about itself in its help. */
export interface DataCommandSpec {
  /** The command's name, e.g. `describe`. */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** A longer description for the command's own help (default: the summary). */
  readonly description?: string;
  /** Take two or more formulas instead of one (`mlm compare`). */
  readonly formulas?: boolean;
  /** Example invocations (without the leading `mlm`), shown at the end of the command's help. */
  readonly examples: readonly string[];
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * Adds a data command to a program: `mlm NAME DATA FORMULA` with the shared options.
 *
 * The caller adds its own options and `.action(...)`; the action receives
 * `(data: string, formula: string, options: DataOptions & ...)`.
 *
 * @param program - the `mlm` program.
 * @param spec - name, summary and examples.
 * @returns the new subcommand.
 * @example
 * ```ts
 * import { Command } from "commander";
 * const program = new Command("mlm");
 * const describe = dataCommand(program, { name: "describe", summary: "check data and formula", examples: ['describe d.csv "y ~ x + (1 | g)"'] });
 * describe.options.map((o) => o.long); // ["--factor", "--format", "--json", "--debug"]
 * describe.registeredArguments.map((a) => a.name()); // ["data", "formula"]
 * ```
 */
export function dataCommand(program: Command, spec: DataCommandSpec): Command {
  return program
    .command(spec.name)
    .summary(spec.summary)
    .description(spec.description ?? spec.summary)
    .argument("<data>", "data file: .csv, .tsv, .json or .parquet")
    .argument(
      spec.formulas ? "<formulas...>" : "<formula>",
      spec.formulas ? "two or more nested lme4-style formulas in quotes" : 'lme4-style model formula in quotes, e.g. "y ~ x + (1 | g)"',
    )
    .option("--factor <column>", "treat a numeric column as categorical (repeat for more columns)", collect)
    .addOption(new Option("--format <format>", "format of the data file (default: from its extension)").choices(TABLE_FORMATS))
    .option("--json", "print JSON instead of text")
    .option("--debug", "print the stack trace of an error")
    .addHelpText("after", `\nExample${spec.examples.length > 1 ? "s" : ""}:\n${spec.examples.map((e) => `  $ mlm ${e}`).join("\n")}\n`);
}

/**
 * Reads the data file of a data command with its `--format` and `--factor` options.
 *
 * @param path - the DATA argument.
 * @param options - the parsed shared options.
 * @returns the table.
 * @throws MlmError as {@link readTable} does.
 * @example
 * ```ts
 * const table = await loadData(dataFile("sleepstudy.csv"), { factor: ["Subject"] });
 * table.nrows; // 180
 * table.columns.get("Subject")?.kind; // "categorical"
 * ```
 */
export function loadData(path: string, options: DataOptions): Promise<DataTable> {
  return readTable(path, { format: options.format, factors: options.factor ?? [] });
}
