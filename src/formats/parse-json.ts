/**
 * Reading of JSON data: an array of records, or an object of columns.
 */
import { MlmError } from "../errors.js";
import { toDataTable } from "../data/to-data-table.js";
import type { DataTable } from "../data/table.js";

/** A JSON.parse message on one line and of modest length. */
function tidy(message: string): string {
  const oneLine = message.replace(/\s+/g, " ").replace(/\.$/, "");
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

/**
 * Parses JSON text holding `[{ "y": 1, "g": "a" }, ...]` or `{ "y": [1, ...], "g": ["a", ...] }`.
 *
 * Cells are typed by {@link toDataTable}: `null` is missing, text holding numbers is numeric.
 *
 * @param text - the file's text.
 * @param source - the file's name, for messages.
 * @param factors - columns to make categorical even when numeric.
 * @returns the table.
 * @throws MlmError when the text is empty or not JSON, or the JSON is not records or columns.
 * @example
 * ```ts
 * parseJsonTable('[{"y": 1, "g": "b"}, {"y": null, "g": "a"}]', "d.json").columns.get("y");
 * // { kind: "numeric", name: "y", values: Float64Array [1, NaN] }
 * ```
 */
export function parseJsonTable(text: string, source: string, factors: readonly string[] = []): DataTable {
  if (text.trim() === "") throw new MlmError(`'${source}' is empty.`);
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new MlmError(`'${source}' is not a valid JSON file: ${tidy((error as Error).message)}.`);
  }
  if (Array.isArray(value) && value.length === 0) throw new MlmError(`'${source}' holds an empty array, so there are no data.`);
  if (typeof value !== "object" || value === null) {
    const what = value === null ? "null" : `a ${typeof value}`;
    throw new MlmError(`'${source}' must hold an array of records or an object of columns, not ${what}.`);
  }
  if (!Array.isArray(value)) {
    const scalar = Object.entries(value).find(([, v]) => !Array.isArray(v));
    if (scalar) {
      throw new MlmError(`'${source}' must hold an array of records or an object of columns, but its '${scalar[0]}' is not an array.`);
    }
  }
  return toDataTable(value as Record<string, unknown[]>, { factors });
}
