/**
 * The wording of the data layer's problems with columns, in one place.
 */

import { closestName } from "./closest-name.js";

/**
 * A `factors` name that is not a column.
 *
 * @param name - the name given.
 * @param names - the columns.
 * @returns one sentence, with a suggestion when a column is close.
 * @example
 * ```ts
 * unknownFactorMessage("Y", ["y"]); // "Column 'Y' named as a factor is not in the data; did you mean 'y'?"
 * ```
 */
export function unknownFactorMessage(name: string, names: readonly string[]): string {
  const guess = closestName(name, names);
  const hint = guess === undefined ? `the columns are ${names.map((n) => `'${n}'`).join(", ")}` : `did you mean '${guess}'?`;
  return `Column '${name}' named as a factor is not in the data; ${hint}`;
}

/**
 * A column with a nested cell (a list or an object).
 *
 * @param name - the column.
 * @param row - the 0-based row.
 * @returns one sentence.
 * @example
 * ```ts
 * nestedCellMessage("meta", 0);
 * // "Column 'meta' holds a nested value (a list or an object) in row 1; mlm needs one number or text per cell."
 * ```
 */
export function nestedCellMessage(name: string, row: number): string {
  return `Column '${name}' holds a nested value (a list or an object) in row ${row + 1}; mlm needs one number or text per cell.`;
}

/**
 * A column with an infinite number.
 *
 * @param name - the column.
 * @param row - the 0-based row.
 * @returns one sentence.
 * @example
 * ```ts
 * infiniteCellMessage("x", 2);
 * // "Column 'x' has an infinite value in row 3; mlm needs finite numbers, with NA for missing values."
 * ```
 */
export function infiniteCellMessage(name: string, row: number): string {
  return `Column '${name}' has an infinite value in row ${row + 1}; mlm needs finite numbers, with NA for missing values.`;
}

/**
 * A column of numbers with a few text cells: names the first cells and the ways out.
 *
 * @param name - the column.
 * @param count - how many cells are not numbers.
 * @param cells - the first few of them as `[row, text]`, rows 0-based.
 * @param decimalComma - whether some look like numbers with a decimal comma ("0,5").
 * @returns one sentence.
 * @example
 * ```ts
 * strayTextMessage("x", 2, [[16, "N/A"], [203, "-Inf"]], false);
 * // "Column 'x' holds numbers except in 2 cells (row 17: 'N/A', row 204: '-Inf'); mark missing values with --na \"N/A\" (the na option in the library), fix those cells in the file, or give --factor x if the column is categorical."
 * ```
 */
export function strayTextMessage(name: string, count: number, cells: readonly (readonly [number, string])[], decimalComma: boolean): string {
  const shown = cells.map(([row, text]) => `row ${row + 1}: '${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`).join(", ");
  const more = count > cells.length ? `, and ${count - cells.length} more` : "";
  const marker = (cells.find(([, t]) => !/^[+-]?\d*,\d+$/.test(t.trim()))?.[1] ?? "N/A").trim();
  const comma = decimalComma ? `read decimal commas with --decimal , (or remove thousands separators), ` : "";
  if (decimalComma && marker === "N/A" && cells.every(([, t]) => /^[+-]?\d*,\d+$/.test(t.trim()))) {
    return (
      `Column '${name}' holds numbers written with a decimal comma (${shown}${more}); ` +
      `read the file with --decimal , (the decimal option in the library), or remove the commas if they separate thousands.`
    );
  }
  return (
    `Column '${name}' holds numbers except in ${count} cell${count === 1 ? "" : "s"} (${shown}${more}); ` +
    `${comma}mark missing values with --na "${marker}" (the na option in the library), fix those cells in the file, ` +
    `or give --factor ${name} if the column is categorical.`
  );
}
