import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { MlmError } from "../../src/errors.js";
import type { Formula } from "../../src/formula/ast.js";
import { deparse } from "../../src/formula/deparse.js";
import { formatFormula } from "../../src/formula/format-formula.js";
import { parseFormula } from "../../src/formula/formula.js";

const fmt = (text: string) => formatFormula(parseFormula(text));

/** What a round trip must keep: response, intercept, term labels in order, random terms, offsets. */
function essence(f: Formula) {
  return {
    response: f.response === undefined ? undefined : deparse(f.response),
    intercept: f.fixed.intercept,
    terms: f.fixed.terms.map((t) => t.label),
    random: f.random.map((r) => ({
      intercept: r.effects.intercept,
      terms: r.effects.terms.map((t) => t.label),
      group: r.group,
      groupLabel: r.groupLabel,
      correlated: r.correlated,
    })),
    offsets: f.offsets.map(deparse),
  };
}

test("documented examples", () => {
  assert.equal(fmt("y ~ x*f + (x | g)"), "y ~ 1 + x + f + x:f + (1 + x | g)");
  assert.equal(fmt("y ~ 0 + (x || g)"), "y ~ 0 + (1 || g) + (0 + x || g)");
});

test("expanded formulas print with intercept, terms, offsets and random terms", () => {
  assert.equal(fmt("y ~ (a+b+c)^2 - 1"), "y ~ 0 + a + b + c + a:b + a:c + b:c");
  assert.equal(fmt("~ x"), "~ 1 + x");
  assert.equal(fmt("y ~ x + offset(log(t)) + (1 | batch/cask)"), "y ~ 1 + x + offset(log(t)) + (1 | cask:batch) + (1 | batch)");
  assert.equal(fmt("cbind(s, n-s) ~ (1|herd)"), "cbind(s, n - s) ~ 1 + (1 | herd)");
  assert.equal(fmt("y ~ I(x^2) + `my col`"), "y ~ 1 + I(x^2) + `my col`");
  // Variable order inside labels is kept: terms(y ~ b:a + a) and terms(y ~ 1 + b:a + a) both
  // have "a", "b:a".
  assert.equal(fmt("y ~ b:a + a"), "y ~ 1 + b:a + a");
  // When no ordering of the terms works, a removed mention fixes the variable order:
  // attr(terms(y ~ b - b + a:c + b:a), "term.labels") and
  // attr(terms(y ~ 1 + b:a:c - b:a:c + a:c + b:a), "term.labels") are both "a:c" "b:a".
  const hard = "y ~ b - b + a:c + b:a";
  assert.deepEqual(parseFormula(hard).fixed.terms.map((t) => t.label), ["a:c", "b:a"]);
  assert.equal(fmt(hard), "y ~ 1 + b:a:c - b:a:c + a:c + b:a");
  assert.deepEqual(essence(parseFormula(fmt(hard))), essence(parseFormula(hard)));
});

/** Random model formulas from a small grammar (some are invalid; those are skipped). */
const variable = fc.constantFrom("a", "b", "c", "x", "log(x)", "I(x^2)", "poly(x, 2)", "`my col`", "factor(f)");
const fixedExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    variable,
    fc.constantFrom("1", "0", "-1"),
    fc.tuple(tie("e"), fc.constantFrom(" + ", " - ", " * ", " / ", ":", " %in% "), tie("e")).map(([l, op, r]) => l + op + r),
    tie("e").map((e) => `(${e})`),
    tie("e").map((e) => `(${e})^2`),
  ),
})).e;
const effects = fc.oneof(
  fc.constantFrom("1", "x", "0 + x", "x + z", "x * z", "z:x + x", "1 + I(x^2)", "-1 + z"),
  fc.tuple(variable, variable).map(([l, r]) => `${l} + ${l}:${r}`),
);
const group = fc.constantFrom("g", "h", "g/h", "g:h", "factor(g)", "g/h/k", "h:g");
const randomTerm = fc.tuple(effects, fc.constantFrom("|", "||"), group).map(([e, bar, g]) => `(${e} ${bar} ${g})`);
const formulaText = fc
  .tuple(
    fc.constantFrom("y ", "log(y) ", "cbind(s, n - s) ", ""),
    fixedExpr,
    fc.array(randomTerm, { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([lhs, rhs, bars, offset]) => `${lhs}~ ${[rhs, ...(offset ? ["offset(log(t))"] : []), ...bars].join(" + ")}`);

test("property: parseFormula(formatFormula(parseFormula(s))) keeps the model", () => {
  let parsed = 0;
  fc.assert(
    fc.property(formulaText, (text) => {
      let f: Formula;
      try {
        f = parseFormula(text);
      } catch (e) {
        if (e instanceof MlmError) return;
        throw e;
      }
      parsed++;
      const again = parseFormula(formatFormula(f));
      assert.deepEqual(essence(again), essence(f), `${text}  ->  ${formatFormula(f)}`);
      // Printing is stable after one round.
      assert.equal(formatFormula(again), formatFormula(f));
    }),
    { numRuns: 3000 },
  );
  assert.ok(parsed > 1500, `only ${parsed} of 3000 random formulas parsed`);
});
