import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import fc from "fast-check";
import { MlmError } from "../../src/errors.js";
import type { Formula } from "../../src/formula/ast.js";
import { deparse } from "../../src/formula/deparse.js";
import { parseFormula } from "../../src/formula/formula.js";

/** A compact summary of a parsed formula. */
function summary(f: Formula) {
  return {
    response: f.response === undefined ? undefined : deparse(f.response),
    intercept: f.fixed.intercept,
    terms: f.fixed.terms.map((t) => t.label),
    random: f.random.map(
      (r) =>
        `(${[r.effects.intercept ? "1" : "0", ...r.effects.terms.map((t) => t.label)].join(" + ")} ${r.correlated ? "|" : "||"} ${r.groupLabel})`,
    ),
    offsets: f.offsets.map(deparse),
  };
}
const s = (text: string) => summary(parseFormula(text));

test("documented examples", () => {
  const f = parseFormula("y ~ x * f + (x | g)");
  assert.deepEqual(f.fixed.terms.map((t) => t.label), ["x", "f", "x:f"]);
  assert.equal(f.random[0].groupLabel, "g");
  assert.deepEqual(parseFormula("y ~ 1 + (1 | batch/cask)").random.map((r) => r.groupLabel), ["cask:batch", "batch"]);
});

test("the formulas of the brief expand as R and lme4 expand them", () => {
  // attr(terms(y ~ x*f), "term.labels") -> "x" "f" "x:f"
  assert.deepEqual(s("y ~ x*f"), { response: "y", intercept: true, terms: ["x", "f", "x:f"], random: [], offsets: [] });
  // attr(terms(y ~ (a+b+c)^2), "term.labels") -> "a" "b" "c" "a:b" "a:c" "b:c"
  assert.deepEqual(s("y ~ (a+b+c)^2").terms, ["a", "b", "c", "a:b", "a:c", "b:c"]);
  // attr(terms(y ~ a/b), "term.labels") -> "a" "a:b"
  assert.deepEqual(s("y ~ a/b").terms, ["a", "a:b"]);
  // terms(y ~ 0 + f): intercept 0, "f";  terms(y ~ x - 1): intercept 0, "x"
  assert.deepEqual([s("y ~ 0 + f").intercept, s("y ~ 0 + f").terms], [false, ["f"]]);
  assert.deepEqual([s("y ~ x - 1").intercept, s("y ~ x - 1").terms], [false, ["x"]]);
  // attr(terms(y ~ I(age^2) + log(x)), "term.labels") -> "I(age^2)" "log(x)"
  assert.deepEqual(s("y ~ I(age^2) + log(x)").terms, ["I(age^2)", "log(x)"]);
  // attr(terms(y ~ poly(x, 2)), "term.labels") -> "poly(x, 2)"
  assert.deepEqual(s("y ~ poly(x, 2)").terms, ["poly(x, 2)"]);
  // lme4 (cbpp): terms(nobars(f)) -> "period"; findbars(f) -> 1 | herd
  assert.deepEqual(s("cbind(incidence, size - incidence) ~ period + (1 | herd)"), {
    response: "cbind(incidence, size - incidence)",
    intercept: true,
    terms: ["period"],
    random: ["(1 | herd)"],
    offsets: [],
  });
  // lme4::findbars(y ~ x + (x || g)) -> 1 | g, 0 + x | g
  assert.deepEqual(s("y ~ x + (x || g)").random, ["(1 || g)", "(0 + x || g)"]);
  // lme4::findbars(y ~ 1 + (1 | batch/cask)) -> 1 | cask:batch, 1 | batch
  assert.deepEqual(s("y ~ 1 + (1 | batch/cask)").random, ["(1 | cask:batch)", "(1 | batch)"]);
  // lme4::findbars(y ~ (1 | a:b)) -> 1 | a:b
  assert.deepEqual(s("y ~ (1 | a:b)").random, ["(1 | a:b)"]);
  // terms(y ~ x + offset(log(t))): labels "x", offset variable offset(log(t))
  assert.deepEqual(s("y ~ x + offset(log(t))"), {
    response: "y",
    intercept: true,
    terms: ["x"],
    random: [],
    offsets: ["log(t)"],
  });
  // terms(~ x): no response
  assert.deepEqual(s("~ x").response, undefined);
  // attr(terms(log(y) ~ x), "variables") -> list(log(y), x)
  assert.equal(s("log(y) ~ x").response, "log(y)");
});

test("variables lists every variable once, in order of first appearance", () => {
  const f = parseFormula("log(y) ~ x*f + offset(log(t)) + (z | g/h) + (1 | factor(k))");
  assert.deepEqual([...f.variables.keys()], ["log(y)", "x", "f", "offset(log(t))", "z", "g", "h", "factor(k)"]);
  assert.deepEqual(f.variables.get("factor(k)")!.expr, { kind: "call", fn: "factor", args: [{ kind: "name", name: "k" }] });
  // A variable used only in a removed term is still a variable (R's model frame keeps it).
  assert.deepEqual([...parseFormula("y ~ x + z - z").variables.keys()], ["y", "x", "z"]);
  assert.equal(parseFormula("y ~ `my col`").variables.get("`my col`")!.label, "`my col`");
});

test("terms carry their variables and order", () => {
  const f = parseFormula("y ~ b:a + a + (b:a + a | g)");
  assert.deepEqual(f.fixed.terms, [
    { variables: ["a"], label: "a", order: 1 },
    { variables: ["b", "a"], label: "b:a", order: 2 },
  ]);
  assert.deepEqual(f.random[0].effects.terms.map((t) => t.label), ["a", "b:a"]);
  assert.equal(f.text, "y ~ b:a + a + (b:a + a | g)");
});

test("every lme4 reference case parses into the grouping factors lme4 reports", () => {
  // test/fixtures/cases/*.json: ngroups names the grouping factors lme4 built for the formula.
  const dir = new URL("../fixtures/cases/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  assert.ok(files.length >= 9);
  for (const file of files) {
    const c = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as {
      formula: string;
      ngroups: Record<string, number>;
      varcorr: { group: string; var2: string | null }[];
    };
    const f = parseFormula(c.formula);
    const labels = [...new Set(f.random.map((r) => r.groupLabel))].sort();
    assert.deepEqual(labels, Object.keys(c.ngroups).sort(), c.formula);
    // One VarCorr block per random term (lme4 names the split terms of `||` g, g.1, g.2).
    const blocks = new Set(c.varcorr.filter((v) => v.group !== "Residual").map((v) => v.group));
    assert.equal(f.random.length, blocks.size, c.formula);
  }
});

test("formulas that are not models give one-sentence MlmErrors", () => {
  assert.throws(() => parseFormula("y + x"), /has no '~'/);
  assert.throws(() => parseFormula("y ~"), /nothing to the right of '~'/);
  assert.throws(() => parseFormula("y ~ x | g"), /must be in parentheses/);
  assert.throws(() => parseFormula("y ~ x + (x | 0)"), /has no grouping factor/);
  assert.throws(() => parseFormula("(1 | g) ~ x"), /response .* cannot contain a random-effects bar/);
  assert.throws(() => parseFormula("y ~ (x + f"), /this '\(' is never closed/);
  assert.throws(() => parseFormula("y ~ x == 1"), /^MlmError: 'x == 1' compares or combines values, which formula algebra does not do; write I\(x == 1\)/);
  assert.throws(() => parseFormula("y ~ !x"), /write I\(!x\)/);
  assert.throws(() => parseFormula("y ~ x + 2"), /The number 2 cannot be a model term/);
});

/** Characters and fragments that reach deep into the parser. */
const fragment = fc.constantFrom(
  "y", "x", "g", "f", "1", "0", "2", "2.5", "~", "+", "-", "*", "/", ":", "^", "%in%", "|", "||", "(", ")",
  ",", "=", " ", "log(", "I(", "poly(", "offset(", "`a b`", "`", ".", "%", "==", "\n", "1e", "L", "TRUE",
);

test("arbitrary strings and bytes never make parseFormula throw anything but MlmError", () => {
  const check = (text: string) => {
    try {
      parseFormula(text);
    } catch (e) {
      if (!(e instanceof MlmError)) throw e;
    }
  };
  fc.assert(fc.property(fc.string({ maxLength: 60 }), check), { numRuns: 2000 });
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), check), { numRuns: 1000 });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => check(new TextDecoder().decode(bytes))),
    { numRuns: 1000 },
  );
  fc.assert(fc.property(fc.array(fragment, { maxLength: 30 }).map((a) => a.join("")), check), { numRuns: 5000 });
});

test("| and || inside I() and other calls are R's logical or, not a random-effects bar (issue 15)", () => {
  const f = parseFormula("y ~ I(a > 1 | b == 0) + ifelse(a > 2 || b == 0, 1, 0) + (1 | g)");
  assert.deepEqual(f.fixed.terms.map((t) => t.label), ["I(a > 1 | b == 0)", "ifelse(a > 2 || b == 0, 1, 0)"]);
  assert.deepEqual(f.random.map((r) => r.groupLabel), ["g"]);
  assert.deepEqual([...f.variables.keys()], ["y", "I(a > 1 | b == 0)", "ifelse(a > 2 || b == 0, 1, 0)", "g"]);
  // as a random slope, and on the left of ~
  assert.deepEqual(parseFormula("y ~ 1 + (I(a | b) | g)").random[0].effects.terms.map((t) => t.label), ["I(a | b)"]);
  assert.equal(deparse(parseFormula("I(a > 1 | b == 0) ~ x + (1 | g)").response!), "I(a > 1 | b == 0)");
  // a bar inside a covariance structure is still a random-effects term; outside a call it needs parentheses
  assert.deepEqual(parseFormula("y ~ x + diag(x | g)").random.map((r) => r.groupLabel), ["g"]);
  assert.throws(() => parseFormula("y ~ x + a | b"), MlmError);
});
