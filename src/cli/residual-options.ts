/**
 * The residual-structure options of `mlm fit` (and `mlm compare`): `--correlation` and
 * `--variance` take nlme's calls, and the fit is nlme's gls (no random-effects term) or lme.
 */
import type { Command } from "commander";
import { MlmError, parseFormula, modelFrame, fitGlsFrame, fitLmmResidualFrame } from "../index.js";
import type { DataTable, ResidualModel } from "../index.js";

/** The parsed residual options. */
export interface ResidualOptions {
  readonly correlation?: string;
  readonly variance?: string;
  readonly ml?: boolean;
  readonly family?: "gaussian" | "binomial" | "poisson";
  readonly weights?: string;
}

/**
 * Adds `--correlation` and `--variance` to a command.
 *
 * @param command - a data command.
 * @returns the command.
 * @example
 * ```ts
 * addResidualOptions(command); // --correlation "corAR1(form = ~ Days | Subject)" --variance "varIdent(form = ~ 1 | Sex)"
 * ```
 */
export function addResidualOptions(command: Command): Command {
  return command
    .option("--correlation <call>", 'residual correlation within groups, as nlme writes it: "corAR1(form = ~ Days | Subject)", corCAR1, corARMA(p =, q =), corCompSymm, corSymm')
    .option("--variance <call>", 'residual variance function, as nlme writes it: "varIdent(form = ~ 1 | Sex)", varPower(), varPower(form = ~ x), varExp, varConstPower');
}

/**
 * True when the options ask for a residual structure.
 *
 * @param options - parsed options.
 * @returns whether to fit with nlme's structures.
 * @example
 * ```ts
 * hasResidualStructure({ correlation: "corAR1()" }); // true
 * ```
 */
export function hasResidualStructure(options: ResidualOptions): boolean {
  return options.correlation !== undefined || options.variance !== undefined;
}

/**
 * Fit gls (no random-effects term) or lme with the options' residual structure.
 *
 * @param table - the data.
 * @param formulaText - the formula.
 * @param options - parsed options.
 * @param t0 - when the command started.
 * @returns the fitted model.
 * @throws MlmError for options that do not combine with a residual structure.
 * @example
 * ```ts
 * fitResidualFromOptions(table, "Reaction ~ Days", { correlation: "corAR1(form = ~ Days | Subject)" }).kind; // "gls"
 * ```
 */
export function fitResidualFromOptions(table: DataTable, formulaText: string, options: ResidualOptions, t0 = performance.now()): ResidualModel {
  if (options.family !== undefined && options.family !== "gaussian") throw new MlmError("--correlation and --variance apply to linear models; drop --family or the residual structure.");
  if (options.weights !== undefined) throw new MlmError("--weights does not combine with --correlation or --variance; express unequal variances with --variance.");
  const frame = modelFrame(parseFormula(formulaText), table);
  const opts = { reml: !options.ml, correlation: options.correlation, variance: options.variance };
  return frame.reterms.length === 0 ? fitGlsFrame(frame, table, opts, t0) : fitLmmResidualFrame(frame, table, opts, t0);
}
