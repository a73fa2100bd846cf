/**
 * Typing of one column of user data: numeric when every non-missing value is a number, else
 * categorical with levels in code-point order.
 *
 * Missing values are `undefined`, `null`, `NaN` and the texts "", "NA", "NaN", "null" and "."
 * (after trimming white space). Text is numeric when `Number()` of the trimmed text is finite.
 * Booleans make a categorical column with levels "FALSE" and "TRUE", as in R.
 */
import { MlmError } from "../errors.js";
import { compareCodePoints } from "./code-point-order.js";
import type { CategoricalColumn, Column } from "./table.js";

const MISSING_TEXT = new Set(["", "NA", "NaN", "null", "."]);

/**
 * Whether a cell is a missing value.
 *
 * @param value - one cell of user data.
 * @returns true for undefined, null, NaN and the texts "", "NA", "NaN", "null", "." (trimmed).
 * @example
 * ```ts
 * isMissingValue(" NA "); // true
 * isMissingValue(0);      // false
 * ```
 */
export function isMissingValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "number") return Number.isNaN(value);
  if (typeof value === "string") return MISSING_TEXT.has(value.trim());
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return false;
}

/** The number a cell holds, or undefined when it is not numeric. Missing cells are not asked. */
function cellNumber(value: unknown, name: string, row: number): number | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new MlmError(`Column '${name}' has an infinite value in row ${row + 1}; mlm needs finite numbers, with NA for missing values.`);
    }
    return value;
  }
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") {
    const x = Number(value.trim());
    return Number.isFinite(x) ? x : undefined;
  }
  return undefined;
}

/** The text a non-missing cell stands for as a factor level. */
function cellText(value: unknown, name: string, row: number): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "TRUE" : "FALSE";
    default:
      if (value instanceof Date) return value.toISOString();
      throw new MlmError(
        `Column '${name}' holds a nested value (a list or an object) in row ${row + 1}; mlm needs one number or text per cell.`,
      );
  }
}

function isNumericTypedArray(values: ArrayLike<unknown>): values is ArrayLike<number> {
  return ArrayBuffer.isView(values) && !(values instanceof DataView) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array);
}

/**
 * A categorical column made from the text of each cell (missing cells get code -1).
 *
 * @param name - the column name.
 * @param values - the cells.
 * @returns the column, levels in code-point order.
 * @throws MlmError when a cell is nested (an array or an object).
 * @example
 * ```ts
 * const c = categoricalColumn("g", ["b", "a", null, "b"]);
 * c.levels; // ["a", "b"]
 * c.codes;  // Int32Array [1, 0, -1, 1]
 * ```
 */
export function categoricalColumn(name: string, values: ArrayLike<unknown>): CategoricalColumn {
  const n = values.length;
  const text: (string | undefined)[] = new Array<string | undefined>(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissingValue(v)) continue;
    if (typeof v === "number" && !Number.isFinite(v)) cellNumber(v, name, i);
    const t = cellText(v, name, i);
    text[i] = t;
    seen.add(t);
  }
  const levels = [...seen].sort(compareCodePoints);
  const index = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = text[i];
    codes[i] = t === undefined ? -1 : (index.get(t) as number);
  }
  return { kind: "categorical", name, levels, codes };
}

/**
 * Types one column of user data as numeric or categorical.
 *
 * @param name - the column name (used in messages).
 * @param values - the cells: a plain array or a typed array.
 * @param asFactor - force a categorical column; numbers become their text ("10" sorts before "2").
 * @returns the typed column.
 * @throws MlmError for an infinite number or a nested cell (array or object).
 * @example
 * ```ts
 * inferColumn("y", ["1.5", " 2", "NA"]);      // { kind: "numeric", values: Float64Array [1.5, 2, NaN] }
 * inferColumn("g", [true, false, null]);      // { kind: "categorical", levels: ["FALSE", "TRUE"], codes: [1, 0, -1] }
 * inferColumn("s", [10, 2, 2], true).levels;  // ["10", "2"]
 * ```
 */
export function inferColumn(name: string, values: ArrayLike<unknown>, asFactor = false): Column {
  if (asFactor) return categoricalColumn(name, values);
  const n = values.length;
  const out = new Float64Array(n);
  if (isNumericTypedArray(values)) {
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x === Infinity || x === -Infinity) cellNumber(x, name, i);
      out[i] = x;
    }
    return { kind: "numeric", name, values: out };
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissingValue(v)) {
      out[i] = NaN;
      continue;
    }
    const x = cellNumber(v, name, i);
    if (x === undefined) return categoricalColumn(name, values);
    out[i] = x;
  }
  return { kind: "numeric", name, values: out };
}
