// Dense kernels: the Cholesky factor reproduces the matrix it factors (property test, sizes on
// both sides of the panel width), triangular solves invert their matrices, and the TSDoc examples.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { cholesky, invertLower, solveLower, solveLowerTranspose, symmetrizeLower } from "../../src/linalg/dense.js";

/** A random SPD matrix B B' + n I (column-major, both triangles) from a seed. */
function spd(n: number, seed: number, sparsity = 0): Float64Array {
  let s = seed >>> 0 || 1;
  const r = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const k = Math.max(2, Math.floor(n / 3));
  const b = new Float64Array(n * k);
  for (let i = 0; i < b.length; i++) b[i] = r() < sparsity - 0.5 ? 0 : r();
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let v = i === j ? n : 0;
      for (let m = 0; m < k; m++) v += b[i + m * n] * b[j + m * n];
      a[i + j * n] = v;
      a[j + i * n] = v;
    }
  }
  return a;
}

describe("cholesky", () => {
  it("the TSDoc example", () => {
    const a = Float64Array.of(4, 2, 0, 3);
    assert.equal(cholesky(a, 2, 2), -1);
    assert.deepEqual(Array.from(a), [2, 1, 0, Math.SQRT2 * Math.sqrt(1)]);
  });
  it("L L' reproduces A (random SPD matrices, n from 1 to 130, dense and sparse)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom(0, 0.7), (n, seed, sp) => {
        const a = spd(n, seed, sp);
        const l = Float64Array.from(a);
        assert.equal(cholesky(l, n, n), -1);
        for (let j = 0; j < n; j++) {
          for (let i = j; i < n; i++) {
            let v = 0;
            for (let k = 0; k <= j; k++) v += l[i + k * n] * l[j + k * n];
            assert.ok(Math.abs(v - a[i + j * n]) <= 1e-10 * n, `(${i}, ${j})`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
  it("works on a block inside a larger array (offset and leading dimension)", () => {
    const n = 5;
    const ld = 8;
    const a = spd(n, 7);
    const big = new Float64Array(ld * ld + 3).fill(99);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) big[3 + i + j * ld] = a[i + j * n];
    assert.equal(cholesky(big, n, ld, 3), -1);
    const l = Float64Array.from(a);
    cholesky(l, n, n);
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) assert.ok(Math.abs(big[3 + i + j * ld] - l[i + j * n]) < 1e-12);
  });
  it("reports the column of a non-positive pivot", () => {
    const a = Float64Array.of(1, 2, 2, 1); // [[1, 2], [2, 1]] is indefinite
    assert.equal(cholesky(a, 2, 2), 1);
  });
});

describe("triangular solves and inverse", () => {
  it("solveLower and solveLowerTranspose invert L and L'", () => {
    const n = 60;
    const l = spd(n, 11);
    cholesky(l, n, n);
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    // b = L x, then solve
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) b[i] += l[i + k * n] * x[k];
    solveLower(l, n, n, b);
    b.forEach((v, i) => assert.ok(Math.abs(v - x[i]) < 1e-10));
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = i; k < n; k++) c[i] += l[k + i * n] * x[k];
    solveLowerTranspose(l, n, n, c);
    c.forEach((v, i) => assert.ok(Math.abs(v - x[i]) < 1e-10));
  });
  it("invertLower gives L⁻¹ (TSDoc example)", () => {
    const l = Float64Array.of(2, 1, 0, 1);
    invertLower(l, 2, 2);
    assert.deepEqual(Array.from(l), [0.5, -0.5, 0, 1]);
  });
  it("invertLower: L L⁻¹ = I on random factors of orders 1 to 70, with a leading dimension and zeros", () => {
    let s = 11;
    const r = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
    for (const n of [1, 3, 8, 31, 70]) {
      const ld = n + 2;
      const L = new Float64Array(ld * n);
      for (let j = 0; j < n; j++) for (let i = j; i < n; i++) L[i + j * ld] = i === j ? 1 + Math.abs(r()) : i % 3 === 0 ? 0 : r();
      const inv = Float64Array.from(L);
      invertLower(inv, n, ld);
      for (let j = 0; j < n; j++) {
        for (let i = j; i < n; i++) {
          let v = 0;
          for (let k = j; k <= i; k++) v += L[i + k * ld] * inv[k + j * ld];
          assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-10, `n ${n} (${i}, ${j}): ${v}`);
        }
      }
    }
  });
  it("symmetrizeLower copies the lower triangle up", () => {
    const a = Float64Array.of(1, 2, 0, 3);
    symmetrizeLower(a, 2, 2);
    assert.deepEqual(Array.from(a), [1, 2, 2, 3]);
  });
});
