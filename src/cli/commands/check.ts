/**
 * `mlm check DATA FORMULA`: DHARMa-style simulation-based residual diagnostics: the tests of
 * uniformity, dispersion and zero inflation in plain words, and with `--json` the scaled
 * residuals and the data of the standard plots.
 */
import { Option, type Command } from "commander";
import { MlmError, checkModel } from "../../index.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";

/** Options of `mlm check`. */
export interface CheckCliOptions extends DataOptions, ModelOptions {
  readonly nsim: string;
  readonly seed: string;
  readonly simulation: "conditional" | "unconditional";
}

/** A whole-number option. */
function wholeNumber(text: string, name: string, min: number): number {
  const v = Number(text);
  if (text.trim() === "" || !Number.isInteger(v) || v < min) throw new MlmError(`${name} takes a whole number of at least ${min}, not '${text}'.`);
  return v;
}

/**
 * Registers `mlm check` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["check", dataFile("grouseticks.csv"), "TICKS ~ YEAR + (1 | LOCATION)", "--family", "poisson", "--factor", "YEAR", "--nsim", "50", "--json"], io); // 0
 * Object.keys(JSON.parse(io.out())); // ["nsim", "seed", "simulation", "tests", "residuals", "plots", "messages"]
 * ```
 */
export function registerCheck(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "check",
    summary: "simulation-based residual diagnostics (as DHARMa): uniformity, dispersion, zero inflation",
    examples: [
      'check sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
      'check grouseticks.csv "TICKS ~ YEAR + (1 | LOCATION)" --family poisson --factor YEAR --nsim 500 --seed 2 --json',
    ],
  })
    .option("--nsim <n>", "number of simulated responses", "250")
    .option("--seed <n>", "seed of the simulations", "1")
    .addOption(new Option("--simulation <kind>", "conditional on the fitted random effects, or with new ones").choices(["conditional", "unconditional"]).default("conditional"));
  addModelOptions(command).action(async (data: string, formulaText: string, options: CheckCliOptions) => {
    const nsim = wholeNumber(options.nsim, "--nsim", 10);
    const seed = wholeNumber(options.seed, "--seed", 0);
    const m = fitFromOptions(await loadData(data, options, io), formulaText, options, io);
    const c = checkModel(m, { nsim, seed, simulation: options.simulation });
    if (options.json) {
      const arr = (a: Float64Array): number[] => Array.from(a);
      const { residualsVsFitted: rf, qqResiduals: qq, qqRanef } = c.plots;
      io.stdout(`${JSON.stringify({
        nsim, seed, simulation: options.simulation,
        tests: c.tests,
        residuals: arr(c.residuals),
        plots: {
          residualsVsFitted: { fitted: arr(rf.fitted), residual: arr(rf.residual) },
          qqResiduals: { expected: arr(qq.expected), observed: arr(qq.observed) },
          qqRanef: qqRanef.map((q) => ({ group: q.group, term: q.term, expected: arr(q.expected), observed: arr(q.observed) })),
        },
        messages: m.messages,
      }, null, 2)}\n`);
      return;
    }
    const lines = [`Simulation-based residual diagnostics (${nsim} ${options.simulation} simulations, seed ${seed}):`, ""];
    for (const t of c.tests) lines.push(`${t.name}: ${t.finding}`);
    io.stdout(`${lines.join("\n")}\n`);
    printMessages(io, m.messages);
  });
}
