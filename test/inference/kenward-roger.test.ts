// Kenward-Roger inference against pbkrtest 0.5.2 / lmerTest 3.1-3: the reference values in
// test/fixtures/inference/kenward-roger.json come from
//   summary(as_lmerModLmerTest(fit), ddf = "Kenward-Roger") and pbkrtest::vcovAdj(fit)
// (test/fixtures/generate/kenward-roger.R), for the gaussian REML reference cases and three
// unbalanced models.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kenwardRoger, KENWARD_ROGER_MAX_Q } from "../../src/inference/kenward-roger.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { MlmError } from "../../src/errors.js";
import { readCsv, readJson } from "../model-frame/helpers.js";
import { data, run } from "../cli/helpers.js";

interface KrRow {
  term: string;
  estimate: number;
  se: number;
  se_unadjusted: number;
  df: number;
  t: number;
  p: number;
}
interface KrCase {
  id: string;
  data: string;
  formula: string;
  factors?: string[] | null;
  fixef: KrRow[];
  vcovAdj: number[];
}
const reference = readJson<{ cases: KrCase[] }>("inference/kenward-roger.json").cases;
const byId = new Map(reference.map((c) => [c.id, c]));

/** |a / b − 1|. */
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

test("the reference covers the gaussian REML cases and unbalanced designs", () => {
  const ids = ["sleepstudy_reml", "sleepstudy_uncorr", "sleepstudy_intercept", "dyestuff", "penicillin_crossed", "pastes_nested", "exam_intercept", "machines_factor_slope", "cbpp_gaussian", "grouseticks_crossed", "exam_slope", "hsb82_slope"];
  for (const id of ids) assert.ok(byId.has(id), id);
  // in at least one case the adjustment changes a standard error by more than 0.1%
  assert.ok(reference.some((c) => c.fixef.some((f) => rel(f.se, f.se_unadjusted) > 1e-3)));
});

for (const c of reference) {
  test(`${c.id}: df and adjusted se within 1% of pbkrtest for every coefficient`, () => {
    const m = fitLmm(c.formula, readCsv(c.data, c.factors ?? []));
    const kr = kenwardRoger(m);
    const p = c.fixef.length;
    assert.deepEqual(m.fixefNames, c.fixef.map((f) => f.term));
    c.fixef.forEach((f, j) => {
      assert.ok(rel(kr.df[j], f.df) < 0.01, `${f.term} df ${kr.df[j]} vs ${f.df}`);
      assert.ok(rel(kr.se[j], f.se) < 0.01, `${f.term} se ${kr.se[j]} vs ${f.se}`);
      assert.ok(kr.p[j] === f.p || rel(kr.p[j], f.p) < 0.01, `${f.term} p ${kr.p[j]} vs ${f.p}`); // both 0 when below 1e-308
    });
    // the whole adjusted covariance, relative to the standard errors
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        const scale = c.fixef[i].se * c.fixef[j].se;
        assert.ok(Math.abs(kr.vcovAdj[i + j * p] - c.vcovAdj[i + j * p]) < 0.01 * scale, `vcovAdj[${i}, ${j}]`);
      }
    }
  });
}

test("egsingle_growth, nested with 3562 random effects: df and se within 1% of pbkrtest", () => {
  // Too slow for kenward-roger.R; these values are lmerTest's
  //   summary(lmer(math ~ year + (year | schoolid/childid), egsingle), ddf = "Kenward-Roger")
  // as stored by test/fixtures/generate/inference.R in test/fixtures/inference/egsingle_growth.json.
  const ref = [
    { term: "(Intercept)", se: 0.058337391934318, df: 58.2123053291262 },
    { term: "year", se: 0.0154172185940519, df: 57.3374688790947 },
  ];
  const m = fitLmm("math ~ year + (year | schoolid/childid)", readCsv("egsingle.csv"));
  const kr = kenwardRoger(m);
  assert.deepEqual(m.fixefNames, ref.map((r) => r.term));
  ref.forEach((f, j) => {
    assert.ok(rel(kr.df[j], f.df) < 0.01, `${f.term} df ${kr.df[j]} vs ${f.df}`);
    assert.ok(rel(kr.se[j], f.se) < 0.01, `${f.term} se ${kr.se[j]} vs ${f.se}`);
  });
});

test("the TSDoc example: sleepstudy's random-slope model", () => {
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", readCsv("sleepstudy.csv"));
  const kr = kenwardRoger(m);
  assert.deepEqual(kr.df.map((d) => Number(d.toFixed(2))), [17, 17]);
  assert.deepEqual(kr.se.map((s) => Number(s.toFixed(4))), [6.8246, 1.5458]);
  // a balanced design: no adjustment, so Φ_A is vcov(β̂)
  kr.vcovAdj.forEach((v, i) => assert.ok(Math.abs(v - m.vcov[i]) < 1e-6 * Math.abs(m.vcov[0]), `vcovAdj[${i}]`));
});

test("a repeated term makes the information singular: its pseudo-inverse gives pbkrtest's values", () => {
  // pbkrtest falls back to MASS::ginv here; in R,
  //   fit <- lmer(Reaction ~ Days + (1 | Subject) + (1 | Subject), sleepstudy)
  //   summary(as_lmerModLmerTest(fit), ddf = "Kenward-Roger")
  // prints df 22.81019974, 161 and se 9.746715874, 0.804221433: those of (1 | Subject) alone.
  const m = fitLmm("Reaction ~ Days + (1 | Subject) + (1 | Subject)", readCsv("sleepstudy.csv"));
  const kr = kenwardRoger(m);
  const ref = byId.get("sleepstudy_intercept");
  assert.ok(ref);
  ref.fixef.forEach((f, j) => {
    assert.ok(rel(kr.df[j], f.df) < 0.01, `${f.term} df ${kr.df[j]} vs ${f.df}`);
    assert.ok(rel(kr.se[j], f.se) < 0.01, `${f.term} se ${kr.se[j]} vs ${f.se}`);
  });
  assert.ok(rel(kr.df[0], 22.81019974) < 1e-4 && rel(kr.se[0], 9.746715874) < 1e-4);
});

test("an ML fit is refused with a sentence that asks for REML", () => {
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", readCsv("sleepstudy.csv"), { reml: false });
  assert.throws(() => kenwardRoger(m), (e: unknown) => e instanceof MlmError && /REML/.test(e.message) && /maximum likelihood/.test(e.message));
});

test("more random effects than dense matrices allow are refused", () => {
  const nlev = KENWARD_ROGER_MAX_Q + 1;
  const g: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < 2 * nlev; i++) {
    g.push(`g${i % nlev}`);
    y.push(((i * 7919) % 101) / 10 + (i % nlev) / nlev);
  }
  const m = fitLmm("y ~ 1 + (1 | g)", { y, g });
  assert.throws(() => kenwardRoger(m), (e: unknown) => e instanceof MlmError && new RegExp(`${nlev} of them`).test(e.message) && /Satterthwaite/.test(e.message));
});

test("mlm fit --ddf kenward-roger --json reports KR's se, statistic, df and p", async () => {
  const c = byId.get("cbpp_gaussian");
  assert.ok(c);
  const r = await run("fit", data(c.data), c.formula, "--ddf", "kenward-roger", "--json");
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { fixef: { term: string; estimate: number; se: number; statistic: number; df: number; p: number }[] };
  assert.equal(out.fixef.length, c.fixef.length);
  out.fixef.forEach((f, j) => {
    const ref = c.fixef[j];
    assert.equal(f.term, ref.term);
    assert.ok(rel(f.se, ref.se) < 0.01, `${f.term} se ${f.se} vs ${ref.se}`);
    assert.ok(rel(f.df, ref.df) < 0.01, `${f.term} df ${f.df} vs ${ref.df}`);
    assert.ok(rel(f.statistic, ref.t) < 0.01, `${f.term} t ${f.statistic} vs ${ref.t}`);
    assert.ok(f.p === ref.p || rel(f.p, ref.p) < 0.01, `${f.term} p ${f.p} vs ${ref.p}`);
  });
  // and the text summary names the method and shows the adjusted standard error
  const text = await run("fit", data(c.data), c.formula, "--ddf", "kenward-roger");
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /t-tests use Kenward-Roger's method/);
  assert.match(text.out, new RegExp(`\\n${c.fixef[1].term.replace(/[()]/g, "\\$&")}\\s+\\S+\\s+${c.fixef[1].se.toPrecision(4)}\\s`));
});

test("mlm fit --ml --ddf kenward-roger fails with one line", async () => {
  const r = await run("fit", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--ml", "--ddf", "kenward-roger");
  assert.equal(r.code, 2);
  assert.equal(r.out, "");
  assert.match(r.err, /^mlm: Kenward-Roger's method needs a model fitted by REML[^\n]*\n$/);
});
