// Test helpers for the model frame: reading fixture CSVs into DataTables, and small tables by hand.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDelimited } from "../../src/formats/parse-delimited.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import type { DataTable } from "../../src/data/table.js";

/** Absolute path of a file under test/fixtures. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}

/** Reads test/fixtures/data/<file> (CSV with a header) into a DataTable. */
export function readCsv(file: string, factors: readonly string[] = []): DataTable {
  return parseDelimited(readFileSync(fixturePath(`data/${file}`)), { delimiter: ",", source: file, factors });
}

/** Reads a JSON fixture under test/fixtures. */
export function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(fixturePath(relative), "utf8")) as T;
}

/** A DataTable from plain columns: number arrays are numeric (null/NaN missing), strings categorical. */
export function table(columns: Record<string, readonly (number | string | null)[]>): DataTable {
  return toDataTable(columns as Record<string, (number | string | null)[]>);
}
