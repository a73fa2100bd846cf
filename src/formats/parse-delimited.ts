/**
 * Reading of delimited text (CSV, semicolon-separated, TSV) into a {@link DataTable}, from a
 * string or bytes, in any JavaScript runtime. See {@link DelimitedReader} for the grammar and
 * the typing of cells; large files should be pushed to a reader in chunks instead.
 */
import { MlmError } from "../errors.js";
import type { DataTable } from "../data/table.js";
import { DelimitedReader } from "./delimited-reader.js";
import type { DelimitedReaderOptions } from "./delimited-reader.js";

/** Options of {@link parseDelimited}: those of {@link DelimitedReader} but the size hint. */
export type ParseDelimitedOptions = Omit<DelimitedReaderOptions, "sizeHint">;

/**
 * Parses delimited text with a header row into a typed table.
 *
 * @param text - the file's text, or its bytes (UTF-8, UTF-16 with byte-order mark, or Windows-1252).
 * @param options - separator, decimal mark, file name for messages, factors and missing markers.
 * @returns the table (columns typed when first read; see `problems` for unusable ones).
 * @throws MlmError when the text is empty, malformed (unclosed quotes), binary, has a blank or
 *   repeated column name, has rows with more or fewer fields than the header, or has no data rows.
 * @example
 * ```ts
 * const t = parseDelimited('y,g\n1.5,"b"\nNA,a\n', { delimiter: ",", source: "d.csv" });
 * t.columns.get("y"); // { kind: "numeric", values: Float64Array [1.5, NaN] }
 * t.columns.get("g"); // { kind: "categorical", levels: ["a", "b"], codes: Int32Array [1, 0] }
 * const e = parseDelimited("y;x\n0,5;1\n", { source: "e.csv", decimal: "," });
 * e.columns.get("y"); // { kind: "numeric", values: Float64Array [0.5] }
 * e.notes?.map((n) => n.code); // ["delimiter-detected"]
 * ```
 */
export function parseDelimited(text: string | Uint8Array, options: ParseDelimitedOptions): DataTable {
  if (typeof text === "string" && text.trim() === "") throw new MlmError(`'${options.source}' is empty.`);
  const reader = new DelimitedReader({ ...options, preferred: options.preferred ?? options.delimiter ?? "," });
  reader.push(typeof text === "string" ? new TextEncoder().encode(text) : text);
  return reader.finish();
}
