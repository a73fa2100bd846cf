/**
 * Random-effects terms `(effects | group)` of lme4 formulas: finding them among the summands of
 * the right-hand side, splitting `||` into uncorrelated terms, and expanding nested grouping
 * factors `g1/g2/g3` into one term per level of nesting.
 *
 * Nesting follows lme4's `findbars`: `(e | g1/g2/g3)` becomes `(e | g3:(g2:g1))`,
 * `(e | g2:g1)`, `(e | g1)` in that order. `(e || g)` becomes `(1 | g)` (if e has an intercept)
 * followed by `(0 + t | g)` for each term t of e, in term order, as lme4's `expandDoubleVerts`.
 */
import { MlmError } from "../errors.js";
import type { CovStructureName, Expr, RandomTerm, TermList } from "./ast.js";
import { deparse } from "./deparse.js";
import { messages } from "./messages.js";
import { expandTerms } from "./terms.js";

/** A bar expression `lhs | rhs` or `lhs || rhs`. */
export type BarExpr = Expr & { kind: "binary"; op: "|" | "||" };

/** A right-hand side split into its fixed part and its random-effects bars. */
export interface SplitRhs {
  /** The fixed part (`1` when only random terms were written). */
  readonly fixed: Expr;
  /** The bars, in the order written, without their parentheses. */
  readonly bars: readonly BarExpr[];
  /** For each bar, the covariance structure written around it (`ar1(0 + t | g)`), or undefined. */
  readonly structures: readonly (CovStructureName | undefined)[];
}

/** The covariance structures that may wrap a bar: `us(1 + x | g)`, `diag(…)`, `cs(…)`, `ar1(…)`, `toep(…)`. */
export const COV_STRUCTURES: readonly CovStructureName[] = ["us", "diag", "cs", "ar1", "toep"];

/**
 * The bar of a structured term `ar1(0 + t | g)` (a call of a covariance structure on one bar).
 *
 * @param expr - any expression.
 * @returns the structure and the bar, or undefined.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * structuredBar(parseExpression("ar1(0 + t | g)"))?.structure; // "ar1"
 * ```
 */
export function structuredBar(expr: Expr): { structure: CovStructureName; bar: BarExpr } | undefined {
  if (expr.kind !== "call" || !(COV_STRUCTURES as readonly string[]).includes(expr.fn)) return undefined;
  if (expr.args.length !== 1) return undefined;
  const inner = stripParens(expr.args[0]);
  if (!isBar(inner)) return undefined;
  if (inner.op === "||") throw new MlmError(`${expr.fn}(${deparse(inner)}) combines a structure with ||; write ${expr.fn}(${deparse(inner.left)} | ${deparse(inner.right)}) (or diag() for uncorrelated effects).`);
  return { structure: expr.fn as CovStructureName, bar: inner };
}

/**
 * Separate the random-effects terms (parenthesised bars added with `+`) from the fixed part.
 *
 * @param rhs - the right-hand side of a formula.
 * @returns the fixed part and the bars.
 * @throws MlmError for a bar outside parentheses or combined by an operator other than `+`.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * const { fixed, bars } = splitRandom(parseExpression("x + (1 | g)"));
 * deparse(fixed); // "x"
 * bars.map(deparse); // ["1 | g"]
 * ```
 */
export function splitRandom(rhs: Expr): SplitRhs {
  const bars: BarExpr[] = [];
  const structures: (CovStructureName | undefined)[] = [];
  if (isBar(rhs)) throw new MlmError(messages.barOutsideParens(deparse(rhs)));
  const walk = (expr: Expr): Expr | undefined => {
    const bar = parenthesisedBar(expr);
    if (bar !== undefined) {
      bars.push(bar);
      structures.push(undefined);
      return undefined;
    }
    const structured = structuredBar(stripParens(expr));
    if (structured !== undefined) {
      bars.push(structured.bar);
      structures.push(structured.structure);
      return undefined;
    }
    if (expr.kind === "binary" && expr.op === "+") {
      const left = walk(expr.left);
      const right = walk(expr.right);
      if (left === undefined) return right;
      if (right === undefined) return left;
      return { ...expr, left, right };
    }
    if (expr.kind === "binary" && expr.op === "-") {
      const left = walk(expr.left);
      rejectBars(expr.right);
      if (left === undefined) throw new MlmError(messages.barFirstThenMinus(deparse(bars[bars.length - 1])));
      return { ...expr, left };
    }
    rejectBars(expr);
    return expr;
  };
  const fixed = walk(rhs) ?? { kind: "number", value: 1 };
  return { fixed, bars, structures };
}

/**
 * Expand one bar into lme4's random-effects terms (`||` split, nested groups expanded).
 *
 * @param bar - the bar expression, e.g. `x || g` or `1 | a/b`.
 * @returns the terms in lme4's order.
 * @throws MlmError for a missing or malformed grouping factor, no effects, nested bars or
 *   offsets in the effects.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * expandBar(parseExpression("1 | batch/cask") as BarExpr).map((t) => t.groupLabel);
 * // ["cask:batch", "batch"]
 * ```
 */
export function expandBar(bar: BarExpr): RandomTerm[] {
  return expandStructuredBar(bar, undefined);
}

/**
 * {@link expandBar} for a bar written inside a covariance structure, `ar1(0 + t | g)`: the terms
 * carry the structure (`us` is the default and is not recorded).
 *
 * @param bar - the bar expression.
 * @param structure - the covariance structure, or undefined.
 * @returns the terms in lme4's order.
 * @throws MlmError as {@link expandBar}.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * expandStructuredBar(parseExpression("0 + t | g") as BarExpr, "ar1")[0].structure; // "ar1"
 * ```
 */
export function expandStructuredBar(bar: BarExpr, structure: CovStructureName | undefined): RandomTerm[] {
  const text = `(${deparse(bar)})`;
  if (containsBar(bar.left) || containsBar(bar.right)) throw new MlmError(messages.barInEffects(text));
  const effects = expandTerms(bar.left);
  if (effects.offsets.length > 0) throw new MlmError(messages.offsetInRandom(text));
  if (!effects.intercept && effects.terms.length === 0) throw new MlmError(messages.noEffects(text));
  const groups = groupExpressions(bar.right, text);

  const correlated = bar.op === "|";
  const lists: TermList[] = correlated
    ? [{ intercept: effects.intercept, terms: effects.terms }]
    : [
        ...(effects.intercept ? [{ intercept: true, terms: [] }] : []),
        ...effects.terms.map((t) => ({ intercept: false, terms: [t] })),
      ];
  const out: RandomTerm[] = [];
  for (const list of lists) {
    for (const group of groups) {
      const term: { -readonly [K in keyof RandomTerm]: RandomTerm[K] } = { effects: list, group: interactionLabels(group), groupLabel: deparse(group), correlated };
      if (structure && structure !== "us") term.structure = structure; // assigned, not spread (V8's slow path)
      out.push(term);
    }
  }
  return out;
}

/**
 * The grouping-factor expressions of a bar's right side, as lme4's `findbars` lists them:
 * `g1/g2/g3` gives `g3:(g2:g1)`, `g2:g1`, `g1`; anything else gives itself (parentheses removed).
 */
function groupExpressions(expr: Expr, text: string): Expr[] {
  const levels: Expr[] = [];
  let node = stripParens(expr);
  while (node.kind === "binary" && node.op === "/") {
    levels.unshift(checkGroup(node.right, text));
    node = stripParens(node.left);
  }
  levels.unshift(checkGroup(node, text));
  const out: Expr[] = [levels[0]];
  for (let i = 1; i < levels.length; i++) {
    const inner = out[0];
    const right: Expr = inner.kind === "binary" ? { kind: "paren", inner } : inner;
    out.unshift({ kind: "binary", op: ":", left: levels[i], right });
  }
  return out;
}

/** A grouping factor (level): a variable or an interaction `a:b` of variables, parentheses removed. */
function checkGroup(expr: Expr, text: string): Expr {
  const node = stripParens(expr);
  if (node.kind === "number") throw new MlmError(messages.noGroup(text));
  if (node.kind === "name" || node.kind === "call") return node;
  if (node.kind === "binary" && node.op === ":") {
    return { kind: "binary", op: ":", left: checkGroup(node.left, text), right: checkGroupRight(node.right, text) };
  }
  throw new MlmError(messages.badGroup(text));
}

/** The right operand of `:` in a grouping factor; a nested interaction keeps R's parentheses. */
function checkGroupRight(expr: Expr, text: string): Expr {
  const node = checkGroup(expr, text);
  return node.kind === "binary" ? { kind: "paren", inner: node } : node;
}

/** The labels of the variables of an interaction `a:(b:c)`, left to right. */
function interactionLabels(expr: Expr): string[] {
  if (expr.kind === "paren") return interactionLabels(expr.inner);
  if (expr.kind === "binary" && expr.op === ":") {
    return [...interactionLabels(expr.left), ...interactionLabels(expr.right)];
  }
  return [deparse(expr)];
}

/**
 * The variables a bar's grouping side uses (for the formula's variable list), left to right.
 *
 * @param expr - the right side of a bar.
 * @returns the variable expressions (names and calls).
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * groupVariables(parseExpression("school/factor(class)")).map(deparse); // ["school", "factor(class)"]
 * ```
 */
export function groupVariables(expr: Expr): Expr[] {
  switch (expr.kind) {
    case "name":
    case "call":
      return [expr];
    case "paren":
      return groupVariables(expr.inner);
    case "binary":
      return [...groupVariables(expr.left), ...groupVariables(expr.right)];
    default:
      return [];
  }
}

function stripParens(expr: Expr): Expr {
  while (expr.kind === "paren") expr = expr.inner;
  return expr;
}

function isBar(expr: Expr): expr is BarExpr {
  return expr.kind === "binary" && (expr.op === "|" || expr.op === "||");
}

/** The bar inside one or more parentheses, if `expr` is such a parenthesised bar. */
function parenthesisedBar(expr: Expr): BarExpr | undefined {
  if (expr.kind !== "paren") return undefined;
  const inner = stripParens(expr);
  return isBar(inner) ? inner : undefined;
}

/**
 * Whether a random-effects bar `|` or `||` occurs anywhere in the expression.
 *
 * @param expr - any expression.
 * @returns true if some node is a bar.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * containsBar(parseExpression("x + (1 | g)")); // true
 * containsBar(parseExpression("x + z"));       // false
 * containsBar(parseExpression("I(a > 1 | b == 0)")); // false (a logical or)
 * ```
 */
export function containsBar(expr: Expr): boolean {
  return findBar(expr) !== undefined;
}

function findBar(expr: Expr): BarExpr | undefined {
  switch (expr.kind) {
    case "binary":
      return isBar(expr) ? expr : (findBar(expr.left) ?? findBar(expr.right));
    case "unary":
      return findBar(expr.arg);
    case "paren":
      return findBar(expr.inner);
    case "call":
      // inside an ordinary function's arguments `|` is R's logical or (`I(a > 1 | b == 0)`); only
      // a covariance structure's argument (`us(x | g)`) holds a random-effects bar
      if (!(COV_STRUCTURES as readonly string[]).includes(expr.fn)) return undefined;
      for (const arg of expr.args) {
        const bar = findBar(arg);
        if (bar !== undefined) return bar;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Fail if a bar occurs in an expression where random-effects terms are not allowed. */
function rejectBars(expr: Expr): void {
  const bar = findBar(expr);
  if (bar !== undefined) throw new MlmError(messages.barNotAdded(`(${deparse(bar)})`));
}
