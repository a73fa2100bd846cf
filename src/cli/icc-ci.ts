/**
 * The `--icc-ci` addition to `mlm fit`: a bootstrap confidence interval for the intraclass
 * correlation of a random-intercept linear model, printed after the summary's ICC line.
 */
import type { IccInterval } from "../index.js";

/**
 * One line describing the ICC intervals.
 *
 * @param rows - the intervals.
 * @param nsim - bootstrap simulations used.
 * @returns the line.
 * @example
 * ```ts
 * iccIntervalLine([{ group: "Batch", estimate: 0.418, lower: 0, upper: 0.726, method: "bootstrap", level: 0.95 }], 500);
 * // "  95% bootstrap interval (500 simulations): Batch [0.0000, 0.7260]"
 * ```
 */
export function iccIntervalLine(rows: readonly IccInterval[], nsim: number): string {
  const cell = (x: number | null): string => (x === null ? "NA" : x.toFixed(4));
  const level = rows.length > 0 ? rows[0].level : 0.95;
  return `  ${Number((100 * level).toPrecision(3))}% bootstrap interval (${nsim} simulations): ${rows.map((r) => `${r.group} [${cell(r.lower)}, ${cell(r.upper)}]`).join("; ")}`;
}

/**
 * Insert a line after the summary's `Intraclass correlation:` line (at the end when it has none).
 *
 * @param summary - the summary text.
 * @param line - the line to insert.
 * @returns the new text.
 * @example
 * ```ts
 * insertAfterIccLine("a\nIntraclass correlation: Batch 0.4185\nb", "  CI");
 * // "a\nIntraclass correlation: Batch 0.4185\n  CI\nb"
 * ```
 */
export function insertAfterIccLine(summary: string, line: string): string {
  const lines = summary.split("\n");
  const i = lines.findIndex((l) => l.startsWith("Intraclass correlation:"));
  lines.splice(i < 0 ? lines.length : i + 1, 0, line);
  return lines.join("\n");
}
