/**
 * A publication table of one or several mixed models side by side, laid out as sjPlot's
 * `tab_model` lays it out: per model the estimates with confidence intervals and p-values
 * (odds ratios for logit models and incidence rate ratios for log-link Poisson models, intervals
 * exponentiated alike), then the random-effects block, σ² (the residual variance, or the
 * distribution-specific variance of a GLMM, π²/3 for logit), τ00 per grouping factor, τ11 per
 * random slope, ρ01 for intercept–slope correlations, the adjusted ICC, N per grouping factor, the
 * number of observations, marginal and conditional R² (Nakagawa) and AIC, and a note naming the
 * df method. Rendered as Markdown (readable in a terminal), HTML or LaTeX.
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { coefTable } from "../inference/coef-table.js";
import { iccNakagawa, r2Nakagawa, varianceComponents } from "../inference/r2.js";

/** Output formats of {@link publicationTable}. */
export type TableFormat = "markdown" | "html" | "latex";

/** Options of {@link publicationTable}. */
export interface PublicationTableOptions {
  readonly format?: TableFormat;
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
  /** Decimal places of estimates, intervals and variances (default 2, as tab_model). */
  readonly digits?: number;
}

/** One model's cells: per row label, its estimate, CI and p columns (or one value). */
interface ModelColumn {
  readonly title: string;
  readonly estimateName: string;
  readonly fixed: Map<string, { est: string; ci: string; p: string }>;
  readonly stats: Map<string, string>;
}

const fmtNum = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : "NA");
const fmtP = (p: number): string => (p < 0.001 ? "<0.001" : p.toFixed(3));

/** The cells of one model. */
function modelColumn(m: MixedModel, level: number, digits: number): ModelColumn {
  const ct = coefTable(m, { level });
  const link = m.family.link.name;
  const exp = m.kind === "glmm" && (link === "logit" || link === "log");
  const estimateName = !exp ? "Estimates" : link === "logit" ? "Odds Ratios" : "Incidence Rate Ratios";
  const tr = exp ? Math.exp : (x: number): number => x;
  const fixed = new Map<string, { est: string; ci: string; p: string }>();
  for (const r of ct.rows) fixed.set(r.term, { est: fmtNum(tr(r.estimate), digits), ci: `${fmtNum(tr(r.lower), digits)} – ${fmtNum(tr(r.upper), digits)}`, p: fmtP(r.p) });
  const stats = new Map<string, string>();
  const vc = varianceComponents(m);
  stats.set("σ²", fmtNum(vc.residual, digits));
  for (const v of m.varcorr) {
    if (v.group === "Residual") continue;
    if (v.var2 === null) {
      const key = v.var1 === "(Intercept)" ? `τ00 ${v.group}` : `τ11 ${v.group}.${v.var1}`;
      stats.set(key, fmtNum(v.vcov, digits));
    } else if (v.var1 === "(Intercept)") {
      stats.set(`ρ01 ${v.group}${m.varcorr.filter((w) => w.group === v.group && w.var2 !== null && w.var1 === "(Intercept)").length > 1 ? `.${v.var2}` : ""}`, fmtNum(v.sdcor, digits));
    }
  }
  const icc = iccNakagawa(m, vc);
  stats.set("ICC", icc.adjusted === null ? "NA" : fmtNum(icc.adjusted, digits));
  for (const [g, n] of Object.entries(m.ngroups)) stats.set(`N ${g}`, String(n));
  stats.set("Observations", String(m.nobs));
  const r2 = r2Nakagawa(m, vc);
  stats.set("Marginal R² / Conditional R²", `${fmtNum(r2.marginal, 3)} / ${r2.conditional === null ? "NA" : fmtNum(r2.conditional, 3)}`);
  stats.set("AIC", fmtNum(m.AIC, 3));
  return { title: m.frame.response.label, estimateName, fixed, stats };
}

/** The order of the statistics rows (per-group rows keep their first-seen order). */
function statKeys(cols: readonly ModelColumn[]): string[] {
  const all: string[] = [];
  for (const c of cols) for (const k of c.stats.keys()) if (!all.includes(k)) all.push(k);
  const rank = (k: string): number => ["σ²", "τ00", "τ11", "ρ01", "ICC", "N ", "Observations", "Marginal", "AIC"].findIndex((p) => k.startsWith(p));
  return all.map((k, i) => [k, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([k]) => k);
}

/**
 * Models side by side in a publication table (sjPlot's `tab_model` layout).
 *
 * @param models - one or more fitted models.
 * @param options - format (markdown, html, latex), level, digits.
 * @returns the table as text.
 * @throws MlmError when no model is given.
 * @example
 * ```ts
 * console.log(publicationTable([fit("Reaction ~ Days + (Days | Subject)", sleepstudy)]));
 * // |  | Reaction |  |  |
 * // | --- | --- | --- | --- |
 * // | Predictors | Estimates | CI | p |
 * // | (Intercept) | 251.41 | 237.01 – 265.80 | <0.001 |
 * // …
 * ```
 */
export function publicationTable(models: readonly MixedModel[], options: PublicationTableOptions = {}): string {
  if (models.length === 0) throw new MlmError("Give at least one model for the table.");
  const level = options.level ?? 0.95;
  const digits = options.digits ?? 2;
  const cols = models.map((m) => modelColumn(m, level, digits));
  const terms: string[] = [];
  for (const c of cols) for (const t of c.fixed.keys()) if (!terms.includes(t)) terms.push(t);
  const keys = statKeys(cols);
  const ddf = models.some((m) => m.kind === "lmm") ? "Satterthwaite's df for linear models" : "";
  const wald = models.some((m) => m.kind === "glmm") ? "Wald z for generalized models" : "";
  const note = `p-values and ${Math.round(level * 100)}% CIs: ${[ddf, wald].filter((s) => s !== "").join("; ")}.`;
  const head1 = ["", ...cols.flatMap((c) => [c.title, "", ""])];
  const head2 = ["Predictors", ...cols.flatMap((c) => [c.estimateName, "CI", "p"])];
  const body = terms.map((t) => [t, ...cols.flatMap((c) => {
    const f = c.fixed.get(t);
    return f ? [f.est, f.ci, f.p] : ["", "", ""];
  })]);
  const stats = keys.map((k) => [k, ...cols.map((c) => c.stats.get(k) ?? "")]);
  const format = options.format ?? "markdown";
  if (format === "markdown") return markdown(head1, head2, body, stats, cols.length, note);
  if (format === "html") return html(head1, head2, body, stats, cols.length, note);
  if (format === "latex") return latex(head1, head2, body, stats, cols.length, note);
  throw new MlmError(`Unknown table format '${String(format)}'; use markdown, html or latex.`);
}

function markdown(head1: string[], head2: string[], body: string[][], stats: string[][], nm: number, note: string): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  const out = [line(head1), line(head1.map(() => "---")), line(head2), ...body.map(line)];
  out.push(line(["**Random Effects**", ...new Array<string>(3 * nm).fill("")]));
  for (const s of stats) out.push(line([s[0], ...s.slice(1).flatMap((v) => [v, "", ""])]));
  out.push("", note);
  return out.join("\n");
}

const esc = (s: string): string => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function html(head1: string[], head2: string[], body: string[][], stats: string[][], nm: number, note: string): string {
  const out = ["<table>", "<thead>"];
  out.push(`<tr><th></th>${head1.slice(1).filter((_, i) => i % 3 === 0).map((t) => `<th colspan="3">${esc(t)}</th>`).join("")}</tr>`);
  out.push(`<tr>${head2.map((t) => `<th>${esc(t)}</th>`).join("")}</tr>`, "</thead>", "<tbody>");
  for (const r of body) out.push(`<tr>${r.map((c, i) => (i === 0 ? `<td>${esc(c)}</td>` : `<td>${esc(c)}</td>`)).join("")}</tr>`);
  out.push(`<tr><td colspan="${1 + 3 * nm}"><strong>Random Effects</strong></td></tr>`);
  for (const s of stats) out.push(`<tr><td>${esc(s[0])}</td>${s.slice(1).map((v) => `<td colspan="3">${esc(v)}</td>`).join("")}</tr>`);
  out.push("</tbody>", `<tfoot><tr><td colspan="${1 + 3 * nm}">${esc(note)}</td></tr></tfoot>`, "</table>");
  return out.join("\n");
}

const tex = (s: string): string =>
  s.replaceAll("\\", "\\textbackslash{}").replace(/([&%$#_{}])/g, "\\$1").replaceAll("σ²", "$\\sigma^2$").replaceAll("τ00", "$\\tau_{00}$").replaceAll("τ11", "$\\tau_{11}$").replaceAll("ρ01", "$\\rho_{01}$").replaceAll("R²", "$R^2$").replaceAll("–", "--").replaceAll("<0.001", "$<$0.001");

function latex(head1: string[], head2: string[], body: string[][], stats: string[][], nm: number, note: string): string {
  const out = [`\\begin{tabular}{l${"rcr".repeat(nm)}}`, "\\hline"];
  out.push(` & ${head1.slice(1).filter((_, i) => i % 3 === 0).map((t) => `\\multicolumn{3}{c}{${tex(t)}}`).join(" & ")} \\\\`);
  out.push(`${head2.map(tex).join(" & ")} \\\\`, "\\hline");
  for (const r of body) out.push(`${r.map(tex).join(" & ")} \\\\`);
  out.push("\\hline", `\\multicolumn{${1 + 3 * nm}}{l}{\\textbf{Random Effects}} \\\\`);
  for (const s of stats) out.push(`${tex(s[0])} & ${s.slice(1).map((v) => `\\multicolumn{3}{c}{${tex(v)}}`).join(" & ")} \\\\`);
  out.push("\\hline", `\\multicolumn{${1 + 3 * nm}}{l}{\\footnotesize ${tex(note)}} \\\\`, "\\end{tabular}");
  return out.join("\n");
}
