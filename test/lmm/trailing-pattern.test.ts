// The sparse trailing factor (symbolic pattern and pattern-driven Cholesky) against the dense
// Cholesky of src/linalg/dense.ts, on nested designs: Pastes-like and egsingle-like data, random
// nested designs of two and three levels with scalar and vector-valued terms (fast-check).
//
// The reference is independent of the blocked kernels: Ω = [ZΛ X y]'[ZΛ X y] + diag(I_q, 0) is
// formed densely, factored whole by the dense Cholesky, and the trailing matrix the sparse kernel
// factors is T = Ω₂₂ − L₂₁L₂₁' with L₂₁ the dense factor's block below the first term.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { cholesky, solveLowerTranspose } from "../../src/linalg/dense.js";
import { CrossProducts } from "../../src/lmm/cross-products.js";
import { sparseCholeskyPacked, sparseSolveLowerTranspose, trailingPattern, type TrailingPattern } from "../../src/lmm/trailing-pattern.js";
import { LmmWorkspace } from "../../src/lmm/workspace.js";
import type { ModelFrame } from "../../src/model-frame/types.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import { crossprod, denseZXy, frameOf, lcg, maxAbs } from "./helpers.js";

/** Ω at θ, its dense factor, and the trailing matrix T with its dense factor. */
function denseReference(frame: ModelFrame, theta: ArrayLike<number>): { T: Float64Array; LT: Float64Array; D: number } {
  const re = RandomEffects.of(frame);
  const { M, m, q } = denseZXy(frame, re.terms);
  const n = frame.n;
  // ZΛ: each level's k columns times Λ_t
  const lam = re.lambdas(theta);
  const tmp = new Float64Array(8);
  let off = 0;
  re.terms.forEach((t, s) => {
    const k = t.k;
    for (let h = 0; h < t.nlev; h++) {
      const c0 = off + h * k;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          let v = 0;
          for (let r = 0; r < k; r++) v += M[i + (c0 + r) * n] * lam[s][r + j * k];
          tmp[j] = v;
        }
        for (let j = 0; j < k; j++) M[i + (c0 + j) * n] = tmp[j];
      }
    }
    off += t.q;
  });
  const omega = crossprod(M, n, m);
  for (let i = 0; i < q; i++) omega[i + i * m] += 1;
  const q1 = re.terms[0].q;
  const D = m - q1;
  const L = Float64Array.from(omega);
  assert.equal(cholesky(L, m, m), -1, "Ω is positive definite");
  const T = new Float64Array(D * D);
  const LT = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      let s = omega[q1 + i + (q1 + j) * m];
      for (let c = 0; c < q1; c++) s -= L[q1 + i + c * m] * L[q1 + j + c * m];
      T[i + j * D] = s;
      T[j + i * D] = s;
      LT[i + j * D] = L[q1 + i + (q1 + j) * m];
    }
  }
  return { T, LT, D };
}

/** The pattern's entries of a D × D array as a dense lower-triangular matrix (zero elsewhere). */
function onPattern(a: Float64Array, D: number, s: TrailingPattern): Float64Array {
  const out = new Float64Array(D * D);
  for (let j = 0; j < D; j++) for (let r = s.colPtr[j]; r < s.colPtr[j + 1]; r++) out[s.rows[r] + j * D] = a[s.rows[r] + j * D];
  return out;
}

/** The pattern is well formed: columns start at the diagonal and ascend, and the row index is its transpose. */
function checkPatternStructure(s: TrailingPattern, D: number): void {
  assert.equal(s.colPtr.length, D + 1);
  const inColumn = new Set<number>();
  for (let j = 0; j < D; j++) {
    assert.equal(s.rows[s.colPtr[j]], j, `column ${j} starts at its diagonal`);
    for (let r = s.colPtr[j] + 1; r < s.colPtr[j + 1]; r++) {
      assert.ok(s.rows[r] > s.rows[r - 1], `column ${j} ascends`);
      inColumn.add(s.rows[r] * D + j);
    }
  }
  let count = 0;
  for (let i = 0; i < D; i++) {
    for (let m = s.rowPtr[i]; m < s.rowPtr[i + 1]; m++) {
      const k = s.cols[m];
      assert.ok(k < i && (m === s.rowPtr[i] || k > s.cols[m - 1]), `row ${i}: columns ascend below the diagonal`);
      assert.ok(inColumn.has(i * D + k), `row ${i} column ${k} is in the column pattern`);
      assert.ok(s.pos[m] > s.colPtr[k] && s.pos[m] < s.colPtr[k + 1] && s.rows[s.pos[m]] === i, "pos points at row i in column k");
      count++;
    }
  }
  assert.equal(count, inColumn.size, "the row index lists every off-diagonal entry once");
}

/** Every check of one design at one θ; returns the pattern's fill (entries / dense lower triangle). */
function checkDesign(frame: ModelFrame, theta: ArrayLike<number>): number {
  const re = RandomEffects.of(frame);
  const A = new CrossProducts(re.terms, frame.n, frame.fixefNames.length);
  A.fill(frame.X, frame.response.y);
  const s = trailingPattern(A);
  assert.ok(s, "a nested design has a sparse pattern");
  const { T, LT, D } = denseReference(frame, theta);
  assert.equal(A.D, D);
  checkPatternStructure(s, D);
  const scale = maxAbs(T);
  const inPattern = new Uint8Array(D * D);
  for (let j = 0; j < D; j++) for (let r = s.colPtr[j]; r < s.colPtr[j + 1]; r++) inPattern[s.rows[r] + j * D] = 1;
  // T's non-zeros, and the dense factor's (the fill), lie in the pattern
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      if (inPattern[i + j * D]) continue;
      assert.ok(Math.abs(T[i + j * D]) <= 1e-13 * scale, `T (${i}, ${j}) = ${T[i + j * D]} outside the pattern`);
      assert.ok(Math.abs(LT[i + j * D]) <= 1e-10 * Math.sqrt(scale), `L (${i}, ${j}) = ${LT[i + j * D]} outside the pattern`);
    }
  }
  // the fill-in it counts: entries of the pattern where T is zero
  let zeros = 0;
  for (let j = 0; j < D; j++) for (let m = s.colPtr[j]; m < s.colPtr[j + 1]; m++) if (Math.abs(T[s.rows[m] + j * D]) <= 1e-13 * scale) zeros++;
  assert.equal(s.fill, zeros, "fill-in");
  // sparse Cholesky of T on the pattern's packed entries: L L' = T, and L = the dense factor
  const packed = new Float64Array(s.rows.length);
  for (let j = 0; j < D; j++) for (let m = s.colPtr[j]; m < s.colPtr[j + 1]; m++) packed[m] = T[s.rows[m] + j * D];
  assert.equal(sparseCholeskyPacked(packed, s, new Float64Array(D)), -1);
  const work = new Float64Array(D * D);
  for (let j = 0; j < D; j++) for (let m = s.colPtr[j]; m < s.colPtr[j + 1]; m++) work[s.rows[m] + j * D] = packed[m];
  const L = onPattern(work, D, s);
  let err = 0;
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      let v = 0;
      for (let k = 0; k <= j; k++) v += L[i + k * D] * L[j + k * D];
      err = Math.max(err, Math.abs(v - T[i + j * D]));
    }
  }
  assert.ok(err <= 1e-10 * scale, `max |LL' − T| = ${err} (scale ${scale})`);
  let dl = 0;
  for (let j = 0; j < D; j++) for (let i = j; i < D; i++) dl = Math.max(dl, Math.abs(L[i + j * D] - LT[i + j * D]));
  assert.ok(dl <= 1e-10 * Math.sqrt(scale), `sparse and dense factors differ by ${dl}`);
  // the pattern-driven back-substitution L'x = b over the random-effects rows equals the dense one
  const nq = A.qRest;
  if (nq > 0) {
    const r = lcg(D);
    const b = Float64Array.from({ length: nq + 3 }, () => r() - 0.5);
    const x1 = Float64Array.from(b);
    const x2 = Float64Array.from(b);
    sparseSolveLowerTranspose(work, D, s, nq, x1, 3);
    solveLowerTranspose(LT, nq, D, x2, 3);
    assert.ok(maxAbs(x1.map((v, i) => v - x2[i])) <= 1e-9 * Math.max(1, maxAbs(x2)), "L' x = b");
  }
  // the workspace's trailing factor is the same, and its sparse and dense kernels agree
  const ws = new LmmWorkspace(A, false, false);
  const wd = new LmmWorkspace(A, true, false);
  assert.ok(ws.updateL(theta) && wd.updateL(theta));
  const Lws = onPattern(ws.L22, D, s);
  let dw = 0;
  for (let j = 0; j < D; j++) for (let i = j; i < D; i++) dw = Math.max(dw, Math.abs(Lws[i + j * D] - LT[i + j * D]), Math.abs(wd.L22[i + j * D] - LT[i + j * D]));
  assert.ok(dw <= 1e-10 * Math.sqrt(scale), `workspace factors differ from the dense reference by ${dw}`);
  for (const reml of [true, false]) {
    const a = ws.objective(theta, reml);
    const b = wd.objective(theta, reml);
    assert.ok(Math.abs(a - b) <= 1e-10 * Math.abs(b), `objective (reml ${reml}): sparse ${a} vs dense ${b}`);
  }
  return s.rows.length / ((D * (D + 1)) / 2);
}

const fixture = (name: string): Record<string, string>[] =>
  parse(readFileSync(fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url)), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];

/** Random θ within the layer's bounds: [0.05, 3] on Λ's diagonal, [−2, 2] below it. */
function thetaFrom(frame: ModelFrame, u: readonly number[]): Float64Array {
  const lower = RandomEffects.of(frame).lower();
  return lower.map((lo, i) => (lo === 0 ? 0.05 + 2.95 * u[i] : 4 * u[i] - 2));
}

describe("trailing pattern (sparse Cholesky of the trailing block)", () => {
  it("Pastes (1 | batch/cask): L L' = T and L = the dense factor at several θ", () => {
    const rows = fixture("Pastes.csv");
    const { frame } = frameOf("strength ~ 1 + (1 | batch/cask)", {
      strength: rows.map((r) => Number(r.strength)),
      batch: rows.map((r) => r.batch),
      cask: rows.map((r) => r.cask),
    });
    assert.deepEqual(RandomEffects.of(frame).terms.map((t) => [t.frame.group.name, t.nlev]), [["cask:batch", 30], ["batch", 10]]);
    // lme4's estimate (test/fixtures/cases/pastes_nested.json) and points around it
    const theta = (JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/cases/pastes_nested.json", import.meta.url)), "utf8")) as { theta: number[] }).theta;
    for (const th of [theta, [0.1, 0.1], [3, 0.01], [0.5, 2.5]]) {
      const fill = checkDesign(frame, th);
      assert.ok(fill < 0.5, `D = 12, nested: ${fill} of the lower triangle`);
    }
  });

  it("egsingle-like (year | schoolid/childid), six schools: vector-valued nested terms", () => {
    const all = fixture("egsingle.csv");
    const schools = [...new Set(all.map((r) => r.schoolid))].slice(0, 6);
    const rows = all.filter((r) => schools.includes(r.schoolid));
    const { frame } = frameOf("math ~ year + (year | schoolid/childid)", {
      math: rows.map((r) => Number(r.math)),
      year: rows.map((r) => Number(r.year)),
      schoolid: rows.map((r) => r.schoolid),
      childid: rows.map((r) => r.childid),
    });
    const re = RandomEffects.of(frame);
    assert.deepEqual(re.terms.map((t) => [t.frame.group.name, t.k]), [["childid:schoolid", 2], ["schoolid", 2]]);
    assert.ok(re.terms[0].nlev > 100, `${re.terms[0].nlev} children`);
    // lme4's full-data estimate (test/fixtures/cases/egsingle_growth.json) and a rough point
    const theta = (JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/cases/egsingle_growth.json", import.meta.url)), "utf8")) as { theta: number[] }).theta;
    checkDesign(frame, theta);
    checkDesign(frame, [1.2, -0.4, 0.3, 2, 0.5, 0.7]);
  });

  it("crossed factors fill in: the fill counts the entries of L where T is zero", () => {
    // teacher t0 meets t1 and t2 through students, t1 and t2 never meet: eliminating t0 fills (t2, t1)
    const r = lcg(5);
    const pairs = [["s0", "t0"], ["s0", "t1"], ["s1", "t0"], ["s1", "t2"], ["s2", "t0"], ["s2", "t1"], ["s3", "t0"], ["s3", "t2"]];
    const cols: Record<string, (number | string)[]> = { y: [], s: [], t: [] };
    for (let k = 0; k < 2; k++) for (const [st, te] of pairs) {
      cols.s.push(st);
      cols.t.push(te);
      cols.y.push(r());
    }
    const { frame } = frameOf("y ~ 1 + (1 | s) + (1 | t)", cols);
    const re = RandomEffects.of(frame);
    assert.deepEqual(re.terms.map((t) => t.nlev), [4, 3]);
    const A = new CrossProducts(re.terms, frame.n, 1);
    A.fill(frame.X, frame.response.y);
    assert.equal(trailingPattern(A)?.fill, 1);
    checkDesign(frame, [0.8, 1.3]);
  });

  it("three nested levels (1 + x | a/b/c): the pattern stays sparse", () => {
    const r = lcg(11);
    const cols: Record<string, (number | string)[]> = { y: [], x: [], a: [], b: [], c: [] };
    for (let a = 0; a < 8; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 2; c++) for (let k = 0; k < 3; k++) {
      cols.a.push(`a${a}`);
      cols.b.push(`b${b}`);
      cols.c.push(`c${c}`);
      const x = r() * 2;
      cols.x.push(x);
      cols.y.push(a + b + x * (1 + c) + r());
    }
    const { frame } = frameOf("y ~ 1 + x + (1 + x | a/b/c)", cols);
    assert.deepEqual(RandomEffects.of(frame).terms.map((t) => t.nlev), [48, 24, 8]);
    const fill = checkDesign(frame, [1, 0.3, 0.8, 0.5, -0.2, 1.5, 2, 0.1, 0.4]);
    // D = 2·24 + 2·8 + 3 = 67; nested, so far from dense
    assert.ok(fill < 0.2, `fill ${fill}`);
  });

  it("random nested designs (two and three levels, scalar and vector-valued): L L' = T, and sparse and dense workspaces give the same objective (property)", () => {
    const design = fc.record({
      tops: fc.integer({ min: 2, max: 5 }),
      inner: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
      third: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 15, maxLength: 15 }),
      reps: fc.integer({ min: 1, max: 3 }),
      formula: fc.constantFrom(
        "y ~ 1 + x + (1 | a/b)",
        "y ~ 1 + x + (1 + x | a/b)",
        "y ~ x + (1 | a/b/c)",
        "y ~ 1 + x + (1 + x | a/b/c)",
        "y ~ 1 + x + (1 | a/b) + (0 + x | a)",
        "y ~ 1 + x + (1 + x | a:b) + (1 | a)",
      ),
      seed: fc.integer({ min: 1, max: 1e6 }),
      u: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
    });
    fc.assert(
      fc.property(design, ({ tops, inner, third, reps, formula, seed, u }) => {
        const r = lcg(seed);
        const cols: Record<string, (number | string)[]> = { y: [], x: [], a: [], b: [], c: [] };
        for (let a = 0; a < tops; a++) {
          for (let b = 0; b < inner[a]; b++) {
            for (let c = 0; c < third[a * 3 + b]; c++) {
              for (let k = 0; k < reps + 1; k++) {
                const x = r() * 3 - 1;
                cols.a.push(`a${a}`);
                cols.b.push(`b${b}`);
                cols.c.push(`c${c}`);
                cols.x.push(x);
                cols.y.push(a - b + x * c + 2 * r());
              }
            }
          }
        }
        const { frame } = frameOf(formula, cols);
        checkDesign(frame, thetaFrom(frame, u));
      }),
      { numRuns: 40 },
    );
  });
});
