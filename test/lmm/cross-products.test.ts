// CrossProducts against the dense [Z X y]'W[Z X y] formed directly from the model frame: every
// block (A11 per level of the first term, the A21 blocks per level, the dense A22) and logW, for
// one term, nested terms, crossed terms, vector-valued terms and prior weights; and dense(), the
// same products as whole matrices.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CrossProducts } from "../../src/lmm/cross-products.js";
import type { ModelFrame } from "../../src/model-frame/types.js";
import type { ReTerm } from "../../src/terms/re-term.js";
import { crossprod, denseZXy, frameOf, lcg, maxAbs } from "./helpers.js";

/** Columns for the designs below: 36 rows, factors g (5 levels), a (4), b within a (3 each), h (6, crossed with a). */
function columns(n = 36, seed = 7): Record<string, (number | string)[]> {
  const r = lcg(seed);
  const x = Array.from({ length: n }, () => Math.round(10 * r()) / 2);
  return {
    y: x.map((v, i) => 3 + 0.5 * v + Math.sin(i) + r()),
    x,
    w: Array.from({ length: n }, () => 0.25 + 2 * r()),
    g: Array.from({ length: n }, (_, i) => `g${(i * 7) % 5}`),
    a: Array.from({ length: n }, (_, i) => `a${i % 4}`),
    b: Array.from({ length: n }, (_, i) => `b${Math.floor(i / 4) % 3}`),
    h: Array.from({ length: n }, (_, i) => `h${Math.floor(i / 6)}`),
  };
}

/**
 * Fill A (with the frame's prior weights, if any) and compare every block with the dense
 * C = [Z X y]' diag(w) [Z X y]; returns A for further checks.
 */
function checkAgainstDense(frame: ModelFrame, terms: readonly ReTerm[]): CrossProducts {
  const n = frame.n;
  const p = frame.fixefNames.length;
  const w = frame.weights;
  const A = new CrossProducts(terms, n, p);
  A.fill(frame.X, frame.response.y, w ? w.map(Math.sqrt) : undefined);
  const { M, m, q } = denseZXy(frame, terms);
  const C = crossprod(M, n, m, w);
  const tol = 1e-12 * maxAbs(C);
  const k1 = terms[0].k;
  const q1 = terms[0].q;
  const D = m - q1;
  const at = (i: number, j: number): number => C[i + j * m];

  // sizes
  assert.equal(A.k1, k1);
  assert.equal(A.nlev1, terms[0].nlev);
  assert.equal(A.p, p);
  assert.equal(A.qRest, q - q1);
  assert.equal(A.D, D);
  let off = 0;
  for (let t = 1; t < terms.length; t++) {
    assert.equal(A.restOffset[t - 1], off, `restOffset of term ${t}`);
    off += terms[t].q;
  }

  // A11: one k1 × k1 block per level of the first term (its lower triangle is what A holds)
  for (let g = 0; g < A.nlev1; g++) {
    for (let c = 0; c < k1; c++) {
      for (let d = c; d < k1; d++) {
        const got = A.A11[g * k1 * k1 + d + c * k1];
        const want = at(g * k1 + d, g * k1 + c);
        assert.ok(Math.abs(got - want) <= tol, `A11 level ${g} (${d}, ${c}): ${got} vs ${want}`);
      }
    }
  }

  // A21: scatter the blocks into a dense D × q1 matrix; every entry of C's block must be covered
  const R = new Float64Array(D * q1);
  const seen = new Uint8Array(D * q1);
  for (let g = 0; g < A.nlev1; g++) {
    const b0 = A.colPtr[g];
    const b1 = A.colPtr[g + 1];
    assert.ok(b1 > b0, `level ${g} has blocks`);
    // the [X y] block comes last, at trailing row qRest, p + 1 rows
    assert.equal(A.blkTerm[b1 - 1], -1);
    assert.equal(A.blkRow[b1 - 1], A.qRest);
    assert.equal(A.blkSize[b1 - 1], p + 1);
    for (let b = b0; b < b1; b++) {
      if (b > b0) assert.ok(A.blkRow[b] > A.blkRow[b - 1], "blocks of a level in increasing row order");
      const s = A.blkSize[b];
      const t = A.blkTerm[b];
      if (t >= 0) {
        assert.equal(s, terms[t].k, "a random-effects block has k_t rows");
        const r0 = A.blkRow[b] - A.restOffset[t - 1];
        assert.ok(r0 >= 0 && r0 < terms[t].q && r0 % terms[t].k === 0, "the block starts a level of its term");
      }
      assert.equal(A.valPtr[b + 1] - A.valPtr[b], s * k1);
      for (let c = 0; c < k1; c++) {
        for (let i = 0; i < s; i++) {
          const idx = A.blkRow[b] + i + (g * k1 + c) * D;
          assert.equal(seen[idx], 0, "each entry in one block only");
          seen[idx] = 1;
          R[idx] = A.A21[A.valPtr[b] + i + c * s];
        }
      }
    }
  }
  assert.equal(A.colPtr[A.nlev1], A.blkRow.length);
  for (let c = 0; c < q1; c++) {
    for (let r = 0; r < D; r++) {
      const want = at(q1 + r, c);
      const got = R[r + c * D];
      assert.ok(Math.abs(got - want) <= tol, `A21 (${r}, ${c}): ${got} vs ${want}${seen[r + c * D] ? "" : " (not in any block)"}`);
    }
  }

  // A22: lower triangle of the trailing D × D block
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      const got = A.A22[i + j * D];
      const want = at(q1 + i, q1 + j);
      assert.ok(Math.abs(got - want) <= tol, `A22 (${i}, ${j}): ${got} vs ${want}`);
    }
  }

  // dense(): Z'Z (both triangles), Z'X and X'X, the blocks of C itself
  const dense = A.dense();
  assert.equal(dense.q, q);
  for (let j = 0; j < q; j++) for (let i = 0; i < q; i++) assert.ok(Math.abs(dense.C[i + j * q] - at(i, j)) <= tol, `dense Z'Z (${i}, ${j})`);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < q; i++) assert.ok(Math.abs(dense.ZX[i + j * q] - at(i, q + j)) <= tol, `dense Z'X (${i}, ${j})`);
    for (let i = 0; i < p; i++) assert.ok(Math.abs(dense.XX[i + j * p] - at(q + i, q + j)) <= tol, `dense X'X (${i}, ${j})`);
  }

  // logW = Σ log wᵢ
  const logW = w ? w.reduce((s, v) => s + Math.log(v), 0) : 0;
  assert.ok(Math.abs(A.logW - logW) <= 1e-12 * Math.max(1, Math.abs(logW)), `logW ${A.logW} vs ${logW}`);
  return A;
}

describe("CrossProducts", () => {
  const cols = columns();

  it("one scalar term: A11 holds the level counts, A21 one [X y] block per level, A22 = [X y]'[X y]", () => {
    const { frame, terms } = frameOf("y ~ 1 + x + (1 | g)", cols);
    const A = checkAgainstDense(frame, terms);
    assert.equal(A.D, 3);
    assert.equal(A.blkRow.length, 5, "only the [X y] block at each of the 5 levels");
    // the row counts of the levels, a value that needs no dense product
    const counts = [0, 0, 0, 0, 0];
    for (const r of terms[0].frame.group.refs) counts[r]++;
    assert.deepEqual(Array.from(A.A11), counts);
  });

  it("one scalar term with its levels in runs, a slope without intercept, and no X (PIRLS's u-only fill)", () => {
    const sorted = columns();
    const order = sorted.g.map((_, i) => i).sort((i, j) => String(sorted.g[i]).localeCompare(String(sorted.g[j])) || i - j);
    for (const k of Object.keys(sorted)) sorted[k] = order.map((i) => cols[k][i]);
    for (const f of ["y ~ 1 + x + (1 | g)", "y ~ 1 + x + (0 + x | g)"]) {
      for (const c of [cols, sorted]) {
        const { frame, terms } = frameOf(f, c, "w");
        const A = checkAgainstDense(frame, terms);
        // p = 0: the same A11, the y column of A21 and Σ w y²
        const noX = new CrossProducts(terms, frame.n, 0);
        noX.fill(new Float64Array(0), frame.response.y, frame.weights!.map(Math.sqrt));
        assert.deepEqual(Array.from(noX.A11), Array.from(A.A11));
        for (let g = 0; g < A.nlev1; g++) assert.ok(Math.abs(noX.A21[g] - A.A21[A.valPtr[g] + 2]) <= 1e-12 * Math.abs(A.A21[A.valPtr[g] + 2]), `A21 y of level ${g}`);
        assert.ok(Math.abs(noX.A22[0] - A.A22[8]) <= 1e-12 * A.A22[8]);
      }
    }
  });

  it("two nested terms (1 | a/b): each level of b:a meets one level of a", () => {
    const { frame, terms } = frameOf("y ~ 1 + x + (1 | a/b)", cols);
    assert.deepEqual(terms.map((t) => t.frame.group.name), ["b:a", "a"]);
    const A = checkAgainstDense(frame, terms);
    for (let g = 0; g < A.nlev1; g++) assert.equal(A.colPtr[g + 1] - A.colPtr[g], 2, "one level of a and the [X y] block");
  });

  it("two crossed terms (1 | a) + (1 | h)", () => {
    const { frame, terms } = frameOf("y ~ 1 + x + (1 | a) + (1 | h)", cols);
    assert.deepEqual(terms.map((t) => t.frame.group.name), ["h", "a"]);
    checkAgainstDense(frame, terms);
  });

  it("a vector-valued term (1 + x | g), alone and with a crossed vector-valued term (1 + x | a)", () => {
    const one = frameOf("y ~ 1 + x + (1 + x | g)", cols);
    assert.equal(one.terms[0].k, 2);
    checkAgainstDense(one.frame, one.terms);
    const two = frameOf("y ~ 1 + x + (1 + x | g) + (1 + x | a)", cols);
    const A = checkAgainstDense(two.frame, two.terms);
    assert.ok(Array.from(A.blkSize).includes(2), "trailing blocks of two rows");
  });

  it("uncorrelated terms (1 + x || g) and three terms (1 | g) + (1 | a/b)", () => {
    const u = frameOf("y ~ 1 + x + (1 + x || g)", cols);
    checkAgainstDense(u.frame, u.terms);
    const three = frameOf("y ~ 1 + x + (1 | g) + (1 | a/b)", cols);
    assert.equal(three.terms.length, 3);
    checkAgainstDense(three.frame, three.terms);
  });

  it("prior weights scale every row by √wᵢ and give logW = Σ log wᵢ", () => {
    for (const f of ["y ~ 1 + x + (1 | g)", "y ~ 1 + x + (1 | a/b)", "y ~ 1 + x + (1 + x | g) + (1 | h)"]) {
      const { frame, terms } = frameOf(f, cols, "w");
      assert.ok(frame.weights, "the frame carries the weights");
      checkAgainstDense(frame, terms);
    }
  });

  it("fill starts afresh: weighted, then unweighted, equals unweighted alone", () => {
    const { frame, terms } = frameOf("y ~ 1 + x + (1 + x | g) + (1 | h)", cols);
    const once = new CrossProducts(terms, frame.n, 2);
    once.fill(frame.X, frame.response.y);
    const twice = new CrossProducts(terms, frame.n, 2);
    twice.fill(frame.X, frame.response.y, Float64Array.from(cols.w as number[], Math.sqrt));
    assert.ok(twice.logW !== 0);
    twice.fill(frame.X, frame.response.y);
    assert.equal(twice.logW, 0);
    assert.deepEqual(twice.A11, once.A11);
    assert.deepEqual(twice.A21, once.A21);
    assert.deepEqual(twice.A22, once.A22);
  });

  it("random crossed and nested designs with weights and vector-valued terms match the dense product (property)", () => {
    const design = fc.record({
      n: fc.integer({ min: 14, max: 40 }),
      la: fc.integer({ min: 2, max: 4 }),
      lb: fc.integer({ min: 2, max: 3 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
      formula: fc.constantFrom(
        "y ~ 1 + x + (1 | a) + (1 | c)",
        "y ~ 1 + x + (1 + x | a) + (1 | c)",
        "y ~ 1 + (1 | c) + (1 + x | a)",
        "y ~ x + (1 | a/c)",
        "y ~ 1 + x + (1 + x | a/c)",
      ),
      weighted: fc.boolean(),
    });
    fc.assert(
      fc.property(design, ({ n, la, lb, seed, formula, weighted }) => {
        const r = lcg(seed);
        const data = {
          y: Array.from({ length: n }, () => r() * 10),
          x: Array.from({ length: n }, () => r() * 4 - 2),
          w: Array.from({ length: n }, () => 0.1 + r()),
          // the first rows give every factor at least two levels; the rest are drawn at random
          a: Array.from({ length: n }, (_, i) => `a${i < la ? i : Math.floor(r() * la)}`),
          c: Array.from({ length: n }, (_, i) => `c${i < lb ? i : Math.floor(r() * lb)}`),
        };
        const { frame, terms } = frameOf(formula, data, weighted ? "w" : undefined);
        checkAgainstDense(frame, terms);
      }),
      { numRuns: 60 },
    );
  });
});
