import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJsonTable } from "../../src/formats/parse-json.js";
import { cells, mlmError } from "../io/helpers.js";

test("documented example: records with null", () => {
  assert.deepEqual(parseJsonTable('[{"y": 1, "g": "b"}, {"y": null, "g": "a"}]', "d.json").columns.get("y"), {
    kind: "numeric",
    name: "y",
    values: new Float64Array([1, NaN]),
  });
});

test("an object of columns, with a BOM and forced factors", () => {
  const t = parseJsonTable('\uFEFF{"y": [1.5, 2], "s": [10, 9]}', "d.json", ["s"]);
  assert.deepEqual(cells(t, "y"), [1.5, 2]);
  assert.deepEqual(cells(t, "s"), ["10", "9"]);
});

test("bad JSON is refused with one sentence", () => {
  assert.throws(() => parseJsonTable(" ", "d.json"), mlmError(/^'d.json' is empty\.$/));
  assert.throws(() => parseJsonTable('[{"y": 1},', "d.json"), mlmError(/^'d.json' is not a valid JSON file: .+\.$/));
  assert.throws(() => parseJsonTable("[]", "d.json"), mlmError(/^'d.json' holds an empty array/));
  assert.throws(() => parseJsonTable("42", "d.json"), mlmError(/^'d.json' must hold an array of records or an object of columns, not a number\.$/));
  assert.throws(() => parseJsonTable("null", "d.json"), mlmError(/not null\.$/));
  assert.throws(() => parseJsonTable('{"name": "mlm"}', "d.json"), mlmError(/but its 'name' is not an array\.$/));
  assert.throws(() => parseJsonTable("[1, 2]", "d.json"), mlmError(/^Row 1 of the data is not an object/));
  assert.throws(() => parseJsonTable('{"y": [1, 2], "g": ["a"]}', "d.json"), mlmError(/same length/));
});

test("a JSON.parse message is kept to one line", () => {
  assert.throws(
    () => parseJsonTable("[\n\n{\"y\": \n oops}]", "d.json"),
    (e: unknown) => e instanceof Error && !e.message.includes("\n"),
  );
});
