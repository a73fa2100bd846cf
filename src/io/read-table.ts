/**
 * Reading a data file from disk (Node only): CSV, TSV, JSON or Parquet, chosen by the file's
 * extension unless a format is given.
 */
import { readFile, stat } from "node:fs/promises";
import { MlmError } from "../index.js";
import type { DataTable } from "../index.js";
import { decodeText } from "./decode-text.js";
import { parseDelimited } from "./parse-delimited.js";
import { parseJsonTable } from "./parse-json.js";
import { parseParquet } from "./parse-parquet.js";
import { readChunksInWorker } from "./parquet-worker.js";
import { formatFromPath } from "./table-format.js";
import type { TableFormat } from "./table-format.js";

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** The file's format; by default taken from its extension. */
  readonly format?: TableFormat;
  /** Columns to make categorical even when they hold numbers. */
  readonly factors?: readonly string[];
}

/** The file-system failure of reading `path` as one sentence. */
function fileError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return new MlmError(`File '${path}' does not exist; check the path.`);
    case "EISDIR":
      return new MlmError(`'${path}' is a folder, not a data file.`);
    case "ERR_INVALID_ARG_VALUE":
    case "ERR_INVALID_ARG_TYPE":
      return new MlmError(`'${path.replace(/\0/g, "\\0")}' is not a valid file name.`);
    case "ENAMETOOLONG":
      return new MlmError(`The file name '${path.slice(0, 40)}...' is too long.`);
    case "EACCES":
    case "EPERM":
      return new MlmError(`Cannot read '${path}': permission denied.`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Reads a data file into a typed table.
 *
 * CSV and TSV files need a header row; JSON files hold an array of records or an object of
 * columns; Parquet files hold flat columns. Cells are typed as {@link toDataTable} types them.
 *
 * @param path - the file's path.
 * @param options - `format` overrides the extension; `factors` forces columns categorical.
 * @returns the table.
 * @throws MlmError when the file does not exist, cannot be read, is empty, has an unknown
 *   extension (and no format was given), or is not valid in its format.
 * @example
 * ```ts
 * const t = await readTable(dataFile("sleepstudy.csv"), { factors: ["Subject"] });
 * t.nrows;                           // 180
 * t.names;                           // ["Reaction", "Days", "Subject"]
 * t.columns.get("Subject")?.kind;    // "categorical"
 * ```
 */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<DataTable> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    const format = options.format ?? formatFromPath(path);
    bytes = await readFile(path);
    if (bytes.length === 0) throw new MlmError(`'${path}' is empty.`);
    return await parseBytes(bytes, path, format, options.factors ?? []);
  } catch (error) {
    if (error instanceof MlmError) throw error;
    throw fileError(path, error);
  }
}

function parseBytes(bytes: Uint8Array, path: string, format: TableFormat, factors: readonly string[]): Promise<DataTable> | DataTable {
  switch (format) {
    case "csv":
      return parseDelimited(decodeText(bytes, path, "CSV"), { delimiter: ",", source: path, factors });
    case "tsv":
      return parseDelimited(decodeText(bytes, path, "TSV"), { delimiter: "\t", source: path, factors });
    case "json":
      return parseJsonTable(decodeText(bytes, path, "JSON"), path, factors);
    case "parquet":
      return parseParquet(bytes, path, factors, (file) => readChunksInWorker(file));
  }
}
