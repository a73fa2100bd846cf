// Structured random-effect covariances (us, diag, cs, ar1, toep) against glmmTMB 1.1.5, for
// linear (ML and REML) and Poisson models: test/fixtures/glmmtmb (test/fixtures/generate/glmmtmb.R),
// e.g. glmmTMB(y ~ x + ar1(0 + time | g), data = repeated_sim, family = gaussian(link = "identity")).
// Linear models' standard errors are lme4's, conditional on the variance parameters; glmmTMB's
// come from the joint Hessian, so the fixture's `se_conditional` ((X'V⁻¹X)^-1 from glmmTMB's
// Hessian) is the reference for them.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fitLmm } from "../../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../../src/glmm/fit-glmm.js";
import { MlmError } from "../../../src/errors.js";
import { readTable } from "../../../src/io/read-table.js";
import { anovaLrt } from "../../../src/inference/lrt.js";
import type { MixedModel } from "../../../src/model/mixed-model.js";
import { fixtures } from "../../helpers/reference.js";

interface TmbCase {
  id: string;
  data: string;
  formula: string;
  family: string;
  reml: boolean;
  nobs: number;
  fixef: { term: string; estimate: number; se: number; se_conditional: number }[];
  sigma: number;
  varcorr: { group: string; var1: string; var2: string | null; sdcor: number }[];
  structures: { group: string; structure: string; rho?: number | number[] }[];
  logLik: number;
  AIC: number;
}

const cases: TmbCase[] = readdirSync(`${fixtures}glmmtmb`)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(`${fixtures}glmmtmb/${f}`, "utf8")) as TmbCase)
  .filter((c) => c.family === "gaussian" || c.family === "poisson");
const slow = new Set(["repeated_us", "repeated_toep", "repeated_poisson_cs"]);

const fits = new Map<string, Promise<MixedModel>>();
function fitCase(c: TmbCase): Promise<MixedModel> {
  if (!fits.has(c.id)) {
    fits.set(c.id, readTable(`${fixtures}data/${c.data}`).then((d) => (c.family === "gaussian" ? fitLmm(c.formula, d, { reml: c.reml }) : fitGlmm(c.formula, d, { family: "poisson" }))));
  }
  return fits.get(c.id)!;
}

describe("structured covariances agree with glmmTMB", () => {
  it("has each structure, for linear and Poisson models", () => {
    for (const s of ["us", "diag", "cs", "ar1", "toep"]) assert.ok(cases.some((c) => c.structures.some((t) => t.structure === s)), s);
    assert.ok(cases.some((c) => c.family === "poisson") && cases.some((c) => c.reml));
  });
  for (const c of cases) {
    it(`${c.id}: ${c.formula} (${c.family}${c.reml ? ", REML" : ""})`, { skip: slow.has(c.id) && !process.env.MLM_SLOW_TESTS ? "slow: set MLM_SLOW_TESTS=1" : false }, async () => {
      const m = await fitCase(c);
      const lmm = c.family === "gaussian";
      assert.equal(m.nobs, c.nobs);
      for (const f of c.fixef) {
        const o = m.fixef.find((r) => r.term === f.term);
        assert.ok(o, `fixef ${f.term}`);
        assert.ok(Math.abs(o.estimate - f.estimate) <= 0.05 * f.se, `fixef ${f.term}: ${o.estimate} vs ${f.estimate}`);
        const se = lmm ? f.se_conditional : f.se;
        assert.ok(Math.abs(o.se - se) <= 0.02 * se, `se ${f.term}: ${o.se} vs ${se}`);
      }
      if (lmm) assert.ok(Math.abs(m.sigma - c.sigma) <= 0.02 * c.sigma, `sigma ${m.sigma} vs ${c.sigma}`);
      for (const v of c.varcorr) {
        const o = m.varcorr.find((r) => r.group === v.group && r.var1 === v.var1 && r.var2 === v.var2);
        assert.ok(o, `varcorr ${v.var1} ${v.var2}`);
        if (v.var2 === null) assert.ok(Math.abs(o.sdcor - v.sdcor) <= 0.02 * v.sdcor, `sd ${v.var1}: ${o.sdcor} vs ${v.sdcor}`);
        else assert.ok(Math.abs(o.sdcor - v.sdcor) <= 0.01, `corr ${v.var1} ${v.var2}: ${o.sdcor} vs ${v.sdcor}`);
      }
      for (const s of c.structures) {
        const row = m.varcorr.find((r) => r.group === s.group);
        // us and diag rows carry no structure (lme4's VarCorr); the others name theirs
        assert.equal(row?.structure, s.structure === "us" || s.structure === "diag" ? undefined : s.structure);
        if (s.rho !== undefined) {
          const ours = ([] as number[]).concat(row?.rho as number | number[]);
          const theirs = ([] as number[]).concat(s.rho);
          assert.equal(ours.length, theirs.length);
          theirs.forEach((r, i) => assert.ok(Math.abs(ours[i] - r) <= 0.01, `rho ${i}: ${ours[i]} vs ${r}`));
        }
      }
      assert.ok(m.logLik >= c.logLik - 0.01, `logLik ${m.logLik} below glmmTMB's ${c.logLik}`);
      assert.ok(m.logLik <= c.logLik + 0.01, `logLik ${m.logLik} above glmmTMB's ${c.logLik}`);
      assert.ok(Math.abs(m.AIC - c.AIC) <= 0.02, `AIC ${m.AIC} vs ${c.AIC}`);
    });
  }
});

describe("structured covariances in comparisons and bad input", () => {
  it("cs against us (sleepstudy, 1 + Days): the same model for two effects, chi-square 0 on 0 df", async () => {
    const us = cases.find((c) => c.id === "sleepstudy_us")!;
    const cs = cases.find((c) => c.id === "sleepstudy_cs")!;
    const [mu, mc] = await Promise.all([fitCase(us), fitCase(cs)]);
    assert.ok(Math.abs(mu.logLik - mc.logLik) < 1e-6);
    assert.equal(mu.npar, mc.npar);
  });
  it("ar1 against cs (repeated measures): the LRT statistic is glmmTMB's log-likelihood difference", async () => {
    const a = cases.find((c) => c.id === "repeated_ar1")!;
    const b = cases.find((c) => c.id === "repeated_cs")!;
    const [ma, mb] = await Promise.all([fitCase(a), fitCase(b)]);
    const t = anovaLrt([ma, mb]).tests[0];
    assert.equal(t.df, 4);
    assert.ok(Math.abs(t.chisq - 2 * (b.logLik - a.logLik)) < 0.02, `${t.chisq} vs ${2 * (b.logLik - a.logLik)}`);
  });
  it("ar1() with a single-level factor, with an intercept, with ||, and cs() with one effect", () => {
    const g = Array.from({ length: 24 }, (_, i) => `g${i % 4}`);
    const y = g.map((_, i) => Math.sin(i));
    assert.throws(() => fitLmm("y ~ 1 + ar1(0 + t | g)", { y, g, t: g.map(() => "t1") }), (e: unknown) => e instanceof MlmError && e.message === "'t' has only one level ('t1') in the rows used; ar1(… | g) needs a factor with two or more levels (such as the times of a repeated measure).");
    assert.throws(() => fitLmm("y ~ 1 + ar1(1 + t | g)", { y, g, t: g.map((_, i) => `t${i % 3}`) }), (e: unknown) => e instanceof MlmError && /has an intercept/.test(e.message));
    assert.throws(() => fitLmm("y ~ 1 + cs(1 | g)", { y, g }), (e: unknown) => e instanceof MlmError && /needs a factor with two or more levels/.test(e.message));
    assert.throws(() => fitLmm("y ~ 1 + ar1(0 + t || g)", { y, g, t: g.map((_, i) => `t${i % 3}`) }), (e: unknown) => e instanceof MlmError && /combines a structure with \|\|/.test(e.message));
  });
});
