// Shared helpers of the formats and io tests: fixture paths and compact views of columns.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { DataTable } from "../../src/data/table.js";
import { MlmError } from "../../src/errors.js";

/** The path of a file in test/fixtures/io/. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/io/${name}`, import.meta.url));

/** A column as plain data: numbers (NaN for missing) or level texts (null for missing). */
export function cells(table: DataTable, name: string): (number | string | null)[] {
  const c = table.columns.get(name);
  assert.ok(c, `no column ${name}`);
  return c.kind === "numeric" ? Array.from(c.values) : Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
}

/** An assert.throws/rejects validator: an MlmError whose message matches. */
export const mlmError = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof MlmError, `expected an MlmError, got ${String(e)}`);
  assert.match(e.message, pattern);
  return true;
};
