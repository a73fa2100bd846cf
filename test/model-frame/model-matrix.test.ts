// R's coding rules for factors in terms (contrasts vs all indicators) and column naming/order.
// The full matrices are checked against R's model.matrix in model-frame.test.ts; these cases
// pin the rules themselves, each stated as R's terms()/model.matrix() gives it (R 4.2.2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFormula } from "../../src/formula/index.js";
import type { Value } from "../../src/model-frame/evaluate.js";
import { modelMatrix, termCoding } from "../../src/model-frame/model-matrix.js";
import { MlmError } from "../../src/errors.js";

const categorical = new Set(["f", "g", "h"]);
const coding = (rhs: string): number[][] =>
  termCoding(parseFormula(`y ~ ${rhs}`).fixed, (v) => categorical.has(v));

test("a factor is coded by contrasts when the term without it is empty or came before", () => {
  assert.deepEqual(coding("x + x:f"), [[0], [0, 1]]);
  assert.deepEqual(coding("x:f"), [[0, 2]]);
  assert.deepEqual(coding("f * g"), [[1], [1], [1, 1]]);
  // attr(terms(y ~ f:g), "factors") has 2 for both
  assert.deepEqual(coding("f:g"), [[2, 2]]);
  // y ~ f + f:g: f:g without g is f (listed before) -> g by contrasts; without f is g -> f by all
  assert.deepEqual(coding("f + f:g"), [[1], [2, 1]]);
  // x:f:g without g is x:f and without f is x:g, neither contained in x or f -> all indicators
  assert.deepEqual(coding("x + f + x:f:g"), [[0], [1], [0, 2, 2]]);
  // containment, not equality: g:f without f is g, contained in the earlier g:h (R labels the
  // term g:f and codes g by indicators, f by contrasts)
  assert.deepEqual(coding("g:h + f:g"), [[2, 2], [2, 1]]);
});

test("without an intercept the first factor of the first term holding one gets all indicators", () => {
  assert.deepEqual(coding("0 + f"), [[2]]);
  assert.deepEqual(coding("0 + x + f + g"), [[0], [2], [1]]);
  assert.deepEqual(coding("0 + x:f"), [[0, 2]]);
  assert.deepEqual(coding("0 + f:g + h"), [[2], [2, 2]]);
  assert.deepEqual(coding("0 + x"), [[0]]);
});

const values = new Map<string, Value>([
  ["x", { kind: "numeric", columns: [Float64Array.of(1, 2, 3, 4)], colnames: undefined }],
  ["f", { kind: "categorical", levels: ["A", "B", "C"], codes: Int32Array.of(0, 1, 2, 1) }],
  ["g", { kind: "categorical", levels: ["u", "v"], codes: Int32Array.of(0, 0, 1, 1) }],
  ["poly(x, 2)", { kind: "numeric", columns: [Float64Array.of(1, 0, 0, 0), Float64Array.of(0, 1, 0, 0)], colnames: ["1", "2"] }],
]);
const mm = (rhs: string): { matrix: Float64Array; names: string[] } =>
  modelMatrix(parseFormula(`y ~ ${rhs}`).fixed, values, 4);

test("column names and order follow model.matrix, the first variable of a term varying fastest", () => {
  assert.deepEqual(mm("x * f").names, ["(Intercept)", "x", "fB", "fC", "x:fB", "x:fC"]);
  assert.deepEqual(mm("f:g").names, ["(Intercept)", "fA:gu", "fB:gu", "fC:gu", "fA:gv", "fB:gv", "fC:gv"]);
  assert.deepEqual(mm("f * g").names, ["(Intercept)", "fB", "fC", "gv", "fB:gv", "fC:gv"]);
  assert.deepEqual(mm("poly(x, 2):g").names, ["(Intercept)", "poly(x, 2)1:gu", "poly(x, 2)2:gu", "poly(x, 2)1:gv", "poly(x, 2)2:gv"]);
  assert.deepEqual(mm("0 + f").names, ["fA", "fB", "fC"]);
});

test("values: products of the parts, column-major", () => {
  const { matrix, names } = mm("x:f");
  assert.deepEqual(names, ["(Intercept)", "x:fA", "x:fB", "x:fC"]);
  assert.deepEqual(Array.from(matrix), [1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0, 4, 0, 0, 3, 0]);
});

test("a factor with one level cannot be coded", () => {
  const one = new Map<string, Value>([["f", { kind: "categorical", levels: ["A"], codes: Int32Array.of(0, 0) }]]);
  assert.throws(
    () => modelMatrix(parseFormula("y ~ f").fixed, one, 2),
    (e: unknown) => e instanceof MlmError && e.message === "'f' has only one level ('A') in the rows used; a categorical predictor needs at least two levels.",
  );
});
