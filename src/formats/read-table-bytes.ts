/**
 * Reading a data file's bytes into a table in any runtime (a browser's `File.arrayBuffer()`, a
 * fetch response, Node's `readFile`): the format comes from the file's name, or from the bytes
 * when the name does not tell it.
 */
import { MlmError } from "../errors.js";
import type { DataTable } from "../data/table.js";
import { decodeText } from "./decode-text.js";
import { parseDelimited } from "./parse-delimited.js";
import { parseJsonTable } from "./parse-json.js";
import { parseParquet, readChunksInThread } from "./parse-parquet.js";
import type { ParquetChunkReader } from "./parse-parquet.js";
import type { TableTypingOptions } from "./delimited-reader.js";
import { formatFromName, sniffFormat } from "./table-format.js";
import type { TableFormat } from "./table-format.js";

/** Options of {@link readTableBytes}. */
export interface ReadTableBytesOptions extends TableTypingOptions {
  /** The format; by default from the name's extension, else from the bytes. */
  readonly format?: TableFormat;
  /** Parquet: the decoder of column chunks (default: in the calling thread). */
  readonly readChunks?: ParquetChunkReader;
}

/**
 * Reads a whole data file from its bytes.
 *
 * @param bytes - the file's content.
 * @param fileName - its name, for the format and for messages.
 * @param options - format, factors, delimiter, decimal mark, missing-value markers.
 * @returns the table.
 * @throws MlmError when the bytes are empty or not valid in their format.
 * @example
 * ```ts
 * const t = await readTableBytes(new TextEncoder().encode("y;g\n0,5;a\n1,5;b\n"), "e.csv", { decimal: "," });
 * t.columns.get("y"); // { kind: "numeric", name: "y", values: Float64Array [0.5, 1.5] }
 * t.notes;            // [{ code: "delimiter-detected", severity: "note", text: "Read 'e.csv' with ';' as the delimiter, which splits every line into 2 fields; …" }]
 * ```
 */
export async function readTableBytes(bytes: Uint8Array, fileName: string, options: ReadTableBytesOptions = {}): Promise<DataTable> {
  if (bytes.length === 0) throw new MlmError(`'${fileName}' is empty.`);
  const format = options.format ?? formatFromName(fileName) ?? sniffFormat(bytes);
  const factors = options.factors ?? [];
  switch (format) {
    case "csv":
    case "tsv": {
      const preferred = format === "tsv" ? "\t" : ",";
      return parseDelimited(bytes, { source: fileName, preferred, delimiter: options.delimiter, decimal: options.decimal, factors, na: options.na });
    }
    case "json":
      return parseJsonTable(decodeText(bytes, fileName, "JSON"), fileName, factors, { na: options.na });
    case "parquet":
      return parseParquet(bytes, fileName, factors, options.readChunks ?? readChunksInThread, { na: options.na });
  }
}
