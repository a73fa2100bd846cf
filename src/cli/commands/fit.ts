/**
 * `mlm fit DATA FORMULA`: fit a linear mixed model (REML by default, `--ml`) or, with
 * `--family`, a binomial or Poisson GLMM, and print an lme4-style summary or `--json`.
 */
import { Option, type Command } from "commander";
import { MlmError, coefTable, fitJson, iccInterval, compareOls, type DdfMethod } from "../../index.js";
import { summaryText, compareOlsText } from "../../text.js";
import type { CliIo } from "../cli-io.js";
import { dataCommand, loadData, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";
import { progressBar } from "../progress.js";
import { addResidualOptions, fitResidualFromOptions, hasResidualStructure, type ResidualOptions } from "../residual-options.js";
import { residualJson } from "../../index.js";
import { residualSummaryText } from "../../text.js";
import { statisticsFit } from "../statistics-fit.js";

/** Options of `mlm fit`. */
export interface FitOptions extends DataOptions, ModelOptions, ResidualOptions {
  readonly ddf?: "satterthwaite" | "kenward-roger" | "nlme" | "none";
  /** Add a bootstrap confidence interval for the ICC (`--icc-ci`). */
  readonly iccCi?: boolean;
  /** Add the comparison with single-level regression (`--compare-ols`). */
  readonly compareOls?: boolean;
  /** The grouping factor its robust standard errors cluster on (`--cluster`). */
  readonly cluster?: string;
  /** Where the rows are aggregated: in memory (default) or by embedded DuckDB (`--engine`). */
  readonly engine?: "memory" | "duckdb";
  /** Fit from a statistics file instead of data (`--from-stats`). */
  readonly fromStats?: string;
}

/**
 * Registers `mlm fit` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["fit", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--json"], io); // 0
 * JSON.parse(io.out()).fixef[1]; // { term: "Days", estimate: 10.467, se: 1.546, df: 17.0, p: 3.26e-06 }
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
      'fit sleepstudy.csv "Reaction ~ Days + (1 | Subject)" --correlation "corAR1(form = ~ Days | Subject)"',
      'fit big.parquet "y ~ x + (x | g)" --engine duckdb',
      "fit --from-stats stats.json",
    ],
    optionalArguments: true,
  });
  addResidualOptions(addModelOptions(command))
    .addOption(new Option("--ddf <method>", "degrees of freedom for t tests of a linear model (default satterthwaite; with --correlation/--variance nlme's, or satterthwaite over all covariance parameters)").choices(["satterthwaite", "kenward-roger", "nlme", "none"]))
    .option("--icc-ci", "add a parametric-bootstrap 95% interval for the intraclass correlation (500 simulations, seed 1)")
    .option("--compare-ols", "add the single-level regression that ignores the grouping: naive and cluster-robust standard errors, design effects")
    .option("--cluster <factor>", "with --compare-ols, the grouping factor to cluster on (default: the one with the fewest levels)")
    .addOption(new Option("--engine <engine>", "aggregate the rows in memory or with embedded DuckDB (linear models; the rows never enter memory)").choices(["memory", "duckdb"]).default("memory"))
    .option("--from-stats <file>", "fit a linear model from statistics (mlm stats, or the result of the mlm sql query) instead of data")
    .action(async (data: string | undefined, formulaText: string | undefined, options: FitOptions) => {
      if (hasResidualStructure(options)) {
        if (data === undefined || formulaText === undefined) missingFormula();
        if (options.engine === "duckdb" || options.fromStats !== undefined) throw new MlmError("--correlation and --variance need the rows, so they cannot be combined with --engine duckdb or --from-stats.");
        if (options.ddf === "kenward-roger" || options.ddf === "none") throw new MlmError("With --correlation or --variance the fixed effects are tested with nlme's or Satterthwaite's degrees of freedom; use --ddf nlme or --ddf satterthwaite.");
        const ddf = options.ddf ?? "nlme";
        const r = fitResidualFromOptions(await loadData(data, options, io), formulaText, options);
        io.stdout(options.json ? `${JSON.stringify(residualJson(r, ddf), null, 2)}\n` : `${residualSummaryText(r, data.split(/[\\/]/).pop(), ddf)}\n`);
        return;
      }
      const m =
        (await statisticsFit(data, formulaText, options, io)) ??
        (data === undefined || formulaText === undefined ? missingFormula() : fitFromOptions(await loadData(data, options, io), formulaText, options, io));
      if (options.cluster !== undefined && !options.compareOls) throw new MlmError("--cluster applies with --compare-ols only; add --compare-ols or drop --cluster.");
      const ols = options.compareOls ? compareOls(m, options.cluster !== undefined ? { cluster: options.cluster } : {}) : undefined;
      if (options.ddf === "nlme") throw new MlmError("--ddf nlme applies with --correlation or --variance; use satterthwaite, kenward-roger or none.");
      const ddf: DdfMethod = m.kind === "glmm" || options.ddf === "none" ? "wald" : (options.ddf ?? "satterthwaite");
      const coef = coefTable(m, { ddf });
      const iccIntervals = options.iccCi ? iccInterval(m, { nsim: 500, seed: 1, onProgress: progressBar(io, "ICC bootstrap") }) : undefined;
      if (options.json) {
        io.stdout(`${JSON.stringify({ ...fitJson(m, coef), ...(iccIntervals ? { iccInterval: iccIntervals } : {}), ...(ols ? { compareOls: ols } : {}) }, null, 2)}\n`);
        return;
      }
      io.stdout(`${summaryText(m, { coef, iccIntervals })}${ols ? `\n\n${compareOlsText(ols, m.kind)}` : ""}\n`);
    });
}

function missingFormula(): never {
  throw new MlmError('Give a data file and a formula, e.g. `mlm fit sleepstudy.csv "Reaction ~ Days + (Days | Subject)"`.');
}
