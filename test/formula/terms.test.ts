import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MlmError } from "../../src/errors.js";
import { parseExpression } from "../../src/formula/parser.js";
import { deparse } from "../../src/formula/deparse.js";
import { expandTerms, extractVariables } from "../../src/formula/terms.js";

/** Term labels and intercept of a right-hand side (optionally with a response). */
function labels(rhs: string, response?: string): { intercept: boolean; labels: string[] } {
  const t = expandTerms(parseExpression(rhs), response === undefined ? undefined : parseExpression(response));
  return { intercept: t.intercept, labels: t.terms.map((x) => x.label) };
}

test("documented examples", () => {
  assert.deepEqual(labels("x * f - 1"), { intercept: false, labels: ["x", "f", "x:f"] });
  const seen: string[] = [];
  extractVariables(parseExpression("(a + log(b))^2 - a:c"), (v) => seen.push(deparse(v)));
  assert.deepEqual(seen, ["a", "log(b)", "a", "c"]);
});

test("crossing, powers, nesting and %in% follow R", () => {
  // attr(terms(y ~ x*f), "term.labels")  ->  "x" "f" "x:f"
  assert.deepEqual(labels("x*f").labels, ["x", "f", "x:f"]);
  // attr(terms(y ~ (a+b+c)^2), "term.labels")  ->  "a" "b" "c" "a:b" "a:c" "b:c"
  assert.deepEqual(labels("(a+b+c)^2").labels, ["a", "b", "c", "a:b", "a:c", "b:c"]);
  // attr(terms(y ~ (a+b+c+d)^3), "term.labels")
  assert.deepEqual(labels("(a+b+c+d)^3").labels, [
    "a", "b", "c", "d", "a:b", "a:c", "a:d", "b:c", "b:d", "c:d", "a:b:c", "a:b:d", "a:c:d", "b:c:d",
  ]);
  // attr(terms(y ~ a/b), "term.labels")  ->  "a" "a:b"
  assert.deepEqual(labels("a/b").labels, ["a", "a:b"]);
  // attr(terms(y ~ (a+b)/c), "term.labels")  ->  "a" "b" "a:b:c"
  assert.deepEqual(labels("(a+b)/c").labels, ["a", "b", "a:b:c"]);
  // attr(terms(y ~ b %in% a), "term.labels")  ->  "b:a"
  assert.deepEqual(labels("b %in% a").labels, ["b:a"]);
  // attr(terms(y ~ (a+b):(c+d)), "term.labels")  ->  "a:c" "a:d" "b:c" "b:d"
  assert.deepEqual(labels("(a+b):(c+d)").labels, ["a:c", "a:d", "b:c", "b:d"]);
  // attr(terms(y ~ (a+b)^2.9), "term.labels")  ->  "a" "b" "a:b"   (the power is truncated)
  assert.deepEqual(labels("(a+b)^2.9").labels, ["a", "b", "a:b"]);
});

test("repeats, removals and the intercept follow R", () => {
  // attr(terms(y ~ a:a), "term.labels")  ->  "a"
  assert.deepEqual(labels("a:a").labels, ["a"]);
  // attr(terms(y ~ a*b - a), "term.labels")  ->  "b" "a:b"
  assert.deepEqual(labels("a*b - a").labels, ["b", "a:b"]);
  // terms(y ~ 0 + f): intercept 0, labels "f";  terms(y ~ x - 1): intercept 0, labels "x"
  assert.deepEqual(labels("0 + f"), { intercept: false, labels: ["f"] });
  assert.deepEqual(labels("x - 1"), { intercept: false, labels: ["x"] });
  assert.deepEqual(labels("-1 + x"), { intercept: false, labels: ["x"] });
  // terms(y ~ -0): intercept 1;  terms(y ~ a - (b + 1)): intercept 0, labels "a"
  assert.deepEqual(labels("-0"), { intercept: true, labels: [] });
  assert.deepEqual(labels("a - (b + 1)"), { intercept: false, labels: ["a"] });
  // terms(y ~ a + 1 - 1 + 1): intercept 1
  assert.deepEqual(labels("a + 1 - 1 + 1"), { intercept: true, labels: ["a"] });
  // attr(terms(y ~ 1 * x), "term.labels") -> character(0): R keeps nothing when the left of * is empty
  assert.deepEqual(labels("1 * x"), { intercept: true, labels: [] });
  assert.deepEqual(labels("x * 1"), { intercept: true, labels: ["x"] });
  assert.deepEqual(labels("1 / x"), { intercept: true, labels: [] });
});

test("variables inside a term are in order of first appearance, response first", () => {
  // attr(terms(y ~ b:a + a), "term.labels")  ->  "a" "b:a"
  assert.deepEqual(labels("b:a + a", "y").labels, ["a", "b:a"]);
  // attr(terms(y ~ x + y:x), "term.labels")  ->  "x" "y:x"
  assert.deepEqual(labels("x + y:x", "y").labels, ["x", "y:x"]);
  assert.deepEqual(labels("x + y:x").labels, ["x", "x:y"]);
  const t = expandTerms(parseExpression("b:a + a"), parseExpression("y"));
  assert.deepEqual(t.variables.map((v) => v.label), ["y", "b", "a"]);
  assert.deepEqual(t.terms[1], { variables: ["b", "a"], label: "b:a", order: 2 });
});

test("function calls are variables and offsets are collected", () => {
  // attr(terms(y ~ I(age^2) + log(x)), "term.labels")  ->  "I(age^2)" "log(x)"
  assert.deepEqual(labels("I(age^2) + log(x)").labels, ["I(age^2)", "log(x)"]);
  // attr(terms(y ~ poly(x, 2)), "term.labels")  ->  "poly(x, 2)"
  assert.deepEqual(labels("poly(x,2)").labels, ["poly(x, 2)"]);
  // terms(y ~ x + offset(log(t))): labels "x", offset 3 (the variable offset(log(t)))
  const t = expandTerms(parseExpression("x + offset(log(t))"), parseExpression("y"));
  assert.deepEqual(t.terms.map((x) => x.label), ["x"]);
  assert.deepEqual(t.variables.map((v) => v.label), ["y", "x", "offset(log(t))"]);
  assert.deepEqual(t.offsets, [{ kind: "call", fn: "log", args: [{ kind: "name", name: "t" }] }]);
});

test("numbers and powers R rejects are MlmErrors", () => {
  // terms(y ~ 2) and terms(y ~ x + 3): "invalid model formula in ExtractVars"
  assert.throws(() => labels("2"), MlmError);
  assert.throws(() => labels("x + 3"), /The number 3 cannot be a model term/);
  // terms(y ~ (a+b)^1), (a+b)^0, a^x: "invalid power in formula"
  assert.throws(() => labels("(a+b)^1"), /The power in '\(a \+ b\)\^1' must be a whole number of at least/);
  assert.throws(() => labels("(a+b)^0"), MlmError);
  assert.throws(() => labels("a^x"), MlmError);
  assert.throws(() => labels("offset(a, b)"), /'offset\(a, b\)' must have exactly one argument/);
  assert.throws(() => labels("x + (a | g)"), /can only be added/);
});

test("a huge power stops once the terms stop changing", () => {
  assert.deepEqual(labels("(a+b)^1000000").labels, ["a", "b", "a:b"]);
});

interface TermsCase {
  formula: string;
  intercept?: boolean;
  labels?: string[];
  error?: string;
}

test("term labels and intercept agree with R's terms() on the fixture formulas", () => {
  // Fixture made by test/formula/fixtures/make-fixtures.R: R's attr(terms(f), "term.labels")
  // and attr(terms(f), "intercept") for curated formulas and 300 random ones.
  const cases = JSON.parse(readFileSync(new URL("fixtures/terms-r.json", import.meta.url), "utf8")) as TermsCase[];
  assert.ok(cases.length > 350);
  let errors = 0;
  for (const c of cases) {
    const [lhs, rhs] = c.formula.split("~").map((s) => s.trim());
    if (c.error !== undefined) {
      errors++;
      assert.throws(() => labels(rhs, lhs || undefined), MlmError, c.formula);
      continue;
    }
    assert.deepEqual(labels(rhs, lhs || undefined), { intercept: c.intercept, labels: c.labels }, c.formula);
  }
  assert.ok(errors > 5);
});
