// Aliased columns against R's qr(X, tol = 1e-7) (R 4.2.2): the columns after the rank in $pivot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aliasedColumns, weightedDistinctRows } from "../../src/model-frame/aliased-columns.js";

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

test("a matrix of repeated rows (factor codes) gives R's answer through its distinct rows", () => {
  // 200 rows of 1, a two-level factor, a four-level factor and their sum (aliased: a + b1 + ... )
  const n = 200;
  const one = Array.from({ length: n }, () => 1);
  const a = Array.from({ length: n }, (_, i) => i % 2);
  const b = [1, 2, 3].map((l) => Array.from({ length: n }, (_, i) => (Math.floor(i / 3) % 4 === l ? 1 : 0)));
  const sum = a.map((v, i) => v + b[0][i] + 2 * b[2][i]);
  const { X, p } = cols(one, a, ...b, sum, a.map((v, i) => v * b[1][i]));
  // R: qr(X)$pivot puts column 6 (the sum) after the rank of 6
  assert.deepEqual(aliasedColumns(X, n, p), [5]);
  assert.equal(weightedDistinctRows(X, n, p, 50)?.n, 8, "2 × 4 distinct rows");
  assert.equal(weightedDistinctRows(X, n, p, 7), undefined, "more distinct rows than allowed");
});

test("the distinct rows scaled by √count have the cross product X'X", () => {
  const n = 100;
  const x = Array.from({ length: n }, (_, i) => (i * 7) % 5);
  const z = Array.from({ length: n }, (_, i) => ((i * 3) % 4) * 0.5);
  const { X, p } = cols(x, z);
  const d = weightedDistinctRows(X, n, p, 25)!;
  for (const [j, k] of [[0, 0], [0, 1], [1, 1]]) {
    let full = 0;
    for (let i = 0; i < n; i++) full += X[i + j * n] * X[i + k * n];
    let small = 0;
    for (let i = 0; i < d.n; i++) small += d.rows[i + j * d.n] * d.rows[i + k * d.n];
    assert.ok(Math.abs(full - small) < 1e-9 * full, `${j}${k}: ${full} vs ${small}`);
  }
});
