/**
 * The shapes of data that {@link toDataTable} accepts: columns, rows, or an Arrow-like table.
 *
 * These are structural types only; mlm does not depend on apache-arrow, any object with the same
 * members works.
 */
import type { DataTable } from "./table.js";

/** One cell of user data before typing: a number, text, a boolean, or a missing marker. */
export type CellValue = number | string | boolean | bigint | Date | null | undefined;

/** The values of one column: a plain array or a typed array. */
export type ColumnValues =
  | ArrayLike<unknown>
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array;

/** Columns by name, e.g. `{ y: [1, 2], g: ["a", "b"] }`. */
export type ColumnRecord = Readonly<Record<string, ColumnValues>>;

/** Rows as objects of named cells, e.g. `[{ y: 1, g: "a" }, { y: 2, g: "b" }]`. */
export type RowRecords = readonly Readonly<Record<string, unknown>>[];

/** The part of an Arrow vector that mlm reads. */
export interface ArrowLikeVector {
  readonly length: number;
  /** Number of null entries, when the vector knows it. */
  readonly nullCount?: number;
  get(index: number): unknown;
  toArray(): ArrayLike<unknown>;
}

/** The part of an Arrow table that mlm reads (apache-arrow's `Table` has these members). */
export interface ArrowLikeTable {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  getChild(name: string): ArrowLikeVector | null;
}

/** Any data {@link toDataTable} accepts; a {@link DataTable} is passed through. */
export type DataInput = ColumnRecord | RowRecords | ArrowLikeTable | DataTable;
