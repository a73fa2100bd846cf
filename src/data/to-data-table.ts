/**
 * Conversion of user data (columns, rows or an Arrow-like table) into mlm's {@link DataTable}.
 */
import { MlmError } from "../errors.js";
import { unknownFactorMessage } from "./messages.js";
import type { ArrowLikeTable, ArrowLikeVector, DataInput } from "./data-input.js";
import { inferColumn, typeColumn } from "./infer-column.js";
import type { Column, DataTable } from "./table.js";

/** Options of {@link toDataTable}. */
export interface ToDataTableOptions {
  /** Columns to make categorical even when they hold numbers (R's `factor(x)`). */
  readonly factors?: readonly string[];
  /** Further texts that mark missing values (besides "", "NA", "NaN", "null" and "."). */
  readonly na?: readonly string[];
}

/** Raw column values by name, in column order. */
type RawColumns = { names: string[]; values: ArrayLike<unknown>[] };

function isDataTable(input: object): input is DataTable {
  const t = input as Partial<DataTable>;
  return typeof t.nrows === "number" && Array.isArray(t.names) && t.columns instanceof Map;
}

function isArrowLike(input: object): input is ArrowLikeTable {
  const t = input as Partial<ArrowLikeTable>;
  return typeof t.numRows === "number" && typeof t.getChild === "function" && Array.isArray(t.schema?.fields);
}

function isColumnValues(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function fromRows(rows: readonly unknown[]): RawColumns {
  const index = new Map<string, number>();
  const names: string[] = [];
  const values: unknown[][] = [];
  rows.forEach((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new MlmError(`Row ${i + 1} of the data is not an object of named values; give rows as objects such as { y: 1.2, g: "a" }.`);
    }
    for (const [key, v] of Object.entries(row)) {
      let k = index.get(key);
      if (k === undefined) {
        k = names.length;
        index.set(key, k);
        names.push(key);
        values.push(new Array<unknown>(rows.length).fill(undefined));
      }
      values[k][i] = v;
    }
  });
  return { names, values };
}

function vectorValues(name: string, vector: ArrowLikeVector | null, numRows: number): ArrayLike<unknown> {
  if (vector === null || vector === undefined) throw new MlmError(`The Arrow table has no column '${name}' although its schema lists one.`);
  if (vector.nullCount === 0 && typeof vector.toArray === "function") return vector.toArray();
  const n = vector.length ?? numRows;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = vector.get(i);
  return out;
}

function fromArrow(table: ArrowLikeTable): RawColumns {
  const names = table.schema.fields.map((f) => f.name);
  const values = names.map((name) => vectorValues(name, table.getChild(name), table.numRows));
  return { names, values };
}

function fromColumns(input: object): RawColumns {
  const names: string[] = [];
  const values: ArrayLike<unknown>[] = [];
  for (const [name, v] of Object.entries(input)) {
    if (!isColumnValues(v)) {
      throw new MlmError(`Column '${name}' is not an array of values; give columns as arrays such as { y: [1.2, 3.4], g: ["a", "b"] }.`);
    }
    names.push(name);
    values.push(v);
  }
  return { names, values };
}

function checkNames(names: readonly string[]): void {
  if (names.length === 0) throw new MlmError("The data have no columns; give at least one named column.");
  const seen = new Set<string>();
  names.forEach((name, j) => {
    if (name.trim() === "") throw new MlmError(`Column ${j + 1} of the data has no name; give every column a name.`);
    if (seen.has(name)) throw new MlmError(`Column name '${name}' appears more than once; give every column a distinct name.`);
    seen.add(name);
  });
}

function checkFactors(factors: readonly string[], names: readonly string[]): void {
  for (const f of factors) if (!names.includes(f)) throw new MlmError(unknownFactorMessage(f, names));
}

/** The text of a numeric value as a factor level (levels in numeric order); missing stays missing. */
function numericToCategorical(column: Column): Column {
  if (column.kind === "categorical") return column;
  return inferColumn(column.name, column.values, true);
}

/**
 * Converts user data into a typed {@link DataTable}.
 *
 * Accepts an object of columns (arrays or typed arrays), an array of row objects (columns in
 * order of first appearance; absent keys are missing), an Arrow-like table (anything with
 * `numRows`, `schema.fields[].name` and `getChild(name)`), or a DataTable (passed through).
 * Each column is numeric when all its non-missing values are numbers or numeric text, otherwise
 * categorical with levels in code-point order; see {@link inferColumn}.
 *
 * @param input - the data.
 * @param options - `factors`: columns to make categorical even when numeric.
 * @returns the typed table.
 * @throws MlmError when there are no columns, columns differ in length, a column name is blank or
 *   repeated, or a `factors` name is not a column. A column with a nested or infinite cell, or
 *   numbers with a few text cells, is listed in `problems` instead (refused only when used).
 * @example
 * ```ts
 * const t = toDataTable([{ y: 1.5, g: "b" }, { y: "NA", g: "a" }], { factors: [] });
 * t.nrows;                 // 2
 * t.names;                 // ["y", "g"]
 * t.columns.get("y");      // { kind: "numeric", name: "y", values: Float64Array [1.5, NaN] }
 * t.columns.get("g");      // { kind: "categorical", name: "g", levels: ["a", "b"], codes: Int32Array [1, 0] }
 * toDataTable({ s: [3, 10] }, { factors: ["s"] }).columns.get("s"); // { levels: ["3", "10"], codes: Int32Array [0, 1] }
 * ```
 */
export function toDataTable(input: DataInput, options: ToDataTableOptions = {}): DataTable {
  const factors = options.factors ?? [];
  if (typeof input !== "object" || input === null) {
    throw new MlmError("The data must be an object of columns, an array of row objects, or an Arrow table.");
  }
  if (isDataTable(input)) {
    checkFactors(factors, input.names);
    if (factors.length === 0) return input;
    const columns = new Map(input.columns);
    const problems = new Map(input.problems ?? []);
    for (const f of factors) {
      const c = columns.get(f);
      if (c === undefined) continue;
      columns.set(f, numericToCategorical(c));
      // a column named as a factor is categorical by request: its text cells are levels
      if (c.kind === "categorical") problems.delete(f);
    }
    return { ...input, columns, problems };
  }
  const raw = Array.isArray(input) ? fromRows(input) : isArrowLike(input) ? fromArrow(input) : fromColumns(input);
  checkNames(raw.names);
  const nrows = raw.values[0].length;
  raw.values.forEach((v, j) => {
    if (v.length !== nrows) {
      throw new MlmError(
        `Column '${raw.names[j]}' has ${v.length} values but column '${raw.names[0]}' has ${nrows}; all columns must have the same length.`,
      );
    }
  });
  checkFactors(factors, raw.names);
  const forced = new Set(factors);
  const columns = new Map<string, Column>();
  const problems = new Map<string, string>();
  raw.names.forEach((name, j) => {
    const typed = typeColumn(name, raw.values[j], { asFactor: forced.has(name), na: options.na });
    if (typed.column !== undefined) columns.set(name, typed.column);
    if (typed.problem !== undefined) problems.set(name, typed.problem);
  });
  return problems.size > 0 ? { nrows, names: raw.names, columns, problems } : { nrows, names: raw.names, columns };
}
