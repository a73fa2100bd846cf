import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compareCodePoints } from "../../src/data/code-point-order.js";

test("documented example: digits, upper case, lower case", () => {
  assert.deepEqual(["b", "B", "a", "10", "2"].sort(compareCodePoints), ["10", "2", "B", "a", "b"]);
});

test("astral characters sort after U+E000-U+FFFF, unlike UTF-16 unit order", () => {
  assert.ok(compareCodePoints("\u{1F600}", "\uFF61") > 0);
  assert.ok("\u{1F600}" < "\uFF61", "the default comparison gets this wrong");
  assert.ok(compareCodePoints("a", "ab") < 0);
  assert.equal(compareCodePoints("abc", "abc"), 0);
});

test("agrees with comparing arrays of code points", () => {
  const points = (s: string) => Array.from(s, (c) => c.codePointAt(0) as number);
  const reference = (a: string, b: string) => {
    const x = points(a);
    const y = points(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return Math.sign(x[i] - y[i]);
    return Math.sign(x.length - y.length);
  };
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
      assert.equal(Math.sign(compareCodePoints(a, b)), reference(a, b));
    }),
  );
});
