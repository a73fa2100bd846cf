/**
 * The parts of a parsed formula the model frame evaluates: the labels of the variables in the
 * fixed terms, in the random-effects terms and in the grouping factors, and their expressions.
 */
import type { Expr, Formula, TermList } from "../formula/ast.js";
import { MlmError } from "../errors.js";
import { noEffectsMessage } from "./messages.js";

/** Variable labels by role, each list without duplicates, in order of appearance. */
export interface FormulaParts {
  /** Variables of the fixed-effects terms. */
  readonly fixed: readonly string[];
  /** Variables of the random-effects terms' effects. */
  readonly effects: readonly string[];
  /** Variables of the grouping factors. */
  readonly groups: readonly string[];
}

function termVariables(list: TermList, out: string[]): void {
  for (const t of list.terms) for (const v of t.variables) if (!out.includes(v)) out.push(v);
}

/**
 * The labels of the variables each part of a formula uses.
 *
 * @param formula - the parsed formula.
 * @returns fixed, random-effects and grouping variable labels.
 * @example
 * ```ts
 * formulaParts(parseFormula("Reaction ~ Days + (Days | Subject)"));
 * // { fixed: ["Days"], effects: ["Days"], groups: ["Subject"] }
 * ```
 */
export function formulaParts(formula: Formula): FormulaParts {
  const fixed: string[] = [];
  const effects: string[] = [];
  const groups: string[] = [];
  termVariables(formula.fixed, fixed);
  for (const r of formula.random) {
    termVariables(r.effects, effects);
    for (const g of r.group) if (!groups.includes(g)) groups.push(g);
  }
  return { fixed, effects, groups };
}

/**
 * The expression of a variable, by its label.
 *
 * A label missing from `formula.variables` that is a plain name is read as that column.
 *
 * @param formula - the parsed formula.
 * @param label - the variable's label, e.g. `log(x)`.
 * @returns its expression.
 * @throws Error when the label is unknown (a parser bug, not bad input).
 * @example
 * ```ts
 * const formula = parseFormula("Reaction ~ log(Days + 1) + (1 | Subject)");
 * variableExpr(formula, "log(Days + 1)"); // { kind: "call", fn: "log", args: [{ kind: "binary", op: "+" }] }
 * ```
 */
export function variableExpr(formula: Formula, label: string): Expr {
  const v = formula.variables.get(label);
  if (v !== undefined) return v.expr;
  if (/^[A-Za-z.][A-Za-z0-9._]*$/.test(label)) return { kind: "name", name: label };
  throw new Error(`The formula has no variable labelled '${label}'.`);
}

/**
 * Checks that a random-effects term has at least one effect.
 *
 * @param effects - the term's effects.
 * @param groupLabel - its grouping factor, for the message.
 * @throws MlmError for `(0 | g)`.
 * @example
 * ```ts
 * requireEffects({ intercept: false, terms: [] }, "g"); // throws MlmError
 * ```
 */
export function requireEffects(effects: TermList, groupLabel: string): void {
  if (!effects.intercept && effects.terms.length === 0) {
    throw new MlmError(noEffectsMessage(groupLabel));
  }
}
