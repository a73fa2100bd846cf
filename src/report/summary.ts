/**
 * The text summary of a fitted model, laid out like lme4's `summary()` so that an R user finds
 * everything where they expect it, plus the intraclass correlation.
 */
import type { MixedModelBase } from "../lmm/linear-mixed-model.js";
import type { FixefTests } from "./fit-json.js";
import { fmt, fmtP, table } from "./format.js";

/**
 * Render the summary.
 *
 * @param m - the fitted model.
 * @param tests - optional df and p-values per fixed effect (Satterthwaite or Kenward-Roger), and
 *   standard errors replacing the model's (Kenward-Roger's adjusted ones).
 * @param ddfName - the name of the df method, shown in the heading.
 * @returns the text, lines joined by newlines.
 * @example
 * ```ts
 * console.log(summaryText(fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy)));
 * // Linear mixed model fit by REML
 * // Formula: Reaction ~ Days + (Days | Subject)
 * // …
 * ```
 */
export function summaryText(m: MixedModelBase, tests?: FixefTests, ddfName?: string): string {
  const out: string[] = [];
  const glmm = m.family !== "gaussian";
  if (glmm) {
    const approx = m.method === "Laplace" ? "Laplace Approximation" : m.method.startsWith("AGQ") ? `Adaptive Gauss-Hermite Quadrature, nAGQ = ${m.method.slice(4, -1)}` : m.method;
    out.push(`Generalized linear mixed model fit by maximum likelihood (${approx})`);
    out.push(` Family: ${m.family}  ( ${m.link} )`);
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
  out.push(`Number of obs: ${m.nobs}, groups:  ${Object.entries(m.ngroups).map(([g, k]) => `${g}, ${k}`).join("; ")}`);
  const icc = Object.entries(m.icc);
  if (icc.length > 0) out.push(`Intraclass correlation: ${icc.map(([g, v]) => `${g} ${fmt(v, 4)}`).join("; ")}`);
  out.push("");
  out.push("Fixed effects:");
  const head = ["", "Estimate", "Std. Error"];
  if (tests?.df) head.push("df");
  head.push(glmm ? "z value" : "t value");
  if (tests) head.push(glmm ? "Pr(>|z|)" : "Pr(>|t|)");
  const frows: string[][] = [head];
  m.fixef.forEach((f, j) => {
    const se = tests?.se ? tests.se[j] : f.se;
    const r = [f.term, fmt(f.estimate, 5), fmt(se, 4)];
    if (tests?.df) r.push(fmt(tests.df[j], 4));
    r.push(fmt(tests?.se ? f.estimate / se : f.statistic, 4));
    if (tests) r.push(fmtP(tests.p[j]));
    frows.push(r);
  });
  out.push(...table(frows));
  const p = m.fixef.length;
  if (p > 1 && p <= 12) {
    out.push("");
    out.push("Correlation of Fixed Effects:");
    const abbrev = m.fixefNames.map((n) => abbreviate(n));
    const crow: string[][] = [["", ...abbrev.slice(0, p - 1)]];
    for (let i = 1; i < p; i++) {
      const r = [abbrev[i]];
      for (let j = 0; j < i; j++) r.push(fmt(m.vcov[i + j * p] / Math.sqrt(m.vcov[i + i * p] * m.vcov[j + j * p]), 3));
      crow.push(r);
    }
    out.push(...table(crow));
  }
  if (m.messages.length > 0) {
    out.push("");
    for (const msg of m.messages) out.push(`Note: ${msg}`);
  }
  return out.join("\n");
}

/** R's type-7 quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** Shorten a coefficient name for the correlation table, as lme4's `abbreviate(…, minlength = 6)` roughly does. */
function abbreviate(name: string): string {
  if (name === "(Intercept)") return "(Intr)";
  return name.length <= 6 ? name : name.slice(0, 6);
}
