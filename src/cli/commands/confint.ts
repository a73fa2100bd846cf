/**
 * `mlm confint DATA FORMULA`: fit a model and print confidence intervals of its parameters, as
 * lme4's `confint(fit, method = ..., oldNames = FALSE)`: profile (default), Wald or parametric
 * bootstrap.
 */
import { Option, type Command } from "commander";
import { MlmError, confint } from "../../index.js";
import { formatSignificant as fmt, formatTable as table } from "../../text.js";
import type { ConfintMethod, ConfintRow } from "../../index.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";
import { progressBar } from "../progress.js";
import { addResidualOptions, fitResidualFromOptions, hasResidualStructure, residualIntervalsText, type ResidualOptions } from "../residual-options.js";
import { residualIntervals } from "../../index.js";

/** Options of `mlm confint`. */
export interface ConfintCliOptions extends DataOptions, ModelOptions, ResidualOptions {
  readonly method?: ConfintMethod;
  readonly level: string;
  readonly nsim: string;
  readonly seed: string;
}

/**
 * A number from an option's text.
 *
 * @param text - the option's value.
 * @param option - the option's name, for the error.
 * @param whole - require a whole number.
 * @param min - smallest value allowed.
 * @returns the number.
 * @throws MlmError naming the option when the text is not such a number.
 * @example
 * ```ts
 * optionNumber("0.9", "--level", false, 0); // 0.9
 * ```
 */
export function optionNumber(text: string, option: string, whole: boolean, min: number): number {
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || (whole && !Number.isInteger(x)) || x < min) {
    throw new MlmError(`${option} takes ${whole ? "a whole number" : "a number"}${Number.isFinite(min) ? ` of at least ${min}` : ""}, not '${text}'.`);
  }
  return x;
}

/**
 * Column headings of a confidence-interval table, as R prints them: `2.5 %` and `97.5 %`.
 *
 * @param level - the confidence level.
 * @returns the two headings.
 * @example
 * ```ts
 * percentLabels(0.9); // ["5 %", "95 %"]
 * ```
 */
export function percentLabels(level: number): [string, string] {
  const a = (1 - level) / 2;
  const pct = (p: number): string => `${Number((100 * p).toPrecision(3))} %`;
  return [pct(a), pct(1 - a)];
}

/**
 * The text table of intervals (NA where a method gives none).
 *
 * @param rows - the intervals.
 * @param level - the confidence level.
 * @returns the lines.
 * @example
 * ```ts
 * confintTable([{ name: "Days", lower: 7.358652, upper: 13.57592 }], 0.95);
 * // ["       2.5 %  97.5 %", "Days 7.35865 13.5759"]
 * ```
 */
export function confintTable(rows: readonly ConfintRow[], level: number): string[] {
  const cell = (x: number | null): string => (x === null ? "NA" : fmt(x, 6));
  return table([["", ...percentLabels(level)], ...rows.map((r) => [r.name, cell(r.lower), cell(r.upper)])]);
}

const TITLE: Record<ConfintMethod, string> = {
  profile: "Profile-likelihood confidence intervals",
  wald: "Wald confidence intervals (fixed effects only)",
  bootstrap: "Parametric-bootstrap percentile confidence intervals",
};

/**
 * Registers `mlm confint` on the program.
 *
 * Text output is a table with lme4's parameter names and R's `2.5 %` / `97.5 %` headings; with
 * `--json` stdout holds `[{ "name", "lower", "upper" }, ...]` (null where the method gives no
 * interval). The bootstrap draws a progress bar on stderr when it is a terminal.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["confint", dataFile("Dyestuff.csv"), "Yield ~ 1 + (1 | Batch)"], io); // 0
 * console.log(io.out());
 * // Profile-likelihood confidence intervals, level 0.95:
 * //                        2.5 %  97.5 %
 * // sd_(Intercept)|Batch 12.1965 84.0634
 * // sigma                38.2301 67.6577
 * // (Intercept)          1486.45 1568.55
 * ```
 */
export function registerConfint(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "confint",
    summary: "confidence intervals of a model's parameters (profile, Wald or bootstrap)",
    examples: [
      'confint sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
      'confint sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --method wald --level 0.9',
      'confint Dyestuff.csv "Yield ~ 1 + (1 | Batch)" --method bootstrap --nsim 500 --seed 7 --json',
    ],
  })
    .addOption(new Option("--method <method>", "how to compute the intervals (default profile; with --correlation/--variance Wald, as nlme's intervals())").choices(["profile", "wald", "bootstrap"]))
    .option("--level <p>", "confidence level", "0.95")
    .option("--nsim <n>", "bootstrap simulations", "1000")
    .option("--seed <s>", "seed of the bootstrap's random numbers (a whole number)", "1");
  addResidualOptions(addModelOptions(command)).action(async (data: string, formulaText: string, options: ConfintCliOptions) => {
    const level = optionNumber(options.level, "--level", false, -Infinity);
    if (hasResidualStructure(options)) {
      if (options.method !== undefined && options.method !== "wald") throw new MlmError("With --correlation or --variance the intervals are Wald intervals on nlme's scale, as nlme's intervals(); drop --method or use --method wald.");
      const r = fitResidualFromOptions(await loadData(data, options, io), formulaText, options);
      const iv = residualIntervals(r, level);
      io.stdout(options.json ? `${JSON.stringify(iv, null, 2)}\n` : `${residualIntervalsText(iv).join("\n")}\n`);
      return;
    }
    const method: ConfintMethod = options.method ?? "profile";
    const nsim = optionNumber(options.nsim, "--nsim", true, 1);
    const seed = optionNumber(options.seed, "--seed", true, -Infinity);
    const m = fitFromOptions(await loadData(data, options, io), formulaText, options, io);
    const rows = confint(m, {
      method,
      level,
      nsim,
      seed,
      onProgress: progressBar(io, method === "bootstrap" ? "bootstrap" : "profile"),
    });
    if (options.json) {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      const how = method === "bootstrap" ? ` (${nsim} simulations, seed ${seed})` : "";
      io.stdout(`${TITLE[method]}${how}, level ${level}:\n${confintTable(rows, level).join("\n")}\n`);
    }
    printMessages(io, m.messages);
  });
}
