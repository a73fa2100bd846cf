/**
 * Reading of comma- and tab-separated text (CSV, TSV) into a {@link DataTable}.
 *
 * The first row names the columns; fields may be quoted with double quotes (a doubled quote
 * inside stands for one quote); blank lines are skipped. Cells are typed by
 * {@link toDataTable}, so "NA" and empty fields are missing values.
 */
import { CsvError, parse } from "csv-parse/sync";
import { MlmError } from "../errors.js";
import { toDataTable } from "../data/to-data-table.js";
import type { DataTable } from "../data/table.js";

/** Options of {@link parseDelimited}. */
export interface ParseDelimitedOptions {
  /** The field separator: "," for CSV, "\t" for TSV. */
  readonly delimiter: "," | "\t";
  /** The file's name, for messages. */
  readonly source: string;
  /** Columns to make categorical even when numeric. */
  readonly factors?: readonly string[];
}

/** One plain clause for the usual csv-parse failures. */
/** The header's column names, trimmed; every column named, no name twice. */
function checkHeader(record: readonly string[], source: string): string[] {
  const header = record.map((name) => name.trim());
  header.forEach((name, j) => {
    if (name === "") throw new MlmError(`Column ${j + 1} of '${source}' has no name in the header row; give every column a name.`);
    if (header.indexOf(name) !== j) throw new MlmError(`Column name '${name}' appears more than once in the header of '${source}'; rename one of them.`);
  });
  return header;
}

function describeCsvError(error: CsvError): string {
  const line = typeof error.lines === "number" ? error.lines : undefined;
  const at = line === undefined ? "" : ` on line ${line}`;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a double quote opens a field that is never closed";
    case "INVALID_OPENING_QUOTE":
      return `a double quote appears inside an unquoted field${at}`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `a quoted field is followed by other text before the next separator${at}`;
    default:
      return error.message.replace(/\s+/g, " ").replace(/\.$/, "");
  }
}

/**
 * Parses CSV or TSV text with a header row into a typed table.
 *
 * @param text - the file's text.
 * @param options - separator, file name for messages, and columns to force categorical.
 * @returns the table.
 * @throws MlmError when the text is empty, malformed (unclosed quotes), has a blank or repeated
 *   column name, has rows with more or fewer fields than the header, or has no data rows.
 * @example
 * ```ts
 * const t = parseDelimited('y,g\n1.5,"b"\nNA,a\n', { delimiter: ",", source: "d.csv" });
 * t.columns.get("y"); // { kind: "numeric", values: Float64Array [1.5, NaN] }
 * t.columns.get("g"); // { kind: "categorical", levels: ["a", "b"], codes: Int32Array [1, 0] }
 * ```
 */
export function parseDelimited(text: string, options: ParseDelimitedOptions): DataTable {
  const { delimiter, source } = options;
  const label = delimiter === "," ? "CSV" : "TSV";
  if (text.trim() === "") throw new MlmError(`'${source}' is empty.`);
  // Records go straight into columns as they are parsed (no array of row objects is kept).
  let header: string[] | undefined;
  const columns: string[][] = [];
  try {
    parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: delimiter === "\t",
      skip_empty_lines: true,
      on_record: (record: string[], context: { lines: number }) => {
        if (!header) {
          header = checkHeader(record, source);
          for (let j = 0; j < header.length; j++) columns.push([]);
          return null;
        }
        if (record.length !== header.length) {
          throw new MlmError(
            `Line ${context.lines} of '${source}' has ${record.length} field${record.length === 1 ? "" : "s"} but the header names ${header.length} columns; every row needs one field per column.`,
          );
        }
        for (let j = 0; j < record.length; j++) columns[j].push(record[j]);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw new MlmError(`'${source}' is not a valid ${label} file: ${describeCsvError(error)}.`);
    throw error;
  }
  if (!header) throw new MlmError(`'${source}' is empty.`);
  if (columns[0].length === 0) throw new MlmError(`'${source}' has a header row but no rows of data.`);
  return toDataTable(Object.fromEntries(header.map((name, j) => [name, columns[j]])), { factors: options.factors });
}
