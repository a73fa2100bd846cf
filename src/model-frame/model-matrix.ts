/**
 * The model matrix of a list of terms, following R's `model.matrix` with treatment contrasts.
 *
 * A term's columns are the products of its variables' columns, the first variable varying
 * fastest, named by joining the parts with `:`. A numeric variable contributes its column(s)
 * (`x`, or `poly(x, 2)1`, `poly(x, 2)2`). A categorical variable contributes either its
 * treatment contrasts (indicators of levels 2..k, named label + level) or indicators of all k
 * levels. R's rule (`TermCode` in its `model.c`): a factor F in term T is coded by contrasts
 * when T without F is empty or is contained in a term listed before T; otherwise by all
 * indicators. Without an intercept, the first factor of the first term holding a factor is
 * coded by all indicators.
 */
import type { TermList } from "../formula/ast.js";
import { MlmError } from "../errors.js";
import type { Value } from "./evaluate.js";
import { singleLevelFactorMessage } from "./messages.js";

/** How a variable enters a term: 0 numeric, 1 treatment contrasts, 2 indicators of all levels. */
export type VariableCoding = 0 | 1 | 2;

/**
 * R's coding of every variable of every term (the `factors` attribute of `terms`, adjusted for
 * a missing intercept as `model.matrix` adjusts it).
 *
 * @param terms - the terms in R's order.
 * @param isCategorical - whether the variable with this label is categorical.
 * @returns for each term, the coding of each of its variables (in `term.variables` order).
 * @example
 * ```ts
 * import { expandTerms } from "../formula/terms.js";
 * import { parseExpression } from "../formula/parser.js";
 * // y ~ x + x:f (f categorical): x:f has x before it, so f is coded by contrasts (0) there
 * termCoding(expandTerms(parseExpression("x + x:f")), (v) => v === "f"); // [[0], [0, 1]]
 *
 * // y ~ x:f: f by all its indicators (1)
 * termCoding(expandTerms(parseExpression("x:f")), (v) => v === "f"); // [[0, 2]]
 * ```
 */
export function termCoding(terms: TermList, isCategorical: (label: string) => boolean): VariableCoding[][] {
  const sets = terms.terms.map((t) => new Set(t.variables));
  const codes = terms.terms.map((t, j) =>
    t.variables.map((v): VariableCoding => {
      if (!isCategorical(v)) return 0;
      const rest = t.variables.filter((w) => w !== v);
      if (rest.length === 0) return 1;
      for (let i = 0; i < j; i++) {
        if (rest.every((w) => sets[i].has(w))) return 1;
      }
      return 2;
    }),
  );
  if (!terms.intercept) {
    search: for (const termCodes of codes) {
      for (let k = 0; k < termCodes.length; k++) {
        if (termCodes[k] !== 0) {
          termCodes[k] = 2;
          break search;
        }
      }
    }
  }
  return codes;
}

/** One column under construction: its values and name parts. */
interface Piece {
  readonly values: Float64Array | undefined; // undefined = all ones
  readonly name: string;
}

/** The columns one variable contributes, named. */
function variableColumns(label: string, v: Value, coding: VariableCoding): Piece[] {
  if (v.kind === "numeric") {
    return v.columns.map((c, k) => ({
      values: c,
      name: v.colnames === undefined ? (v.columns.length === 1 ? label : label + String(k + 1)) : label + v.colnames[k],
    }));
  }
  if (v.levels.length < 2) throw new MlmError(singleLevelFactorMessage(label, v.levels[0] ?? ""));
  const first = coding === 2 ? 0 : 1;
  // one dummy column per level from `first`, set in one pass over the codes
  const cols = v.levels.slice(first).map(() => new Float64Array(v.codes.length));
  for (let i = 0; i < v.codes.length; i++) {
    const l = v.codes[i] - first;
    if (l >= 0) cols[l][i] = 1;
  }
  return cols.map((col, l) => ({ values: col, name: label + v.levels[first + l] }));
}

/**
 * The model matrix of a term list on evaluated variables.
 *
 * @param terms - intercept flag and terms (R's order); term variables are labels in `values`.
 * @param values - each variable's value on the n rows (categorical levels already the used ones).
 * @param n - the number of rows.
 * @returns the n × p matrix (column-major) and its p column names, in R's order.
 * @throws MlmError when a categorical variable has a single level.
 * @example
 * ```ts
 * import { expandTerms } from "../formula/terms.js";
 * import { parseExpression } from "../formula/parser.js";
 * const values = new Map([
 *   ["x", { kind: "numeric" as const, columns: [Float64Array.of(1, 2, 3)], colnames: undefined }],
 *   ["f", { kind: "categorical" as const, levels: ["A", "B", "C"], codes: Int32Array.of(0, 1, 2) }],
 * ]);
 * modelMatrix(expandTerms(parseExpression("x * f")), values, 3).names; // ["(Intercept)", "x", "fB", "fC", "x:fB", "x:fC"]
 * ```
 */
export function modelMatrix(
  terms: TermList,
  values: ReadonlyMap<string, Value>,
  n: number,
): { matrix: Float64Array; names: string[] } {
  const value = (label: string): Value => {
    const v = values.get(label);
    if (v === undefined) throw new Error(`Variable '${label}' was not evaluated.`);
    return v;
  };
  const coding = termCoding(terms, (label) => value(label).kind === "categorical");
  const columns: Piece[] = [];
  if (terms.intercept) columns.push({ values: undefined, name: "(Intercept)" });
  terms.terms.forEach((term, j) => {
    let pieces: Piece[] = [{ values: undefined, name: "" }];
    term.variables.forEach((label, k) => {
      const own = variableColumns(label, value(label), coding[j][k]);
      const next: Piece[] = [];
      for (const b of own) {
        for (const a of pieces) {
          let prod: Float64Array | undefined;
          if (a.values === undefined) prod = b.values;
          else if (b.values === undefined) prod = a.values;
          else {
            prod = new Float64Array(n);
            for (let i = 0; i < n; i++) prod[i] = a.values[i] * b.values[i];
          }
          next.push({ values: prod, name: a.name === "" ? b.name : a.name + ":" + b.name });
        }
      }
      pieces = next;
    });
    columns.push(...pieces);
  });
  const matrix = new Float64Array(n * columns.length);
  columns.forEach((c, j) => {
    if (c.values === undefined) matrix.fill(1, j * n, (j + 1) * n);
    else matrix.set(c.values, j * n);
  });
  return { matrix, names: columns.map((c) => c.name) };
}
