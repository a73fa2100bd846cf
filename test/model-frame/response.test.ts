// Responses: numeric, two-level categorical (0/1 with the second level as 1, as R's glm), and
// cbind(successes, failures) (y = s / (s + f), 0 when s + f = 0, as R's binomial()$initialize).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExpression } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";
import type { EvalContext } from "../../src/model-frame/evaluate.js";
import { evaluateResponse } from "../../src/model-frame/response.js";
import { table } from "./helpers.js";

const data = table({
  s: [2, 0, 3, 0],
  n: [4, 5, 3, 0],
  yes: ["no", "yes", "yes", "no"],
  three: ["a", "b", "c", "a"],
  y: [1.5, 2, 0, 3],
});
const ctx = (rows: number[]): EvalContext => ({ data, rows: Int32Array.from(rows), mode: "fit", calls: new Map() });

test("cbind(s, n - s): proportions and trials (TSDoc example)", () => {
  const r = evaluateResponse(parseExpression("cbind(s, n - s)"), ctx([0, 1, 2, 3]));
  assert.equal(r.label, "cbind(s, n - s)");
  assert.deepEqual(Array.from(r.y), [0.5, 0, 1, 0]);
  assert.deepEqual(Array.from(r.trials as Float64Array), [4, 5, 3, 0]);
  assert.equal(r.levels, undefined);
});

test("a two-level categorical response is 1 for its second level", () => {
  const r = evaluateResponse(parseExpression("yes"), ctx([0, 1, 2, 3]));
  assert.deepEqual(Array.from(r.y), [0, 1, 1, 0]);
  assert.deepEqual(r.levels, ["no", "yes"]);
  // both levels are kept even when the used rows show one
  assert.deepEqual(evaluateResponse(parseExpression("yes"), ctx([0, 3])).levels, ["no", "yes"]);
});

test("numeric responses may be expressions", () => {
  const r = evaluateResponse(parseExpression("log(y + 1)"), ctx([0, 2]));
  assert.deepEqual(Array.from(r.y), [Math.log(2.5), 0]);
  assert.equal(r.label, "log(y + 1)");
});

test("bad responses are errors that say what to do", () => {
  assert.throws(
    () => evaluateResponse(parseExpression("three"), ctx([0, 1, 2])),
    (e: unknown) =>
      e instanceof MlmError &&
      e.message === "The response 'three' is categorical with 3 levels (a, b, c); mlm needs a numeric response or one with two levels.",
  );
  assert.throws(
    () => evaluateResponse(parseExpression("cbind(s, y - s)"), ctx([0])),
    (e: unknown) => e instanceof MlmError && e.message === "The response cbind(s, y - s) has negative counts; successes and failures must be 0 or more.",
  );
  assert.throws(
    () => evaluateResponse(parseExpression("log(y)"), ctx([0, 2])),
    (e: unknown) => e instanceof MlmError && e.message === "'log(y)' is -Inf (not a finite number) in 1 row, first in row 3; transform or remove those rows.",
  );
});
