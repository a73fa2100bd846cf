/**
 * Evaluation of formula expressions on the used rows of a data table: column look-up, arithmetic
 * and the supported functions. Data-dependent calls (`scale`, `poly`, `center`, `groupmean`)
 * learn their parameters from the rows in "fit" mode and reuse stored ones in "predict" mode.
 */
import type { Expr } from "../formula/ast.js";
import type { DataTable } from "../data/table.js";
import { MlmError } from "../errors.js";
import { deparse } from "../formula/deparse.js";
import {
  argumentCountMessage,
  cbindPlacementMessage,
  constantScaleMessage,
  literalArgumentMessage,
  nonFiniteMessage,
  notNumericMessage,
  operatorMessage,
  unknownColumnMessage,
  unknownFunctionMessage,
} from "./messages.js";
import { formatNumber } from "../formula/deparse.js";
import { notLogicalMessage, orNotLogicalMessage } from "./messages.js";
import { polyFit, polyPredict } from "./poly.js";
import type { FittedTransform } from "./types.js";

/** A numeric value: one or more columns (several for `poly`), with R's column suffixes if any. */
export interface NumericValue {
  readonly kind: "numeric";
  readonly columns: readonly Float64Array[];
  /** Suffixes R appends to the label in column names (`1`, `2` for poly), or undefined. */
  readonly colnames: readonly string[] | undefined;
}

/**
 * A categorical value: levels and a 0-based code per row (-1 for a level unknown to a fit, or
 * NA). A logical value (R's TRUE/FALSE: a comparison, or a column of TRUE and FALSE) has the
 * levels ["FALSE", "TRUE"] and `logical` set; arithmetic and `as.numeric` read it as 0/1, and a
 * model matrix codes it as a factor (R's `xTRUE` column).
 */
export interface CategoricalValue {
  readonly kind: "categorical";
  readonly levels: readonly string[];
  readonly codes: Int32Array;
  readonly logical?: boolean;
}

/** The value of an expression on the evaluated rows. */
export type Value = NumericValue | CategoricalValue;

/** Where and how to evaluate. */
export interface EvalContext {
  readonly data: DataTable;
  /** The rows (indices into the data) to evaluate on. */
  readonly rows: Int32Array;
  /** "fit": learn data-dependent parameters into `calls`; "predict": read them from `calls`. */
  readonly mode: "fit" | "predict";
  readonly calls: Map<string, FittedTransform>;
}

const ARITHMETIC = new Set(["+", "-", "*", "/", "^"]);
const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">="]);
const LOGICAL_AND = new Set(["&", "&&"]);
/** `|` and `||` inside a function's arguments (`I(a > 1 | b == 0)`) are R's logical or, not a random-effects bar. */
const LOGICAL_OR = new Set(["|", "||"]);

/**
 * Operators evaluated inside calls: arithmetic, comparisons, logical and, or. `&&` and `||` are
 * read row by row as `&` and `|` (R 4.3 and later stop on them with more than one row).
 */
const EVALUATED = new Set([...ARITHMETIC, ...COMPARISONS, ...LOGICAL_AND, ...LOGICAL_OR]);

/** A function's parameters in R's matching order, how many are required, which are options. */
interface Signature {
  readonly params: readonly string[];
  readonly required: number;
  /** Parameters that must be written as literals (numbers, TRUE or FALSE). */
  readonly options: readonly string[];
}

const SIGNATURES: ReadonlyMap<string, Signature> = new Map(Object.entries({
  I: { params: ["x"], required: 1, options: [] },
  offset: { params: ["object"], required: 1, options: [] },
  log: { params: ["x", "base"], required: 1, options: ["base"] },
  log2: { params: ["x"], required: 1, options: [] },
  log10: { params: ["x"], required: 1, options: [] },
  log1p: { params: ["x"], required: 1, options: [] },
  exp: { params: ["x"], required: 1, options: [] },
  sqrt: { params: ["x"], required: 1, options: [] },
  abs: { params: ["x"], required: 1, options: [] },
  "as.numeric": { params: ["x"], required: 1, options: [] },
  "as.integer": { params: ["x"], required: 1, options: [] },
  ifelse: { params: ["test", "yes", "no"], required: 3, options: [] },
  factor: { params: ["x"], required: 1, options: [] },
  "as.factor": { params: ["x"], required: 1, options: [] },
  scale: { params: ["x", "center", "scale"], required: 1, options: ["center", "scale"] },
  poly: { params: ["x", "degree", "raw"], required: 1, options: ["degree", "raw"] },
  center: { params: ["x", "g"], required: 1, options: [] },
  groupmean: { params: ["x", "g"], required: 2, options: [] },
  cbind: { params: ["successes", "failures"], required: 2, options: [] },
} satisfies Record<string, Signature>));

/** The functions a formula may call. */
export const SUPPORTED_FUNCTIONS: readonly string[] = [...SIGNATURES.keys()];

type Call = Extract<Expr, { kind: "call" }>;

/**
 * Matches a call's arguments to the function's parameters as R does: named arguments by name,
 * then positional ones to the remaining parameters in order.
 *
 * @param call - the call.
 * @returns the argument expression of each given parameter.
 * @throws MlmError for an unknown function, an unknown or repeated argument name, too many or
 *   too few arguments, or an option that is not written as a literal.
 * @example
 * ```ts
 * import { parseExpression } from "../formula/parser.js";
 * const args = matchArguments(parseExpression("poly(x, raw = TRUE, 3)") as Parameters<typeof matchArguments>[0]);
 * [...args.keys()]; // ["raw", "x", "degree"]
 * args.get("degree"); // { kind: "number", value: 3 }
 * ```
 */
export function matchArguments(call: Call): Map<string, Expr> {
  const sig = SIGNATURES.get(call.fn);
  if (sig === undefined) throw new MlmError(unknownFunctionMessage(call.fn, SUPPORTED_FUNCTIONS));
  const text = deparse(call);
  const required = sig.params.slice(0, sig.required).join(", ");
  const optional = sig.params.slice(sig.required).join(", ");
  const usage = `${call.fn}() takes ${required}${optional ? ` and optionally ${optional}` : ""}`;
  const matched = new Map<string, Expr>();
  const names = call.names ?? [];
  call.args.forEach((a, i) => {
    const name = names[i];
    if (name === undefined) return;
    if (!sig.params.includes(name) || matched.has(name)) throw new MlmError(argumentCountMessage(text, usage));
    matched.set(name, a);
  });
  let next = 0;
  call.args.forEach((a, i) => {
    if (names[i] !== undefined) return;
    while (next < sig.params.length && matched.has(sig.params[next])) next++;
    if (next >= sig.params.length) throw new MlmError(argumentCountMessage(text, usage));
    matched.set(sig.params[next], a);
  });
  for (let k = 0; k < sig.required; k++) {
    if (!matched.has(sig.params[k])) throw new MlmError(argumentCountMessage(text, usage));
  }
  for (const option of sig.options) {
    const a = matched.get(option);
    if (a !== undefined && literalNumber(a) === undefined && literalLogical(a) === undefined) {
      throw new MlmError(literalArgumentMessage(text, `'${option}'`));
    }
  }
  return matched;
}

/**
 * Checks that an expression can be evaluated on a table: known columns and functions, matching
 * arguments, arithmetic only inside calls, and `cbind` only where allowed.
 *
 * @param e - the expression.
 * @param data - the table.
 * @param allowCbind - true for the response.
 * @throws MlmError naming the first problem.
 * @example
 * ```ts
 * checkExpr({ kind: "name", name: "Yeild" }, dyestuff, false); // throws MlmError: Column 'Yeild' is not in the data; did you mean 'Yield'?
 * ```
 */
export function checkExpr(e: Expr, data: DataTable, allowCbind: boolean): void {
  const walk = (x: Expr, top: boolean, inside: string): void => {
    switch (x.kind) {
      case "name":
        requireUsableColumn(data, x.name);
        return;
      case "number":
        return;
      case "paren":
        return walk(x.inner, false, inside);
      case "unary":
        return walk(x.arg, false, inside);
      case "binary":
        if (!EVALUATED.has(x.op)) throw new MlmError(operatorMessage(x.op, inside));
        walk(x.left, false, inside);
        return walk(x.right, false, inside);
      case "call": {
        const args = matchArguments(x);
        if (x.fn === "cbind" && !(allowCbind && top)) throw new MlmError(cbindPlacementMessage());
        const options = (SIGNATURES.get(x.fn) as Signature).options;
        for (const [param, a] of args) if (!options.includes(param)) walk(a, false, deparse(x));
        return;
      }
    }
  };
  walk(e, true, "a formula variable");
}

/**
 * Checks that a column a formula uses exists and can be used: not listed in the table's
 * `problems` (a nested or infinite cell, or numbers with a few text cells).
 *
 * @param data - the table.
 * @param name - the column.
 * @throws MlmError with the column's problem, or naming the unknown column.
 * @example
 * ```ts
 * requireUsableColumn(toDataTable({ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, "N/A"] }), "x");
 * // throws MlmError: Column 'x' holds numbers except in 1 cell (row 10: 'N/A'); mark missing values with --na "N/A" …
 * requireUsableColumn(dyestuff, "Yield"); // undefined
 * ```
 */
export function requireUsableColumn(data: DataTable, name: string): void {
  const problem = data.problems?.get(name);
  if (problem !== undefined) throw new MlmError(problem);
  if (!data.columns.has(name)) throw new MlmError(unknownColumnMessage(name, data.names));
}

/** The value of a number literal (possibly negated or in parentheses), or undefined. */
function literalNumber(e: Expr): number | undefined {
  if (e.kind === "number") return e.value;
  if (e.kind === "paren") return literalNumber(e.inner);
  if (e.kind === "unary") {
    const v = literalNumber(e.arg);
    return v === undefined ? undefined : e.op === "-" ? -v : v;
  }
  return undefined;
}

/** The value of `TRUE` or `FALSE`, or undefined. */
function literalLogical(e: Expr): boolean | undefined {
  if (e.kind === "name" && (e.name === "TRUE" || e.name === "FALSE")) return e.name === "TRUE";
  return undefined;
}

/** One numeric column or the error saying where numbers were needed. */
function numeric(v: Value, what: Expr, where: string): NumericValue {
  if (v.kind === "categorical") {
    if (v.logical === true) return logicalNumbers(v);
    throw new MlmError(notNumericMessage(deparse(what), where));
  }
  return v;
}

/** A logical value as R's numbers: FALSE 0, TRUE 1, NA NaN. */
function logicalNumbers(v: CategoricalValue): NumericValue {
  const out = new Float64Array(v.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = v.codes[i] < 0 ? NaN : v.codes[i];
  return { kind: "numeric", columns: [out], colnames: undefined };
}

/** A logical value from 0/1/-1 codes (FALSE, TRUE, NA). */
function logicalValue(codes: Int32Array): CategoricalValue {
  return { kind: "categorical", levels: LOGICAL_LEVELS, codes, logical: true };
}

const LOGICAL_LEVELS: readonly string[] = ["FALSE", "TRUE"];

/** Whether a categorical column's levels are R's logical values. */
function isLogicalLevels(levels: readonly string[]): boolean {
  return levels.length > 0 && levels.every((l) => l === "FALSE" || l === "TRUE");
}

/** The truth of a value per row: 1, 0, or -1 for NA (numbers are TRUE when not 0, as in R). */
function truth(v: Value, what: Expr, where: string): Int32Array {
  if (v.kind === "categorical") {
    if (v.logical !== true) throw new MlmError(notLogicalMessage(deparse(what), where));
    return v.codes;
  }
  const x = single(v, what, where);
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] !== x[i] ? -1 : x[i] !== 0 ? 1 : 0;
  return out;
}

/** A comparison of two values, element by element (NA where either is NA). */
function compare(op: string, a: Value, b: Value, e: Extract<Expr, { kind: "binary" }>, where: string): CategoricalValue {
  // a factor compared with a number compares its level text with the number's text, as R does
  if ((a.kind === "categorical" && a.logical !== true) || (b.kind === "categorical" && b.logical !== true)) {
    if (op !== "==" && op !== "!=") throw new MlmError(notNumericMessage(deparse(a.kind === "categorical" ? e.left : e.right), where));
    const text = (v: Value, what: Expr): (string | undefined)[] =>
      v.kind === "categorical"
        ? Array.from(v.codes, (c) => (c < 0 ? undefined : v.levels[c]))
        : Array.from(single(v, what, where), (x) => (x !== x ? undefined : formatNumber(x)));
    const ta = text(a, e.left);
    const tb = text(b, e.right);
    const codes = new Int32Array(ta.length);
    for (let i = 0; i < codes.length; i++) {
      codes[i] = ta[i] === undefined || tb[i] === undefined ? -1 : (ta[i] === tb[i]) === (op === "==") ? 1 : 0;
    }
    return logicalValue(codes);
  }
  const x = single(numeric(a, e.left, where), e.left, where);
  const y = single(numeric(b, e.right, where), e.right, where);
  const codes = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const w = y[i];
    let r: boolean;
    switch (op) {
      case "==": r = u === w; break;
      case "!=": r = u !== w; break;
      case "<": r = u < w; break;
      case ">": r = u > w; break;
      case "<=": r = u <= w; break;
      default: r = u >= w;
    }
    codes[i] = u !== u || w !== w ? -1 : r ? 1 : 0;
  }
  return logicalValue(codes);
}

/** R's `&`: FALSE when either is FALSE, NA when either is NA otherwise, else TRUE. */
function and(a: Int32Array, b: Int32Array): CategoricalValue {
  const codes = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) codes[i] = a[i] === 0 || b[i] === 0 ? 0 : a[i] < 0 || b[i] < 0 ? -1 : 1;
  return logicalValue(codes);
}

/** R's `|`: TRUE when either is TRUE, NA when either is NA otherwise, else FALSE. */
function or(a: Int32Array, b: Int32Array): CategoricalValue {
  const codes = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) codes[i] = a[i] === 1 || b[i] === 1 ? 1 : a[i] < 0 || b[i] < 0 ? -1 : 0;
  return logicalValue(codes);
}

/** The only column of a value, or the error saying one column was needed. */
function single(v: NumericValue, what: Expr, where: string): Float64Array {
  if (v.columns.length !== 1) {
    throw new MlmError(`'${deparse(what)}' has ${v.columns.length} columns but ${where} needs one.`);
  }
  return v.columns[0];
}

function mapColumns(v: NumericValue, f: (x: number) => number): NumericValue {
  const columns = v.columns.map((c) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = f(c[i]);
    return out;
  });
  return { kind: "numeric", columns, colnames: v.colnames };
}

function arithmetic(op: string, a: NumericValue, b: NumericValue, where: string): NumericValue {
  const ka = a.columns.length;
  const kb = b.columns.length;
  if (ka !== kb && ka !== 1 && kb !== 1) {
    throw new MlmError(`Arithmetic in ${where} combines values with ${ka} and ${kb} columns.`);
  }
  const k = Math.max(ka, kb);
  const columns: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const x = a.columns[ka === 1 ? 0 : j];
    const y = b.columns[kb === 1 ? 0 : j];
    const out = new Float64Array(x.length);
    switch (op) {
      case "+": for (let i = 0; i < x.length; i++) out[i] = x[i] + y[i]; break;
      case "-": for (let i = 0; i < x.length; i++) out[i] = x[i] - y[i]; break;
      case "*": for (let i = 0; i < x.length; i++) out[i] = x[i] * y[i]; break;
      case "/": for (let i = 0; i < x.length; i++) out[i] = x[i] / y[i]; break;
      default: for (let i = 0; i < x.length; i++) out[i] = Math.pow(x[i], y[i]);
    }
    columns.push(out);
  }
  return { kind: "numeric", columns, colnames: ka >= kb ? a.colnames : b.colnames };
}

/**
 * A grouping of rows from a value: labels of the groups (first-appearance order) and a code per
 * row. Numbers are labelled as R's `as.character` writes them.
 *
 * @param v - a categorical or one-column numeric value.
 * @returns the labels and codes (codes index `labels`).
 * @example
 * ```ts
 * groupsOf({ kind: "numeric", columns: [Float64Array.of(2, 1e5, 2)], colnames: undefined });
 * // { labels: ["2", "1e+05"], codes: Int32Array [0, 1, 0] }
 * ```
 */
export function groupsOf(v: Value): { labels: string[]; codes: Int32Array } {
  if (v.kind === "categorical") {
    const used = new Int32Array(v.levels.length).fill(-1);
    const labels: string[] = [];
    const codes = new Int32Array(v.codes.length);
    for (let i = 0; i < v.codes.length; i++) {
      const c = v.codes[i];
      if (c < 0) {
        codes[i] = -1;
        continue;
      }
      if (used[c] < 0) {
        used[c] = labels.length;
        labels.push(v.levels[c]);
      }
      codes[i] = used[c];
    }
    return { labels, codes };
  }
  const x = v.columns[0];
  const index = new Map<string, number>();
  const byValue = new Map<number, number>();
  const labels: string[] = [];
  const codes = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let c = byValue.get(x[i]);
    if (c === undefined) {
      const label = formatNumber(x[i]);
      c = index.get(label);
      if (c === undefined) {
        c = labels.length;
        labels.push(label);
        index.set(label, c);
      }
      byValue.set(x[i], c);
    }
    codes[i] = c;
  }
  return { labels, codes };
}

/** `factor(x)`: numbers become levels sorted numerically; a categorical keeps its used levels. */
function factorOf(v: Value): CategoricalValue {
  if (v.kind === "categorical") {
    const { labels, codes } = groupsOf(v);
    // keep the original level order among used levels
    const order = labels.map((l) => v.levels.indexOf(l));
    const sorted = [...order.keys()].sort((a, b) => order[a] - order[b]);
    const rank = new Int32Array(labels.length);
    sorted.forEach((old, k) => (rank[old] = k));
    const out = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : rank[codes[i]];
    return { kind: "categorical", levels: sorted.map((k) => labels[k]), codes: out };
  }
  const x = v.columns[0];
  const values = [...new Set(x)].sort((a, b) => a - b);
  const levels: string[] = [];
  const levelOf = new Map<string, number>();
  const codeOf = new Map<number, number>();
  for (const value of values) {
    const label = formatNumber(value);
    let c = levelOf.get(label);
    if (c === undefined) {
      c = levels.length;
      levels.push(label);
      levelOf.set(label, c);
    }
    codeOf.set(value, c);
  }
  const codes = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) codes[i] = codeOf.get(x[i]) as number;
  return { kind: "categorical", levels, codes };
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const m = s / x.length;
  // one refinement pass, as R's mean does
  let r = 0;
  for (let i = 0; i < x.length; i++) r += x[i] - m;
  return m + r / x.length;
}

/** `groupmean(x, g)` values per row, learning or reusing the group means. */
function groupMeans(x: Float64Array, g: Value, key: string, ctx: EvalContext): Float64Array {
  const { labels, codes } = groupsOf(g);
  const k = labels.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let i = 0; i < x.length; i++) {
    sums[codes[i]] += x[i];
    counts[codes[i]] += 1;
  }
  const means = new Float64Array(k);
  for (let j = 0; j < k; j++) means[j] = sums[j] / counts[j];
  if (ctx.mode === "fit") {
    ctx.calls.set(key, { kind: "groupmean", levels: labels, means: Array.from(means) });
  } else {
    const t = ctx.calls.get(key);
    if (t?.kind !== "groupmean") throw new Error(`No fitted group means for ${key}.`);
    const known = new Map(t.levels.map((l, j) => [l, t.means[j]]));
    // levels seen in the fit take the fitted mean; new levels keep their mean in the new data
    for (let j = 0; j < k; j++) {
      const m = known.get(labels[j]);
      if (m !== undefined) means[j] = m;
    }
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = means[codes[i]];
  return out;
}

/**
 * The value of an expression on the context's rows.
 *
 * @param e - the expression (already accepted by {@link checkExpr}).
 * @param ctx - data, rows and mode.
 * @returns a numeric or categorical value with one entry per row of `ctx.rows`.
 * @throws MlmError for categorical values in arithmetic, constant `scale`, bad `poly` degree.
 * @example
 * ```ts
 * import { parseExpression } from "../formula/parser.js";
 * const ctx = { data: sleepstudy, rows: Int32Array.of(0, 1, 2), mode: "fit" as const, calls: new Map() };
 * evaluateExpr(parseExpression("I(Days^2)"), ctx); // { kind: "numeric", columns: [Float64Array [0, 1, 4]], colnames: undefined }
 *
 * // inside a function | is R's logical or, a FALSE/TRUE value (codes 0/1)
 * evaluateExpr(parseExpression("I(Days > 1 | Days == 0)"), ctx); // { kind: "categorical", levels: ["FALSE", "TRUE"], codes: Int32Array [1, 0, 1], logical: true }
 * ```
 */
export function evaluateExpr(e: Expr, ctx: EvalContext): Value {
  const n = ctx.rows.length;
  switch (e.kind) {
    case "name": {
      const col = ctx.data.columns.get(e.name);
      if (col === undefined) throw new MlmError(unknownColumnMessage(e.name, ctx.data.names));
      if (col.kind === "numeric") {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = col.values[ctx.rows[i]];
        return { kind: "numeric", columns: [out], colnames: undefined };
      }
      const codes = new Int32Array(n);
      if (isLogicalLevels(col.levels)) {
        // a column of TRUE and FALSE is R's logical vector
        const t = col.levels.indexOf("TRUE");
        for (let i = 0; i < n; i++) {
          const c = col.codes[ctx.rows[i]];
          codes[i] = c < 0 ? -1 : c === t ? 1 : 0;
        }
        return logicalValue(codes);
      }
      for (let i = 0; i < n; i++) codes[i] = col.codes[ctx.rows[i]];
      return { kind: "categorical", levels: col.levels, codes };
    }
    case "number":
      return { kind: "numeric", columns: [new Float64Array(n).fill(e.value)], colnames: undefined };
    case "paren":
      return evaluateExpr(e.inner, ctx);
    case "unary": {
      if (e.op === "!") {
        const t = truth(evaluateExpr(e.arg, ctx), e.arg, deparse(e));
        const codes = new Int32Array(t.length);
        for (let i = 0; i < t.length; i++) codes[i] = t[i] < 0 ? -1 : 1 - t[i];
        return logicalValue(codes);
      }
      const v = numeric(evaluateExpr(e.arg, ctx), e.arg, "a minus sign");
      return e.op === "-" ? mapColumns(v, (x) => -x) : v;
    }
    case "binary": {
      const where = deparse(e);
      if (COMPARISONS.has(e.op)) return compare(e.op, evaluateExpr(e.left, ctx), evaluateExpr(e.right, ctx), e, where);
      if (LOGICAL_AND.has(e.op)) {
        return and(truth(evaluateExpr(e.left, ctx), e.left, where), truth(evaluateExpr(e.right, ctx), e.right, where));
      }
      if (LOGICAL_OR.has(e.op)) {
        const a = evaluateExpr(e.left, ctx);
        const b = evaluateExpr(e.right, ctx);
        for (const [v, x] of [[a, e.left], [b, e.right]] as const) {
          if (v.kind === "categorical" && v.logical !== true) throw new MlmError(orNotLogicalMessage(deparse(x), where));
        }
        return or(truth(a, e.left, where), truth(b, e.right, where));
      }
      if (!ARITHMETIC.has(e.op)) throw new MlmError(operatorMessage(e.op, where));
      const a = numeric(evaluateExpr(e.left, ctx), e.left, where);
      const b = numeric(evaluateExpr(e.right, ctx), e.right, where);
      return arithmetic(e.op, a, b, where);
    }
    case "call":
      return evaluateCall(e, ctx);
  }
}

function evaluateCall(e: Call, ctx: EvalContext): Value {
  const key = deparse(e);
  const args = matchArguments(e);
  const argExpr = (param: string): Expr => args.get(param) as Expr;
  const arg = (param: string): Value => evaluateExpr(argExpr(param), ctx);
  const num = (param: string): NumericValue => numeric(arg(param), argExpr(param), key);
  const one = (param: string): Float64Array => single(num(param), argExpr(param), key);
  const vector = (x: Float64Array): NumericValue => ({ kind: "numeric", columns: [x], colnames: undefined });
  switch (e.fn) {
    case "I":
      return arg("x");
    case "offset":
      return arg("object");
    case "log": {
      const base = args.has("base") ? literalNumber(argExpr("base")) : undefined;
      if (base === undefined) return mapColumns(num("x"), Math.log);
      const lb = Math.log(base);
      return mapColumns(num("x"), (x) => Math.log(x) / lb);
    }
    case "log2":
      return mapColumns(num("x"), Math.log2);
    case "log10":
      return mapColumns(num("x"), Math.log10);
    case "log1p":
      return mapColumns(num("x"), Math.log1p);
    case "exp":
      return mapColumns(num("x"), Math.exp);
    case "sqrt":
      return mapColumns(num("x"), Math.sqrt);
    case "abs":
      return mapColumns(num("x"), Math.abs);
    case "as.numeric":
    case "as.integer": {
      const v = arg("x");
      if (v.kind === "numeric") return e.fn === "as.integer" ? mapColumns(v, Math.trunc) : v;
      if (v.logical === true) return logicalNumbers(v);
      // R: as.numeric of a factor gives its level numbers 1..k
      const out = new Float64Array(v.codes.length);
      for (let i = 0; i < out.length; i++) out[i] = v.codes[i] < 0 ? NaN : v.codes[i] + 1;
      return vector(out);
    }
    case "ifelse": {
      const test = truth(arg("test"), argExpr("test"), key);
      const yes = one("yes");
      const no = one("no");
      const out = new Float64Array(test.length);
      for (let i = 0; i < out.length; i++) out[i] = test[i] < 0 ? NaN : test[i] === 1 ? yes[i] : no[i];
      return vector(out);
    }
    case "factor":
    case "as.factor": {
      const v = arg("x");
      if (v.kind === "numeric") single(v, argExpr("x"), key);
      return factorOf(v);
    }
    case "scale": {
      const x = one("x");
      let t = ctx.calls.get(key);
      if (ctx.mode === "fit") {
        t = scaleFit(x, args.get("center"), args.get("scale"), key);
        ctx.calls.set(key, t);
      }
      if (t?.kind !== "scale") throw new Error(`No fitted scaling for ${key}.`);
      const { center, scale } = t;
      return mapColumns(vector(x), (v) => (v - center) / scale);
    }
    case "center": {
      const x = one("x");
      if (args.has("g")) {
        const g = groupMeans(x, arg("g"), key, ctx);
        const out = new Float64Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = x[i] - g[i];
        return vector(out);
      }
      let t = ctx.calls.get(key);
      if (ctx.mode === "fit") {
        t = { kind: "center", center: mean(x) };
        ctx.calls.set(key, t);
      }
      if (t?.kind !== "center") throw new Error(`No fitted centre for ${key}.`);
      const c = t.center;
      return mapColumns(vector(x), (v) => v - c);
    }
    case "groupmean":
      return vector(groupMeans(one("x"), arg("g"), key, ctx));
    case "poly": {
      const x = one("x");
      const degree = args.has("degree") ? literalNumber(argExpr("degree")) : 1;
      const raw = args.has("raw") ? literalLogical(argExpr("raw")) === true || literalNumber(argExpr("raw")) === 1 : false;
      let columns: Float64Array[];
      if (degree === undefined || !Number.isInteger(degree) || degree < 1) {
        throw new MlmError(literalArgumentMessage(key, "the degree (a whole number of at least 1)"));
      }
      if (raw) {
        columns = [];
        for (let k = 1; k <= degree; k++) {
          const col = new Float64Array(x.length);
          for (let i = 0; i < x.length; i++) col[i] = Math.pow(x[i], k);
          columns.push(col);
        }
      } else if (ctx.mode === "fit") {
        const fitted = polyFit(x, degree, key);
        ctx.calls.set(key, fitted.transform);
        columns = fitted.columns;
      } else {
        const t = ctx.calls.get(key);
        if (t?.kind !== "poly") throw new Error(`No fitted polynomial for ${key}.`);
        columns = polyPredict(x, t);
      }
      return { kind: "numeric", columns, colnames: columns.map((_, k) => String(k + 1)) };
    }
    case "cbind": {
      const a = one("successes");
      const b = one("failures");
      return { kind: "numeric", columns: [a, b], colnames: [deparse(argExpr("successes")), deparse(argExpr("failures"))] };
    }
    default:
      throw new MlmError(unknownFunctionMessage(e.fn, SUPPORTED_FUNCTIONS));
  }
}

/**
 * R's `scale(x, center, scale)` parameters learnt from x: center TRUE subtracts the mean, a
 * number subtracts that number, FALSE nothing; scale TRUE divides by sqrt(sum(x_c^2) / (n - 1))
 * of the centred x_c (the standard deviation when centred), a number by that number, FALSE by 1.
 */
function scaleFit(x: Float64Array, centerArg: Expr | undefined, scaleArg: Expr | undefined, key: string): FittedTransform {
  const option = (a: Expr | undefined): number | boolean =>
    a === undefined ? true : (literalLogical(a) ?? (literalNumber(a) as number));
  const c = option(centerArg);
  const sc = option(scaleArg);
  const center = c === true ? mean(x) : c === false ? 0 : c;
  let scale = 1;
  if (sc === true) {
    let ss = 0;
    for (let i = 0; i < x.length; i++) ss += (x[i] - center) * (x[i] - center);
    scale = Math.sqrt(ss / (x.length - 1));
    if (!(scale > 0)) throw new MlmError(constantScaleMessage(key));
  } else if (sc !== false) {
    scale = sc;
  }
  return { kind: "scale", center, scale };
}

/**
 * Checks that every value of a column is a finite number.
 *
 * @param label - the variable, for the message.
 * @param x - its values on the used rows.
 * @param rows - the input row of each value (reported 1-based).
 * @throws MlmError naming the variable, the count and the first offending row.
 * @example
 * ```ts
 * requireFinite("log(x)", Float64Array.of(0, -Infinity), Int32Array.of(0, 4));
 * // throws MlmError: 'log(x)' is -Inf (not a finite number) in 1 row, first in row 5; transform or remove those rows.
 * ```
 */
export function requireFinite(label: string, x: Float64Array, rows: Int32Array): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count > 0) throw new MlmError(nonFiniteMessage(label, count, rows[first] + 1, x[first]));
}
