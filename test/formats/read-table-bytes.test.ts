import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readTableBytes } from "../../src/formats/read-table-bytes.js";
import { cells, fixture, mlmError } from "./helpers.js";

const bytes = (text: string) => new TextEncoder().encode(text);

test("documented example: European CSV", async () => {
  const t = await readTableBytes(bytes("y;g\n0,5;a\n1,5;b\n"), "e.csv", { decimal: "," });
  assert.deepEqual(cells(t, "y"), [0.5, 1.5]);
  assert.equal(t.notes?.[0].code, "delimiter-detected");
  assert.match(t.notes?.[0].text ?? "", /^Read 'e.csv' with ';' as the delimiter/);
});

test("the format comes from the extension, else from the bytes", async () => {
  const parquet = new Uint8Array(readFileSync(fixture("sleepstudy.parquet")));
  assert.equal((await readTableBytes(parquet, "upload")).nrows, 180);
  assert.deepEqual(cells(await readTableBytes(bytes(' [{"y": 1}, {"y": 2}]'), "paste"), "y"), [1, 2]);
  assert.deepEqual(cells(await readTableBytes(bytes("y\tg\n1\ta\n"), "clip.txt"), "g"), ["a"]);
  assert.deepEqual(cells(await readTableBytes(bytes("y\tg\n1\ta\n"), "d.tsv"), "y"), [1]);
  await assert.rejects(readTableBytes(new Uint8Array(0), "e.csv"), mlmError(/^'e.csv' is empty\.$/));
});

test("issue 15: an unused JSON column with 1e999 or a nested value does not block the others", async () => {
  const t = await readTableBytes(bytes('[{"y": 1, "big": 1e999, "meta": {"a": 1}}, {"y": 2, "big": 3, "meta": null}]'), "d.json");
  assert.deepEqual(cells(t, "y"), [1, 2]);
  assert.match(t.problems?.get("big") ?? "", /^Column 'big' has an infinite value in row 1/);
  assert.match(t.problems?.get("meta") ?? "", /^Column 'meta' holds a nested value/);
});
