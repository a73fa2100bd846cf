/**
 * Rows with no missing value in the columns a model uses (R's `na.omit` on the model frame). A
 * numeric cell is missing when it is NaN, a categorical one when its code is -1.
 */
import type { DataTable } from "../data/table.js";

/**
 * The rows complete in the given columns, and which of those columns had a missing value.
 *
 * @param data - the table.
 * @param columns - names of columns that must be present (all exist in `data`).
 * @returns `rows`: 0-based indices of complete rows, increasing; `missingIn`: the columns (in
 *   the given order) with at least one missing value.
 * @example
 * ```ts
 * const table = toDataTable({ Days: [0, NaN, 2], Subject: ["a", "a", null] });
 * completeRows(table, ["Days", "Subject"]); // { rows: Int32Array [0], missingIn: ["Days", "Subject"] }
 * ```
 */
export function completeRows(data: DataTable, columns: readonly string[]): { rows: Int32Array; missingIn: string[] } {
  const n = data.nrows;
  const ok = new Uint8Array(n).fill(1);
  const missingIn: string[] = [];
  for (const name of columns) {
    const col = data.columns.get(name);
    if (col === undefined) throw new Error(`Column '${name}' is not in the data.`);
    let any = false;
    if (col.kind === "numeric") {
      const v = col.values;
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(v[i])) {
          ok[i] = 0;
          any = true;
        }
      }
    } else {
      const c = col.codes;
      for (let i = 0; i < n; i++) {
        if (c[i] < 0) {
          ok[i] = 0;
          any = true;
        }
      }
    }
    if (any) missingIn.push(name);
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += ok[i];
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (ok[i]) rows[k++] = i;
  return { rows, missingIn };
}
