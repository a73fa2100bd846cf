import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { deparse, deparseName, formatNumber } from "../../src/formula/deparse.js";
import { parseExpression } from "../../src/formula/parser.js";

const d = (text: string): string => deparse(parseExpression(text));

test("documented examples", () => {
  assert.equal(d("I(x*2)"), "I(x * 2)");
  assert.equal(d("cbind(s,n-s)"), "cbind(s, n - s)");
  assert.equal(d("I(age ^ 2)"), "I(age^2)");
  assert.equal(deparseName("Days"), "Days");
  assert.equal(deparseName("my col"), "`my col`");
  assert.equal(formatNumber(100000), "1e+05");
  assert.equal(formatNumber(0.001), "0.001");
  assert.equal(formatNumber(1 / 3), "0.333333333333333");
});

test("the labels the brief lists match R's deparse()", () => {
  // Rscript -e 'deparse(quote(I(age^2)))' etc.; each right-hand string is R's output.
  const cases: [string, string][] = [
    ["I(age^2)", "I(age^2)"],
    ["log(x)", "log(x)"],
    ["poly(x,2)", "poly(x, 2)"],
    ["I(x*2)", "I(x * 2)"],
    ["I(x/2)", "I(x/2)"],
    ["I(x+1)", "I(x + 1)"],
    ["I(-x)", "I(-x)"],
    ["cbind(incidence,size-incidence)", "cbind(incidence, size - incidence)"],
    ["factor(YEAR)", "factor(YEAR)"],
    ["scale(x)", "scale(x)"],
    ["offset(log(exposure))", "offset(log(exposure))"],
    ["center(x,g)", "center(x, g)"],
    ["groupmean(x,g)", "groupmean(x, g)"],
    // deparse(quote(poly(x, 2, raw=TRUE)))  ->  "poly(x, 2, raw = TRUE)"
    ["poly(x,2,raw=TRUE)", "poly(x, 2, raw = TRUE)"],
    // deparse(quote(- -b)) -> "--b";  deparse(quote(a - -b)) -> "a - -b"
    ["- -b", "--b"],
    ["a- -b", "a - -b"],
    // deparse(quote(`my f`(`a b`, `if`, `TRUE`, .x, `.2a`, `_a`)))
    ["`my f`(`a b`, `if`, TRUE, .x, `.2a`, `_a`)", "`my f`(`a b`, `if`, TRUE, .x, `.2a`, `_a`)"],
    // deparse(quote(I(2L*x))) -> "I(2L * x)"
    ["I(2L*x)", "I(2L * x)"],
  ];
  for (const [input, expected] of cases) assert.equal(d(input), expected, input);
});

test("every expression of the R fixture deparses as R does", () => {
  // Fixture made by test/formula/fixtures/make-fixtures.R with deparse(str2lang(text)).
  const cases = JSON.parse(readFileSync(new URL("fixtures/deparse-r.json", import.meta.url), "utf8")) as {
    text: string;
    deparse: string;
  }[];
  assert.ok(cases.length > 30);
  for (const c of cases) assert.equal(d(c.text), c.deparse, c.text);
});

test("numbers are printed as R prints them (15 significant digits, fixed or scientific)", () => {
  // vapply(c(...), deparse, "") in R
  const cases: [number, string][] = [
    [2.5, "2.5"],
    [1e5, "1e+05"],
    [123456, "123456"],
    [1e-4, "1e-04"],
    [0.001, "0.001"],
    [1e15, "1e+15"],
    [1e-300, "1e-300"],
    [1.5e300, "1.5e+300"],
    [Number("123456789012345678"), "123456789012345680"],
    [Number("0.1234567890123456789"), "0.123456789012346"],
    [100000.5, "100000.5"],
    [1e7, "1e+07"],
    [2 ** -22, "2.38418579101562e-07"], // an exact tie, rounded half to even as C's printf does
    [3975948468206240.5, "3975948468206240"],
    [Infinity, "Inf"],
    [NaN, "NaN"],
    [0, "0"],
    [-2.5, "-2.5"],
    // vapply(c(...), deparse, "") in R; the shortest digits of the first four have 16 or 17
    [0.1 + 0.2, "0.3"],
    [1234567890123456, "1234567890123456"],
    [999999999999999.9, "1e+15"],
    [0.99999999999999989, "1"],
    [123456789012345, "123456789012345"],
    [12345678901234500000, "12345678901234499584"],
    [5e-324, "4.94065645841247e-324"],
    [0.1, "0.1"],
    [1.25e-5, "1.25e-05"],
    [314159.2653, "314159.2653"],
  ];
  for (const [value, expected] of cases) assert.equal(formatNumber(value), expected, String(value));
});

test("property: a number below 1e15 prints as its value to 15 significant digits", () => {
  // toPrecision rounds the exact value, but ties upwards where R rounds half to even
  // (999999999999996.5 is "999999999999996" in R): values whose 16th digit is 5 are left out
  fc.assert(
    fc.property(fc.oneof(fc.double({ min: 2 ** -1022, max: 1e15, noNaN: true }), fc.integer({ min: 1, max: 1e9 }).map((k) => k / 1000)), (x) => {
      fc.pre(x < 1e15 && !x.toPrecision(16).replace(/e.*$/, "").endsWith("5"));
      return Number(formatNumber(x)) === Number(x.toPrecision(15)) && formatNumber(-x) === `-${formatNumber(x)}`;
    }),
    { numRuns: 2000 },
  );
});

test("names needing backticks are quoted, with escapes", () => {
  assert.equal(deparseName("a`b"), "`a\\`b`");
  assert.equal(deparseName("x.1"), "x.1");
  assert.equal(deparseName("."), ".");
  assert.equal(deparseName("in"), "`in`");
  assert.equal(deparseName("NA"), "NA");
  assert.equal(deparseName("größe"), "größe");
});

test("property: deparsed text parses back to the same text", () => {
  const leaf = fc.oneof(
    fc.constantFrom("a", "x.1", ".z", "`my col`", "`if`", "TRUE", "Inf", "2L"),
    fc.double({ min: 0, max: 1e300, noNaN: true }).map((v) => formatNumber(v)),
  );
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", ":", "^", "%in%", "|", "||"), tie("e")).map(([l, op, r]) => `${l} ${op} ${r}`),
      fc.tuple(fc.constantFrom("-", "+"), tie("e")).map(([op, e]) => op + e),
      tie("e").map((e) => `(${e})`),
      fc.tuple(fc.constantFrom("log", "I", "poly"), fc.array(tie("e"), { minLength: 1, maxLength: 3 })).map(([f, args]) => `${f}(${args.join(",")})`),
    ),
  })).e;
  fc.assert(
    fc.property(expr, (text) => {
      const once = d(text);
      assert.equal(d(once), once);
    }),
    { numRuns: 2000 },
  );
});
