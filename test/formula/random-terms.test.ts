import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MlmError } from "../../src/errors.js";
import type { RandomTerm } from "../../src/formula/ast.js";
import { deparse } from "../../src/formula/deparse.js";
import { parseExpression, parseFormulaSyntax } from "../../src/formula/parser.js";
import { containsBar, expandBar, groupVariables, splitRandom, type BarExpr } from "../../src/formula/random-terms.js";
import { expandTerms } from "../../src/formula/terms.js";

/** The random terms of a formula's right side, in a compact form. */
function bars(rhs: string): { effects: string; group: string[]; label: string; correlated: boolean }[] {
  return splitRandom(parseExpression(rhs)).bars.flatMap(expandBar).map((t: RandomTerm) => ({
    effects: [t.effects.intercept ? "1" : "0", ...t.effects.terms.map((x) => x.label)].join(" + "),
    group: [...t.group],
    label: t.groupLabel,
    correlated: t.correlated,
  }));
}

test("documented examples", () => {
  const { fixed, bars: found } = splitRandom(parseExpression("x + (1 | g)"));
  assert.equal(deparse(fixed), "x");
  assert.deepEqual(found.map(deparse), ["1 | g"]);
  assert.deepEqual(
    expandBar(parseExpression("1 | batch/cask") as BarExpr).map((t) => t.groupLabel),
    ["cask:batch", "batch"],
  );
  assert.deepEqual(groupVariables(parseExpression("school/factor(class)")).map(deparse), ["school", "factor(class)"]);
  assert.equal(containsBar(parseExpression("x + (1 | g)")), true);
  assert.equal(containsBar(parseExpression("x + z")), false);
});

test("nested grouping factors are listed as lme4's findbars lists them", () => {
  // lme4::findbars(strength ~ 1 + (1 | batch/cask))  ->  1 | cask:batch, 1 | batch
  // (and /work/shared/reference/cases/pastes_nested.json has groups cask:batch and batch)
  assert.deepEqual(bars("1 + (1 | batch/cask)"), [
    { effects: "1", group: ["cask", "batch"], label: "cask:batch", correlated: true },
    { effects: "1", group: ["batch"], label: "batch", correlated: true },
  ]);
  // lme4::findbars(y ~ (1 | a/b/c))  ->  1 | c:(b:a), 1 | b:a, 1 | a
  assert.deepEqual(
    bars("(1 | a/b/c)").map((t) => [t.label, t.group]),
    [
      ["c:(b:a)", ["c", "b", "a"]],
      ["b:a", ["b", "a"]],
      ["a", ["a"]],
    ],
  );
  // lme4::findbars(y ~ (1 | a:b))  ->  1 | a:b
  assert.deepEqual(bars("(1 | a:b)"), [{ effects: "1", group: ["a", "b"], label: "a:b", correlated: true }]);
  // A nested level that is itself an interaction keeps R's parentheses.
  assert.deepEqual(bars("(1 | a:b/c)").map((t) => t.label), ["c:(a:b)", "a:b"]);
});

test("|| gives one uncorrelated term per effect, intercept first", () => {
  // lme4::findbars(Reaction ~ Days + (Days || Subject))  ->  1 | Subject, 0 + Days | Subject
  assert.deepEqual(bars("Days + (Days || Subject)"), [
    { effects: "1", group: ["Subject"], label: "Subject", correlated: false },
    { effects: "0 + Days", group: ["Subject"], label: "Subject", correlated: false },
  ]);
  // lme4::findbars(y ~ (x || a/b))  ->  1 | b:a, 1 | a, 0 + x | b:a, 0 + x | a
  assert.deepEqual(
    bars("(x || a/b)").map((t) => `${t.effects} | ${t.label}`),
    ["1 | b:a", "1 | a", "0 + x | b:a", "0 + x | a"],
  );
  assert.deepEqual(bars("(0 + x || g)").map((t) => t.effects), ["0 + x"]);
  assert.deepEqual(bars("(1 || g)").map((t) => [t.effects, t.correlated]), [["1", false]]);
});

test("the fixed part is what lme4's nobars leaves", () => {
  // lme4::nobars(y ~ (1 | g)) -> y ~ 1;  nobars(y ~ 0 + (1 | g)) -> y ~ 0
  assert.equal(deparse(splitRandom(parseExpression("(1 | g)")).fixed), "1");
  assert.equal(deparse(splitRandom(parseExpression("0 + (1 | g)")).fixed), "0");
  assert.equal(deparse(splitRandom(parseExpression("x + (1 + x | g) - 1")).fixed), "x - 1");
  assert.equal(deparse(splitRandom(parseExpression("x + ((1 | g)) + z")).fixed), "x + z");
});

test("misplaced bars and bad groups are MlmErrors", () => {
  const split = (s: string) => () => splitRandom(parseExpression(s));
  const expand = (s: string) => () => expandBar(parseExpression(s) as BarExpr);
  assert.throws(split("x | g"), /The random-effects term 'x \| g' must be in parentheses, as in '\(x \| g\)'\./);
  assert.throws(split("a:(1 | g)"), /'\(1 \| g\)' can only be added to the formula with '\+'/);
  // inside a function `|` is R's logical or (lme4's findbars would take it for a bar); evaluating
  // it on a categorical g says that a random-effects term is added with + (test/model-frame/evaluate.test.ts)
  assert.deepEqual(splitRandom(parseExpression("log((1 | g))")).bars, []);
  assert.throws(split("(1 | g) - 1"), /cannot be followed by '-'/);
  assert.throws(split("x - (1 | g)"), /can only be added/);
  assert.throws(expand("x | 1"), /'\(x \| 1\)' has no grouping factor after the bar/);
  assert.throws(expand("x | a + b"), /grouping factor of '\(x \| a \+ b\)' must be a variable/);
  assert.throws(expand("x | a/(b/c)"), MlmError);
  assert.throws(expand("0 | g"), /has no effects left of the bar/);
  assert.throws(expand("0 || g"), /has no effects/);
  assert.throws(expand("offset(o) | g"), /contains offset\(\)/);
  assert.throws(expand("(a | b) | g"), /cannot be nested/);
});

interface FindbarsCase {
  formula: string;
  fixed: { intercept: boolean; labels: string[] };
  random: { group: string; intercept: boolean; labels: string[] }[];
}

test("fixed and random parts agree with lme4's nobars and findbars on the fixture formulas", () => {
  // Fixture made by test/formula/fixtures/make-fixtures.R with lme4 1.1-31: terms(nobars(f)),
  // and for each element b of findbars(f): deparse(b[[3]]) and terms(~ b[[2]]).
  const cases = JSON.parse(readFileSync(new URL("fixtures/findbars-r.json", import.meta.url), "utf8")) as FindbarsCase[];
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const { lhs, rhs } = parseFormulaSyntax(c.formula);
    const { fixed, bars: found } = splitRandom(rhs);
    const terms = expandTerms(fixed, lhs);
    assert.deepEqual(
      { intercept: terms.intercept, labels: terms.terms.map((t) => t.label) },
      c.fixed,
      c.formula,
    );
    const random = found.flatMap(expandBar).map((t) => ({
      group: t.groupLabel,
      intercept: t.effects.intercept,
      labels: t.effects.terms.map((x) => x.label),
    }));
    assert.deepEqual(random, c.random, c.formula);
  }
});
