// The LMM workspace: the profiled criterion at lme4's θ equals lme4's REML criterion, and the
// sparse (nested) and dense kernels for the trailing block give the same factor.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseFormula } from "../../src/formula/index.js";
import { modelFrame } from "../../src/model-frame/index.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import { CrossProducts } from "../../src/lmm/cross-products.js";
import { LmmWorkspace } from "../../src/lmm/workspace.js";
import { trailingPattern } from "../../src/lmm/trailing-pattern.js";
import { caseData, loadCases } from "../helpers/reference.js";

async function workspaceFor(id: string, dense = false): Promise<{ ws: LmmWorkspace; theta: number[]; crit: number; reml: boolean }> {
  const c = loadCases().find((k) => k.id === id)!;
  const frame = modelFrame(parseFormula(c.formula), await caseData(c));
  const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, frame.fixefNames.length);
  A.fill(frame.X, frame.response.y);
  return { ws: new LmmWorkspace(A, dense), theta: c.theta, crit: -2 * c.logLik, reml: c.reml !== false };
}

/** fixA's workspace gives the plain one's criterion, β, u, vcov and conditional variances at random θ (three scalar terms). */
function assertSameAsPlain(fixed: LmmWorkspace, plain: LmmWorkspace, nt = 3): void {
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string): void => {
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-9 * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  };
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0.01, max: 3, noNaN: true }), { minLength: nt, maxLength: nt }), fc.boolean(), (th, reml) => {
      const a = fixed.objective(th, reml);
      const b = plain.objective(th, reml);
      assert.ok(Math.abs(a - b) < 1e-10 * Math.abs(b), `${a} vs ${b}`);
      close(fixed.beta(), plain.beta(), "beta");
      close(fixed.u(fixed.beta()), plain.u(plain.beta()), "u");
      close(fixed.unscaledVcov(), plain.unscaledVcov(), "vcov");
      const cf = fixed.condVarU();
      plain.condVarU().forEach((v, t) => close(cf[t], v, `condVar term ${t}`));
    }),
    { numRuns: 30 },
  );
}

describe("LmmWorkspace", () => {
  for (const id of ["sleepstudy_reml", "pastes_nested", "penicillin_crossed", "egsingle_growth", "sleepstudy_uncorr"]) {
    it(`${id}: the criterion at lme4's θ is lme4's (−2 logLik, R: REMLcrit(fit) / deviance(fit))`, async () => {
      const { ws, theta, crit, reml } = await workspaceFor(id);
      assert.ok(Math.abs(ws.objective(theta, reml) - crit) < 1e-6 * Math.abs(crit), `${ws.objective(theta, reml)} vs ${crit}`);
    });
  }
  it("sparse and dense trailing kernels agree at random θ (nested and crossed designs)", async () => {
    for (const id of ["pastes_nested", "egsingle_growth", "penicillin_crossed"]) {
      const s = await workspaceFor(id);
      const d = await workspaceFor(id, true);
      const nt = s.theta.length;
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0.01, max: 3, noNaN: true }), { minLength: nt, maxLength: nt }), (th) => {
          const a = s.ws.objective(th, true);
          const b = d.ws.objective(th, true);
          assert.ok(Math.abs(a - b) < 1e-8 * Math.abs(b), `${id}: ${a} vs ${b}`);
        }),
        { numRuns: 20 },
      );
    }
  });
  it("conditional variances from the sparse selected inverse equal the dense kernel's", async () => {
    for (const id of ["pastes_nested", "egsingle_growth", "penicillin_crossed"]) {
      const s = await workspaceFor(id);
      const d = await workspaceFor(id, true);
      const nt = s.theta.length;
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0.01, max: 3, noNaN: true }), { minLength: nt, maxLength: nt }), (th) => {
          assert.ok(s.ws.updateL(th) && d.ws.updateL(th));
          const a = s.ws.condVarU();
          const b = d.ws.condVarU();
          a.forEach((blocks, t) => blocks.forEach((v, i) => assert.ok(Math.abs(v - b[t][i]) <= 1e-9 * (1 + Math.abs(b[t][i])), `${id} term ${t}[${i}]: ${v} vs ${b[t][i]}`)));
        }),
        { numRuns: 5 },
      );
    }
  });
  it("nested factors keep the trailing factor sparse; crossed ones fill it in", () => {
    // 400 rows: 200 classes nested in 40 schools, and an observation-level factor first
    const n = 400;
    const cols = {
      y: Array.from({ length: n }, (_, i) => Math.sin(i) + (i % 7)),
      obs: Array.from({ length: n }, (_, i) => `o${i}`),
      cls: Array.from({ length: n }, (_, i) => `c${Math.floor(i / 2)}`),
      sch: Array.from({ length: n }, (_, i) => `s${Math.floor(i / 10)}`),
      other: Array.from({ length: n }, (_, i) => `x${(i * 37) % 97}`),
    };
    const pattern = (f: string): ReturnType<typeof trailingPattern> => {
      const frame = modelFrame(parseFormula(f), toDataTable(cols));
      return trailingPattern(new CrossProducts(RandomEffects.of(frame).terms, frame.n, frame.fixefNames.length));
    };
    const nested = pattern("y ~ 1 + (1 | obs) + (1 | cls) + (1 | sch)");
    assert.ok(nested, "nested design has a sparse pattern");
    // D = 200 + 40 + 2; a dense lower triangle would hold D(D+1)/2 = 29403 entries
    assert.ok(nested.rows.length < 2000, `nnz ${nested.rows.length}`);
  });
  it("fully crossed factors use the dense kernel", () => {
    const n = 80 * 70;
    const cols = {
      y: Array.from({ length: n }, (_, i) => Math.cos(i)),
      a: Array.from({ length: n }, (_, i) => `a${i % 80}`),
      b: Array.from({ length: n }, (_, i) => `b${Math.floor(i / 80)}`),
    };
    const frame = modelFrame(parseFormula("y ~ 1 + (1 | a) + (1 | b)"), toDataTable(cols));
    assert.equal(trailingPattern(new CrossProducts(RandomEffects.of(frame).terms, frame.n, 1)), undefined);
  });
  it("fixA: the downdate summed by group size and the minimum-degree order give the plain workspace's criterion, β, u, vcov and conditional variances; weights fall back", () => {
    // star-like: 150 students seen 1–4 times, crossed with 30 teachers nested in 6 schools
    const rows: { y: number; x: number; id: string; tch: string; sch: string; w: number }[] = [];
    for (let s = 0; s < 150; s++) {
      for (let g = 0; g < 1 + (s % 4); g++) {
        const t = (s * 7 + g * 11) % 30;
        rows.push({ y: Math.sin(s * 1.3 + g) + 0.1 * t, x: (s * g) % 5, id: `s${s}`, tch: `t${t}`, sch: `k${t % 6}`, w: 1 + ((s + g) % 3) });
      }
    }
    const cols = Object.fromEntries(["y", "x", "id", "tch", "sch", "w"].map((k) => [k, rows.map((r) => r[k as keyof (typeof rows)[0]])]));
    const frame = modelFrame(parseFormula("y ~ x + (1 | id) + (1 | tch) + (1 | sch)"), toDataTable(cols));
    const build = (w?: Float64Array): CrossProducts => {
      const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, frame.fixefNames.length);
      A.fill(frame.X, frame.response.y, w);
      return A;
    };
    const A = build();
    const plain = new LmmWorkspace(A);
    const fixed = new LmmWorkspace(A).fixA();
    const inside = fixed as unknown as { byClass?: { values: Float64Array }; original?: Int32Array };
    assert.ok(inside.byClass?.values.length === 4, "four group sizes, four classes");
    assert.ok(inside.original, "crossed teachers: the trailing rows are reordered by minimum degree");
    assertSameAsPlain(fixed, plain);
    // with prior weights A11 takes more than 8 values: the level-by-level downdate stays
    const weighted = new LmmWorkspace(build(Float64Array.from(rows, (r) => Math.sqrt(r.w)))).fixA();
    assert.equal((weighted as unknown as { byClass?: unknown }).byClass, undefined);
  });
  it("fixA on a dense trailing block (three crossed factors that all meet): the class sums give the plain workspace's criterion, β, u, vcov and conditional variances", () => {
    // 120 levels of a seen 3 or 5 times, crossed with 12 levels of b and 6 of c, every pair meeting
    const cols: Record<string, (number | string)[]> = { y: [], x: [], a: [], b: [], c: [] };
    for (let g = 0; g < 120; g++) {
      for (let k = 0; k < (g % 2 ? 3 : 5); k++) {
        const i = g * 5 + k;
        cols.y.push(Math.sin(i * 0.7) + 0.05 * (g % 9) + 0.1 * ((i * 13) % 12));
        cols.x.push(Math.cos(i));
        cols.a.push(`a${g}`);
        cols.b.push(`b${(g + k * 5) % 12}`);
        cols.c.push(`c${(g * 7 + k) % 6}`);
      }
    }
    const frame = modelFrame(parseFormula("y ~ x + (1 | a) + (1 | b) + (1 | c)"), toDataTable(cols));
    const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, frame.fixefNames.length);
    A.fill(frame.X, frame.response.y);
    // the dense kernel, as for large blocks that fill in (crossed3_2m in the bench)
    const plain = new LmmWorkspace(A, true);
    const fixed = new LmmWorkspace(A, true).fixA();
    assert.equal((fixed as unknown as { byClass?: { values: Float64Array } }).byClass?.values.length, 2, "two group sizes");
    assertSameAsPlain(fixed, plain);
  });
  for (const [sizes, formula] of [
    [[3, 5], "y ~ x + (1 | s) + (1 | d) + (1 | c)"],
    [[2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15], "y ~ x + (1 | s) + (1 | d)"],
    // a factor's dummies: rows of X and students' sums of them with zeros, which the downdate skips
    [[2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15], "y ~ x * f + (1 | s) + (1 | d)"],
    // two terms in the dense block: their rows interleave in the new order, each with its scale
    [[2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15], "y ~ x + (1 | s) + (1 | d) + (1 | c)"],
  ] as const) {
    it(`fixA on a dense block factored by the SIMD kernel (${formula}, ${sizes.length} group sizes): the minimum-degree order gives the plain workspace's criterion, β, u, vcov and conditional variances`, () => {
      // 300 students rating a few of 160 lecturers, as InstEval: the block fills in but its factor keeps zeros
      const cols: Record<string, (number | string)[]> = { y: [], x: [], s: [], d: [], c: [], f: [] };
      for (let g = 0; g < 300; g++) {
        const m = sizes[g % sizes.length];
        for (let k = 0; k < m; k++) {
          const d = (g * 37 + k * k * 11 + (g % 7) * 29) % 160;
          cols.y.push(Math.sin(g * 0.9 + k) + 0.03 * (d % 11));
          cols.x.push(Math.cos(g + 3 * k));
          cols.s.push(`s${g}`);
          cols.d.push(`d${d}`);
          cols.c.push(`c${(g * 3 + k * 7) % 150}`);
          cols.f.push(`f${(g + k) % 4}`);
        }
      }
      const frame = modelFrame(parseFormula(formula), toDataTable(cols));
      const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, frame.fixefNames.length);
      A.fill(frame.X, frame.response.y);
      assert.equal(trailingPattern(A), undefined, "the lecturer block is dense");
      const fixed = new LmmWorkspace(A).fixA();
      const inside = fixed as unknown as { original?: Int32Array; ordered?: unknown; byClass?: unknown };
      assert.ok(inside.original, "the lecturers are reordered by minimum degree");
      assert.equal(inside.byClass !== undefined, sizes.length <= 8, "class sums only for few group sizes");
      assert.equal(inside.ordered !== undefined, sizes.length > 8, "the reordered level-by-level downdate otherwise");
      // the plain kernel, in the model's order
      assertSameAsPlain(fixed, new LmmWorkspace(A, false, false), fixed.ntheta);
    });
  }
});
