/**
 * `mlm pooling DATA "y ~ x + (x | g)"`: fit a one-factor linear mixed model and compare, group by
 * group, the complete-pooling, no-pooling and partial-pooling (mixed-model) estimates of its
 * intercept and slopes (Gelman and Hill 2007, ch. 12).
 */
import type { Command } from "commander";
import { pooling } from "../../index.js";
import { formatSignificant as fmt, formatTable as table } from "../../text.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";

/** Options of `mlm pooling`. */
export type PoolingCliOptions = DataOptions & ModelOptions;

/**
 * Registers `mlm pooling` on the program.
 *
 * Text output is one table per coefficient with a row per group (n, complete, none, partial);
 * with `--json` stdout holds `{ group, coefficients, complete, groups: [{ level, n, complete,
 * none, partial }], messages }`.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["pooling", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"], io); // 0
 * io.out().split("\n").slice(3, 6);
 * // ["(Intercept)", "  Subject  n complete   none partial", "  308     10   251.41 244.19  253.66"]
 * ```
 */
export function registerPooling(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "pooling",
    summary: "compare complete, no and partial pooling per group",
    examples: [
      'pooling sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
      'pooling sleepstudy.csv "Reaction ~ Days + (1 | Subject)" --json',
    ],
  });
  addModelOptions(command, true).action(async (data: string, formulaText: string, options: PoolingCliOptions) => {
    const train = await loadData(data, options, io);
    const m = fitFromOptions(train, formulaText, options, io);
    const pl = pooling(m);
    if (options.json) {
      io.stdout(`${JSON.stringify(pl, null, 2)}\n`);
      return;
    }
    const lines = [
      `Pooling by ${pl.group} (${pl.groups.length} groups): complete = one regression on all rows,`,
      `none = a separate regression in each group, partial = the mixed model's coef() (${m.method} fit).`,
    ];
    pl.coefficients.forEach((name, j) => {
      const rows = [
        [pl.group, "n", "complete", "none", "partial"],
        ...pl.groups.map((g) => [g.level, String(g.n), fmt(g.complete[j], 5), g.none ? fmt(g.none[j], 5) : "-", fmt(g.partial[j], 5)]),
      ];
      lines.push("", name, ...table(rows, 2));
    });
    io.stdout(`${lines.join("\n")}\n`);
    printMessages(io, [...m.messages, ...pl.messages]);
  });
}
