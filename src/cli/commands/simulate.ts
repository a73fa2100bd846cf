/**
 * `mlm simulate DATA FORMULA --nsim N --seed S`: fit the model, then draw responses from it with
 * new random effects (lme4's `simulate(fit, nsim, seed)`).
 */
import type { Command } from "commander";
import { MlmError, simulate } from "../../index.js";
import { formatSignificant as fmt, formatTable as table } from "../../text.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";
import { addResidualOptions, fitResidualFromOptions, hasResidualStructure, type ResidualOptions } from "../residual-options.js";
import { simulateResidual } from "../../index.js";

/** Options of `mlm simulate`. */
export interface SimulateCliOptions extends DataOptions, ModelOptions, ResidualOptions {
  readonly nsim: string;
  readonly seed?: string;
}

/** A whole number from an option's text, or the error naming the option. */
function wholeNumber(text: string, option: string, min: number): number {
  const x = Number(text);
  if (text.trim() === "" || !Number.isInteger(x) || x < min) {
    throw new MlmError(`${option} takes a whole number${min > 0 ? ` of at least ${min}` : ""}, not '${text}'.`);
  }
  return x;
}

/**
 * Registers `mlm simulate` on the program.
 *
 * Text output has one line per row of the fit (its row in DATA, then one column per simulation);
 * with `--json` stdout holds `{ "nsim", "seed", "rows", "simulations": [[...], ...] }`, one
 * array per simulation. Binomial `cbind(s, f)` responses are simulated as counts of successes.
 * Without `--seed` a random seed is drawn and reported.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["simulate", dataFile("Dyestuff.csv"), "Yield ~ 1 + (1 | Batch)", "--nsim", "2", "--seed", "1", "--json"], io); // 0
 * const out = JSON.parse(io.out());
 * [out.nsim, out.rows.length, out.simulations[0][0]]; // [2, 30, 1569.256]
 * ```
 */
export function registerSimulate(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "simulate",
    summary: "fit a model and simulate responses from it",
    examples: [
      'simulate sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --nsim 10 --seed 1',
      'simulate cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial --factor period --nsim 5 --seed 7 --json',
      'simulate sleepstudy.csv "Reaction ~ Days + (1 | Subject)" --correlation "corAR1(form = ~ Days | Subject)" --nsim 10 --seed 1',
    ],
  })
    .option("--nsim <n>", "number of simulated response vectors", "1")
    .option("--seed <s>", "seed of the random numbers (a whole number), for reproducible draws");
  addResidualOptions(addModelOptions(command)).action(async (data: string, formulaText: string, options: SimulateCliOptions) => {
    const nsim = wholeNumber(options.nsim, "--nsim", 1);
    const seed = options.seed === undefined ? Math.floor(Math.random() * 2147483647) : wholeNumber(options.seed, "--seed", -Infinity);
    const train = await loadData(data, options, io);
    // the table is printed at once: at most ten million values
    const limits = { nsim, seed, maxValues: 1e7 };
    let m: { readonly frame: { readonly rows: Int32Array }; readonly messages: readonly { severity: string; text: string }[] };
    let sims: Float64Array[];
    if (hasResidualStructure(options)) {
      const r = fitResidualFromOptions(train, formulaText, options);
      [m, sims] = [r, simulateResidual(r, limits)];
    } else {
      const f = fitFromOptions(train, formulaText, options, io);
      [m, sims] = [f, simulate(f, limits)];
    }
    const rows = Array.from(m.frame.rows, (r) => r + 1);
    if (options.json) {
      io.stdout(`${JSON.stringify({ nsim, seed, rows, simulations: sims.map((s) => Array.from(s)) }, null, 2)}\n`);
      return;
    }
    const header = ["row", ...sims.map((_, s) => `sim_${s + 1}`)];
    const body = rows.map((r, i) => [String(r), ...sims.map((s) => (Number.isInteger(s[i]) ? String(s[i]) : fmt(s[i], 6)))]);
    io.stdout(`${table([header, ...body]).join("\n")}\n`);
    io.stderr(`mlm: note: seed ${seed}\n`);
    printMessages(io, m.messages);
  });
}
