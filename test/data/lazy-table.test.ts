import { test } from "node:test";
import assert from "node:assert/strict";
import { lazyTable } from "../../src/data/lazy-table.js";
import { toDataTable } from "../../src/data/to-data-table.js";

test("documented example, and each column is typed once, on first read", () => {
  const typed: string[] = [];
  const t = lazyTable(["y", "bad"], 2, (name) => {
    typed.push(name);
    return name === "y" ? { column: { kind: "numeric", name, values: Float64Array.of(1, 2) } } : { problem: "Column 'bad' is bad." };
  });
  assert.equal(t.columns.get("y")?.kind, "numeric");
  assert.equal(t.problems?.get("y"), undefined);
  assert.deepEqual(typed, ["y"]);
  assert.equal(t.columns.has("bad"), false);
  assert.equal(t.problems?.get("bad"), "Column 'bad' is bad.");
  assert.equal(t.columns.size, 1);
  assert.deepEqual(typed, ["y", "bad"]);
  assert.equal(t.columns.get("nope"), undefined);
  assert.throws(() => (t.columns as Map<string, unknown>).set("z", 1), TypeError);
  // a lazy table passes through toDataTable, and factors keep the problems
  assert.equal(toDataTable(t), t);
  assert.equal(toDataTable(t, { factors: ["y"] }).problems?.get("bad"), "Column 'bad' is bad.");
});
