/**
 * The file formats mlm reads, and how a file's name tells its format.
 */
import { MlmError } from "../index.js";

/** A data file format: comma- or tab-separated text, JSON, or Apache Parquet. */
export type TableFormat = "csv" | "tsv" | "json" | "parquet";

/** Every supported format, in the order messages list them. */
export const TABLE_FORMATS: readonly TableFormat[] = ["csv", "tsv", "json", "parquet"];

const EXTENSIONS: Readonly<Record<string, TableFormat>> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  parquet: "parquet",
  pq: "parquet",
};

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
  const format = EXTENSIONS[ext];
  if (format !== undefined) return format;
  const what = ext === "" ? "has no extension" : `has the extension '.${base.slice(dot + 1)}'`;
  throw new MlmError(
    `Cannot tell the format of '${path}': it ${what}, and mlm reads .csv, .tsv, .json and .parquet files; rename it or choose the format with --format.`,
  );
}
