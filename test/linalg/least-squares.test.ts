// leastSquares(): against hand-computed and R values, subsets, and rank deficiency.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { leastSquares } from "../../src/linalg/least-squares.js";

const ols = (X: Float64Array, n: number, p: number, y: Float64Array, rows?: ArrayLike<number>): Float64Array | null => leastSquares(X, n, p, y, { rows })?.beta ?? null;

describe("leastSquares", () => {
  it("recovers an exact line (the TSDoc example) and returns null for too few rows", () => {
    const X = Float64Array.of(1, 1, 1, 0, 1, 2);
    const y = Float64Array.of(1, 3, 5);
    const b = ols(X, 3, 2, y) as Float64Array;
    assert.ok(Math.abs(b[0] - 1) < 1e-14 && Math.abs(b[1] - 2) < 1e-14);
    assert.equal(ols(X, 3, 2, y, Int32Array.of(0)), null);
  });

  it("agrees with R's lm on a noisy quadratic", () => {
    // R: x <- 1:8; y <- c(2.3, 4.1, 7.9, 13.2, 21.5, 30.7, 42.2, 55.9); coef(lm(y ~ x + I(x^2)))
    //    (Intercept) 2.489285714285706, x -1.159523809523805, I(x^2) 0.978571428571428
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = Float64Array.of(2.3, 4.1, 7.9, 13.2, 21.5, 30.7, 42.2, 55.9);
    const X = Float64Array.from([...x.map(() => 1), ...x, ...x.map((v) => v * v)]);
    const b = ols(X, 8, 3, y) as Float64Array;
    const expected = [2.489285714285706, -1.159523809523805, 0.978571428571428];
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(b[j] - expected[j]) < 1e-12, `${j}: ${b[j]}`);
  });

  it("uses only the given rows", () => {
    const X = Float64Array.of(1, 1, 1, 1, 0, 1, 0, 1);
    const y = Float64Array.of(1, 2, 10, 30);
    const b = ols(X, 4, 2, y, [2, 3]) as Float64Array;
    assert.ok(Math.abs(b[0] - 10) < 1e-12 && Math.abs(b[1] - 20) < 1e-12);
  });

  it("returns null when a column is constant (aliased with the intercept) within the rows", () => {
    const X = Float64Array.of(1, 1, 1, 1, 3, 3, 3, 4);
    const y = Float64Array.of(1, 2, 3, 4);
    assert.equal(ols(X, 4, 2, y, [0, 1, 2]), null);
    assert.notEqual(ols(X, 4, 2, y), null);
  });
});
