// Likelihood-ratio tests against lme4's anova(m0, m1, ...) (test/fixtures/inference/confint-lrt.json),
// the chi-bar-square boundary p-values, and the checks that the models are comparable.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { anovaLrt } from "../../src/inference/lrt.js";
import { chiSquareUpper } from "../../src/inference/chi-square.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import { MlmError } from "../../src/errors.js";
import { data, fitRef, reference } from "./fixture.js";
import { tmbFit, tmbInference } from "../helpers/glmmtmb.js";

describe("anovaLrt agrees with lme4's anova", () => {
  for (const a of reference.anova) {
    it(`${a.id}: ${a.formulas.join(" vs ")}`, async () => {
      // give the models in reverse order: anovaLrt sorts them by npar as lme4 does
      const models = await Promise.all([...a.formulas].reverse().map((formula) => fitRef({ ...a, formula })));
      const r = anovaLrt(models);
      assert.deepEqual(r.models.map((m) => m.formula), a.models.map((m) => m.formula));
      r.models.forEach((m, i) => {
        const R = a.models[i];
        assert.equal(m.npar, R.npar);
        const tol = a.family === "gaussian" ? 0.002 : 0.01;
        assert.ok(Math.abs(m.logLik - R.logLik) < tol, `logLik ${m.logLik} vs ${R.logLik}`);
        assert.ok(Math.abs(m.deviance - R.deviance) < 2 * tol);
        assert.ok(Math.abs(m.AIC - R.AIC) < 2 * tol && Math.abs(m.BIC - R.BIC) < 2 * tol);
      });
      assert.equal(r.tests.length, a.tests.length);
      r.tests.forEach((t, i) => {
        const R = a.tests[i];
        assert.equal(t.df, R.df);
        assert.ok(Math.abs(t.chisq - R.chisq) < 0.01, `chisq ${t.chisq} vs ${R.chisq}`);
        assert.ok(Math.abs(t.p - R.p) <= 0.01 * R.p, `p ${t.p} vs ${R.p}`);
      });
    });
  }
});

describe("anovaLrt boundary p-values", () => {
  it("halves p for one added variance (Penicillin: + (1 | sample))", async () => {
    const a = reference.anova.find((x) => x.id === "penicillin_sample")!;
    const r = anovaLrt(await Promise.all(a.formulas.map((formula) => fitRef({ ...a, formula }))));
    const t = r.tests[0];
    assert.equal(t.df, 1);
    assert.ok(Math.abs(t.pBoundary! - t.p / 2) <= 1e-12 * t.p);
    assert.equal(t.mixture, "½χ²₀ + ½χ²₁");
    assert.match(t.note!, /boundary of zero|edge of its allowed range/);
    assert.match(t.note!, /conservative/);
  });

  it("uses ½χ²₁ + ½χ²₂ for adding a correlated slope to an intercept (sleepstudy)", async () => {
    const a = reference.anova.find((x) => x.id === "sleepstudy_slope")!;
    const r = anovaLrt(await Promise.all(a.formulas.map((formula) => fitRef({ ...a, formula }))));
    const t = r.tests[0];
    // R: 0.5 * pchisq(42.1393, 1, lower = FALSE) + 0.5 * pchisq(42.1393, 2, lower = FALSE) = 3.961195e-10
    assert.ok(Math.abs(t.pBoundary! - 3.961195307936e-10) < 1e-3 * 3.961195307936e-10);
    assert.equal(t.mixture, "½χ²₁ + ½χ²₂");
  });

  it("uses ½χ²₂ + ½χ²₃ for adding a third correlated effect", async () => {
    const t = await data("sleepstudy.csv");
    const m0 = fitLmm("Reaction ~ Days + I(Days^2) + (Days | Subject)", t, { reml: false });
    const m1 = fitLmm("Reaction ~ Days + I(Days^2) + (Days + I(Days^2) | Subject)", t, { reml: false });
    const test = anovaLrt([m0, m1]).tests[0];
    assert.equal(test.df, 3);
    const expected = 0.5 * chiSquareUpper(test.chisq, 2) + 0.5 * chiSquareUpper(test.chisq, 3);
    assert.ok(Math.abs(test.pBoundary! - expected) < 1e-15);
    assert.ok(test.pBoundary! < test.p);
  });

  it("gives no boundary p-value, with a note, when only a correlation is added", async () => {
    const a = reference.anova.find((x) => x.id === "sleepstudy_three")!;
    const r = anovaLrt(await Promise.all(a.formulas.map((formula) => fitRef({ ...a, formula }))));
    assert.equal(r.tests[0].mixture, "½χ²₀ + ½χ²₁"); // (1 | S) → (Days || S): one variance
    assert.equal(r.tests[1].pBoundary, undefined); // (Days || S) → (Days | S): one correlation
    assert.match(r.tests[1].note!, /only in correlations/);
  });

  it("gives no boundary p-value, with a note, for a mixture of unknown form", async () => {
    const t = await data("sleepstudy.csv");
    const m0 = fitLmm("Reaction ~ Days + (1 | Subject)", t, { reml: false });
    const m1 = fitLmm("Reaction ~ Days + (Days + I(Days^2) | Subject)", t, { reml: false });
    const test = anovaLrt([m0, m1]).tests[0];
    assert.equal(test.df, 5);
    assert.equal(test.pBoundary, undefined);
    assert.match(test.note!, /not one of the known forms/);
  });

  it("gives neither when the fixed effects differ", async () => {
    const a = reference.anova.find((x) => x.id === "sleepstudy_days")!;
    const r = anovaLrt(await Promise.all(a.formulas.map((formula) => fitRef({ ...a, formula }))));
    assert.equal(r.tests[0].pBoundary, undefined);
    assert.equal(r.tests[0].note, undefined);
  });
});

describe("anovaLrt input checks", () => {
  it("refits REML models by ML", async () => {
    const t = await data("sleepstudy.csv");
    const reml = fitLmm("Reaction ~ Days + (1 | Subject)", t);
    const ml = fitLmm("Reaction ~ Days + (1 | Subject)", t, { reml: false });
    const r = anovaLrt([reml, fitLmm("Reaction ~ Days + (Days | Subject)", t)]);
    assert.ok(Math.abs(r.models[0].logLik - ml.logLik) < 1e-6);
  });

  it("needs two models of the same family on the same rows and response", async () => {
    const t = await data("sleepstudy.csv");
    const m = fitLmm("Reaction ~ Days + (1 | Subject)", t);
    assert.throws(() => anovaLrt([m]), MlmError);
    assert.throws(() => anovaLrt([m, fitLmm("log(Reaction) ~ Days + (1 | Subject)", t)]), /different responses or rows/);
    const cbpp = await data("cbpp.csv", ["period"]);
    const g = fitGlmm("cbind(incidence, size - incidence) ~ 1 + (1 | herd)", cbpp, { family: "binomial" });
    assert.throws(() => anovaLrt([m, g]), /different families/);
  });

  it("rejects models fitted to different numbers of rows", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ y: Math.sin(i) * 3 + (i % 4), x: i % 5 === 0 ? null : i / 10, g: `g${i % 8}` }));
    const m0 = fitLmm("y ~ 1 + (1 | g)", rows, { reml: false });
    const m1 = fitLmm("y ~ x + (1 | g)", rows, { reml: false });
    assert.throws(() => anovaLrt([m0, m1]), /different numbers of rows/);
  });
});

// Likelihood-ratio tests of the glmmTMB families and structures against glmmTMB 1.1.5's
// anova(m0, m1) (test/fixtures/glmmtmb-inference/lrt_*.json, glmmtmb-inference.R):
//   Poisson against nbinom2 (Salamanders, epil): θ → ∞ is the boundary, so mlm halves anova's
//   χ²₁ p-value (½χ²₀ + ½χ²₁);
//   cs against us, ar1 against toep (simulated repeated measures, ML).
describe("anovaLrt of dispersion families and covariance structures agrees with glmmTMB's anova", () => {
  interface RefTmbLrt {
    data: string;
    models: { formula: string; family: string; logLik: number; df: number }[];
    chisq: number;
    df: number;
    p: number;
    AIC: number[];
    BIC: number[];
  }
  for (const id of ["salamanders_poisson_nb2", "epil_poisson_nb2", "repeated_cs_us", "repeated_ar1_toep"]) {
    const ref = tmbInference<RefTmbLrt>(`lrt_${id}`);
    it(`${id}: ${ref.models.map((m) => `${m.formula} (${m.family})`).join(" vs ")}`, async () => {
      const models = await Promise.all(ref.models.map((m) => tmbFit({ data: ref.data, formula: m.formula, family: m.family })));
      const r = anovaLrt(models);
      r.models.forEach((m, i) => {
        assert.equal(m.npar, ref.models[i].df);
        assert.ok(Math.abs(m.logLik - ref.models[i].logLik) < 0.01, `logLik ${m.logLik} vs glmmTMB ${ref.models[i].logLik}`);
        assert.ok(Math.abs(m.AIC - ref.AIC[i]) < 0.02 && Math.abs(m.BIC - ref.BIC[i]) < 0.02, `AIC ${m.AIC} vs ${ref.AIC[i]}`);
      });
      const t = r.tests[0];
      assert.equal(t.df, ref.df);
      assert.ok(Math.abs(t.chisq - ref.chisq) < 0.02, `chisq ${t.chisq} vs glmmTMB ${ref.chisq}`);
      assert.ok(Math.abs(Math.log(t.p / ref.p)) < 0.01, `p ${t.p} vs glmmTMB ${ref.p}`);
      if (ref.models[0].family === "poisson") {
        assert.equal(t.mixture, "½χ²₀ + ½χ²₁");
        assert.ok(Math.abs(t.pBoundary! / (ref.p / 2) - 1) < 0.01, `boundary p ${t.pBoundary} vs glmmTMB's p / 2 = ${ref.p / 2}`);
      } else assert.equal(t.pBoundary, undefined);
    });
  }
});
