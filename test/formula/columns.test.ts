import { test } from "node:test";
import assert from "node:assert/strict";
import { columnsOf } from "../../src/formula/columns.js";
import { parseExpression } from "../../src/formula/parser.js";

const cols = (s: string): string[] => columnsOf(parseExpression(s));

test("documented examples", () => {
  assert.deepEqual(cols("cbind(incidence, size - incidence)"), ["incidence", "size"]);
  assert.deepEqual(cols("poly(x, 2, raw = TRUE)"), ["x"]);
});

test("function names, argument names, numbers and constants are not columns", () => {
  // all.vars(quote(...)) in R gives the same names for these expressions.
  assert.deepEqual(cols("x"), ["x"]);
  assert.deepEqual(cols("I(age^2)"), ["age"]);
  assert.deepEqual(cols("log(exposure)"), ["exposure"]);
  assert.deepEqual(cols("center(x, g)"), ["x", "g"]);
  assert.deepEqual(cols("groupmean(x, g) + x:g"), ["x", "g"]);
  assert.deepEqual(cols("I(-x / y + 2.5 * (z - x))"), ["x", "y", "z"]);
  assert.deepEqual(cols("`my col` * log(`my col`)"), ["my col"]);
  assert.deepEqual(cols("f(NA, TRUE, FALSE, NULL, Inf)"), []);
  assert.deepEqual(cols("scale(x, center = m)"), ["x", "m"]);
});
