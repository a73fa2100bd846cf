/**
 * The text `mlm describe` prints: a few labelled lines and a table of grouping factors.
 */
import type { Description } from "./describe.js";

/** Pads cells into left-aligned columns (right-aligned where `right` is set), two spaces apart. */
function table(rows: readonly string[][], right: readonly boolean[]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) =>
    r
      .map((cell, j) => (right[j] ? cell.padStart(widths[j]) : j === r.length - 1 ? cell : cell.padEnd(widths[j])))
      .join("  ")
      .trimEnd(),
  );
}

/**
 * Formats a {@link Description} as a short readable text.
 *
 * @param d - the description.
 * @returns lines ending in a newline.
 * @example
 * ```ts
 * console.log(formatDescription({ nobs: 60, dropped: 0, response: "strength", fixef: ["(Intercept)"], messages: [],
 *   groups: [{ name: "cask:batch", levels: 30, sizes: { min: 2, median: 2, max: 2 }, nestedIn: ["batch"] },
 *            { name: "batch", levels: 10, sizes: { min: 6, median: 6, max: 6 }, nestedIn: [] }] }));
 * // Rows:           60 used, 0 dropped
 * // Response:       strength
 * // Fixed effects:  (Intercept)
 * //
 * // Grouping factor  Levels  Rows per level (min/median/max)  Nested in
 * // cask:batch           30  2 / 2 / 2                        batch
 * // batch                10  6 / 6 / 6                        -
 * ```
 */
export function formatDescription(d: Description): string {
  const lines = [
    `Rows:           ${d.nobs} used, ${d.dropped} dropped`,
    `Response:       ${d.response}`,
    `Fixed effects:  ${d.fixef.length === 0 ? "none" : d.fixef.join(", ")}`,
    "",
  ];
  if (d.groups.length === 0) lines.push("Grouping factors: none");
  else {
    const rows = [
      ["Grouping factor", "Levels", "Rows per level (min/median/max)", "Nested in"],
      ...d.groups.map((g) => [
        g.name,
        String(g.levels),
        `${g.sizes.min} / ${g.sizes.median} / ${g.sizes.max}`,
        g.nestedIn.length === 0 ? "-" : g.nestedIn.join(", "),
      ]),
    ];
    lines.push(...table(rows, [false, true, false, false]));
  }
  return `${lines.join("\n")}\n`;
}
