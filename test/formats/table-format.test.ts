import { test } from "node:test";
import assert from "node:assert/strict";
import { formatFromPath, isTableFormat } from "../../src/formats/table-format.js";
import { mlmError } from "./helpers.js";

test("documented examples", () => {
  assert.equal(isTableFormat("tsv"), true);
  assert.equal(isTableFormat("xlsx"), false);
  assert.equal(formatFromPath("data/sleepstudy.CSV"), "csv");
  assert.equal(formatFromPath("runs.pq"), "parquet");
  assert.throws(() => formatFromPath("book.xlsx"), mlmError(/'book.xlsx'.*extension '\.xlsx'.*--format/));
});

test("every extension, and names without one", () => {
  assert.deepEqual(["a.csv", "a.tsv", "a.tab", "a.json", "a.parquet", "dir.v2/a.JSON", "C:\\x\\b.Tsv"].map(formatFromPath), [
    "csv",
    "tsv",
    "tsv",
    "json",
    "parquet",
    "json",
    "tsv",
  ]);
  assert.throws(() => formatFromPath("dir.csv/data"), mlmError(/has no extension/));
  assert.throws(() => formatFromPath(".csv"), mlmError(/has no extension/));
});
