import { test } from "node:test";
import assert from "node:assert/strict";
import { messages, reasons, syntaxError } from "../../src/formula/messages.js";

test("documented examples", () => {
  assert.equal(syntaxError("y ~ (x))", 7, "unexpected ')'"), "Formula syntax error at character 8: unexpected ')'.\ny ~ (x))\n       ^");
  assert.equal(reasons.unexpected("')'"), "unexpected ')'");
  assert.equal(
    messages.noGroup("(x | 1)"),
    "The random-effects term '(x | 1)' has no grouping factor after the bar; write it as '(effects | group)', for example '(1 | subject)'.",
  );
});

test("the caret stays under the formula for positions at and past its end", () => {
  assert.equal(syntaxError("y ~", 3, "x"), "Formula syntax error at character 4: x.\ny ~\n   ^");
  assert.equal(syntaxError("a\tb", 2, "x"), "Formula syntax error at character 3: x.\na b\n  ^");
});

test("one-sentence messages end with a full stop and name no internals", () => {
  for (const [key, value] of Object.entries(messages)) {
    const text = typeof value === "function" ? (value as (a: string) => string)("(1 | g)") : value;
    assert.match(text, /^[A-Z'].*\.$/s, key);
  }
});
