/**
 * Small number and table formatting helpers for the text reports.
 */

/**
 * Format a number with `digits` significant digits, as R's `format()` roughly does: fixed
 * notation for ordinary magnitudes, scientific for very large or small ones.
 *
 * @param x - the number.
 * @param digits - significant digits (default 4).
 * @returns the text.
 * @example
 * ```ts
 * fmt(251.405104848486); // "251.4"
 * fmt(0.000012345);      // "1.234e-05"
 * ```
 */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-4) {
    const [m, e] = x.toExponential(digits - 1).split("e");
    const ee = Number(e);
    return `${m}e${ee < 0 ? "-" : "+"}${String(Math.abs(ee)).padStart(2, "0")}`;
  }
  const mag = Math.floor(Math.log10(a));
  const decimals = Math.max(0, digits - 1 - mag);
  return x.toFixed(decimals);
}

/**
 * Format a p-value as R's `format.pval`: `< 2e-16` below machine precision, else 3 significant digits.
 *
 * @param p - the p-value.
 * @returns the text.
 * @example
 * ```ts
 * fmtP(1e-20); // "< 2e-16"
 * fmtP(0.0312); // "0.0312"
 * ```
 */
export function fmtP(p: number): string {
  if (Number.isNaN(p)) return "NA";
  if (p < 2.2e-16) return "< 2e-16";
  return fmt(p, 3);
}

/**
 * Lay out rows of cells as a table: the first column left-aligned, the others right-aligned.
 *
 * @param rows - the rows; the first is the header.
 * @param indent - spaces before each line.
 * @param left - how many leading columns are left-aligned (default 1).
 * @returns lines of text.
 * @example
 * ```ts
 * table([["", "Estimate"], ["Days", "10.47"]]);
 * // ["     Estimate", "Days    10.47"]
 * ```
 */
export function table(rows: readonly (readonly string[])[], indent = 0, left = 1): string[] {
  const ncol = Math.max(...rows.map((r) => r.length));
  const width = Array.from({ length: ncol }, (_, j) => Math.max(...rows.map((r) => (r[j] ?? "").length)));
  const pad = " ".repeat(indent);
  return rows.map((r) => pad + width.map((w, j) => (j < left ? (r[j] ?? "").padEnd(w) : (r[j] ?? "").padStart(w))).join(" ").trimEnd());
}
