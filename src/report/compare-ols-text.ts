/**
 * The text of `mlm fit --compare-ols`: the single-level regression beside the multilevel model,
 * coefficient by coefficient, then the one-sentence verdict.
 */
import type { CompareOls } from "../inference/compare-ols.js";
import { fmt, table } from "./format.js";

/**
 * Render a {@link CompareOls} result as a table and a note.
 *
 * @param c - the comparison.
 * @param kind - the model's kind: the single-level fit is called "OLS" for linear models and
 *   "GLM" otherwise.
 * @returns the text, lines joined by newlines (no trailing newline).
 * @example
 * ```ts
 * console.log(compareOlsText(compareOls(sleepstudyFit)));
 * // Ignoring the grouping (OLS), robust standard errors clustered by Subject (18 clusters):
 * //              OLS est OLS se robust se MLM est MLM se design effect
 * //  (Intercept)  251.41  6.610     6.844  251.41  6.825         1.066
 * //  Days         10.467  1.238     1.550  10.467  1.546         1.559
 * // Ignoring the grouping by Subject understates the standard error of Days by a factor of 1.25 (design effect 1.56).
 * ```
 */
export function compareOlsText(c: CompareOls, kind: "lmm" | "glmm" = "lmm"): string {
  const fit = kind === "lmm" ? "OLS" : "GLM";
  const out: string[] = [];
  out.push(`Ignoring the grouping (${fit}), robust standard errors clustered by ${c.cluster} (${c.clusters} clusters):`);
  const rows: string[][] = [["", `${fit} est`, `${fit} se`, "robust se", "MLM est", "MLM se", "design effect"]];
  for (const r of c.rows) {
    rows.push([r.term, fmt(r.olsEstimate, 5), fmt(r.olsSe, 4), fmt(r.robustSe, 4), fmt(r.mlmEstimate, 5), fmt(r.mlmSe, 4), fmt(r.designEffect, 4)]);
  }
  out.push(...table(rows, 1));
  if (c.kishDeff !== undefined) out.push(`Kish design effect 1 + (mean cluster size - 1) * ICC: ${fmt(c.kishDeff, 4)}`);
  out.push(c.note);
  return out.join("\n");
}
