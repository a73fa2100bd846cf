/**
 * The in-memory data table every stage reads: named, typed columns of equal length.
 *
 * A numeric column holds `Float64Array` values with NaN for missing; a categorical column holds
 * its sorted levels and a code per row (-1 for missing).
 */
import type { Message } from "../messages.js";

/** A numeric column; NaN marks a missing value. */
export interface NumericColumn {
  readonly kind: "numeric";
  readonly name: string;
  readonly values: Float64Array;
}

/** A categorical column: levels in code-point order (the first is the reference level). */
export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly name: string;
  readonly levels: readonly string[];
  /** The 0-based level of each row, -1 where missing. */
  readonly codes: Int32Array;
}

export type Column = NumericColumn | CategoricalColumn;

/** A table of equally long columns. */
export interface DataTable {
  readonly nrows: number;
  /** Column names in their original order. */
  readonly names: readonly string[];
  readonly columns: ReadonlyMap<string, Column>;
  /**
   * Columns a model may not use, each with the reason as one sentence for the user: a cell that
   * is nested or infinite (such a column is absent from `columns`), or a column of numbers with a
   * few text cells (present in `columns` as categorical, as R would read it). A model frame
   * refuses a column listed here only when the formula uses it. Undefined when there are none.
   */
  readonly problems?: ReadonlyMap<string, string>;
  /** What the reader assumed and the user may want to know (e.g. which delimiter), as notes with stable codes. */
  readonly notes?: readonly Message[];
}
