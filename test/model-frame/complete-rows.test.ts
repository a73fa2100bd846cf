// Complete rows: NaN in numeric and code -1 in categorical columns are missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { completeRows } from "../../src/model-frame/complete-rows.js";
import { table } from "./helpers.js";

test("rows with a missing value in any listed column are dropped (TSDoc example)", () => {
  const data = table({ Days: [0, null, 2], Subject: ["a", "a", null], other: [null, 1, 1] });
  assert.deepEqual(completeRows(data, ["Days", "Subject"]), { rows: Int32Array.of(0), missingIn: ["Days", "Subject"] });
  assert.deepEqual(completeRows(data, ["Days"]), { rows: Int32Array.of(0, 2), missingIn: ["Days"] });
  assert.deepEqual(completeRows(data, []), { rows: Int32Array.of(0, 1, 2), missingIn: [] });
});
