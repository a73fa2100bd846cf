/**
 * The text summary of a fitted model, laid out like lme4's `summary()` so that an R user finds
 * everything where they expect it, plus the intraclass correlation.
 */
import type { CoefTable } from "../inference/coef-table.js";
import type { IccInterval } from "../inference/icc-interval.js";
import type { MixedModel } from "../model/mixed-model.js";
import { fmt, fmtP, table } from "./format.js";
import { messageLine } from "../messages.js";
import { r2Nakagawa, safeR2 } from "../inference/r2.js";

/** What the summary shows beyond the model itself. */
export interface SummaryOptions {
  /** The coefficient table with its tests (default: estimates, standard errors and statistics only). */
  readonly coef?: CoefTable;
  /** Confidence intervals of the ICC, printed under it. */
  readonly iccIntervals?: readonly IccInterval[];
}

/**
 * The line that gives the ICC intervals.
 *
 * @param rows - the intervals.
 * @returns the line.
 * @example
 * ```ts
 * iccIntervalLine([{ group: "Batch", estimate: 0.418, lower: 0, upper: 0.72598, method: "bootstrap", level: 0.9, nsim: 500 }]);
 * // "  90% bootstrap interval (500 simulations): Batch [0.0000, 0.7260]"
 * ```
 */
export function iccIntervalLine(rows: readonly IccInterval[]): string {
  const cell = (x: number | null): string => (x === null ? "NA" : x.toFixed(4));
  const first = rows[0];
  const how = first?.method === "profile" ? "profile interval" : `bootstrap interval (${first?.nsim ?? "?"} simulations)`;
  return `  ${Number((100 * (first?.level ?? 0.95)).toPrecision(3))}% ${how}: ${rows.map((r) => `${r.group} [${cell(r.lower)}, ${cell(r.upper)}]`).join("; ")}`;
}

/**
 * Render the summary.
 *
 * @param m - the fitted model.
 * @param options - the coefficient table (its df method is named in the heading) and ICC intervals.
 * @returns the text, lines joined by newlines.
 * @example
 * ```ts
 * console.log(summaryText(sleepstudyFit, { coef: coefTable(sleepstudyFit) }));
 * // Linear mixed model fit by REML. t-tests use Satterthwaite's method
 * // Formula: Reaction ~ Days + (Days | Subject)
 * //
 * // REML criterion at convergence: 1743.6
 * // …
 * // Random effects:
 * //  Groups   Name        Variance Std.Dev.  Corr
 * //  Subject  (Intercept)   612.09   24.740
 * //           Days          35.072   5.9221 0.066
 * //  Residual               654.94   25.592
 * // Number of obs: 180, groups:  Subject, 18
 * // R² (Nakagawa): marginal 0.2787, conditional 0.7992
 * // …
 * // Fixed effects:
 * //             Estimate Std. Error    df t value Pr(>|t|)
 * // (Intercept)   251.41      6.825 17.00   36.84  < 2e-16
 * // Days          10.467      1.546 17.00   6.771 3.26e-06
 * // …
 * ```
 */
export function summaryText(m: MixedModel, options: SummaryOptions = {}): string {
  const { coef, iccIntervals } = options;
  const tests = coef?.rows;
  const hasDf = coef?.statistic === "t";
  const ddfName = hasDf ? coef?.name : undefined;
  const z = m.kind === "glmm" || coef?.statistic === "z";
  const out: string[] = [];
  const glmm = m.kind === "glmm";
  if (glmm) {
    const approx = m.method === "Laplace" ? "Laplace Approximation" : m.method === "AGQ" ? `Adaptive Gauss-Hermite Quadrature, nAGQ = ${m.nAGQ}` : m.method;
    out.push(`Generalized linear mixed model fit by maximum likelihood (${approx})`);
    out.push(` Family: ${m.family.name}  ( ${m.family.link.name} )`);
  } else {
    const how = m.method === "REML" ? "REML" : "maximum likelihood";
    out.push(`Linear mixed model fit by ${how}${ddfName ? `. t-tests use ${ddfName}'s method` : ""}`);
  }
  out.push(`Formula: ${m.formula}`);
  out.push("");
  if (m.method === "REML") {
    out.push(`REML criterion at convergence: ${fmt(m.criterion.value, 5)}`);
  } else {
    out.push(...table([["AIC", "BIC", "logLik", "deviance", "df.resid"], [fmt(m.AIC, 5), fmt(m.BIC, 5), fmt(m.logLik, 5), fmt(m.criterion.value, 5), String(m.nobs - m.npar)]].map((r) => ["", ...r])));
  }
  out.push("");
  if (!glmm && "fromStatistics" in m) {
    out.push("Scaled residuals: not available (fitted from summary statistics, which hold no rows)");
    out.push("");
  } else if (!glmm) {
    out.push("Scaled residuals:");
    const sr = Array.from(m.residuals, (r) => r / m.sigma).sort((a, b) => a - b);
    out.push(...table([["Min", "1Q", "Median", "3Q", "Max"], [0, 0.25, 0.5, 0.75, 1].map((q) => fmt(quantile(sr, q), 4))].map((r) => ["", ...r])));
    out.push("");
  }
  out.push("Random effects:");
  const rows: string[][] = [["Groups", "Name", "Variance", "Std.Dev.", "Corr"]];
  const vcs = m.varcorr.filter((v) => v.var2 === null);
  const cors = m.varcorr.filter((v) => v.var2 !== null);
  let lastGroup = "";
  for (const v of vcs) {
    const g = v.group === lastGroup ? "" : v.group;
    lastGroup = v.group;
    const corr = cors
      .filter((c) => c.group === v.group && c.var2 === v.var1)
      .map((c) => fmt(c.sdcor, 2))
      .join(" ");
    rows.push([g, v.var1 ?? "", fmt(v.vcov, 5), fmt(v.sdcor, 5), corr]);
  }
  out.push(...table(rows, 1, 2));
  // covariance structures other than us: the structure and its own parameters
  for (const v of vcs) {
    if (!v.structure || vcs.find((w) => w.group === v.group) !== v) continue;
    const rho = v.rho === undefined ? "" : `, ρ = ${(typeof v.rho === "number" ? [v.rho] : v.rho).map((r) => fmt(r, 3)).join(", ")}`;
    out.push(`Covariance structure for ${v.group}: ${v.structure}${rho}`);
  }
  out.push(`Number of obs: ${m.nobs}, groups:  ${Object.entries(m.ngroups).map(([g, k]) => `${g}, ${k}`).join("; ")}`);
  const dispersion = (m as { dispersion?: { symbol: string; value: number } }).dispersion;
  if (dispersion) out.push("", `Dispersion parameter for ${m.family.name} family (${dispersion.symbol}): ${fmt(dispersion.value, 3)}`);
  const icc = Object.entries(m.icc);
  if (icc.length > 0) out.push(`Intraclass correlation: ${icc.map(([g, v]) => `${g} ${fmt(v, 4)}`).join("; ")}`);
  if (iccIntervals && iccIntervals.length > 0) out.push(iccIntervalLine(iccIntervals));
  const r2 = safeR2(m, r2Nakagawa);
  if (r2) out.push(`R² (Nakagawa): marginal ${fmt(r2.marginal, 4)}, conditional ${r2.conditional === null ? "not available (singular fit)" : fmt(r2.conditional, 4)}`);
  out.push("");
  out.push("Fixed effects:");
  const head = ["", "Estimate", "Std. Error"];
  if (hasDf) head.push("df");
  head.push(z ? "z value" : "t value");
  if (tests) head.push(z ? "Pr(>|z|)" : "Pr(>|t|)");
  const frows: string[][] = [head];
  m.fixef.forEach((f, j) => {
    const row = tests?.[j];
    const r = [f.term, fmt(f.estimate, 5), fmt(row ? row.se : f.se, 4)];
    if (hasDf) r.push(fmt(row?.df ?? NaN, 4));
    r.push(fmt(row ? row.statistic : f.statistic, 4));
    if (row) r.push(fmtP(row.p));
    frows.push(r);
  });
  out.push(...table(frows));
  const p = m.fixef.length;
  if (p > 1 && p <= 12) {
    out.push("");
    out.push("Correlation of Fixed Effects:");
    // lme4 labels the rows abbreviate(names, 11) and the columns abbreviate(names, 6)
    const rowNames = abbreviate(m.fixefNames, 11);
    const colNames = abbreviate(m.fixefNames, 6);
    const crow: string[][] = [["", ...colNames.slice(0, p - 1)]];
    const vcov = m.vcov;
    for (let i = 1; i < p; i++) {
      const r = [rowNames[i]];
      for (let j = 0; j < i; j++) r.push(fmt(vcov[i + j * p] / Math.sqrt(vcov[i + i * p] * vcov[j + j * p]), 3));
      crow.push(r);
    }
    out.push(...table(crow));
  }
  if (m.messages.length > 0) {
    out.push("");
    for (const msg of m.messages) out.push(messageLine(msg));
  }
  return out.join("\n");
}

/** R's type-7 quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/**
 * Shorten names to at least `minlength` characters as R's `abbreviate()` does: drop, from the
 * right and never the first letter, lower-case vowels ending a word, then other lower-case
 * vowels, then lower-case letters ending a word, then other lower-case letters, then anything;
 * names that collide are abbreviated again one character longer ("period2" → "perid2",
 * "(Intercept)" → "(Intr)").
 */
function abbreviate(names: readonly string[], minlength: number): string[] {
  const out = names.map((n) => abbreviateOne(n, minlength));
  let len = minlength;
  const longest = Math.max(0, ...names.map((n) => n.length));
  for (;;) {
    const seen = new Map<string, number>();
    out.forEach((a) => seen.set(a, (seen.get(a) ?? 0) + 1));
    const dup = out.map((a) => (seen.get(a) ?? 0) > 1);
    if (!dup.includes(true) || len >= longest) return out;
    len++;
    names.forEach((n, i) => {
      if (dup[i]) out[i] = abbreviateOne(n, len);
    });
  }
}

/** One name of {@link abbreviate}. */
function abbreviateOne(name: string, minlength: number): string {
  const c = [...name.trim()];
  const space = (i: number): boolean => c[i] === " ";
  const size = (): number => c.filter((ch) => ch !== " ").length;
  if (size() <= minlength) return c.join("");
  const vowel = (i: number): boolean => "aeiou".includes(c[i]);
  const lower = (i: number): boolean => c[i] >= "a" && c[i] <= "z";
  const firstOfWord = (i: number): boolean => space(i - 1);
  const lastOfWord = (i: number): boolean => !space(i - 1) && (i + 1 >= c.length || space(i + 1));
  const passes: ((i: number) => boolean)[] = [
    (i) => vowel(i) && lastOfWord(i),
    (i) => vowel(i) && !firstOfWord(i),
    (i) => lower(i) && lastOfWord(i),
    (i) => lower(i) && !firstOfWord(i),
    (i) => !firstOfWord(i) && !space(i),
  ];
  for (const drop of passes) {
    for (let i = c.length - 1; i > 0; i--) {
      if (i < c.length && drop(i)) c.splice(i, 1);
      if (size() <= minlength) return c.join("").replace(/ /g, "");
    }
  }
  return c.join("").replace(/ /g, "");
}
