/**
 * Reading a data file from disk or standard input (Node only): CSV, TSV, JSON or Parquet, chosen
 * by the file's extension unless a format is given. Delimited text is streamed in chunks (no
 * string of the whole file), so files larger than a JavaScript string can be read; the path "-"
 * reads standard input (format from `format`, else from its first bytes).
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { MlmError, DelimitedReader, readTableBytes, formatFromPath, sniffFormat } from "../index.js";
import type { DataTable, DataFileFormat as TableFormat, TableTypingOptions } from "../index.js";
import { readChunksInWorker } from "./parquet-worker.js";

/** Options of {@link readTable}. */
export interface ReadTableOptions extends TableTypingOptions {
  /** The file's format; by default taken from its extension. */
  readonly format?: TableFormat;
  /** Where "-" reads from (default: the process's standard input). */
  readonly stdin?: AsyncIterable<Uint8Array>;
}

/** Size of the chunks a delimited file is read in. */
const CHUNK_BYTES = 1 << 20;

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

/** Streams chunks into a delimited-text reader. */
async function readDelimited(
  chunks: AsyncIterable<Uint8Array>,
  first: Uint8Array[],
  source: string,
  format: "csv" | "tsv",
  options: ReadTableOptions,
  sizeHint?: number,
): Promise<DataTable> {
  const reader = new DelimitedReader({
    sizeHint,
    source,
    preferred: format === "tsv" ? "\t" : ",",
    delimiter: options.delimiter,
    decimal: options.decimal,
    factors: options.factors,
    na: options.na,
  });
  for (const c of first) reader.push(c);
  for await (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}

/** Reads standard input: delimited text is streamed, JSON and Parquet are read whole. */
async function readStdin(input: AsyncIterable<Uint8Array>, options: ReadTableOptions): Promise<DataTable> {
  const source = "standard input";
  const iterator = input[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let size = 0;
  // enough bytes to tell the format
  while (size < 8) {
    const next = await iterator.next();
    if (next.done === true) break;
    first.push(next.value);
    size += next.value.length;
  }
  if (size === 0) throw new MlmError("Standard input is empty; pipe a data file into mlm, or give its path instead of '-'.");
  const head = first.length === 1 ? first[0] : Buffer.concat(first);
  const format = options.format ?? sniffFormat(head);
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  if (format === "csv" || format === "tsv") return readDelimited(rest, first, source, format, options);
  const all: Uint8Array[] = [...first];
  for await (const chunk of rest) all.push(chunk);
  return readTableBytes(Buffer.concat(all), source, { ...options, format, readChunks: (file, columns) => readChunksInWorker(file, {}, columns) });
}

/**
 * Reads a data file into a typed table.
 *
 * CSV and TSV files need a header row; JSON files hold an array of records or an object of
 * columns; Parquet files hold flat columns. Cells are typed as {@link toDataTable} types them.
 *
 * @param path - the file's path, or "-" for standard input.
 * @param options - `format` overrides the extension; `factors` forces columns categorical;
 *   `delimiter`, `decimal` and `na` as {@link readTableBytes} takes them.
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
  if (path === "-") return readStdin(options.stdin ?? (process.stdin as AsyncIterable<Uint8Array>), options);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    const format = options.format ?? formatFromPath(path);
    if (info.size === 0) throw new MlmError(`'${path}' is empty.`);
    if (format === "csv" || format === "tsv") {
      return await readDelimited(createReadStream(path, { highWaterMark: CHUNK_BYTES }), [], path, format, options, info.size);
    }
    const bytes = await readFile(path);
    if (bytes.length === 0) throw new MlmError(`'${path}' is empty.`);
    return await readTableBytes(bytes, path, { ...options, format, readChunks: (file, columns) => readChunksInWorker(file, {}, columns) });
  } catch (error) {
    if (error instanceof MlmError) throw error;
    throw fileError(path, error);
  }
}
