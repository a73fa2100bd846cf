import { test } from "node:test";
import assert from "node:assert/strict";
import { MlmError } from "../../src/errors.js";
import { tokenize } from "../../src/formula/lexer.js";

const texts = (s: string): string[] => tokenize(s).map((t) => t.text);

test("documented example", () => {
  assert.deepEqual(texts("y ~ `my x`"), ["y", "~", "my x", ""]);
});

test("names, numbers and operators are split as R's lexer splits them", () => {
  assert.deepEqual(texts("log(y)~x.1+.z_2*2.5e-3:a%in%b||c|d^2L"), [
    "log", "(", "y", ")", "~", "x.1", "+", ".z_2", "*", "2.5e-3", ":", "a", "%in%", "b", "||", "c", "|", "d", "^", "2L", "",
  ]);
  assert.deepEqual(texts(".5+5.+1E2"), [".5", "+", "5.", "+", "1E2", ""]);
  assert.deepEqual(texts("größe ~ x"), ["größe", "~", "x", ""]);
  const tokens = tokenize("poly(x, raw = TRUE)");
  assert.deepEqual(tokens.map((t) => t.kind), ["name", "(", "name", ",", "name", "=", "name", ")", "end"]);
  assert.deepEqual(tokens.map((t) => t.start), [0, 4, 5, 6, 8, 12, 14, 18, 19]);
});

test("backtick-quoted names may hold any character and escaped backticks", () => {
  const [t] = tokenize("`a \\` b`");
  assert.deepEqual(t, { kind: "name", text: "a ` b", start: 0, quoted: true });
});

test("unknown operators and characters are MlmErrors naming the position", () => {
  // comparisons and logical operators are tokens now (evaluated inside I() and functions, issue 15)
  assert.deepEqual(tokenize("I(a >= 3 & !b != 0)").map((t) => t.text), ["I", "(", "a", ">=", "3", "&", "!", "b", "!=", "0", ")", ""]);
  assert.throws(() => tokenize("y ~ a <- b"), /character 7: '<-' is not an operator/);
  assert.throws(() => tokenize("y ~ a %o% b"), /character 7: '%o%' is not an operator/);
  assert.throws(() => tokenize("y ~ a$b"), /'\$' is not an operator/);
  assert.throws(() => tokenize('y ~ "a"'), /quoted strings are not supported/);
  assert.throws(() => tokenize("y ~ `a"), /character 5: this backtick is never closed/);
  assert.throws(() => tokenize("y ~ ``"), /cannot be empty/);
  assert.throws(() => tokenize("y ~ if"), /'if' is a reserved word/);
  assert.throws(() => tokenize("y ~ 2x"), /character 6: unexpected character 'x'/);
  assert.throws(() => tokenize("y ~ #"), MlmError);
});
