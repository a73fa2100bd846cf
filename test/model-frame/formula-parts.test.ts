import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFormula } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";
import { formulaParts, requireEffects, variableExpr } from "../../src/model-frame/formula-parts.js";

test("formulaParts lists fixed, random-effects and grouping variables (TSDoc example)", () => {
  assert.deepEqual(formulaParts(parseFormula("Reaction ~ Days + (Days | Subject)")), {
    fixed: ["Days"],
    effects: ["Days"],
    groups: ["Subject"],
  });
  assert.deepEqual(formulaParts(parseFormula("y ~ x * f + (log(z) || g) + (1 | a/b)")), {
    fixed: ["x", "f"],
    effects: ["log(z)"],
    groups: ["g", "b", "a"],
  });
});

test("variableExpr finds a variable's expression by label", () => {
  const f = parseFormula("y ~ I(x^2) + Days");
  assert.deepEqual(variableExpr(f, "Days"), { kind: "name", name: "Days" });
  assert.equal(variableExpr(f, "I(x^2)").kind, "call");
  assert.throws(() => variableExpr(f, "log(q)"), Error);
});

test("a random-effects term without effects is an error", () => {
  assert.throws(
    () => requireEffects({ intercept: false, terms: [] }, "g"),
    (e: unknown) => e instanceof MlmError && e.message === "The random-effects term for 'g' has no effects; write (1 | g) for a random intercept.",
  );
  requireEffects({ intercept: true, terms: [] }, "g");
});
