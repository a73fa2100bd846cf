// Satterthwaite df against lmerTest 3.1-3 (the `df` field of each gaussian reference case,
// from summary(lmerTest::as_lmerModLmerTest(fit))), within 1% relative.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { satterthwaite, tPValue } from "../../src/inference/satterthwaite.js";
import { caseData, loadCases } from "../helpers/reference.js";

const cases = loadCases().filter((c) => c.family === "gaussian" && c.fixef.every((f) => typeof f.df === "number"));

describe("satterthwaite agrees with lmerTest", () => {
  it("has cases with df", () => assert.ok(cases.length >= 10));
  for (const c of cases) {
    it(`${c.id}: ${c.formula}`, async () => {
      const m = fitLmm(c.formula, await caseData(c), { reml: c.reml !== false });
      const { df, p } = satterthwaite(m);
      c.fixef.forEach((f) => {
        const j = m.fixef.findIndex((r) => r.term.split(":").sort().join(":") === f.term.split(":").sort().join(":"));
        assert.ok(Math.abs(df[j] - f.df!) <= 0.01 * f.df!, `${f.term}: df ${df[j]} vs lmerTest ${f.df}`);
        assert.ok(p[j] >= 0 && p[j] <= 1);
      });
    });
  }
});

describe("tPValue", () => {
  it("matches R's 2 * pt(-|t|, df)", () => {
    // R: 2 * pt(-2, 10) = 0.07338803; 2 * pt(-6.771, 17) = 3.26674e-06 (lmerTest's p for sleepstudy Days)
    assert.ok(Math.abs(tPValue(2, 10) - 0.07338803) < 1e-7);
    assert.ok(Math.abs(tPValue(-6.771, 17) - 3.26674e-6) / 3.26674e-6 < 1e-5);
    // tiny p-values come from the lower tail, not 1 − cdf: R: 2 * pt(-40, 50) = 1.241242e-39
    assert.ok(Math.abs(tPValue(40, 50) - 1.241242e-39) / 1.241242e-39 < 1e-5);
  });
});
