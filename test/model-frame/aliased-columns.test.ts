// Aliased columns against R's qr(X, tol = 1e-7) (R 4.2.2): the columns after the rank in $pivot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aliasedColumns } from "../../src/model-frame/aliased-columns.js";

/** Column-major matrix from columns. */
function cols(...columns: number[][]): { X: Float64Array; n: number; p: number } {
  const n = columns[0].length;
  return { X: Float64Array.from(columns.flat()), n, p: columns.length };
}

test("the TSDoc example: 2x is aliased with x", () => {
  assert.deepEqual(aliasedColumns(Float64Array.of(1, 1, 1, 1, 2, 3, 2, 4, 6), 3, 3), [2]);
});

test("full rank gives no aliased columns", () => {
  const { X, n, p } = cols([1, 1, 1, 1], [1, 2, 3, 4], [1, 0, 0, 0]);
  assert.deepEqual(aliasedColumns(X, n, p), []);
});

test("a later column that combines earlier ones is dropped, later independent ones kept", () => {
  // R: qr(cbind(1, 1:4, 2 * 1:4, c(1, 0, 0, 0)))$pivot is 1 2 4 3, rank 3
  const { X, n, p } = cols([1, 1, 1, 1], [1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 0, 0]);
  assert.deepEqual(aliasedColumns(X, n, p), [2]);
});

test("the tolerance is relative to each column's own norm, as in R", () => {
  // R: rank 2 for cbind(1, 1e-9 * 1:3, 1:3): the small column is kept, the last one dropped
  const small = cols([1, 1, 1], [1e-9, 2e-9, 3e-9], [1, 2, 3]);
  assert.deepEqual(aliasedColumns(small.X, small.n, small.p), [2]);
  // a perturbation of 1e-9 leaves 2 * 1:4 aliased in R (rank 3); 1e-6 too (relative residual < 1e-7)
  const near = cols([1, 1, 1, 1], [1, 2, 3, 4], [2 + 1e-9, 4, 6, 8], [1, 0, 0, 0]);
  assert.deepEqual(aliasedColumns(near.X, near.n, near.p), [2]);
  const apart = cols([1, 1, 1, 1], [1, 2, 3, 4], [2, 4 + 1e-3, 6, 8], [1, 0, 0, 0]);
  assert.deepEqual(aliasedColumns(apart.X, apart.n, apart.p), []);
});

test("zero columns and columns beyond n rows are aliased", () => {
  // R: qr(cbind(0, 1, 1:3))$pivot is 2 3 1
  const zero = cols([0, 0, 0], [1, 1, 1], [1, 2, 3]);
  assert.deepEqual(aliasedColumns(zero.X, zero.n, zero.p), [0]);
  // R: qr(cbind(1, 1:2, c(3, 1), c(5, 7)))$rank is 2
  const wide = cols([1, 1], [1, 2], [3, 1], [5, 7]);
  assert.deepEqual(aliasedColumns(wide.X, wide.n, wide.p), [2, 3]);
});

test("the input matrix is not modified", () => {
  const { X, n, p } = cols([1, 1, 1], [1, 2, 3], [2, 4, 6]);
  const copy = Float64Array.from(X);
  aliasedColumns(X, n, p);
  assert.deepEqual(X, copy);
});
