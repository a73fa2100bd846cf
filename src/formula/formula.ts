/**
 * `parseFormula`: formula text to an expanded {@link Formula}, as lme4 reads a model formula.
 *
 * The fixed part is the right-hand side without its random-effects terms (lme4's `nobars`),
 * expanded by R's `terms()` rules; each `(effects | group)` is expanded as lme4's `findbars`
 * does (`||` split into uncorrelated terms, `g1/g2` into nested grouping factors).
 */
import { MlmError } from "../errors.js";
import type { Expr, Formula, Variable } from "./ast.js";
import { deparse } from "./deparse.js";
import { messages } from "./messages.js";
import { parseFormulaSyntax } from "./parser.js";
import { containsBar, expandStructuredBar, groupVariables, splitRandom, structuredBar } from "./random-terms.js";
import { expandTerms, extractVariables } from "./terms.js";

/**
 * Parse and expand an lme4-style model formula.
 *
 * `Formula.variables` holds every variable the formula uses (response, fixed terms, offsets as
 * their `offset(...)` call, random effects, grouping variables) in order of first appearance,
 * as R's model frame lists them; `Formula.offsets` holds the offsets' argument expressions.
 *
 * @param text - the formula, e.g. `"Reaction ~ Days + (Days | Subject)"`.
 * @returns the response, fixed terms, random terms, offsets and variables.
 * @throws MlmError for syntax errors (message names the position and shows a caret), a missing
 *   `~`, an empty right-hand side, a bar outside parentheses, a random term without a group,
 *   and numbers or powers that are not model terms.
 * @example
 * ```ts
 * const f = parseFormula("y ~ x * f + (x | g)");
 * f.fixed.terms.map((t) => t.label); // ["x", "f", "x:f"]
 * f.random[0].groupLabel;            // "g"
 * parseFormula("y ~ 1 + (1 | batch/cask)").random.map((r) => r.groupLabel);
 * // ["cask:batch", "batch"]
 * ```
 */
export function parseFormula(text: string): Formula {
  const { lhs, rhs } = parseFormulaSyntax(text);
  if (lhs !== undefined && containsBar(lhs)) throw new MlmError(messages.barInResponse);
  const { fixed: fixedExpr, bars, structures } = splitRandom(rhs);
  const fixed = expandTerms(fixedExpr, lhs);
  const random = bars.flatMap((bar, i) => expandStructuredBar(bar, structures[i]));

  const variables = new Map<string, Variable>();
  const add = (expr: Expr): void => {
    const label = deparse(expr);
    if (!variables.has(label)) variables.set(label, { expr, label });
  };
  if (lhs !== undefined) add(lhs);
  const visit = (expr: Expr): void => {
    const structured = structuredBar(expr);
    if (structured !== undefined) {
      visit(structured.bar);
    } else if (expr.kind === "binary" && (expr.op === "|" || expr.op === "||")) {
      extractVariables(expr.left, add);
      groupVariables(expr.right).forEach(add);
    } else if (expr.kind === "binary" && (expr.op === "+" || expr.op === "-")) {
      visit(expr.left);
      visit(expr.right);
    } else if (expr.kind === "paren") {
      visit(expr.inner);
    } else {
      extractVariables(expr, add);
    }
  };
  visit(rhs);

  return {
    text,
    response: lhs,
    fixed: { intercept: fixed.intercept, terms: fixed.terms },
    random,
    offsets: fixed.offsets,
    variables,
  };
}
