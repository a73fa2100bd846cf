/**
 * `mlm tidy`, `mlm glance` and `mlm augment`: broom.mixed's tidy tables of a fitted model, as CSV
 * (default) or `--json`, with broom.mixed's column names.
 */
import type { Command } from "commander";
import { MlmError, tidy, glance, augment, type TidyEffect } from "../../index.js";
import type { CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";

/** Options of `mlm tidy`. */
export interface TidyCliOptions extends DataOptions, ModelOptions {
  readonly effects: string;
  readonly confInt?: boolean;
}

const EFFECTS: readonly TidyEffect[] = ["fixed", "ran_pars", "ran_vals", "ran_coefs"];

/** One CSV field: numbers in full precision, NA for missing, text quoted when it needs to be. */
function csvField(v: string | number | null): string {
  if (v === null) return "NA";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? "Inf" : v < 0 ? "-Inf" : "NaN";
  return /[",\n\r]/.test(v) || v.trim() !== v ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * Rows as CSV text with a header.
 *
 * @param columns - column names in order.
 * @param rows - one object per row.
 * @returns the CSV, lines ending in a newline.
 * @example
 * ```ts
 * toCsv(["a", "b"], [{ a: 1, b: "x" }]); // "a,b\n1,x\n"
 * ```
 */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, string | number | null>>[]): string {
  return [columns.map(csvField).join(","), ...rows.map((r) => columns.map((c) => csvField(r[c] ?? null)).join(","))].map((l) => `${l}\n`).join("");
}

/** Non-finite numbers as null for JSON. */
const jsonValue = (v: string | number | null): string | number | null => (typeof v === "number" && !Number.isFinite(v) ? null : v);

/**
 * Registers `mlm tidy` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["tidy", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"], io); // 0
 * io.out().split("\n")[0]; // "effect,group,term,estimate,std.error,statistic,df,p.value"
 * ```
 */
export function registerTidy(program: Command, io: CliIo): void {
  const tidyCommand = dataCommand(program, {
    name: "tidy",
    summary: "one row per parameter, as broom.mixed's tidy() (CSV or --json)",
    examples: [
      'tidy sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --conf-int',
      'tidy sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --effects ran_vals,ran_coefs --json',
    ],
  })
    .option("--effects <list>", "comma-separated: fixed, ran_pars, ran_vals, ran_coefs", "fixed,ran_pars")
    .option("--conf-int", "add conf.low and conf.high (fixed effects: t with Satterthwaite df for linear models; ran_vals: normal)");
  addModelOptions(tidyCommand).action(async (data: string, formulaText: string, options: TidyCliOptions) => {
    const effects = options.effects.split(",").map((e) => e.trim()).filter((e) => e !== "");
    for (const e of effects) {
      if (!EFFECTS.includes(e as TidyEffect)) throw new MlmError(`--effects takes fixed, ran_pars, ran_vals and ran_coefs, not '${e}'.`);
    }
    const m = fitFromOptions(await loadData(data, options, io), formulaText, options, io);
    const t = tidy(m, { effects: effects as TidyEffect[], confInt: options.confInt ?? false });
    if (options.json) {
      io.stdout(`${JSON.stringify(t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c, jsonValue(r[c])]))), null, 2)}\n`);
      return;
    }
    io.stdout(toCsv(t.columns, t.rows));
  });

}

/**
 * Registers `mlm glance` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["glance", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"], io); // 0
 * io.out().split("\n")[0]; // "nobs,sigma,logLik,AIC,BIC,REMLcrit,df.residual"
 * ```
 */
export function registerGlance(program: Command, io: CliIo): void {
  const glanceCommand = dataCommand(program, {
    name: "glance",
    summary: "one row of model statistics, as broom.mixed's glance() (CSV or --json)",
    examples: ['glance sleepstudy.csv "Reaction ~ Days + (Days | Subject)"'],
  });
  addModelOptions(glanceCommand).action(async (data: string, formulaText: string, options: DataOptions & ModelOptions) => {
    const m = fitFromOptions(await loadData(data, options, io), formulaText, options, io);
    const g = glance(m);
    if (options.json) {
      io.stdout(`${JSON.stringify(g, null, 2)}\n`);
      return;
    }
    io.stdout(toCsv(Object.keys(g), [g]));
  });

}

/**
 * Registers `mlm augment` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["augment", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"], io); // 0
 * io.out().split("\n")[0].endsWith(".fitted,.resid,.fixed,.mu,.hat,.cooksd"); // true
 * ```
 */
export function registerAugment(program: Command, io: CliIo): void {
  const augmentCommand = dataCommand(program, {
    name: "augment",
    summary: "per-row fitted values, residuals and influence, as broom.mixed's augment() (CSV or --json)",
    examples: ['augment sleepstudy.csv "Reaction ~ Days + (Days | Subject)" > augmented.csv'],
  });
  addModelOptions(augmentCommand).action(async (data: string, formulaText: string, options: DataOptions & ModelOptions) => {
    const m = fitFromOptions(await loadData(data, options, io), formulaText, options, io);
    const a = augment(m);
    const columns = Object.keys(a);
    const rows = Array.from({ length: m.nobs }, (_, i) => Object.fromEntries(columns.map((c) => [c, a[c][i]])));
    if (options.json) {
      io.stdout(`${JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, jsonValue(r[c])]))), null, 2)}\n`);
      return;
    }
    io.stdout(toCsv(columns, rows));
  });
}
