import { test } from "node:test";
import assert from "node:assert/strict";
import { toDataTable } from "../../src/data/to-data-table.js";
import type { ArrowLikeTable } from "../../src/data/data-input.js";
import type { Column } from "../../src/data/table.js";
import { MlmError } from "../../src/errors.js";

const numeric = (name: string, values: number[]): Column => ({ kind: "numeric", name, values: new Float64Array(values) });
const categorical = (name: string, levels: string[], codes: number[]): Column => ({
  kind: "categorical",
  name,
  levels,
  codes: new Int32Array(codes),
});

test("documented example: rows", () => {
  const t = toDataTable([{ y: 1.5, g: "b" }, { y: "NA", g: "a" }], { factors: [] });
  assert.equal(t.nrows, 2);
  assert.deepEqual(t.names, ["y", "g"]);
  assert.deepEqual(t.columns.get("y"), numeric("y", [1.5, NaN]));
  assert.deepEqual(t.columns.get("g"), categorical("g", ["a", "b"], [1, 0]));
  assert.deepEqual(toDataTable({ s: [3, 10] }, { factors: ["s"] }).columns.get("s"), categorical("s", ["3", "10"], [0, 1]));
});

test("columns: arrays and typed arrays", () => {
  const t = toDataTable({ y: new Float64Array([1, 2, 3]), g: ["x", "y", "x"], k: [true, false, true] });
  assert.equal(t.nrows, 3);
  assert.deepEqual(t.names, ["y", "g", "k"]);
  assert.deepEqual(t.columns.get("y"), numeric("y", [1, 2, 3]));
  assert.deepEqual(t.columns.get("g"), categorical("g", ["x", "y"], [0, 1, 0]));
  assert.deepEqual(t.columns.get("k"), categorical("k", ["FALSE", "TRUE"], [1, 0, 1]));
});

test("rows: keys in order of first appearance, absent keys missing", () => {
  const t = toDataTable([{ a: 1 }, { b: "u", a: 2 }, { a: 3, c: null }]);
  assert.deepEqual(t.names, ["a", "b", "c"]);
  assert.deepEqual(t.columns.get("a"), numeric("a", [1, 2, 3]));
  assert.deepEqual(t.columns.get("b"), categorical("b", ["u"], [-1, 0, -1]));
  assert.deepEqual(t.columns.get("c"), numeric("c", [NaN, NaN, NaN]));
});

/** A minimal stand-in for an apache-arrow Table, with a null in a numeric column. */
function arrowTable(): ArrowLikeTable {
  const data: Record<string, unknown[]> = { y: [1.5, null, 3], g: ["b", "a", "b"] };
  const vector = (xs: unknown[]) => ({
    length: xs.length,
    nullCount: xs.filter((x) => x === null).length,
    get: (i: number) => xs[i],
    // Arrow's toArray() returns the raw buffer, where a null reads as 0; mlm must not trust it then.
    toArray: () => Float64Array.from(xs.map((x) => (typeof x === "number" ? x : 0))),
  });
  return {
    numRows: 3,
    schema: { fields: [{ name: "y" }, { name: "g" }] },
    getChild: (name: string) => {
      const xs = data[name];
      if (!xs) return null;
      const v = vector(xs);
      return name === "g" ? { ...v, toArray: () => xs } : v;
    },
  };
}

test("Arrow-like tables: nulls read through get(), not the raw buffer", () => {
  const t = toDataTable(arrowTable());
  assert.deepEqual(t.names, ["y", "g"]);
  assert.deepEqual(t.columns.get("y"), numeric("y", [1.5, NaN, 3]));
  assert.deepEqual(t.columns.get("g"), categorical("g", ["a", "b"], [1, 0, 1]));
});

test("a DataTable passes through, factors convert numeric columns", () => {
  const t = toDataTable({ s: [2, 10, NaN], y: [1, 2, 3] });
  assert.equal(toDataTable(t), t);
  const f = toDataTable(t, { factors: ["s"] });
  assert.deepEqual(f.columns.get("s"), categorical("s", ["2", "10"], [0, 1, -1])); // numeric order, as R's factor() (issue 15)
  assert.equal(f.columns.get("y"), t.columns.get("y"));
});

test("zero rows are allowed", () => {
  const t = toDataTable({ y: [] });
  assert.equal(t.nrows, 0);
  assert.deepEqual(t.columns.get("y"), numeric("y", []));
});

const mlmError = (pattern: RegExp) => (e: unknown) => e instanceof MlmError && pattern.test(e.message);

test("bad input is refused with an MlmError", () => {
  assert.throws(() => toDataTable({ a: [1, 2], b: [1] }), mlmError(/Column 'b' has 1 values but column 'a' has 2/));
  assert.throws(() => toDataTable({}), mlmError(/no columns/));
  assert.throws(() => toDataTable([]), mlmError(/no columns/));
  assert.throws(() => toDataTable({ y: [1] }, { factors: ["Y"] }), mlmError(/Column 'Y' named as a factor is not in the data; did you mean 'y'\?/));
  assert.throws(() => toDataTable({ y: [1] }, { factors: ["zzz"] }), mlmError(/'zzz'.*the columns are 'y'/));
  assert.throws(() => toDataTable({ y: 3 } as never), mlmError(/Column 'y' is not an array/));
  assert.throws(() => toDataTable([{ a: 1 }, 5] as never), mlmError(/Row 2 of the data is not an object/));
  assert.throws(() => toDataTable({ " ": [1] }), mlmError(/Column 1 of the data has no name/));
  assert.throws(() => toDataTable(null as never), mlmError(/must be an object of columns/));
  const dup: ArrowLikeTable = {
    numRows: 1,
    schema: { fields: [{ name: "a" }, { name: "a" }] },
    getChild: () => ({ length: 1, nullCount: 0, get: () => 1, toArray: () => [1] }),
  };
  assert.throws(() => toDataTable(dup), mlmError(/'a' appears more than once/));
});
