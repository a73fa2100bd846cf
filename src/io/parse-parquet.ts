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
import type { FileMetaData } from "hyparquet";
import { MlmError } from "../errors.js";
import { toDataTable } from "../data/to-data-table.js";
import type { DataTable } from "../data/table.js";

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

function hasMagic(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 12 && MAGIC.every((b, k) => bytes[k] === b && bytes[n - 4 + k] === b);
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
 * Parses the bytes of a Parquet file into a typed table.
 *
 * @param bytes - the whole file.
 * @param source - the file's name, for messages.
 * @param factors - columns to make categorical even when numeric.
 * @returns the table, columns in schema order.
 * @throws MlmError when the bytes are not Parquet, are corrupt, use an unsupported compression
 *   codec, or hold nested (list, map or struct) columns.
 * @example
 * ```ts
 * const t = await parseParquet(readFileSync("sleepstudy.parquet"), "sleepstudy.parquet");
 * t.nrows; // 180
 * t.names; // ["Reaction", "Days", "Subject"]
 * ```
 */
export async function parseParquet(bytes: Uint8Array, source: string, factors: readonly string[] = []): Promise<DataTable> {
  if (!hasMagic(bytes)) throw new MlmError(`'${source}' is not a valid Parquet file: it does not start and end with the Parquet marker PAR1.`);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  let names: string[];
  try {
    metadata = parquetMetadata(file);
    const root = parquetSchema(metadata);
    const nested = root.children.find((c) => c.children.length > 0);
    if (nested) {
      throw new MlmError(`Column '${nested.element.name}' of '${source}' is nested (a list, map or struct); mlm reads only flat columns.`);
    }
    names = root.children.map((c) => c.element.name);
  } catch (error) {
    if (error instanceof MlmError) throw error;
    throw invalid(source, error);
  }
  const numRows = Number(metadata.num_rows);
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>(names.map((n) => [n, []]));
  try {
    await parquetRead({
      file,
      metadata,
      onChunk: (chunk) => chunks.get(chunk.columnName)?.push({ rowStart: chunk.rowStart, data: chunk.columnData }),
    });
  } catch (error) {
    throw invalid(source, error);
  }
  const columns: Record<string, unknown[]> = {};
  for (const name of names) {
    const values: unknown[] = [];
    for (const { rowStart, data } of (chunks.get(name) ?? []).sort((a, b) => a.rowStart - b.rowStart)) {
      if (rowStart !== values.length) break;
      for (let i = 0; i < data.length; i++) values.push(data[i]);
    }
    if (values.length !== numRows) {
      throw new MlmError(`'${source}' is not a valid Parquet file: column '${name}' holds ${values.length} values but the file declares ${numRows} rows.`);
    }
    columns[name] = values;
  }
  return toDataTable(columns, { factors });
}
