/**
 * `mlm compare DATA FORMULA0 FORMULA1 [...]`: fit nested models to the same data and test them
 * against each other by likelihood ratios, as lme4's `anova(m0, m1, ...)`, with boundary-corrected
 * p-values where a variance is tested against zero.
 */
import type { Command } from "commander";
import { MlmError, anovaLrt } from "../../index.js";
import { formatSignificant as fmt, formatPValue as fmtP, formatTable as table } from "../../text.js";
import type { LrtTable, MixedModel } from "../../index.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";
import { addResidualOptions, compareResidual, compareResidualText, hasResidualStructure, type ResidualOptions } from "../residual-options.js";

/** Options of `mlm compare`. */
export interface CompareOptions extends DataOptions, ModelOptions, ResidualOptions {}

/** R's significance stars. */
function stars(p: number): string {
  if (!(p >= 0)) return "";
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}

/**
 * The text form of a comparison, laid out like lme4's anova table, followed by the
 * boundary-corrected p-values and their notes.
 *
 * @param result - the tests.
 * @param labels - a short name per row of `result.models` (e.g. `m0`, `m1`).
 * @param data - the data file's name, for the heading.
 * @returns the text (without a final newline).
 * @example
 * ```ts
 * const m0 = fit("Reaction ~ Days + (1 | Subject)", sleepstudy, { reml: false });
 * const m1 = fit("Reaction ~ Days + (Days | Subject)", sleepstudy, { reml: false });
 * console.log(compareText(anovaLrt([m0, m1]), ["m0", "m1"], "sleepstudy.csv"));
 * // Data: sleepstudy.csv
 * // Models:
 * // m0: Reaction ~ Days + (1 | Subject)
 * // m1: Reaction ~ Days + (Days | Subject)
 * //    npar    AIC    BIC  logLik deviance  Chisq Df Pr(>Chisq)
 * // m0    4 1802.1 1814.9 -897.04   1794.1
 * // m1    6 1763.9 1783.1 -875.97   1751.9 42.139  2   7.07e-10 ***
 * // …
 * ```
 */
export function compareText(result: LrtTable, labels: readonly string[], data: string): string {
  const out: string[] = [`Data: ${data}`, "Models:"];
  result.models.forEach((m, i) => out.push(`${labels[i]}: ${m.formula}`));
  const rows: string[][] = [["", "npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)", ""]];
  result.models.forEach((m, i) => {
    const r = [labels[i], String(m.npar), fmt(m.AIC, 5), fmt(m.BIC, 5), fmt(m.logLik, 5), fmt(m.deviance, 5)];
    const t = i > 0 ? result.tests[i - 1] : undefined;
    if (t) r.push(fmt(t.chisq, 5), String(t.df), fmtP(t.p), stars(t.p));
    rows.push(r);
  });
  out.push(...table(rows));
  out.push("---", "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1");
  const notes = result.tests.map((t, i) => ({ t, i })).filter(({ t }) => t.note !== undefined);
  if (notes.length > 0) {
    out.push("", "Tests of variance parameters on the boundary:");
    for (const { t, i } of notes) {
      const pair = `${labels[i + 1]} vs ${labels[i]}`;
      const p = t.pBoundary !== undefined ? `boundary p = ${fmtP(t.pBoundary)} from ${t.mixture} (ordinary p = ${fmtP(t.p)})` : "no boundary p-value";
      out.push(`${pair}: ${p}.`, `  ${t.note}`);
    }
  }
  return out.join("\n");
}

/**
 * The JSON form of a comparison: `{ models: [...], tests: [{ chisq, df, p, pBoundary, note }] }`,
 * with null for a boundary p-value or note that does not apply.
 *
 * @param result - the tests.
 * @returns a plain object for `JSON.stringify`.
 * @example
 * ```ts
 * const m0 = fit("Reaction ~ Days + (1 | Subject)", sleepstudy, { reml: false });
 * const m1 = fit("Reaction ~ Days + (Days | Subject)", sleepstudy, { reml: false });
 * compareJson(anovaLrt([m0, m1])).tests; // [{ chisq: 42.139, df: 2, p: 7.07e-10, pBoundary: 3.96e-10, note: "The simpler model sets a variance to zero…" }]
 * ```
 */
export function compareJson(result: LrtTable): Record<string, unknown> {
  return {
    models: result.models,
    tests: result.tests.map((t) => ({ chisq: t.chisq, df: t.df, p: Number.isNaN(t.p) ? null : t.p, pBoundary: t.pBoundary ?? null, note: t.note ?? null })),
  };
}

/**
 * Labels `m0`, `m1`, ... by the position of each formula on the command line, in the order of
 * the rows of the comparison (which is sorted by npar).
 */
function rowLabels(models: readonly MixedModel[], result: LrtTable): string[] {
  const used = new Set<number>();
  return result.models.map((row) => {
    const i = models.findIndex((m, k) => !used.has(k) && m.formula === row.formula);
    used.add(i);
    return `m${i}`;
  });
}

/**
 * Registers `mlm compare` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["compare", dataFile("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days | Subject)"], io); // 0
 * io.out().split("\n").slice(4, 7);
 * // ["   npar    AIC    BIC  logLik deviance  Chisq Df Pr(>Chisq)",
 * //  "m0    4 1802.1 1814.9 -897.04   1794.1",
 * //  "m1    6 1763.9 1783.1 -875.97   1751.9 42.139  2   7.07e-10 ***"]
 * ```
 */
export function registerCompare(program: Command, io: CliIo): void {
  const examples = [
    'compare sleepstudy.csv "Reaction ~ Days + (1 | Subject)" "Reaction ~ Days + (Days | Subject)"',
    'compare Penicillin.csv "diameter ~ 1 + (1 | plate)" "diameter ~ 1 + (1 | plate) + (1 | sample)" --json',
    'compare cbpp.csv "cbind(incidence, size - incidence) ~ 1 + (1 | herd)" "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial --factor period',
    'compare sleepstudy.csv "Reaction ~ Days + (1 | Subject)" --correlation "corAR1(form = ~ Days | Subject)"',
  ];
  const summary = "likelihood-ratio tests of nested models (lme4's anova)";
  const command = dataCommand(program, {
    name: "compare",
    summary,
    description: `${summary}; linear models are refitted by maximum likelihood`,
    formulas: true,
    examples,
  });
  addResidualOptions(addModelOptions(command)).action(async (data: string, formulas: string[], options: CompareOptions) => {
    if (hasResidualStructure(options)) {
      // nlme's anova: the last formula with the residual structure, the others without
      const { rows } = compareResidual(await loadData(data, options, io), formulas, options);
      io.stdout(options.json ? `${JSON.stringify({ models: rows }, null, 2)}\n` : `${compareResidualText(rows, data)}\n`);
      return;
    }
    if (formulas.length < 2) {
      throw new MlmError("compare needs at least two formulas, a simpler and a more complex model.");
    }
    const t = await loadData(data, options, io);
    const models = formulas.map((f) => fitFromOptions(t, f, options, io));
    const result = anovaLrt(models);
    if (options.json) {
      io.stdout(`${JSON.stringify(compareJson(result), null, 2)}\n`);
      return;
    }
    io.stdout(`${compareText(result, rowLabels(models, result), data)}\n`);
    models.forEach((m, i) => {
      printMessages(io, m.messages, `m${i}: `);
    });
  });
}
