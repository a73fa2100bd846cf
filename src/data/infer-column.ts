/**
 * Typing of one column of user data: numeric when every non-missing value is a number, else
 * categorical with levels in code-point order.
 *
 * Missing values are `undefined`, `null`, `NaN` and the texts "", "NA", "NaN", "null" and "."
 * (after trimming white space). Text is numeric when `Number()` of the trimmed text is finite.
 * Booleans make a categorical column with levels "FALSE" and "TRUE", as in R.
 *
 * A column that is numbers except for a few text cells (at least 90% of its non-missing cells are
 * numbers) is most likely a numeric column with a stray marker ("N/A", "-Inf", "1,234"), not a
 * categorical one: it is typed categorical, as R would read it, and a problem naming the cells is
 * recorded so that a model using the column stops instead of fitting thousands of levels.
 */
import { MlmError } from "../errors.js";
import { compareCodePoints } from "./code-point-order.js";
import { formatNumber } from "./format-number.js";
import type { TypedColumn } from "./lazy-table.js";
import { infiniteCellMessage, nestedCellMessage, strayTextMessage } from "./messages.js";
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
    if (!Number.isFinite(value)) throw new MlmError(infiniteCellMessage(name, row));
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
      throw new MlmError(nestedCellMessage(name, row));
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

/** Options of {@link typeColumn}. */
export interface TypeColumnOptions {
  /** Make the column categorical even when it holds numbers (levels in numeric order). */
  readonly asFactor?: boolean;
  /** Further texts that mark a missing value (e.g. "N/A", "-"), compared after trimming. */
  readonly na?: readonly string[];
}

/** At most this many stray cells are named in a message. */
export const STRAY_CELLS_SHOWN = 5;

/**
 * Whether a column with `numbers` numeric cells and `texts` other non-missing cells is a numeric
 * column with a few stray cells: at least 90% of its non-missing cells are numbers.
 *
 * @param numbers - cells that are numbers.
 * @param texts - non-missing cells that are not.
 * @returns true when the texts are few enough to be strays.
 * @example
 * ```ts
 * isMostlyNumeric(2999, 1); // true
 * isMostlyNumeric(3, 2);    // false
 * ```
 */
export function isMostlyNumeric(numbers: number, texts: number): boolean {
  return texts > 0 && numbers >= 9 * texts;
}

/** A number written with a decimal comma ("0,5"), which would be numeric with `--decimal ,`. */
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

/**
 * The problem of a column whose numbers are interrupted by a few text cells, or undefined.
 *
 * @param name - the column.
 * @param numbers - count of numeric cells.
 * @param strays - every non-numeric, non-missing cell as `[row, text]` (rows 0-based), or the
 *   first few of them with `count` giving the total.
 * @param count - the number of such cells.
 * @returns the message, or undefined when the column is not mostly numeric.
 * @example
 * ```ts
 * strayProblem("x", 9, [[4, "N/A"]], 1);
 * // "Column 'x' holds numbers except in 1 cell (row 5: 'N/A'); ..."
 * ```
 */
export function strayProblem(name: string, numbers: number, strays: readonly (readonly [number, string])[], count: number): string | undefined {
  const commas = strays.filter(([, t]) => DECIMAL_COMMA.test(t.trim())).length;
  // A column of numbers written with decimal commas is numeric whatever their share.
  if (!isMostlyNumeric(numbers, count) && !(commas > 0 && commas === strays.length)) return undefined;
  return strayTextMessage(name, count, strays.slice(0, STRAY_CELLS_SHOWN), commas > 0);
}

/** Sorts levels by their numeric value (ties in code-point order) when all are numbers. */
function numericLevelOrder(levels: readonly string[]): string[] | undefined {
  const x = levels.map((l) => Number(l.trim()));
  if (!x.every(Number.isFinite)) return undefined;
  return [...levels.keys()].sort((a, b) => x[a] - x[b] || compareCodePoints(levels[a], levels[b])).map((k) => levels[k]);
}

/**
 * A categorical column from a forced factor: levels in numeric order when every level is a
 * number (as R's `factor()` of a numeric column), otherwise in code-point order.
 */
function factorColumn(name: string, values: ArrayLike<unknown>): CategoricalColumn {
  const n = values.length;
  let allNumbers = n > 0;
  for (let i = 0; i < n && allNumbers; i++) {
    const v = values[i];
    if (typeof v !== "number" && typeof v !== "bigint" && !isMissingValue(v)) allNumbers = false;
  }
  const cells = allNumbers ? Array.from(values, (v) => (isMissingValue(v) ? v : formatNumber(Number(v)))) : values;
  const c = categoricalColumn(name, cells);
  const order = numericLevelOrder(c.levels);
  if (order === undefined) return c;
  return recodeLevels(c, order);
}

/**
 * The same categorical column with its levels in another order.
 *
 * @param c - the column.
 * @param levels - the new order of its levels.
 * @returns the recoded column.
 * @example
 * ```ts
 * recodeLevels({ kind: "categorical", name: "s", levels: ["10", "2"], codes: Int32Array.of(0, 1) }, ["2", "10"]).codes;
 * // Int32Array [1, 0]
 * ```
 */
export function recodeLevels(c: CategoricalColumn, levels: readonly string[]): CategoricalColumn {
  const position = new Map(levels.map((l, k) => [l, k]));
  const map = c.levels.map((l) => position.get(l) as number);
  const codes = new Int32Array(c.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = c.codes[i] < 0 ? -1 : map[c.codes[i]];
  return { kind: "categorical", name: c.name, levels, codes };
}

/**
 * Types one column of user data without throwing for bad cells: a nested or infinite cell gives
 * a problem instead of a column, and a numeric column with a few text cells gives both the
 * categorical column and a problem naming the cells (see {@link strayProblem}).
 *
 * @param name - the column name.
 * @param values - the cells.
 * @param options - forced factor, extra missing-value markers.
 * @returns the column and/or its problem.
 * @example
 * ```ts
 * typeColumn("x", [1, 2, 3, 4, 5, 6, 7, 8, 9, "N/A"]).problem;
 * // "Column 'x' holds numbers except in 1 cell (row 10: 'N/A'); ..."
 * typeColumn("x", [1, "N/A"], { na: ["N/A"] }).column; // { kind: "numeric", name: "x", values: Float64Array [1, NaN] }
 * ```
 */
export function typeColumn(name: string, values: ArrayLike<unknown>, options: TypeColumnOptions = {}): TypedColumn {
  let cells = values;
  if (options.na !== undefined && options.na.length > 0 && !isNumericTypedArray(values)) {
    const na = new Set(options.na.map((t) => t.trim()));
    cells = Array.from(values, (v) => (typeof v === "string" && na.has(v.trim()) ? null : v));
  }
  try {
    if (options.asFactor) return { column: factorColumn(name, cells) };
    const column = inferColumn(name, cells);
    if (column.kind === "numeric") return { column };
    let numbers = 0;
    let count = 0;
    const strays: [number, string][] = [];
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (isMissingValue(v)) continue;
      if (typeof v === "number" || typeof v === "bigint" || (typeof v === "string" && Number.isFinite(Number(v.trim())))) numbers++;
      else {
        count++;
        if (strays.length < 1000) strays.push([i, cellText(v, name, i)]);
      }
    }
    const problem = strayProblem(name, numbers, strays, count);
    return problem === undefined ? { column } : { column, problem };
  } catch (error) {
    if (error instanceof MlmError) return { problem: error.message };
    throw error;
  }
}

/**
 * Types one column of user data as numeric or categorical.
 *
 * @param name - the column name (used in messages).
 * @param values - the cells: a plain array or a typed array.
 * @param asFactor - force a categorical column; when every cell is a number the levels are in
 *   numeric order, as R's `factor()` orders them ("2" before "10").
 * @returns the typed column.
 * @throws MlmError for an infinite number or a nested cell (array or object).
 * @example
 * ```ts
 * inferColumn("y", ["1.5", " 2", "NA"]);      // { kind: "numeric", values: Float64Array [1.5, 2, NaN] }
 * inferColumn("g", [true, false, null]);      // { kind: "categorical", levels: ["FALSE", "TRUE"], codes: [1, 0, -1] }
 * inferColumn("s", [10, 2, 2], true).levels;  // ["2", "10"]
 * ```
 */
export function inferColumn(name: string, values: ArrayLike<unknown>, asFactor = false): Column {
  if (asFactor) return factorColumn(name, values);
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
