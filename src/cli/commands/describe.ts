/**
 * `mlm describe DATA FORMULA`: what a user checks before fitting (rows used and dropped,
 * response, fixed-effect columns, grouping factors with their sizes and nesting).
 */
import type { Command } from "commander";
import { parseFormula, modelFrame, describeFrame } from "../../index.js";
import { formatDescription } from "../../text.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData } from "../data-options.js";
import type { DataOptions } from "../data-options.js";

/**
 * Registers `mlm describe` on the program.
 *
 * Text output goes to stdout and the model frame's warnings to stderr (`mlm: warning: ...`);
 * with `--json` stdout holds `{ nobs, dropped, response, fixef, groups, messages }`.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["describe", dataFile("Pastes.csv"), "strength ~ 1 + (1 | batch/cask)"], io); // 0
 * console.log(io.out());
 * // Rows:           60 used, 0 dropped
 * // Response:       strength
 * // Fixed effects:  (Intercept)
 * //
 * // Grouping factor  Levels  Rows per level (min/median/max)  Nested in
 * // cask:batch           30  2 / 2 / 2                        batch
 * // batch                10  6 / 6 / 6                        -
 * ```
 */
export function registerDescribe(program: Command, io: CliIo): void {
  dataCommand(program, {
    name: "describe",
    summary: "check the data and formula before fitting",
    examples: [
      'describe sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
      'describe Pastes.csv "strength ~ 1 + (1 | batch/cask)" --json',
      'describe cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --factor period',
    ],
  }).action(async (data: string, formulaText: string, options: DataOptions) => {
    const table = await loadData(data, options, io);
    const frame = modelFrame(parseFormula(formulaText), table);
    const description = describeFrame(frame);
    if (options.json) {
      io.stdout(`${JSON.stringify(description, null, 2)}\n`);
      return;
    }
    io.stdout(formatDescription(description));
    printMessages(io, description.messages);
  });
}
