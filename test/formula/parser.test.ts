import { test } from "node:test";
import assert from "node:assert/strict";
import { MlmError } from "../../src/errors.js";
import type { Expr } from "../../src/formula/ast.js";
import { deparse } from "../../src/formula/deparse.js";
import { MAX_DEPTH, parseExpression, parseFormulaSyntax } from "../../src/formula/parser.js";

const name = (n: string): Expr => ({ kind: "name", name: n });

/** The tree in prefix form, e.g. `+(a, :(b, c))`, to show how operators group. */
function tree(e: Expr): string {
  switch (e.kind) {
    case "name":
      return e.name;
    case "number":
      return String(e.value);
    case "call":
      return `${e.fn}[${e.args.map(tree).join(",")}]`;
    case "binary":
      return `${e.op}(${tree(e.left)},${tree(e.right)})`;
    case "unary":
      return `${e.op}(${tree(e.arg)})`;
    case "paren":
      return `((${tree(e.inner)}))`;
  }
}

test("documented examples", () => {
  assert.deepEqual(parseFormulaSyntax("y ~ a:b").rhs, { kind: "binary", op: ":", left: name("a"), right: name("b") });
  assert.deepEqual(parseExpression("log(x)"), { kind: "call", fn: "log", args: [name("x")] });
});

test("operators group with R's precedence and associativity", () => {
  // In R: as.list(quote(a + b:c * d)) etc.; each expected tree is R's parse of the same text.
  assert.equal(tree(parseExpression("a + b:c * d")), "+(a,*(:(b,c),d))");
  assert.equal(tree(parseExpression("a - b - c")), "-(-(a,b),c)");
  assert.equal(tree(parseExpression("a/b/c")), "/(/(a,b),c)");
  assert.equal(tree(parseExpression("a^b^c")), "^(a,^(b,c))");
  assert.equal(tree(parseExpression("-a:b")), ":(-(a),b)");
  assert.equal(tree(parseExpression("-x^2")), "-(^(x,2))");
  assert.equal(tree(parseExpression("x^-1")), "^(x,-(1))");
  assert.equal(tree(parseExpression("a %in% b:c")), "%in%(a,:(b,c))");
  assert.equal(tree(parseExpression("a * b %in% c")), "*(a,%in%(b,c))");
  assert.equal(tree(parseExpression("1 + x | g/h")), "|(+(1,x),/(g,h))");
  assert.equal(tree(parseExpression("x || g")), "||(x,g)");
  assert.equal(tree(parseExpression("(a + b)^2")), "^(((+(a,b))),2)");
  assert.equal(tree(parseExpression("Inf")), "Infinity");
});

test("formula sides, calls with named arguments and integer literals", () => {
  const f = parseFormulaSyntax("cbind(s, n - s) ~ poly(x, 2L, raw = TRUE)");
  assert.equal(deparse(f.lhs!), "cbind(s, n - s)");
  assert.deepEqual(f.rhs, {
    kind: "call",
    fn: "poly",
    args: [name("x"), { kind: "number", value: 2, integer: true }, name("TRUE")],
    names: [undefined, undefined, "raw"],
  });
  assert.equal(parseFormulaSyntax("~ x").lhs, undefined);
  assert.deepEqual(parseExpression("f()"), { kind: "call", fn: "f", args: [] });
});

/** The message a formula's syntax error produces. */
function message(text: string): string {
  try {
    parseFormulaSyntax(text);
  } catch (e) {
    assert.ok(e instanceof MlmError);
    return e.message;
  }
  assert.fail(`no error for ${text}`);
}

test("syntax errors name the position and put a caret under the formula", () => {
  assert.equal(message("y ~ x + )"), "Formula syntax error at character 9: unexpected ')'.\ny ~ x + )\n        ^");
  assert.equal(message("y ~ x + f))"), "Formula syntax error at character 10: unexpected ')'.\ny ~ x + f))\n         ^");
  assert.equal(message("y ~ (x))"), "Formula syntax error at character 8: unexpected ')'.\ny ~ (x))\n       ^");
  assert.equal(
    message("y ~ (x + f"),
    "Formula syntax error at character 5: this '(' is never closed; add a matching ')'.\ny ~ (x + f\n    ^",
  );
  assert.equal(
    message("y ~ log(x"),
    "Formula syntax error at character 8: this '(' is never closed; add a matching ')'.\ny ~ log(x\n       ^",
  );
  assert.equal(
    message("y ~ x +"),
    "Formula syntax error at character 8: the formula ends too early; something is missing after the last operator.\ny ~ x +\n       ^",
  );
  assert.equal(message("y ~ x y"), "Formula syntax error at character 7: unexpected name 'y'.\ny ~ x y\n      ^");
  assert.equal(message("y ~ * x"), "Formula syntax error at character 5: unexpected '*'.\ny ~ * x\n    ^");
  assert.equal(message("y ~ f(a,,b)"), "Formula syntax error at character 9: unexpected ','.\ny ~ f(a,,b)\n        ^");
  assert.equal(message("y ~ x ~ z"), "Formula syntax error at character 7: a formula has only one '~'.\ny ~ x ~ z\n      ^");
  assert.match(message("y ~ (x ~ z)"), /^Formula syntax error at character 8: '~' can only separate/);
  assert.equal(message("y ~ a = b"), "Formula syntax error at character 7: unexpected '='.\ny ~ a = b\n      ^");
  // Line breaks are shown as spaces so the caret lines up.
  assert.equal(message("y ~ x +\n )"), "Formula syntax error at character 10: unexpected ')'.\ny ~ x +  )\n         ^");
});

test("a missing '~', an empty side and a bare '.' are one-sentence MlmErrors", () => {
  assert.equal(
    message("y + x"),
    "The formula 'y + x' has no '~'; write it as 'response ~ terms', for example 'y ~ x + (1 | g)'.",
  );
  assert.equal(message("   "), "The formula is empty; write it as 'response ~ terms', for example 'y ~ x + (1 | g)'.");
  assert.equal(
    message("y ~ "),
    "The formula 'y ~' has nothing to the right of '~'; write '~ 1' for an intercept-only model.",
  );
  assert.match(message("y ~ ."), /'\.' shorthand/);
  assert.equal(parseExpression("`.`").kind, "name");
});

test("nesting beyond MAX_DEPTH is an MlmError, not a stack overflow", () => {
  const deep = `y ~ ${"(".repeat(MAX_DEPTH + 1)}x${")".repeat(MAX_DEPTH + 1)}`;
  assert.match(message(deep), /nested too deeply/);
  const chain = `y ~ ${Array.from({ length: MAX_DEPTH + 2 }, () => "x").join(" + ")}`;
  assert.match(message(chain), /nested too deeply/);
  assert.doesNotThrow(() => parseFormulaSyntax(`y ~ ${Array.from({ length: 400 }, () => "x").join(" + ")}`));
});
