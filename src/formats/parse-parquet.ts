/**
 * Reading of Apache Parquet files (flat columns) into a {@link DataTable}, with hyparquet.
 *
 * Parquet types map to cells as hyparquet decodes them: floating point and 32-bit integers are
 * numbers, 64-bit integers are bigints (made numbers), strings are text, booleans become
 * FALSE/TRUE factors, dates and timestamps become ISO-text factors; nulls are missing.
 * Uncompressed and Snappy-compressed files are read; other codecs need decompressors mlm does not
 * ship.
 */
import { parquetMetadata, parquetRead, parquetSchema } from "hyparquet";
import type { FileMetaData, SchemaTree } from "hyparquet";
import { MlmError } from "../errors.js";
import { toDataTable } from "../data/to-data-table.js";
import type { DataTable } from "../data/table.js";

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

function hasMagic(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 12 && MAGIC.every((b, k) => bytes[k] === b && bytes[n - 4 + k] === b);
}

/**
 * Checks the footer's description of the column chunks before hyparquet reads them: hyparquet
 * trusts it, and an inconsistent footer can make it fail inside a promise nobody awaits (an
 * unhandled rejection that would end the process). Returns the problem, or undefined.
 */
function footerProblem(metadata: FileMetaData, leaves: readonly (readonly string[])[], byteLength: number): string | undefined {
  const names = leaves.map((path) => path[0]);
  let rows = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    if (!(groupRows >= 0)) return `row group ${g + 1} declares ${groupRows} rows`;
    rows += groupRows;
    if (group.columns.length !== leaves.length) return `row group ${g + 1} has ${group.columns.length} column chunks for ${leaves.length} columns`;
    for (const [j, chunk] of group.columns.entries()) {
      const meta = chunk.meta_data;
      if (meta === undefined) return `column chunk ${j + 1} of row group ${g + 1} has no metadata`;
      if (meta.path_in_schema.join("\u0000") !== leaves[j].join("\u0000")) {
        return `column chunk ${j + 1} of row group ${g + 1} does not belong to column '${names[j]}'`;
      }
      if (meta.codec !== "UNCOMPRESSED" && meta.codec !== "SNAPPY") return `unsupported compression codec: ${String(meta.codec)}`;
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = Math.max(start, Number(meta.data_page_offset)) + Number(meta.total_compressed_size);
      if (!(start >= 4 && end <= byteLength - 8)) return `column '${names[j]}' points outside the file`;
      const values = Number(meta.num_values);
      if (leaves[j].length === 1 && !(values >= 0 && values <= groupRows)) return `column '${names[j]}' declares ${values} values in a row group of ${groupRows} rows`;
    }
  }
  const declared = Number(metadata.num_rows);
  if (rows !== declared) return `its row groups hold ${rows} rows but the file declares ${declared}`;
  return undefined;
}

/** A hyparquet failure as an MlmError about the file. */
function invalid(source: string, error: unknown): MlmError {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^parquet\s+/, "").replace(/\s+/g, " ");
  const codec = /unsupported compression codec:? *(\w+)/i.exec(message);
  if (codec) {
    return new MlmError(`'${source}' is compressed with ${codec[1]}, which mlm cannot read; write it uncompressed or with Snappy compression.`);
  }
  return new MlmError(`'${source}' is not a valid Parquet file: ${message.replace(/\.$/, "")}.`);
}

/**
 * A decoder gave up within its memory or time limit: the file is probably corrupt (or too large
 * for the limits). Its message completes "Cannot read FILE: ...".
 */
export class DecodeLimitError extends Error {
  override readonly name = "DecodeLimitError";
}

/** One decoded column chunk: the rows from `rowStart` on. */
export interface ParquetChunk {
  readonly column: string;
  readonly rowStart: number;
  readonly data: ArrayLike<unknown>;
}

/**
 * Decodes every column chunk of a (validated) Parquet file. The default decodes in the calling
 * thread; `readTable` passes one that runs in a worker thread, so that a corrupt file that sends
 * the decoder into an endless loop or unbounded allocation cannot hang or crash the process.
 */
export type ParquetChunkReader = (file: ArrayBuffer, columns?: readonly string[]) => Promise<ParquetChunk[]>;

/**
 * Decodes every column chunk with hyparquet in the calling thread.
 *
 * @param file - the whole Parquet file.
 * @param columns - the top-level columns to decode (default: all).
 * @returns the decoded chunks, in no particular order.
 * @throws whatever hyparquet throws for a corrupt file.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const bytes = readFileSync(ioFile("sleepstudy.parquet"));
 * const chunks = await readChunksInThread(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
 * chunks.map((c) => [c.column, c.rowStart, c.data.length]);
 * // [["Reaction", 0, 180], ["Days", 0, 180], ["Subject", 0, 180]]
 * ```
 */
export async function readChunksInThread(file: ArrayBuffer, columns?: readonly string[]): Promise<ParquetChunk[]> {
  const chunks: ParquetChunk[] = [];
  await parquetRead({ file, columns: columns === undefined ? undefined : [...columns], onChunk: (c) => chunks.push({ column: c.columnName, rowStart: c.rowStart, data: c.columnData }) });
  return chunks;
}

/**
 * Parses the bytes of a Parquet file into a typed table.
 *
 * The footer is checked first (markers, flat columns, supported codecs, chunk positions and row
 * counts); then the chunks are decoded by `readChunks`.
 *
 * @param bytes - the whole file.
 * @param source - the file's name, for messages.
 * @param factors - columns to make categorical even when numeric.
 * @param readChunks - the decoder of the column chunks ({@link readChunksInThread} by default).
 * @param options - `na`: further texts that mark missing values.
 * @returns the table, columns in schema order.
 * @throws MlmError when the bytes are not Parquet, are corrupt, use an unsupported compression
 *   codec, or the decoder hits its limits. Nested (list, map or struct) columns and columns with
 *   nested cells are listed in `problems`, refused only by a model that uses them.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const t = await parseParquet(readFileSync(ioFile("sleepstudy.parquet")), "sleepstudy.parquet");
 * t.nrows; // 180
 * t.names; // ["Reaction", "Days", "Subject"]
 * ```
 */
export async function parseParquet(
  bytes: Uint8Array,
  source: string,
  factors: readonly string[] = [],
  readChunks: ParquetChunkReader = readChunksInThread,
  options: { readonly na?: readonly string[] } = {},
): Promise<DataTable> {
  if (!hasMagic(bytes)) throw new MlmError(`'${source}' is not a valid Parquet file: it does not start and end with the Parquet marker PAR1.`);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  let names: string[];
  const problems = new Map<string, string>();
  try {
    metadata = parquetMetadata(file);
    const root = parquetSchema(metadata);
    // nested (list, map, struct) columns are not decoded; a model that uses one is refused
    for (const c of root.children) {
      if (c.children.length > 0) problems.set(c.element.name, nestedColumnMessage(c.element.name, source));
    }
    names = root.children.map((c) => c.element.name);
    const problem = footerProblem(metadata, root.children.flatMap((c) => leafPaths(c, [])), bytes.byteLength);
    if (problem !== undefined) throw invalid(source, new Error(problem));
  } catch (error) {
    if (error instanceof MlmError) throw error;
    throw invalid(source, error);
  }
  const numRows = Number(metadata.num_rows);
  let chunks: ParquetChunk[];
  try {
    chunks = await readChunks(file, problems.size > 0 ? names.filter((n) => !problems.has(n)) : undefined);
  } catch (error) {
    if (error instanceof DecodeLimitError) throw new MlmError(`Cannot read '${source}': ${error.message}.`);
    throw invalid(source, error);
  }
  const columns = Object.create(null) as Record<string, unknown[]>; // no prototype: a column may be named "__proto__"
  for (const name of names) {
    if (problems.has(name)) {
      columns[name] = new Array<unknown>(numRows).fill(null);
      continue;
    }
    const values: unknown[] = [];
    for (const { rowStart, data } of chunks.filter((c) => c.column === name).sort((a, b) => a.rowStart - b.rowStart)) {
      if (rowStart !== values.length) break;
      for (let i = 0; i < data.length; i++) values.push(data[i]);
    }
    if (values.length !== numRows) {
      throw new MlmError(`'${source}' is not a valid Parquet file: column '${name}' holds ${values.length} values but the file declares ${numRows} rows.`);
    }
    columns[name] = values;
  }
  const table = toDataTable(columns, { factors: factors.filter((f) => !problems.has(f)), na: options.na });
  if (problems.size === 0) return table;
  const all = new Map([...(table.problems ?? []), ...problems]);
  const kept = new Map([...table.columns].filter(([name]) => !problems.has(name)));
  return { ...table, columns: kept, problems: all };
}

/** The paths of the leaf columns under a schema node (a flat column is its own leaf). */
function leafPaths(node: SchemaTree, prefix: readonly string[]): string[][] {
  const path = [...prefix, node.element.name];
  return node.children.length === 0 ? [path] : node.children.flatMap((c) => leafPaths(c, path));
}

/** The problem of a nested column. */
function nestedColumnMessage(name: string, source: string): string {
  return `Column '${name}' of '${source}' is nested (a list, map or struct); mlm reads only flat columns.`;
}
