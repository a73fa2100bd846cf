/**
 * `mlm table DATA F1 [F2 ...]`: the models side by side in a publication table (sjPlot's
 * `tab_model` layout) as Markdown, HTML or LaTeX.
 */
import { Option, type Command } from "commander";
import { MlmError, publicationTable, type TableFormat } from "../../index.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { loadData, type DataOptions } from "../data-options.js";
import { TABLE_FORMATS } from "../../index.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";

/** Options of `mlm table`. */
export interface TableCliOptions extends Omit<DataOptions, "format">, ModelOptions {
  /** The table's format (the data file's is `--data-format` here). */
  readonly format: TableFormat;
  readonly dataFormat?: DataOptions["format"];
  readonly level: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * Registers `mlm table` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["table", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"], io); // 0
 * io.out().split("\n")[0]; // "|  | Reaction |  |  |"
 * ```
 */
export function registerTable(program: Command, io: CliIo): void {
  // the shared data options, except that --format names the table's format
  const command = program
    .command("table")
    .summary("models side by side in a publication table (as sjPlot's tab_model)")
    .description("models side by side in a publication table (as sjPlot's tab_model)")
    .argument("<data>", "data file: .csv, .tsv, .json or .parquet")
    .argument("<formulas...>", "one or more lme4-style formulas in quotes")
    .option("--factor <column>", "treat a numeric column as categorical (repeat for more columns)", collect)
    .addOption(new Option("--data-format <format>", "format of the data file (default: from its extension)").choices(TABLE_FORMATS))
    .option("--debug", "print the stack trace of an error")
    .addHelpText("after", `\nExamples:\n  $ mlm table sleepstudy.csv "Reaction ~ Days + (1 | Subject)" "Reaction ~ Days + (Days | Subject)"\n  $ mlm table sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --format latex\n`)
    .addOption(new Option("--format <format>", "markdown (terminal), html or latex").choices(["markdown", "html", "latex"]).default("markdown"))
    .option("--level <p>", "confidence level of the intervals", "0.95");
  addModelOptions(command).action(async (data: string, formulas: string[], options: TableCliOptions) => {
    const level = Number(options.level);
    if (options.level.trim() === "" || !(level > 0 && level < 1)) throw new MlmError(`--level takes a number between 0 and 1 (e.g. 0.95), not '${options.level}'.`);
    const table = await loadData(data, { ...options, format: options.dataFormat }, io);
    const models = formulas.map((f) => fitFromOptions(table, f, options));
    io.stdout(`${publicationTable(models, { format: options.format, level })}\n`);
    for (const m of models) printMessages(io, m.messages);
  });
}
