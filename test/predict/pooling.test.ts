// pooling(): complete, no and partial pooling on sleepstudy against R's lm() and lme4's coef()
// (test/fixtures/generate/predict-pooling.R), and the models it refuses.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { pooling } from "../../src/predict/pooling.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { MlmError } from "../../src/errors.js";
import { assertRelClose, caseById, fitCase, fixture, loadData } from "./helpers.js";

const penicillin = await loadData("Penicillin.csv");
const cbppFit = await fitCase(caseById("cbpp_binomial"));

describe("pooling on sleepstudy (Reaction ~ Days + (Days | Subject), REML)", () => {
  const ref = fixture.pooling;

  it("complete pooling is coef(lm(Reaction ~ Days)) within 1e-6", async () => {
    const pl = pooling(await fitCase(caseById("sleepstudy_reml")));
    assert.deepEqual(pl.coefficients, ["(Intercept)", "Days"]);
    assert.equal(pl.group, "Subject");
    assertRelClose(pl.complete, ref.complete, 1e-6, "complete");
    for (const g of pl.groups) assert.deepEqual(g.complete, pl.complete);
  });

  it("no pooling is coef(lm(Reaction ~ Days, subset = Subject == s)) within 1e-6, with n per subject", async () => {
    const pl = pooling(await fitCase(caseById("sleepstudy_reml")));
    assert.equal(pl.groups.length, 18);
    for (const r of ref.groups) {
      const g = pl.groups.find((x) => x.level === r.level);
      assert.ok(g, r.level);
      assert.equal(g.n, r.n);
      assertRelClose(g.none as number[], r.none, 1e-6, `none ${r.level}`);
    }
    assert.deepEqual(pl.messages, []);
  });

  it("partial pooling is lme4's coef(fit) within 1e-6 of each coefficient's scale", async () => {
    // The partial estimates inherit the optimum of θ, which agrees with lme4's to about 2e-7;
    // a slope near zero (Subject 335: -0.28) is therefore compared on the scale of the slopes.
    const pl = pooling(await fitCase(caseById("sleepstudy_reml")));
    for (let j = 0; j < 2; j++) {
      const scale = Math.max(...ref.groups.map((r) => Math.abs(r.partial[j])));
      for (const r of ref.groups) {
        const g = pl.groups.find((x) => x.level === r.level);
        const err = Math.abs((g?.partial[j] as number) - r.partial[j]);
        assert.ok(err <= 1e-6 * scale, `partial ${r.level} ${j}: ${g?.partial[j]} vs ${r.partial[j]}`);
      }
    }
  });

  it("partial pooling shrinks each group mean towards the grand mean by τ² / (τ² + σ²/n)", async () => {
    // Reaction ~ 1 + (1 | Subject) on balanced data: complete = grand mean = β̂, none = group mean
    const m = fitLmm("Reaction ~ 1 + (1 | Subject)", await loadData("sleepstudy.csv"));
    const pl = pooling(m);
    const tau2 = m.varcorr[0].vcov;
    const lambda = tau2 / (tau2 + m.sigma ** 2 / 10);
    assert.ok(Math.abs(pl.complete[0] - m.beta[0]) < 1e-9);
    for (const g of pl.groups) {
      const none = (g.none as number[])[0];
      assert.ok(Math.abs(g.partial[0] - (pl.complete[0] + lambda * (none - pl.complete[0]))) < 1e-8, g.level);
    }
  });
});

describe("pooling on awkward data", () => {
  it("gives null and a note for a group too small for its own regression", () => {
    const x = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 5];
    const y = [1.2, 2.1, 2.9, 4.2, 0.5, 1.4, 2.6, 3.1, 2.2, 3.5, 3.9, 5.1, 6];
    const g = ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c", "d"];
    const pl = pooling(fitLmm("y ~ x + (1 | g)", { y, x, g }));
    assert.equal(pl.groups.find((r) => r.level === "d")?.none, null);
    assert.equal(pl.groups.find((r) => r.level === "d")?.n, 1);
    // group a alone: slope Sxy / Sxx = 4.9 / 5, intercept 2.6 - 0.98 * 1.5
    const a = pl.groups.find((r) => r.level === "a")?.none as number[];
    assert.ok(Math.abs(a[1] - 0.98) < 1e-12 && Math.abs(a[0] - 1.13) < 1e-12);
    assert.deepEqual(pl.messages.map((m) => m.text), ["Group d has too few observations (or too little variation in the predictors) for its own regression on 2 coefficients, so its no-pooling estimates are null."]);
  });

  it("refuses models with several grouping factors, GLMMs, and random effects that are not fixed effects", async () => {
    const isPoolingError = (e: unknown): boolean => e instanceof MlmError && /^Pooling compares estimates/.test(e.message);
    assert.throws(() => pooling(fitLmm("diameter ~ 1 + (1 | plate) + (1 | sample)", penicillin)), (e: unknown) => isPoolingError(e) && /2 grouping factors \(plate, sample\)/.test((e as Error).message));
    assert.throws(() => pooling(cbppFit), (e: unknown) => isPoolingError(e) && /binomial/.test((e as Error).message));
    const sleep = await loadData("sleepstudy.csv");
    assert.throws(() => pooling(fitLmm("Reaction ~ 1 + (Days | Subject)", sleep)), (e: unknown) => isPoolingError(e) && /Days is not among the fixed effects/.test((e as Error).message));
  });
});

