// Evaluation of formula expressions; expected values from R 4.2.2 where R defines the function.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExpression } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";
import {
  checkExpr,
  evaluateExpr,
  groupsOf,
  matchArguments,
  requireFinite,
  type EvalContext,
  type Value,
} from "../../src/model-frame/evaluate.js";
import type { FittedTransform } from "../../src/model-frame/types.js";
import { table } from "./helpers.js";

const data = table({
  x: [1, 2, 4],
  z: [0.1 + 0.2, 1e5, 2.5],
  f: ["b", "a", "c"],
  g: ["u", "v", "u"],
  Yield: [1, 2, 3],
});
const allRows = Int32Array.of(0, 1, 2);
const fit = (text: string, rows = allRows): { value: Value; calls: Map<string, FittedTransform> } => {
  const calls = new Map<string, FittedTransform>();
  const ctx: EvalContext = { data, rows, mode: "fit", calls };
  return { value: evaluateExpr(parseExpression(text), ctx), calls };
};
const numbers = (text: string): number[][] => {
  const { value } = fit(text);
  assert.equal(value.kind, "numeric");
  return value.kind === "numeric" ? value.columns.map((c) => Array.from(c)) : [];
};
const throwsMessage = (f: () => unknown, message: string): void => {
  assert.throws(f, (e: unknown) => e instanceof MlmError && e.message === message);
};

test("arithmetic, unary minus and the elementwise functions", () => {
  assert.deepEqual(numbers("I(x^2 - 2 * x / 4 + 1)"), [[1.5, 4, 15]]);
  assert.deepEqual(numbers("I(-x)"), [[-1, -2, -4]]);
  assert.deepEqual(numbers("log(x, 2)"), [[0, 1, 2]]);
  assert.deepEqual(numbers("log2(x)"), [[0, 1, 2]]);
  assert.deepEqual(numbers("sqrt(I(x * x))"), [[1, 2, 4]]);
  assert.deepEqual(numbers("abs(x - 3)"), [[2, 1, 1]]);
  assert.deepEqual(numbers("exp(log(x))").map((c) => c.map((v) => Math.round(v * 1e12) / 1e12)), [[1, 2, 4]]);
});

test("scale() centres and divides by the sd and keeps its parameters (R: scale(c(1, 2, 4)))", () => {
  const { value, calls } = fit("scale(x)");
  assert.ok(value.kind === "numeric");
  const want = [-0.87287156094397, -0.218217890235992, 1.09108945117996];
  value.columns[0].forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-14));
  const t = calls.get("scale(x)");
  assert.ok(t?.kind === "scale");
  assert.ok(Math.abs(t.center - 7 / 3) < 1e-15 && Math.abs(t.scale - 1.52752523165195) < 1e-14);
});

test("scale() options as R's: center = FALSE divides by the root mean square, scale = FALSE only centres", () => {
  // R: scale(c(1, 2, 4), center = FALSE) -> 0.308606699924184 0.617213399848368 1.23442679969674
  const [rms] = numbers("scale(x, center = FALSE)");
  [0.308606699924184, 0.617213399848368, 1.23442679969674].forEach((w, i) => assert.ok(Math.abs(rms[i] - w) < 1e-14));
  assert.deepEqual(numbers("scale(x, center = 2, scale = FALSE)"), [[-1, 0, 2]]);
});

test("as.numeric of a categorical gives its level numbers, as R's", () => {
  assert.deepEqual(numbers("as.numeric(f)"), [[2, 1, 3]]);
});

test("factor() of numbers: levels sorted numerically, written as R's as.character writes them", () => {
  // R: levels(factor(c(0.1 + 0.2, 1e5, 2.5))) is "0.3" "2.5" "1e+05"
  const { value } = fit("factor(z)");
  assert.deepEqual(value, { kind: "categorical", levels: ["0.3", "2.5", "1e+05"], codes: Int32Array.of(0, 2, 1) });
  // factor() of a categorical drops levels no row uses
  const sub = fit("factor(f)", Int32Array.of(0, 2)).value;
  assert.deepEqual(sub, { kind: "categorical", levels: ["b", "c"], codes: Int32Array.of(0, 1) });
});

test("center() and groupmean() learn means from the rows given", () => {
  assert.deepEqual(numbers("center(x)").map((c) => c.map((v) => Math.round(v * 1e12) / 1e12)), [[-4 / 3, -1 / 3, 5 / 3].map((v) => Math.round(v * 1e12) / 1e12)]);
  assert.deepEqual(numbers("groupmean(x, g)"), [[2.5, 2, 2.5]]);
  assert.deepEqual(numbers("center(x, g)"), [[-1.5, 0, 1.5]]);
  const { calls } = fit("center(x, g)");
  assert.deepEqual(calls.get("center(x, g)"), { kind: "groupmean", levels: ["u", "v"], means: [2.5, 2] });
});

test("poly() columns are named 1..k and raw = TRUE gives powers", () => {
  const { value } = fit("poly(x, 2, raw = TRUE)");
  assert.deepEqual(value, { kind: "numeric", columns: [Float64Array.of(1, 2, 4), Float64Array.of(1, 4, 16)], colnames: ["1", "2"] });
  const orth = fit("poly(x, degree = 2)");
  assert.ok(orth.value.kind === "numeric" && orth.value.colnames?.join() === "1,2");
  assert.equal(orth.calls.get("poly(x, degree = 2)")?.kind, "poly");
});

test("predict mode reuses the fitted parameters", () => {
  const { calls } = fit("scale(x)");
  const ctx: EvalContext = { data, rows: Int32Array.of(2), mode: "predict", calls };
  const v = evaluateExpr(parseExpression("scale(x)"), ctx);
  assert.ok(v.kind === "numeric" && Math.abs(v.columns[0][0] - 1.09108945117996) < 1e-14);
});

test("matchArguments matches names first, then positions, as R", () => {
  const call = parseExpression("poly(x, raw = TRUE, 3)");
  assert.ok(call.kind === "call");
  const m = matchArguments(call);
  assert.deepEqual([...m.keys()].sort(), ["degree", "raw", "x"]);
  assert.deepEqual(m.get("degree"), { kind: "number", value: 3 });
});

test("checkExpr: unknown columns with a suggestion, unknown functions, bad arguments and operators", () => {
  throwsMessage(() => checkExpr(parseExpression("Yeild"), data, false), "Column 'Yeild' is not in the data; did you mean 'Yield'?");
  throwsMessage(
    () => checkExpr(parseExpression("log(height)"), data, false),
    "Column 'height' is not in the data; its columns are 'x', 'z', 'f', 'g', 'Yield'.",
  );
  throwsMessage(
    () => checkExpr(parseExpression("sin(x)"), data, false),
    "Function 'sin' is not supported in formulas; use one of I, offset, log, log2, log10, log1p, exp, sqrt, abs, as.numeric, as.integer, ifelse, factor, as.factor, scale, poly, center, groupmean, cbind.",
  );
  throwsMessage(
    () => checkExpr(parseExpression("poly(x, 2, 3, 4)"), data, false),
    "poly(x, 2, 3, 4) has the wrong number of arguments; poly() takes x and optionally degree, raw.",
  );
  throwsMessage(() => checkExpr(parseExpression("poly(x, z)"), data, false), "poly(x, z): 'degree' must be written as a number.");
  throwsMessage(
    () => checkExpr(parseExpression("log(x:z)"), data, false),
    "The operator ':' cannot be used inside log(x:z); only + - * / ^ are arithmetic there (wrap them in I() in a formula term).",
  );
  throwsMessage(
    () => checkExpr(parseExpression("I(cbind(x, z))"), data, false),
    "cbind(successes, failures) may only be the response (left of ~) of a binomial model.",
  );
  checkExpr(parseExpression("cbind(x, z - x)"), data, true);
});

test("categorical values where numbers are needed are errors naming them", () => {
  throwsMessage(() => fit("log(f)"), "'f' is categorical but log(f) needs numbers; use a numeric column or as.numeric().");
  throwsMessage(() => fit("I(x * f)"), "'f' is categorical but x * f needs numbers; use a numeric column or as.numeric().");
  throwsMessage(() => fit("scale(I(x - x))"), "scale(I(x - x)) cannot be computed: the values have no spread (standard deviation 0) in the rows used.");
});

test("groupsOf labels numbers as R writes them (TSDoc example)", () => {
  assert.deepEqual(groupsOf({ kind: "numeric", columns: [Float64Array.of(2, 1e5, 2)], colnames: undefined }), {
    labels: ["2", "1e+05"],
    codes: Int32Array.of(0, 1, 0),
  });
});

test("requireFinite names the variable, the count and the first input row (TSDoc example)", () => {
  throwsMessage(
    () => requireFinite("log(x)", Float64Array.of(0, -Infinity), Int32Array.of(0, 4)),
    "'log(x)' is -Inf (not a finite number) in 1 row, first in row 5; transform or remove those rows.",
  );
  requireFinite("x", Float64Array.of(1, 2), Int32Array.of(0, 1));
});

test("| and || are R's logical or, with NA as R's (TRUE | NA is TRUE, FALSE | NA is NA)", () => {
  const codes = (text: string): number[] => {
    const { value } = fit(text);
    assert.ok(value.kind === "categorical" && value.logical === true);
    return value.kind === "categorical" ? Array.from(value.codes) : [];
  };
  // R: c(1, 2, 4) > 3 | c(0.3, 1e5, 2.5) > 2 is FALSE TRUE TRUE
  assert.deepEqual(codes("x > 3 | z > 2"), [0, 1, 1]);
  assert.deepEqual(codes("x > 3 || z > 2"), [0, 1, 1]);
  // R: sqrt(2 - c(1, 2, 4)) > 0 is TRUE FALSE NA, so with x == 2 it is TRUE TRUE NA and with
  // x == 4 TRUE FALSE TRUE; numbers are TRUE when not 0
  assert.deepEqual(codes("x == 2 | sqrt(2 - x) > 0"), [1, 1, -1]);
  assert.deepEqual(codes("x == 4 | sqrt(2 - x) > 0"), [1, 0, 1]);
  assert.deepEqual(codes("(x - 1) | 0"), [0, 1, 1]);
  throwsMessage(() => fit("1 | g"), "'g' is categorical, but inside a function 1 | g is a logical or of TRUE/FALSE values; a random-effects term such as (1 | g) is added to the formula with '+', not put inside a function.");
});
