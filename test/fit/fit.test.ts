// fit(): one entry that chooses the linear or generalized model from the family, with lme4's
// results (reference cases), and clear messages for options that do not fit the model.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fit } from "../../src/fit/fit.js";
import { MlmError } from "../../src/errors.js";
import { caseData, fixtures, loadCases } from "../helpers/reference.js";

describe("fit", () => {
  it("a Gaussian model is an LMM by REML (sleepstudy_reml: lme4 logLik -871.8141), ML on request", async () => {
    const c = loadCases().find((k) => k.id === "sleepstudy_reml")!;
    const d = await caseData(c);
    const m = fit(c.formula, d);
    assert.equal(m.kind, "lmm");
    assert.equal(m.method, "REML");
    assert.equal(m.family.name, "gaussian");
    assert.ok(Math.abs(m.logLik - c.logLik) < 2e-3);
    assert.equal(fit(c.formula, d, { reml: false }).method, "ML");
  });
  it("another family gives a GLMM (cbpp_binomial, cbpp_agq25 as glmer)", async () => {
    for (const id of ["cbpp_binomial", "cbpp_agq25", "grouseticks_poisson"]) {
      const c = loadCases().find((k) => k.id === id)!;
      const m = fit(c.formula, await caseData(c), { family: c.family, nAGQ: c.nAGQ });
      assert.equal(m.kind, "glmm");
      assert.equal(m.family.name, c.family);
      c.fixef.forEach((f, j) => assert.ok(Math.abs(m.fixef[j].estimate - f.estimate) < 0.05 * f.se, `${id} ${f.term}`));
      if (m.kind === "glmm") assert.equal(m.nAGQ, c.nAGQ);
    }
  });
  it("refuses a two-level text response for a linear model, with or without residual structures, and fits it as binomial", () => {
    const g = Array.from({ length: 40 }, (_, i) => `g${i % 5}`);
    const x = Array.from({ length: 40 }, (_, i) => (i * 37) % 11);
    const pass = x.map((v, i) => (v + (i % 5) > 7 ? "yes" : "no"));
    const refused = (e: unknown): boolean => e instanceof MlmError && /^The response 'pass' is categorical \(levels no, yes\), so a linear model cannot fit it; for two levels fit a logistic model with --family binomial/.test(e.message);
    assert.throws(() => fit("pass ~ x + (1 | g)", { pass, x, g }), refused);
    assert.throws(() => fit("pass ~ x + (1 | g)", { pass, x, g }, { correlation: "corCompSymm(form = ~ 1 | g)" }), refused);
    assert.throws(() => fit("pass ~ x", { pass, x, g }, { correlation: "corCompSymm(form = ~ 1 | g)" }), refused);
    assert.equal(fit("pass ~ x + (1 | g)", { pass, x, g }, { family: "binomial" }).kind, "glmm");
  });
  it("refuses options that do not apply", async () => {
    const c = loadCases().find((k) => k.id === "sleepstudy_reml")!;
    const d = await caseData(c);
    assert.throws(() => fit(c.formula, d, { nAGQ: 5 }), (e: unknown) => e instanceof MlmError && /linear mixed model's likelihood is exact/.test(e.message));
    assert.throws(() => fit(c.formula, d, { link: "log" }), (e: unknown) => e instanceof MlmError && /identity link only/.test(e.message));
    assert.throws(() => fit(c.formula, d, { family: "poisson", reml: true }), (e: unknown) => e instanceof MlmError && /REML applies to linear mixed models only/.test(e.message));
    assert.throws(() => fit(c.formula, d, { family: "nonsense" }), (e: unknown) => e instanceof MlmError && /Unknown family 'nonsense'/.test(e.message));
  });
  it("reports each evaluation of the criterion to onProgress (LMM and GLMM)", async () => {
    for (const id of ["sleepstudy_reml", "cbpp_binomial"]) {
      const c = loadCases().find((k) => k.id === id)!;
      const seen: number[] = [];
      const m = fit(c.formula, await caseData(c), { family: c.family, onProgress: (p) => seen.push(p.evaluations) });
      assert.ok(seen.length >= m.optimizer.evaluations && seen.every((v, i) => v === i + 1), `${id}: ${seen.length} calls, ${m.optimizer.evaluations} evaluations`);
    }
  });
});

describe("a logical or inside I() (issue 15)", () => {
  it("fits as lmer fits the or precomputed as a logical column, with R's name I(x > 0 | z >= 3.5)TRUE", async () => {
    // test/fixtures/generate/logical-formulas.R: lmer(y ~ or1 + (1 | grp)) with or1 = x > 0 | z >= 3.5
    // (lme4's findbars would take the or inside I() for a random-effects bar)
    const { readFileSync } = await import("node:fs");
    const { readTable } = await import("../../src/io/read-table.js");
    const r = JSON.parse(readFileSync(`${fixtures}formula/logical-or-lmer.json`, "utf8")) as { formula: string; lme4_terms: string[]; estimate: number[]; se: number[]; theta: number; sigma: number; REML: number };
    const d = await readTable(`${fixtures}data/model_frame_synth.csv`);
    for (const formula of [r.formula, r.formula.replace(" | z", " || z")]) {
      const m = fit(formula, d);
      assert.deepEqual(m.fixef.map((f) => f.term), ["(Intercept)", formula.includes("||") ? "I(x > 0 || z >= 3.5)TRUE" : "I(x > 0 | z >= 3.5)TRUE"]);
      r.estimate.forEach((e, j) => assert.ok(Math.abs(m.fixef[j].estimate - e) < 0.02 * r.se[j], `${m.fixef[j].term}`));
      r.se.forEach((s, j) => assert.ok(Math.abs(m.fixef[j].se - s) < 0.005 * s));
      assert.ok(Math.abs(m.theta[0] - r.theta) < 1e-3 && Math.abs(m.sigma - r.sigma) < 1e-3 * r.sigma);
      assert.ok(Math.abs(m.criterion.value - r.REML) < 0.004, `${m.criterion.value} vs ${r.REML}`);
    }
  });
});
