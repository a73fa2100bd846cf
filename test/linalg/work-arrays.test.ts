import { test } from "node:test";
import assert from "node:assert/strict";
import { float64Views } from "../../src/linalg/work-arrays.js";

test("float64Views: arrays of the given lengths on one buffer, zero-filled and not overlapping", () => {
  const lengths = [3, 0, 1, 25, 2];
  const views = float64Views(lengths);
  assert.deepEqual(views.map((v) => v.length), lengths);
  for (const v of views) assert.equal(v.buffer, views[0].buffer);
  assert.equal(views[0].buffer.byteLength, 8 * 31);
  // write each view's index everywhere in it: no view sees another's writes
  views.forEach((v, k) => v.fill(k + 1));
  views.forEach((v, k) => assert.ok(v.every((x) => x === k + 1), `view ${k}`));
  // and writes past a view's end go nowhere
  views[2][1] = 99;
  assert.equal(views[3][0], 4);
});

test("float64Views: no lengths give no arrays", () => {
  assert.deepEqual(float64Views([]), []);
});
