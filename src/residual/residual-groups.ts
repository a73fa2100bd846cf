/**
 * The rows of a model frame arranged as a correlation structure sees them: grouped by the
 * correlation's grouping factor (levels in code-point order, as R sorts a factor), and within a
 * group by position (the covariate of `~ t | g`, or the row order for `~ 1 | g`). nlme's gls and
 * lme sort the data by their groups in the same way.
 */
import { MlmError } from "../errors.js";
import type { DataTable } from "../data/table.js";
import { compareCodePoints } from "../data/code-point-order.js";

/** Rows sorted by group and position. */
export interface GroupLayout {
  /** Number of rows. */
  readonly n: number;
  /** Number of groups. */
  readonly ngroups: number;
  /** Model-frame row at each sorted position. */
  readonly order: Int32Array;
  /** First sorted position of each group (length ngroups + 1). */
  readonly start: Int32Array;
  /** Position of each sorted row (its covariate value, or 1, 2, … within the group). */
  readonly pos: Float64Array;
  /** Group of each model-frame row. */
  readonly groupOf: Int32Array;
  /** Largest group size. */
  readonly maxSize: number;
}

/**
 * Integer codes of a column on the model-frame rows, with its levels in code-point order.
 *
 * @param table - the data.
 * @param rows - table row of each model-frame row.
 * @param name - the column.
 * @param what - how to name it in messages.
 * @returns codes (0-based) and levels.
 * @throws MlmError when the column is missing or has missing values on the used rows.
 * @example
 * ```ts
 * factorCodes(sleepstudy, sleepstudyFrame.rows, "Subject", "grouping").levels.slice(0, 2); // ["308", "309"]
 * factorCodes(sleepstudy, sleepstudyFrame.rows, "Nope", "grouping"); // throws MlmError: The grouping column Nope is not in the data…
 * ```
 */
export function factorCodes(table: DataTable, rows: Int32Array, name: string, what: string): { codes: Int32Array; levels: string[] } {
  const col = table.columns.get(name);
  if (!col) throw new MlmError(`The ${what} column ${name} is not in the data; the data have ${table.names.join(", ")}.`);
  const n = rows.length;
  const text: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (col.kind === "numeric") {
      const v = col.values[r];
      if (Number.isNaN(v)) throw new MlmError(`The ${what} column ${name} has a missing value in a row the model uses; remove that row or fill it in.`);
      text[i] = String(v);
    } else {
      const c = col.codes[r];
      if (c < 0) throw new MlmError(`The ${what} column ${name} has a missing value in a row the model uses; remove that row or fill it in.`);
      text[i] = col.levels[c];
    }
  }
  let levels: string[];
  if (col.kind === "numeric") {
    const vals = [...new Set(rows.length ? Array.from(rows, (r) => col.values[r]) : [])].sort((a, b) => a - b);
    // numbers used as groups are ordered as their text, as a factor read from a file is
    levels = vals.map(String).sort(compareCodePoints);
  } else {
    const used = new Set(text);
    levels = col.levels.filter((l) => used.has(l));
  }
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(text[i]) as number;
  return { codes, levels };
}

/**
 * Numeric values of a covariate on the model-frame rows.
 *
 * @param table - the data.
 * @param rows - table row of each model-frame row.
 * @param name - the column.
 * @param what - how to name it in messages.
 * @returns the values.
 * @throws MlmError when the column is missing, categorical or has missing values.
 * @example
 * ```ts
 * covariateValues(sleepstudy, sleepstudyFrame.rows, "Days", "corAR1 position").subarray(0, 3); // Float64Array [0, 1, 2]
 * ```
 */
export function covariateValues(table: DataTable, rows: Int32Array, name: string, what: string): Float64Array {
  const col = table.columns.get(name);
  if (!col) throw new MlmError(`The ${what} column ${name} is not in the data; the data have ${table.names.join(", ")}.`);
  if (col.kind !== "numeric") throw new MlmError(`The ${what} column ${name} is categorical; it must hold numbers.`);
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = col.values[rows[i]];
    if (!Number.isFinite(v)) throw new MlmError(`The ${what} column ${name} has a missing value in a row the model uses; remove that row or fill it in.`);
    out[i] = v;
  }
  return out;
}

/**
 * Sort rows by group (stable: data order within a group), then by position.
 *
 * @param n - number of rows.
 * @param groupOf - group of each row (0-based), or undefined for one group of all rows.
 * @param ngroups - number of groups.
 * @param position - position of each row, or undefined for the row order within the group.
 * @param structure - the structure's name, for messages.
 * @param positionName - the covariate's name, for messages.
 * @returns the layout.
 * @throws MlmError when a position repeats within a group.
 * @example
 * ```ts
 * groupLayout(3, Int32Array.of(0, 1, 0), 2, undefined, "corAR1", undefined).order; // Int32Array [0, 2, 1]
 * ```
 */
export function groupLayout(n: number, groupOf: Int32Array | undefined, ngroups: number, position: Float64Array | undefined, structure: string, positionName: string | undefined): GroupLayout {
  const g = groupOf ?? new Int32Array(n);
  const ng = groupOf ? ngroups : 1;
  const start = new Int32Array(ng + 1);
  for (let i = 0; i < n; i++) start[g[i] + 1]++;
  for (let k = 0; k < ng; k++) start[k + 1] += start[k];
  const fill = start.slice(0, ng);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[g[i]]++] = i;
  const pos = new Float64Array(n);
  let maxSize = 0;
  for (let k = 0; k < ng; k++) {
    const a = start[k];
    const b = start[k + 1];
    maxSize = Math.max(maxSize, b - a);
    if (position) {
      const idx = Array.from(order.subarray(a, b)).sort((x, y) => position[x] - position[y]);
      for (let r = a; r < b; r++) {
        order[r] = idx[r - a];
        pos[r] = position[idx[r - a]];
        if (r > a && pos[r] === pos[r - 1]) {
          throw new MlmError(`The position ${positionName} of ${structure} takes the value ${pos[r]} twice within one group; positions must be distinct within each group (add the grouping with | or fix the data).`);
        }
      }
    } else {
      for (let r = a; r < b; r++) pos[r] = r - a + 1;
    }
  }
  return { n, ngroups: ng, order, start, pos, groupOf: g, maxSize };
}
