/**
 * The residual-structure options of `mlm fit` (and `mlm compare`): `--correlation` and
 * `--variance` take nlme's calls, and the fit is nlme's gls (no random-effects term) or lme.
 */
import type { Command } from "commander";
import { MlmError, parseFormula, modelFrame, fitGlsFrame, fitLmmResidualFrame, anovaResidual } from "../index.js";
import { formatSignificant as fmt, formatPValue as fmtP, formatTable as table } from "../text.js";
import type { DataTable, ResidualModel, ResidualLrtRow, ResidualIntervals } from "../index.js";

/** The parsed residual options. */
export interface ResidualOptions {
  readonly correlation?: string;
  readonly variance?: string;
  readonly ml?: boolean;
  readonly family?: string;
  readonly weights?: string;
}

/**
 * Adds `--correlation` and `--variance` to a command.
 *
 * @param command - a data command.
 * @returns the command.
 * @example
 * ```ts
 * import { Command } from "commander";
 * addResidualOptions(new Command("fit")).options.map((o) => o.long); // ["--correlation", "--variance"]
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
 * fitResidualFromOptions(sleepstudy, "Reaction ~ Days", { correlation: "corAR1(form = ~ Days | Subject)" }).kind; // "gls"
 * fitResidualFromOptions(sleepstudy, "Reaction ~ Days", { correlation: "corAR1(form = ~ Days | Subject)", weights: "Days" }); // throws MlmError: --weights does not combine…
 * ```
 */
export function fitResidualFromOptions(table: DataTable, formulaText: string, options: ResidualOptions, t0 = performance.now()): ResidualModel {
  if (options.family !== undefined && options.family !== "gaussian") throw new MlmError("--correlation and --variance apply to linear models; drop --family or the residual structure.");
  if (options.weights !== undefined) throw new MlmError("--weights does not combine with --correlation or --variance; express unequal variances with --variance.");
  const frame = modelFrame(parseFormula(formulaText), table);
  const opts = { reml: !options.ml, correlation: options.correlation, variance: options.variance };
  return frame.reterms.length === 0 ? fitGlsFrame(frame, table, opts, t0) : fitLmmResidualFrame(frame, table, opts, t0);
}

/**
 * `mlm compare … --correlation/--variance`: the last formula is fitted with the residual
 * structure, the others without (one formula: the same model without and with it), and the fits
 * are compared as nlme's `anova()` does, by REML unless `--ml`.
 *
 * @param table - the data.
 * @param formulas - one or more formulas.
 * @param options - parsed options.
 * @returns the fits and nlme's anova rows.
 * @throws MlmError when the fits cannot be compared.
 * @example
 * ```ts
 * compareResidual(sleepstudy, ["Reaction ~ Days + (1 | Subject)"], { correlation: "corAR1(form = ~ Days | Subject)" }).rows[1].lRatio; // 50.274
 * ```
 */
export function compareResidual(table: DataTable, formulas: readonly string[], options: ResidualOptions): { models: ResidualModel[]; rows: ResidualLrtRow[] } {
  const list = formulas.length === 1 ? [formulas[0], formulas[0]] : formulas;
  const plain = { ...options, correlation: undefined, variance: undefined };
  const models = list.map((f, i) => fitResidualFromOptions(table, f, i === list.length - 1 ? options : plain));
  return { models, rows: anovaResidual(models) };
}

/**
 * nlme's anova table as text.
 *
 * @param rows - the rows of {@link compareResidual}.
 * @param data - the data file's name.
 * @returns the text, without a final newline.
 * @example
 * ```ts
 * const { rows } = compareResidual(sleepstudy, ["Reaction ~ Days + (1 | Subject)"], { correlation: "corAR1(form = ~ Days | Subject)" });
 * console.log(compareResidualText(rows, "sleepstudy.csv"));
 * // Data: sleepstudy.csv
 * // m0: Reaction ~ Days + (1 | Subject)
 * // m1: Reaction ~ Days + (1 | Subject), correlation corAR1(form = ~ Days | Subject)
 * //    Model df      AIC      BIC    logLik   Test  L.Ratio p-value
 * // m0     1  4 1794.465 1807.192 -893.2325
 * // m1     2  5 1746.191 1762.100 -868.0955 1 vs 2 50.27402  <.0001
 * ```
 */
export function compareResidualText(rows: readonly ResidualLrtRow[], data: string): string {
  const out = [`Data: ${data}`];
  rows.forEach((r, i) => out.push(`m${i}: ${[r.formula, r.correlation && `correlation ${r.correlation}`, r.variance && `variance ${r.variance}`].filter(Boolean).join(", ")}`));
  const cells: string[][] = [["", "Model", "df", "AIC", "BIC", "logLik", "Test", "L.Ratio", "p-value"]];
  rows.forEach((r, i) => {
    const c = [`m${i}`, String(i + 1), String(r.df), fmt(r.AIC, 7), fmt(r.BIC, 7), fmt(r.logLik, 7)];
    if (r.lRatio !== undefined && r.p !== undefined) c.push(`${i} vs ${i + 1}`, fmt(r.lRatio, 7), r.p < 1e-4 ? "<.0001" : fmtP(r.p));
    cells.push(c);
  });
  out.push(...table(cells));
  return out.join("\n");
}

/**
 * nlme's `intervals(fit)` as text: "Approximate 95% confidence intervals", then the fixed
 * effects, the correlation structure, the variance function and the residual standard error.
 *
 * @param iv - the intervals of {@link residualIntervals}.
 * @returns lines of text.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * console.log(residualIntervalsText(residualIntervals(m)).join("\n"));
 * // Approximate 95% confidence intervals
 * //
 * //  Coefficients:
 * //                lower     est.    upper
 * // (Intercept) 231.5359 253.7377 275.9395
 * // Days          7.1131  10.4667  13.8203
 * //
 * //  Correlation structure:
 * //        lower     est.    upper
 * // Phi 0.699528 0.799953 0.869393
 * //
 * //  Residual standard error:
 * //     lower     est.    upper
 * //  40.59645 49.51497 60.39278
 * ```
 */
export function residualIntervalsText(iv: ResidualIntervals): string[] {
  const out = [`Approximate ${Number((100 * iv.level).toPrecision(3))}% confidence intervals`, ""];
  const block = (title: string, rows: readonly { name: string; lower: number; estimate: number; upper: number }[]): void => {
    const digits = (r: { lower: number; estimate: number; upper: number }): number => Math.max(...[r.lower, r.estimate, r.upper].map((v) => (v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v))))));
    const d = Math.max(0, 6 - Math.max(0, ...rows.map(digits)));
    out.push(...(title ? [` ${title}:`] : []), ...table([["", "lower", "est.", "upper"], ...rows.map((r) => [r.name, r.lower.toFixed(d), r.estimate.toFixed(d), r.upper.toFixed(d)])]), "");
  };
  block("Coefficients", iv.fixed);
  if (iv.random.length > 0) {
    out.push(" Random Effects:");
    for (const group of new Set(iv.random.map((r) => r.group))) {
      out.push(`  Level: ${group}`);
      block("", iv.random.filter((r) => r.group === group));
    }
  }
  const cor = iv.structure.filter((r) => r.part === "correlation");
  const vf = iv.structure.filter((r) => r.part === "variance");
  if (cor.length > 0) block("Correlation structure", cor);
  if (vf.length > 0) block("Variance function", vf);
  const s = iv.sigma;
  const sig = [s.lower, s.estimate, s.upper].map((v) => fmt(v, 7));
  out.push(" Residual standard error:", ...table([["", "lower", "est.", "upper"], ["", ...sig]]));
  return out;
}
