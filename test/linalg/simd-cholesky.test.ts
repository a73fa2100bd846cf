// The WebAssembly SIMD Cholesky kernel gives the factor of the plain kernel (property test over
// sizes around the panel width and odd orders), reports failed pivots, and drives the LMM
// workspace to the same criterion on a crossed design with a large dense trailing block.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { choleskySimd, simdMatrix } from "../../src/linalg/simd-cholesky.js";
import { cholesky } from "../../src/linalg/dense.js";
import { parseFormula } from "../../src/formula/index.js";
import { modelFrame } from "../../src/model-frame/index.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import { ReTerm } from "../../src/terms/re-term.js";
import { CrossProducts } from "../../src/lmm/cross-products.js";
import { LmmWorkspace } from "../../src/lmm/workspace.js";
import { trailingPattern } from "../../src/lmm/trailing-pattern.js";

describe("choleskySimd", () => {
  it("is available in Node 20 (WebAssembly SIMD)", () => assert.ok(simdMatrix(4)));
  it("the TSDoc example", () => {
    const m = simdMatrix(2)!;
    m.a.set([4, 2, 0, 3]);
    assert.equal(choleskySimd(m, 2), -1);
    assert.deepEqual(Array.from(m.a), [2, 1, 0, Math.SQRT2]);
  });
  it("matches the plain kernel on random SPD matrices", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 140 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        let s = seed;
        const r = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
        const m = simdMatrix(n)!;
        for (let j = 0; j < n; j++) for (let i = j; i < n; i++) m.a[i + j * n] = i === j ? n : r();
        const ref = Float64Array.from(m.a);
        assert.equal(cholesky(ref, n, n), -1);
        assert.equal(choleskySimd(m, n), -1);
        for (let j = 0; j < n; j++) for (let i = j; i < n; i++) assert.ok(Math.abs(m.a[i + j * n] - ref[i + j * n]) < 1e-12, `(${i}, ${j})`);
      }),
      { numRuns: 40 },
    );
  });
  it("reports the column of a non-positive pivot", () => {
    const m = simdMatrix(2)!;
    m.a.set([1, 2, 2, 1]);
    assert.equal(choleskySimd(m, 2), 1);
  });
  it("gives the LMM workspace the same criterion on a crossed design (trailing block of order 132)", () => {
    const n = 130 * 150;
    const cols = {
      y: Array.from({ length: n }, (_, i) => Math.cos(i) + ((i * 13) % 7) / 3),
      a: Array.from({ length: n }, (_, i) => `a${i % 130}`),
      b: Array.from({ length: n }, (_, i) => `b${Math.floor(i / 130)}`),
    };
    const frame = modelFrame(parseFormula("y ~ 1 + (1 | b) + (1 | a)"), toDataTable(cols));
    const terms = frame.reterms.map((t) => new ReTerm(t)).sort((x, y) => y.nlev - x.nlev);
    const A = new CrossProducts(terms, frame.n, 1);
    A.fill(frame.X, frame.response.y);
    assert.equal(A.D, 132); // levels of the second term + p + 1: large enough for the SIMD kernel
    assert.equal(trailingPattern(A), undefined); // fully crossed: dense
    const fast = new LmmWorkspace(A);
    const plain = new LmmWorkspace(A, false, false);
    for (const th of [[0.3, 0.8], [1, 1], [2.5, 0.05]]) {
      const f = fast.objective(th, true);
      const g = plain.objective(th, true);
      assert.ok(Math.abs(f - g) < 1e-9 * Math.abs(g), `${f} vs ${g}`);
    }
  });
});
