// Orthogonal polynomials against R 4.2.2:
//   x <- c(0.5, 1, 2, 3.5, 4, 7); p <- poly(x, 3); unclass(p); predict(p, c(0, 5, 10))
import { test } from "node:test";
import assert from "node:assert/strict";
import { MlmError } from "../../src/errors.js";
import { polyFit, polyPredict } from "../../src/model-frame/poly.js";

const x = Float64Array.of(0.5, 1, 2, 3.5, 4, 7);
const rFit = [
  [-0.4682929057908471, -0.3746343246326775, -0.1873171623163388, 0.0936585811581694, 0.1873171623163387, 0.7492686492653552],
  [0.460861206432592, 0.190825343288495, -0.212428212340022, -0.47526311913361, -0.471662640958355, 0.507667422710901],
  [-0.4779071277635507, 0.2300519177301842, 0.6874358057553442, -0.0816602400434161, -0.4750944548475967, 0.1171740991690351],
];
const rPredict = [
  [-0.561951486949016, 0.374634324632678, 1.311220136214372],
  [0.776503126463246, -0.32764351394817, 3.128815534296264],
  [-1.58903656353977, -1.09110073193514, 15.55961384557763],
];

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) < tol, `${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test("polyFit equals R's poly(x, 3)", () => {
  const { columns, transform } = polyFit(x, 3, "poly(x, 3)");
  assert.equal(columns.length, 3);
  columns.forEach((c, k) => assertClose(c, rFit[k], 1e-13));
  assert.equal(transform.degree, 3);
  assert.equal(transform.norm2[0], 6);
});

test("polyPredict equals R's predict(poly(x, 3), newdata) and reproduces the fit", () => {
  const { columns, transform } = polyFit(x, 3, "poly(x, 3)");
  polyPredict(Float64Array.of(0, 5, 10), transform).forEach((c, k) => assertClose(c, rPredict[k], 1e-12));
  polyPredict(x, transform).forEach((c, k) => assertClose(c, Array.from(columns[k]), 1e-13));
});

test("the TSDoc examples of poly.ts", () => {
  const { columns, transform } = polyFit(Float64Array.of(1, 2, 3), 2, "poly(x, 2)");
  assertClose(columns[0], [-Math.SQRT1_2, 0, Math.SQRT1_2], 1e-15);
  assertClose(columns[1], [1 / Math.sqrt(6), -2 / Math.sqrt(6), 1 / Math.sqrt(6)], 1e-15);
  assertClose(polyPredict(Float64Array.of(2, 4), transform)[0], [0, Math.SQRT2], 1e-15);
});

test("a degree not below the number of distinct values is an error, as in R", () => {
  assert.throws(
    () => polyFit(Float64Array.of(1, 2, 2, 1), 2, "poly(x, 2)"),
    (e: unknown) =>
      e instanceof MlmError &&
      e.message === "The degree in poly(x, 2) must be less than the number of distinct values (2) in the rows used.",
  );
  assert.throws(() => polyFit(x, 0, "poly(x, 0)"), MlmError);
});
