/**
 * Printing an expanded formula back as formula text that parses to the same model.
 */
import type { Formula, RandomTerm, Term, TermList } from "./ast.js";
import { deparse } from "./deparse.js";

/**
 * The expanded formula as text: the response, `1` or `0` for the intercept, the fixed term
 * labels in order, the offsets, then each random-effects term (`||` for the uncorrelated ones).
 *
 * Parsing the text again gives the same response, intercept, term labels (in the same order) and
 * random terms. Term labels list their variables in order of first appearance, so when the
 * terms in their own order would introduce the variables in a different order (as for
 * `y ~ b:a + a`), the higher-order terms are written first; if that is not enough, the text
 * starts with a mention of the variables that is removed again (`1 + b:a - b:a + ...`).
 *
 * @param f - a parsed formula.
 * @returns formula text.
 * @example
 * ```ts
 * formatFormula(parseFormula("y ~ x*f + (x | g)"));  // "y ~ 1 + x + f + x:f + (1 + x | g)"
 * formatFormula(parseFormula("y ~ 0 + (x || g)"));   // "y ~ 0 + (1 || g) + (0 + x || g)"
 * ```
 */
export function formatFormula(f: Formula): string {
  const lead = f.response === undefined ? [] : [deparse(f.response)];
  let text = f.response === undefined ? "~ " : `${lead[0]} ~ `;
  text += formatTermList(f.fixed, lead);
  for (const offset of f.offsets) text += ` + offset(${deparse(offset)})`;
  for (const term of f.random) text += ` + ${formatRandomTerm(term)}`;
  return text;
}

/** A random-effects term as `(effects | group)` or `(effects || group)`. */
function formatRandomTerm(term: RandomTerm): string {
  const bar = `${formatTermList(term.effects, [])} ${term.correlated ? "|" : "||"} ${term.groupLabel}`;
  return term.structure ? `${term.structure}(${bar})` : `(${bar})`;
}

/** `1` or `0`, then the terms, ordered so that reparsing gives the same labels. */
function formatTermList(list: TermList, lead: readonly string[]): string {
  const head = list.intercept ? "1" : "0";
  const sorted = list.terms;
  if (keepsLabels(sorted, lead)) return [head, ...sorted.map((t) => t.label)].join(" + ");
  const byOrderDesc = [...sorted].sort((a, b) => b.order - a.order);
  if (keepsLabels(byOrderDesc, lead)) return [head, ...byOrderDesc.map((t) => t.label)].join(" + ");
  const mention = variableOrder(sorted).filter((v) => !lead.includes(v)).join(":");
  return [`${head} + ${mention} - ${mention}`, ...sorted.map((t) => t.label)].join(" + ");
}

/**
 * Whether writing the terms in this sequence (after the `lead` variables) introduces the
 * variables in an order that lists each term's variables as its label does.
 */
function keepsLabels(terms: readonly Term[], lead: readonly string[]): boolean {
  const rank = new Map<string, number>();
  for (const v of lead) if (!rank.has(v)) rank.set(v, rank.size);
  for (const t of terms) for (const v of t.variables) if (!rank.has(v)) rank.set(v, rank.size);
  return terms.every((t) => t.variables.every((v, i) => i === 0 || rank.get(t.variables[i - 1])! < rank.get(v)!));
}

/** An order of all variables consistent with the order inside every term (a topological sort). */
function variableOrder(terms: readonly Term[]): string[] {
  const after = new Map<string, Set<string>>();
  const indegree = new Map<string, number>();
  for (const t of terms) {
    for (const v of t.variables) {
      if (!after.has(v)) after.set(v, new Set());
      if (!indegree.has(v)) indegree.set(v, 0);
    }
    for (let i = 1; i < t.variables.length; i++) {
      const edges = after.get(t.variables[i - 1])!;
      if (!edges.has(t.variables[i])) {
        edges.add(t.variables[i]);
        indegree.set(t.variables[i], indegree.get(t.variables[i])! + 1);
      }
    }
  }
  const out: string[] = [];
  const ready = [...indegree].filter(([, d]) => d === 0).map(([v]) => v);
  while (ready.length > 0) {
    const v = ready.shift()!;
    out.push(v);
    for (const w of after.get(v)!) {
      const d = indegree.get(w)! - 1;
      indegree.set(w, d);
      if (d === 0) ready.push(w);
    }
  }
  return out;
}
