/**
 * `mlm means DATA FORMULA --specs F`: estimated marginal means (or, with `--trend x`, slopes) over
 * emmeans's reference grid, with `--pairwise` contrasts, as R's emmeans, emtrends and pairs print
 * them (same column names).
 */
import { Option, type Command } from "commander";
import { MlmError, emmeans, pairwiseContrasts } from "../../index.js";
import { formatSignificant as fmt, formatTable as table } from "../../text.js";
import type { EmmTable, MeansDdf, PAdjust } from "../../index.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";

/** Options of `mlm means`. */
export interface MeansCliOptions extends DataOptions, ModelOptions {
  readonly specs: string;
  readonly by?: string;
  readonly trend?: string;
  readonly pairwise?: boolean;
  readonly adjust: PAdjust;
  readonly ddf: MeansDdf;
  readonly type: "link" | "response";
  readonly level: string;
}

/** A comma-separated list of names. */
const names = (s: string | undefined): string[] => (s ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");

/** An emmeans table as aligned text, with its notes. */
function tableText(t: EmmTable): string {
  const rows = [t.columns.slice()];
  const n = t.data[t.columns[0]].length;
  for (let i = 0; i < n; i++) {
    rows.push(t.columns.map((c) => {
      const v = t.data[c][i];
      if (typeof v === "string") return v;
      if (c === "df" && !Number.isFinite(v)) return "Inf";
      if (c === "p.value") return v < 1e-4 ? "<.0001" : v.toFixed(4);
      return fmt(v, c === "df" ? 4 : 5);
    }));
  }
  return [...table(rows), "", ...t.notes].join("\n");
}

/** An emmeans table as a list of row objects (df = ∞ written as null). */
function tableJson(t: EmmTable): Record<string, string | number | null>[] {
  const n = t.data[t.columns[0]].length;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(t.columns.map((c) => {
      const v = t.data[c][i];
      return [c, typeof v === "number" && !Number.isFinite(v) ? null : v];
    })),
  );
}

/**
 * Registers `mlm means` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["means", dataFile("Machines.csv"), "score ~ Machine + (Machine | Worker)", "--specs", "Machine", "--json"], io); // 0
 * Object.keys(JSON.parse(io.out())); // ["emmeans", "notes", "messages"]
 * ```
 */
export function registerMeans(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "means",
    summary: "estimated marginal means, trends and pairwise contrasts (as emmeans)",
    examples: [
      'means Machines.csv "score ~ Machine + (Machine | Worker)" --specs Machine --pairwise',
      'means Exam.csv "normexam ~ standLRT + sex * schgend + (1 | school)" --specs sex --by schgend --ddf satterthwaite',
      'means cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial --factor period --specs period --type response',
      'means sleepstudy.csv "Reaction ~ Days + I(Days^2) + (Days | Subject)" --specs 1 --trend Days',
    ],
  })
    .requiredOption("--specs <factors>", "the factors whose cells get a mean, comma-separated ('1' for one overall mean)")
    .option("--by <factors>", "report means and contrasts separately within the levels of these factors")
    .option("--trend <variable>", "the slope of this numeric predictor instead of the mean (emtrends)")
    .option("--pairwise", "add all pairwise differences of the means (within each --by group)")
    .addOption(new Option("--adjust <method>", "p-value adjustment of the pairwise contrasts").choices(["tukey", "holm", "bonferroni", "sidak", "none"]).default("tukey"))
    .addOption(new Option("--ddf <method>", "degrees of freedom of a linear model's means").choices(["kenward-roger", "satterthwaite", "asymptotic"]).default("kenward-roger"))
    .addOption(new Option("--type <scale>", "scale of a GLMM's means: link (default) or response (delta method)").choices(["link", "response"]).default("link"))
    .option("--level <p>", "confidence level of the intervals", "0.95");
  addModelOptions(command).action(async (data: string, formulaText: string, options: MeansCliOptions) => {
    const level = Number(options.level);
    if (options.level.trim() === "" || !(level > 0 && level < 1)) {
      throw new MlmError(`--level takes a number between 0 and 1 (e.g. 0.95), not '${options.level}'.`);
    }
    const table0 = await loadData(data, options, io);
    const m = fitFromOptions(table0, formulaText, options);
    const mm = emmeans(m, table0, {
      specs: names(options.specs),
      by: names(options.by),
      ...(options.trend ? { trend: options.trend } : {}),
      ddf: options.ddf,
      type: options.type,
      level,
    });
    const contrasts = options.pairwise ? pairwiseContrasts(m, mm, options.adjust) : undefined;
    if (options.json) {
      const out = { [options.trend ? "emtrends" : "emmeans"]: tableJson(mm.table), ...(contrasts ? { contrasts: tableJson(contrasts) } : {}), notes: [...mm.table.notes, ...(contrasts?.notes ?? [])], messages: m.messages };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    io.stdout(`${tableText(mm.table)}\n${contrasts ? `\n${tableText(contrasts)}\n` : ""}`);
    printMessages(io, m.messages);
  });
}
