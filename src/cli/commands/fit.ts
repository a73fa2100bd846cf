/**
 * `mlm fit DATA FORMULA`: fit a linear mixed model (REML by default, `--ml`) or, with
 * `--family`, a binomial or Poisson GLMM, and print an lme4-style summary or `--json`.
 */
import { Option, type Command } from "commander";
import { MlmError, satterthwaite, kenwardRoger, waldZ, fitJson, summaryText, iccInterval, compareOls, compareOlsText } from "../../index.js";
import type { MixedModelBase, LinearMixedModel, FixefTests } from "../../index.js";
import type { CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";
import { iccIntervalLine, insertAfterIccLine } from "../icc-ci.js";
import { progressBar } from "../progress.js";

/** Options of `mlm fit`. */
export interface FitOptions extends DataOptions, ModelOptions {
  readonly ddf?: "satterthwaite" | "kenward-roger" | "none";
  /** Add a bootstrap confidence interval for the ICC (`--icc-ci`). */
  readonly iccCi?: boolean;
  /** Add the comparison with single-level regression (`--compare-ols`). */
  readonly compareOls?: boolean;
  /** The grouping factor its robust standard errors cluster on (`--cluster`). */
  readonly cluster?: string;
}

/**
 * Fixed-effect tests for a fitted model: Satterthwaite (default) or Kenward-Roger t tests for
 * linear models, Wald z for GLMMs and for `--ddf none`. Kenward-Roger's tests also replace the
 * standard errors by the adjusted ones (`se`).
 *
 * @param m - the fitted model.
 * @param ddf - the df method for linear models.
 * @returns df (t tests only) and p-values, with the method's name.
 * @throws MlmError when Kenward-Roger's method is asked for a model it does not apply to (an ML fit).
 * @example
 * ```ts
 * fixefTests(m, "satterthwaite"); // { tests: { df: [17, 17], p: [...] }, name: "Satterthwaite" }
 * ```
 */
export function fixefTests(m: MixedModelBase, ddf: FitOptions["ddf"] = "satterthwaite"): { tests: FixefTests; name?: string } {
  if (m.family !== "gaussian" || ddf === "none") return { tests: waldZ(m) };
  const lmm = m as LinearMixedModel;
  if (ddf === "kenward-roger") {
    const kr = kenwardRoger(lmm);
    return { tests: { df: kr.df, p: kr.p, se: kr.se }, name: "Kenward-Roger" };
  }
  return { tests: satterthwaite(lmm), name: "Satterthwaite" };
}

/**
 * Registers `mlm fit` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * registerFit(program, io);
 * // $ mlm fit sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --json
 * ```
 */
export function registerFit(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "fit",
    summary: "fit a linear or generalized linear mixed model",
    examples: [
      'fit sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
      'fit sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --ml --json',
      'fit cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial --factor period',
    ],
  });
  addModelOptions(command)
    .addOption(new Option("--ddf <method>", "degrees of freedom for t tests of a linear model").choices(["satterthwaite", "kenward-roger", "none"]).default("satterthwaite"))
    .option("--icc-ci", "add a parametric-bootstrap 95% interval for the intraclass correlation (500 simulations, seed 1)")
    .option("--compare-ols", "add the single-level regression that ignores the grouping: naive and cluster-robust standard errors, design effects")
    .option("--cluster <factor>", "with --compare-ols, the grouping factor to cluster on (default: the one with the fewest levels)")
    .action(async (data: string, formulaText: string, options: FitOptions) => {
      const m = fitFromOptions(await loadData(data, options, io), formulaText, options);
      if (options.cluster !== undefined && !options.compareOls) throw new MlmError("--cluster applies with --compare-ols only; add --compare-ols or drop --cluster.");
      const ols = options.compareOls ? compareOls(m, options.cluster !== undefined ? { cluster: options.cluster } : {}) : undefined;
      const { tests, name } = fixefTests(m, options.ddf);
      const iccCi = options.iccCi ? iccInterval(m, { nsim: 500, seed: 1, onProgress: progressBar(io, "ICC bootstrap") }) : undefined;
      if (options.json) {
        io.stdout(`${JSON.stringify({ ...fitJson(m, tests), ...(iccCi ? { iccInterval: iccCi } : {}), ...(ols ? { compareOls: ols } : {}) }, null, 2)}\n`);
        return;
      }
      const text = summaryText(m, tests, name);
      io.stdout(`${iccCi ? insertAfterIccLine(text, iccIntervalLine(iccCi, 500)) : text}${ols ? `\n\n${compareOlsText(ols, m.family)}` : ""}\n`);
    });
}
