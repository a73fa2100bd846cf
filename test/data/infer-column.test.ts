import { test } from "node:test";
import assert from "node:assert/strict";
import { categoricalColumn, inferColumn, isMissingValue } from "../../src/data/infer-column.js";
import { MlmError } from "../../src/errors.js";

test("missing values: undefined, null, NaN and the NA texts", () => {
  for (const v of [undefined, null, NaN, "", "NA", "NaN", "null", ".", " NA ", "  "]) assert.equal(isMissingValue(v), true, String(v));
  for (const v of [0, "0", "na", "N/A", false, "a"]) assert.equal(isMissingValue(v), false, String(v));
});

test("numeric text becomes a numeric column, missing as NaN", () => {
  const c = inferColumn("y", ["1.5", " 2", "NA", "-3e2", "", "."]);
  assert.equal(c.kind, "numeric");
  assert.deepEqual(Array.from(c.kind === "numeric" ? c.values : []), [1.5, 2, NaN, -300, NaN, NaN]);
});

test("typed arrays are numeric, NaN stays missing", () => {
  const c = inferColumn("y", new Int32Array([3, -1]));
  assert.deepEqual(c, { kind: "numeric", name: "y", values: new Float64Array([3, -1]) });
  const d = inferColumn("y", new Float64Array([0.5, NaN]));
  assert.deepEqual(d.kind === "numeric" && Array.from(d.values), [0.5, NaN]);
});

test("bigints are numbers", () => {
  assert.deepEqual(inferColumn("n", [1n, 2n, null]), { kind: "numeric", name: "n", values: new Float64Array([1, 2, NaN]) });
  assert.deepEqual(inferColumn("n", new BigInt64Array([5n])), { kind: "numeric", name: "n", values: new Float64Array([5]) });
});

test("one non-numeric text makes the column categorical, levels in code-point order", () => {
  const c = inferColumn("g", ["b", "10", "a", "B", "2", null, "b"]);
  assert.deepEqual(c, { kind: "categorical", name: "g", levels: ["10", "2", "B", "a", "b"], codes: new Int32Array([4, 0, 3, 2, 1, -1, 4]) });
});

test("Inf text is not a finite number, so the column is categorical", () => {
  assert.equal(inferColumn("x", ["1", "Inf"]).kind, "categorical");
});

test("booleans are categorical FALSE/TRUE", () => {
  assert.deepEqual(inferColumn("b", [true, false, null, true]), {
    kind: "categorical",
    name: "b",
    levels: ["FALSE", "TRUE"],
    codes: new Int32Array([1, 0, -1, 1]),
  });
  assert.deepEqual(inferColumn("b", [true, true]), {
    kind: "categorical",
    name: "b",
    levels: ["TRUE"],
    codes: new Int32Array([0, 0]),
  });
});

test("forced factors of numbers order levels numerically, as R's factor() does (issue 15)", () => {
  // R: levels(factor(c(10, 2, 2, NA, 1.5))) is c("1.5", "2", "10")
  const c = inferColumn("s", [10, 2, 2, NaN, 1.5], true);
  assert.deepEqual(c, { kind: "categorical", name: "s", levels: ["1.5", "2", "10"], codes: new Int32Array([2, 1, 1, -1, 0]) });
  // numeric text keeps its spelling as the label, ordered by value (ties in code-point order)
  const t = inferColumn("s", ["10", "9", "01", "1", "NA"], true);
  assert.deepEqual(t.kind === "categorical" && t.levels, ["01", "1", "9", "10"]);
  // text that is not all numbers stays in code-point order
  assert.deepEqual((inferColumn("s", ["10", "9", "a"], true) as { levels: readonly string[] }).levels, ["10", "9", "a"]);
});

test("dates become ISO text levels", () => {
  const c = categoricalColumn("d", [new Date(Date.UTC(2020, 0, 2)), new Date(NaN)]);
  assert.deepEqual(c.levels, ["2020-01-02T00:00:00.000Z"]);
  assert.deepEqual(Array.from(c.codes), [0, -1]);
});

test("infinite numbers and nested cells are refused with the row", () => {
  assert.throws(() => inferColumn("x", [1, Infinity]), (e: unknown) => e instanceof MlmError && /'x'.*infinite.*row 2/.test(e.message));
  assert.throws(() => inferColumn("x", new Float64Array([-Infinity])), /infinite value in row 1/);
  assert.throws(() => inferColumn("x", [1, [2, 3]]), (e: unknown) => e instanceof MlmError && /'x'.*nested.*row 2/.test(e.message));
  assert.throws(() => inferColumn("x", ["a", { b: 1 }]), /nested value/);
});
