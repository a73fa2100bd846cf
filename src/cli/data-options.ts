/**
 * The arguments and options every data command shares (`mlm describe`, `mlm fit`, ...):
 * `DATA` (a path, or `-` for standard input) and `FORMULA`, `--factor COL` (repeatable),
 * `--format`, `--delimiter`, `--decimal`, `--na TEXT` (repeatable), `--json` and `--debug`.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { TABLE_FORMATS } from "../index.js";
import type { DataTable, Delimiter, DataFileFormat as TableFormat } from "../index.js";
import { printMessages, type CliIo } from "./cli-io.js";
import { readTable } from "../io/read-table.js";
import type { ReadTableOptions } from "../io/read-table.js";

/** The parsed shared options of a data command. */
export interface DataOptions {
  /** Columns to treat as categorical (`--factor`, repeatable); undefined when none. */
  readonly factor?: string[];
  /** The data file's format (`--format`); by default from its extension. */
  readonly format?: TableFormat;
  /** The field separator of delimited text (`--delimiter`); by default detected. */
  readonly delimiter?: Delimiter;
  /** The decimal mark of delimited text (`--decimal`). */
  readonly decimal?: "." | ",";
  /** Further missing-value markers (`--na`, repeatable). */
  readonly na?: string[];
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
  /** DATA and FORMULA may be left out (`mlm fit --from-stats FILE`); the action checks them. */
  readonly optionalArguments?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** `--delimiter` values: the character itself, or a name. */
const DELIMITERS: ReadonlyMap<string, Delimiter> = new Map([
  [",", ","],
  ["comma", ","],
  [";", ";"],
  ["semicolon", ";"],
  ["\t", "\t"],
  ["\\t", "\t"],
  ["tab", "\t"],
]);

function parseDelimiter(value: string): Delimiter {
  const d = DELIMITERS.get(value.toLowerCase());
  if (d === undefined) throw new InvalidArgumentError("choose ',', ';' or tab (also written 'comma', 'semicolon', 'tab').");
  return d;
}

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
 * describe.options.map((o) => o.long); // ["--factor", "--format", "--delimiter", "--decimal", "--na", "--json", "--debug"]
 * describe.registeredArguments.map((a) => a.name()); // ["data", "formula"]
 * ```
 */
export function dataCommand(program: Command, spec: DataCommandSpec): Command {
  return program
    .command(spec.name)
    .summary(spec.summary)
    .description(spec.description ?? spec.summary)
    .argument(spec.optionalArguments ? "[data]" : "<data>", "data file: .csv, .tsv, .json or .parquet, or - for standard input")
    .argument(
      spec.formulas ? "<formulas...>" : spec.optionalArguments ? "[formula]" : "<formula>",
      spec.formulas ? "two or more nested lme4-style formulas in quotes" : 'lme4-style model formula in quotes, e.g. "y ~ x + (1 | g)"',
    )
    .option("--factor <column>", "treat a numeric column as categorical (repeat for more columns)", collect)
    .addOption(new Option("--format <format>", "format of the data file (default: from its extension)").choices(TABLE_FORMATS))
    .option("--delimiter <char>", "field separator of delimited text: ',', ';' or tab (default: detected)", parseDelimiter)
    .addOption(new Option("--decimal <mark>", "decimal mark of numbers in delimited text").choices([".", ","]))
    .option("--na <text>", "a further text that marks a missing value, e.g. --na \"N/A\" (repeat for more)", collect)
    .option("--json", "print JSON instead of text")
    .option("--debug", "print the stack trace of an error")
    .addHelpText("after", `\nExample${spec.examples.length > 1 ? "s" : ""}:\n${spec.examples.map((e) => `  $ mlm ${e}`).join("\n")}\n`);
}

/**
 * Reads the data file of a data command with its `--format` and `--factor` options.
 *
 * @param path - the DATA argument ("-" reads standard input).
 * @param options - the parsed shared options.
 * @param io - where the reader's notes (e.g. the delimiter it assumed) are written.
 * @returns the table.
 * @throws MlmError as {@link readTable} does.
 * @example
 * ```ts
 * const table = await loadData(dataFile("sleepstudy.csv"), { factor: ["Subject"] });
 * table.nrows; // 180
 * table.columns.get("Subject")?.kind; // "categorical"
 * ```
 */
export async function loadData(path: string, options: DataOptions, io?: CliIo): Promise<DataTable> {
  const table = await readTable(path, { ...readOptions(options), factors: options.factor ?? [] });
  if (io !== undefined) printMessages(io, table.notes ?? []);
  return table;
}

/**
 * The reading options (`--format`, `--delimiter`, `--decimal`, `--na`) of a command, for files
 * read besides DATA (e.g. `--newdata`).
 *
 * @param options - the parsed shared options.
 * @returns options for {@link readTable}, without factors.
 * @example
 * ```ts
 * readOptions({ decimal: ",", na: ["N/A"] }); // { format: undefined, delimiter: undefined, decimal: ",", na: ["N/A"] }
 * ```
 */
export function readOptions(options: DataOptions): ReadTableOptions {
  return { format: options.format, delimiter: options.delimiter, decimal: options.decimal, na: options.na };
}
