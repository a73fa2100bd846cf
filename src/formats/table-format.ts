/**
 * The file formats mlm reads, and how a file's name tells its format.
 */
import { MlmError } from "../errors.js";

/** A data file format: comma- or tab-separated text, JSON, or Apache Parquet. */
export type TableFormat = "csv" | "tsv" | "json" | "parquet";

/** Every supported format, in the order messages list them. */
export const TABLE_FORMATS: readonly TableFormat[] = ["csv", "tsv", "json", "parquet"];

const EXTENSIONS: ReadonlyMap<string, TableFormat> = new Map([
  ["csv", "csv"],
  ["tsv", "tsv"],
  ["tab", "tsv"],
  ["json", "json"],
  ["parquet", "parquet"],
  ["pq", "parquet"],
]);

/**
 * The format a file's name implies, or undefined when its extension is not a known one.
 *
 * @param name - the file's path or name.
 * @returns the format, or undefined.
 * @example
 * ```ts
 * formatFromName("a/b.TSV"); // "tsv"
 * formatFromName("data");    // undefined
 * ```
 */
export function formatFromName(name: string): TableFormat | undefined {
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? EXTENSIONS.get(base.slice(dot + 1).toLowerCase()) : undefined;
}

/**
 * The format of a file from its first bytes: Parquet starts with "PAR1", JSON with `[` or `{`
 * (after white space); anything else is taken as delimited text.
 *
 * @param bytes - the start of the file.
 * @returns the format ("csv" for delimited text; the delimiter is detected when reading).
 * @example
 * ```ts
 * sniffFormat(new TextEncoder().encode(' [{"y": 1}]')); // "json"
 * sniffFormat(new TextEncoder().encode("y;x\n1;2\n"));  // "csv"
 * ```
 */
export function sniffFormat(bytes: Uint8Array): TableFormat {
  if (bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31) return "parquet";
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x5b || bytes[i] === 0x7b ? "json" : "csv";
}

/**
 * Whether a text names a supported format.
 *
 * @param text - e.g. a `--format` value.
 * @returns true for "csv", "tsv", "json" and "parquet".
 * @example
 * ```ts
 * isTableFormat("tsv");  // true
 * isTableFormat("xlsx"); // false
 * ```
 */
export function isTableFormat(text: string): text is TableFormat {
  return (TABLE_FORMATS as readonly string[]).includes(text);
}

/**
 * The format of a data file, from the extension of its name (letter case ignored).
 *
 * Extensions: `.csv`; `.tsv` and `.tab`; `.json`; `.parquet` and `.pq`.
 *
 * @param path - the file's path or name.
 * @returns the format.
 * @throws MlmError when the extension is missing or not one of those.
 * @example
 * ```ts
 * formatFromPath("data/sleepstudy.CSV"); // "csv"
 * formatFromPath("runs.pq");             // "parquet"
 * formatFromPath("book.xlsx");           // throws MlmError
 * ```
 */
export function formatFromPath(path: string): TableFormat {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  const format = formatFromName(path);
  if (format !== undefined) return format;
  const what = ext === "" ? "has no extension" : `has the extension '.${base.slice(dot + 1)}'`;
  throw new MlmError(
    `Cannot tell the format of '${path}': it ${what}, and mlm reads .csv, .tsv, .json and .parquet files; rename it or choose the format with --format.`,
  );
}
