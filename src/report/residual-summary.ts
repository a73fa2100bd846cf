/**
 * The text summary of a fit with a residual structure, laid out as nlme's summary.gls and
 * summary.lme print it: the fit line, AIC/BIC/logLik, the random effects (lme), the
 * "Correlation Structure" and "Variance function" blocks, the coefficient table with nlme's
 * degrees of freedom, and the residual standard error.
 */
import type { ResidualModel } from "../residual/residual-model.js";
import type { StructureResult } from "../residual/structure.js";
import { nlmeDf } from "../inference/nlme-df.js";
import { satterthwaiteResidual } from "../inference/residual-satterthwaite.js";

/** Which degrees of freedom the fixed-effects tests use: nlme's (default) or Satterthwaite's over all covariance parameters. */
export type ResidualDdf = "nlme" | "satterthwaite";

/** The tests of the fixed effects by the chosen df method (undefined: nlme gives none for several grouping factors). */
function testsOf(m: ResidualModel, ddf: ResidualDdf): { df: readonly number[]; p: readonly number[] } | undefined {
  return ddf === "satterthwaite" ? satterthwaiteResidual(m) : nlmeDf(m);
}
import { fmt, fmtP, table } from "./format.js";
import { messageLine } from "../messages.js";

/** `~ Days | Subject` as nlme deparses it: `~Days | Subject`. */
const nlmeForm = (form: string): string => form.replace(/^~\s*/, "~");

/** A named row of numbers as R prints a named vector: 7 significant digits, common decimals. */
function namedVector(values: Readonly<Record<string, number>>): string[] {
  const names = Object.keys(values);
  const decimals = (v: number): number => {
    const t = Number(v.toPrecision(7)).toString();
    return /e/.test(t) ? -1 : (t.split(".")[1] ?? "").length;
  };
  const d = Math.max(0, ...names.map((k) => decimals(values[k])));
  const cells = names.map((k) => (names.some((j) => decimals(values[j]) < 0) ? fmt(values[k], 7) : values[k].toFixed(d)));
  const w = names.map((k, i) => Math.max(k.length, cells[i].length));
  return [names.map((k, i) => k.padStart(w[i])).join(" "), cells.map((c, i) => c.padStart(w[i])).join(" ")];
}

/**
 * nlme's block for one structure.
 *
 * @param s - the fitted structure.
 * @param kind - correlation or variance.
 * @returns lines of text.
 * @example
 * ```ts
 * const block = structureBlock({ structure: "corAR1", form: "~ Days | Subject", label: "AR(1)", parameters: { Phi: 0.8 } }, "correlation");
 * block; // ["Correlation Structure: AR(1)", " Formula: ~Days | Subject", " Parameter estimate(s):", "Phi", "0.8"]
 * structureBlock({ structure: "varIdent", form: "~ 1 | Sex", label: "Different standard deviations per stratum", parameters: { Male: 1.72 }, allCoef: { Female: 1, Male: 1.72 } }, "variance").slice(4);
 * // ["Female Male", "  1.00 1.72"]
 * ```
 */
export function structureBlock(s: StructureResult, kind: "correlation" | "variance"): string[] {
  if (kind === "correlation") {
    return [`Correlation Structure: ${s.label}`, ` Formula: ${nlmeForm(s.form)}`, " Parameter estimate(s):", ...namedVector(s.parameters)];
  }
  return ["Variance function:", ` Structure: ${s.label}`, ` Formula: ${nlmeForm(s.form)}`, " Parameter estimates:", ...namedVector(s.allCoef ?? s.parameters)];
}

/**
 * Summary text of a gls or lme fit with a residual structure.
 *
 * @param m - the fitted model.
 * @param data - how to name the data (the file name).
 * @param ddf - nlme's degrees of freedom (default) or Satterthwaite's.
 * @returns the summary, lines joined by newlines.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * console.log(residualSummaryText(m, "sleepstudy.csv"));
 * // Generalized least squares fit by REML
 * //   Model: Reaction ~ Days
 * //   Data: sleepstudy.csv
 * //        AIC      BIC    logLik
 * //   1747.206 1759.933 -869.6030
 * // …
 * // Residual standard error: 49.51497
 * // Degrees of freedom: 180 total; 178 residual
 * ```
 */
export function residualSummaryText(m: ResidualModel, data = "data", ddf: ResidualDdf = "nlme"): string {
  const lines: string[] = [];
  lines.push(m.kind === "gls" ? `Generalized least squares fit by ${m.method}` : `Linear mixed-effects model fit by ${m.method}`);
  lines.push(`  Model: ${m.formula}`, `  Data: ${data}`);
  lines.push(...table([["AIC", "BIC", "logLik"], [fmt(m.AIC, 7), fmt(m.BIC, 7), fmt(m.logLik, 7)]], 2, 0));
  lines.push("");
  if (m.kind === "lme") {
    lines.push("Random effects:");
    const rows: string[][] = [["Groups", "Name", "Std.Dev.", "Corr"]];
    for (const r of m.varcorr) {
      if (r.var2 !== null) continue;
      const cors = r.var1 === null ? [] : m.varcorr.filter((c) => c.group === r.group && c.var2 !== null && c.var2 === r.var1).map((c) => fmt(c.sdcor, 3));
      rows.push([r.group, r.var1 ?? "", fmt(r.sdcor, 7), cors.join(" ")]);
    }
    lines.push(...table(rows, 1, 2), "");
  }
  if (m.correlation) lines.push(...structureBlock(m.correlation, "correlation"));
  if (m.variance) lines.push(...structureBlock(m.variance, "variance"));
  if (m.correlation || m.variance) lines.push("");
  const tests = testsOf(m, ddf);
  lines.push(m.kind === "gls" ? "Coefficients:" : `Fixed effects:  ${m.formula.split("+ (")[0].trim()}`);
  const head = tests ? ["", "Value", "Std.Error", "DF", "t-value", "p-value"] : ["", "Value", "Std.Error", "t-value"];
  const dfText = (d: number): string => (ddf === "satterthwaite" ? fmt(d, 4) : String(d));
  const rows = m.fixef.map((f, j) => [f.term, fmt(f.estimate, 7), fmt(f.se, 7), ...(tests ? [dfText(tests.df[j])] : []), fmt(f.statistic, 7), ...(tests ? [fmtP(tests.p[j])] : [])]);
  if (m.kind === "gls" && tests && ddf === "nlme") {
    // gls prints no DF column (the residual df is the last line)
    lines.push(...table([head.filter((h) => h !== "DF"), ...rows.map((r) => r.filter((_, i) => i !== 3))]));
  } else lines.push(...table([head, ...rows]));
  if (ddf === "satterthwaite") lines.push("DF: Satterthwaite's approximation over all covariance parameters (random effects, residual structure, sigma)");
  lines.push("");
  lines.push(`Residual standard error: ${fmt(m.sigma, 7)}`);
  if (m.kind === "gls") lines.push(`Degrees of freedom: ${m.nobs} total; ${m.nobs - m.fixef.length} residual`);
  else lines.push(`Number of Observations: ${m.nobs}`, `Number of Groups: ${Object.entries(m.ngroups).map(([g, k]) => `${g} ${k}`).join(", ")}`);
  for (const msg of m.messages) lines.push(messageLine(msg));
  return lines.join("\n");
}

/**
 * The `mlm fit --json` object of a fit with a residual structure: mlm's usual keys plus
 * `correlation` and `variance` ({ structure, form, parameters } with nlme's names).
 *
 * @param m - the fitted model.
 * @param ddf - nlme's degrees of freedom (default) or Satterthwaite's.
 * @returns a plain object ready for `JSON.stringify`.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * residualJson(m).correlation; // { structure: "corAR1", form: "~ Days | Subject", parameters: { Phi: 0.79995 } }
 * residualJson(m, "satterthwaite").ddf; // "satterthwaite"
 * ```
 */
export function residualJson(m: ResidualModel, ddf: ResidualDdf = "nlme"): Record<string, unknown> {
  const tests = testsOf(m, ddf);
  const struct = (s: StructureResult | undefined): unknown => (s ? { structure: s.structure, form: s.form, parameters: s.parameters, ...(s.allCoef ? { allCoef: s.allCoef } : {}) } : undefined);
  return {
    formula: m.formula,
    model: m.kind,
    family: "gaussian",
    method: m.method,
    nobs: m.nobs,
    ddf,
    dropped: m.frame.dropped,
    ngroups: m.ngroups,
    fixef: m.fixef.map((f, j) => ({ ...f, ...(tests ? { df: tests.df[j], p: tests.p[j] } : {}) })),
    varcorr: m.varcorr,
    theta: Array.from(m.theta),
    sigma: m.sigma,
    correlation: struct(m.correlation),
    variance: struct(m.variance),
    npar: m.npar,
    logLik: m.logLik,
    AIC: m.AIC,
    BIC: m.BIC,
    converged: m.converged,
    optimizer: { name: m.optimizer.name, evaluations: m.optimizer.evaluations },
    messages: m.messages,
    timing: { fitSeconds: m.fitSeconds },
  };
}
