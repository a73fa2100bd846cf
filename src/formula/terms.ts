/**
 * The term algebra of model formulas, as R's `terms()` computes it.
 *
 * Each term is a set of variables (a bit set over the formula's variable list, which holds the
 * variables in order of first appearance, response first). The operators act on lists of terms:
 *
 *   A + B      = A then B
 *   A : B      = { a ∪ b : a ∈ A, b ∈ B }            (a in the outer loop)
 *   A * B      = A + B + A:B                            (nothing if A is empty)
 *   A %in% B   = { a ∪ (∪B) : a ∈ A }
 *   A / B      = A + { (∪A) ∪ b : b ∈ B }               (nothing if A is empty)
 *   A ^ n      = A : (A : (... : A)) (n ≥ 2 copies), i.e. all interactions of up to n of A's terms
 *   A - B      = A without the terms of B
 *
 * after each of which repeated terms are dropped (the first kept). `1` and `0` set or clear the
 * intercept (the other way round inside the right operand of `-`). Finally the terms are sorted
 * stably by order (number of variables), and each is labelled by its variables joined with `:`
 * in variable-list order. Terms containing an `offset()` variable are removed and the offsets
 * collected. Reference: Chambers & Hastie (1992), Statistical Models in S, ch. 2; R's `?formula`.
 */
import { MlmError } from "../errors.js";
import type { Expr, Term, Variable } from "./ast.js";
import { deparse } from "./deparse.js";
import { messages } from "./messages.js";

/** A right-hand side expanded by {@link expandTerms}. */
export interface ExpandedTerms {
  /** Whether the intercept is kept. */
  readonly intercept: boolean;
  /** The terms in R's order (by order, then first appearance), offsets removed. */
  readonly terms: readonly Term[];
  /** Every variable the expression (and response) uses, in R's variable-list order. */
  readonly variables: readonly Variable[];
  /** The arguments of the `offset()` variables, in variable-list order. */
  readonly offsets: readonly Expr[];
}

/**
 * Expand a formula's right-hand side into terms, exactly as R's `terms()` does.
 *
 * @param rhs - the right-hand side (without random-effects bars).
 * @param response - the left-hand side, if any: it heads the variable list.
 * @returns the intercept flag, the labelled terms in R's order, the variables and offsets.
 * @throws MlmError for numbers other than 0 and 1 used as terms, bad powers, bars, and
 *   `offset()` calls without exactly one argument.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * expandTerms(parseExpression("x * f - 1")).terms.map((t) => t.label); // ["x", "f", "x:f"]
 * expandTerms(parseExpression("x * f - 1")).intercept;                 // false
 * ```
 */
export function expandTerms(rhs: Expr, response?: Expr): ExpandedTerms {
  const variables: Variable[] = [];
  const index = new Map<string, number>();
  const install = (expr: Expr): void => {
    const label = deparse(expr);
    if (!index.has(label)) {
      index.set(label, variables.length);
      variables.push({ expr, label });
    }
  };
  if (response !== undefined) install(response);
  extractVariables(rhs, install);

  let intercept = true;
  let parity = true;
  const bitOf = (expr: Expr): bigint => 1n << BigInt(index.get(deparse(expr)) ?? 0);

  const encode = (expr: Expr): bigint[] => {
    switch (expr.kind) {
      case "number":
        if (expr.value === 1) intercept = parity;
        else if (expr.value === 0) intercept = !parity;
        else throw new MlmError(messages.badNumber(deparse(expr)));
        return [];
      case "name":
      case "call":
        return [bitOf(expr)];
      case "paren":
        return encode(expr.inner);
      case "unary":
        if (expr.op === "!") throw new MlmError(messages.logicalOutsideCall(deparse(expr)));
        return expr.op === "+" ? encode(expr.arg) : remove([], expr.arg);
      case "binary": {
        if (LOGICAL_OPS.has(expr.op)) throw new MlmError(messages.logicalOutsideCall(deparse(expr)));
        switch (expr.op) {
          case "+":
            return unique([...encode(expr.left), ...encode(expr.right)]);
          case "-":
            return remove(encode(expr.left), expr.right);
          case ":":
            return interact(encode(expr.left), encode(expr.right));
          case "*": {
            const left = encode(expr.left);
            const right = encode(expr.right);
            // R keeps nothing when the left side has no terms (`1 * x` has no terms).
            if (left.length === 0) return [];
            return unique([...left, ...right, ...interact(left, right)]);
          }
          case "%in%": {
            const left = encode(expr.left);
            const all = union(encode(expr.right));
            return unique(left.map((t) => t | all));
          }
          case "/": {
            const left = encode(expr.left);
            const all = union(left);
            const right = encode(expr.right).map((t) => t | all);
            // As in R, nothing is kept when the left side has no terms (`1 / x` has no terms).
            if (left.length === 0) return [];
            return unique([...left, ...right]);
          }
          case "^": {
            const power = powerOf(expr);
            const base = encode(expr.left);
            let result = base;
            for (let i = 1; i < power; i++) {
              const next = interact(base, result);
              const fixedPoint = next.length === result.length && next.every((t, k) => t === result[k]);
              result = next;
              if (fixedPoint) break;
            }
            return result;
          }
          default:
            throw new MlmError(messages.barNotAdded(deparse(expr)));
        }
      }
    }
  };

  const remove = (left: bigint[], rightExpr: Expr): bigint[] => {
    parity = !parity;
    const right = encode(rightExpr);
    parity = !parity;
    const drop = new Set(right);
    return left.filter((t) => !drop.has(t));
  };

  const encoded = encode(rhs);

  const offsetBits = new Set<number>();
  const offsets: Expr[] = [];
  variables.forEach((v, i) => {
    if (v.expr.kind === "call" && v.expr.fn === "offset") {
      if (v.expr.args.length !== 1 || v.expr.names !== undefined) {
        throw new MlmError(messages.offsetArity(v.label));
      }
      offsetBits.add(i);
      offsets.push(v.expr.args[0]);
    }
  });

  const terms: Term[] = [];
  for (const bits of encoded) {
    const members = memberIndices(bits);
    if (members.some((i) => offsetBits.has(i))) continue;
    const labels = members.map((i) => variables[i].label);
    terms.push({ variables: labels, label: labels.join(":"), order: labels.length });
  }
  // A stable sort by order keeps first-appearance order within each order.
  terms.sort((a, b) => a.order - b.order);
  return { intercept, terms, variables, offsets };
}

/**
 * Visit the variables of an expression in R's order (left to right; only the base of `^`).
 *
 * @param expr - a right-hand side (bars are rejected).
 * @param visit - called with each variable expression, repeats included.
 * @throws MlmError for a random-effects bar.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * const seen: string[] = [];
 * extractVariables(parseExpression("(a + log(b))^2 - a:c"), (v) => seen.push(deparse(v)));
 * seen; // ["a", "log(b)", "a", "c"]
 * ```
 */
export function extractVariables(expr: Expr, visit: (variable: Expr) => void): void {
  switch (expr.kind) {
    case "number":
      return;
    case "name":
    case "call":
      visit(expr);
      return;
    case "paren":
      extractVariables(expr.inner, visit);
      return;
    case "unary":
      extractVariables(expr.arg, visit);
      return;
    case "binary":
      if (expr.op === "|" || expr.op === "||") throw new MlmError(messages.barNotAdded(deparse(expr)));
      extractVariables(expr.left, visit);
      if (expr.op !== "^") extractVariables(expr.right, visit);
      return;
  }
}

/** Comparisons and logical and: evaluated inside calls, not formula algebra. */
const LOGICAL_OPS: ReadonlySet<string> = new Set(["==", "!=", "<", ">", "<=", ">=", "&", "&&"]);

/** The power of `A ^ n`: a literal number truncated to an integer, at least 2 (as R requires). */
function powerOf(expr: Expr & { kind: "binary" }): number {
  const right = expr.right;
  if (right.kind !== "number" || !(right.value >= 2 && right.value < 2 ** 31)) {
    throw new MlmError(messages.badPower(deparse(expr)));
  }
  return Math.trunc(right.value);
}

/** The most term products an interaction may form before the formula is rejected. */
const MAX_PRODUCTS = 200_000;

/** Every union of a left and a right term, left terms in the outer loop, repeats dropped. */
function interact(left: readonly bigint[], right: readonly bigint[]): bigint[] {
  if (left.length * right.length > MAX_PRODUCTS) throw new MlmError(messages.tooManyTerms);
  const out: bigint[] = [];
  for (const l of left) for (const r of right) out.push(l | r);
  return unique(out);
}

/** The union of all terms of a list. */
function union(terms: readonly bigint[]): bigint {
  return terms.reduce((acc, t) => acc | t, 0n);
}

/** The terms without repeats (first occurrence kept) and without empty terms. */
function unique(terms: readonly bigint[]): bigint[] {
  const seen = new Set<bigint>();
  const out: bigint[] = [];
  for (const t of terms) {
    if (t === 0n || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/** The indices of the set bits, ascending. */
function memberIndices(bits: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; bits > 0n; i++, bits >>= 1n) if (bits & 1n) out.push(i);
  return out;
}
