// VarCorr rows from θ and σ against lme4's as.data.frame(VarCorr(fit)) for the reference cases
// (their own θ and σ, so this checks the mapping alone), and Wald z p-values against R's pnorm.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { varCorr } from "../../src/terms/varcorr.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import { waldZ } from "../../src/inference/wald.js";
import { parseFormula } from "../../src/formula/index.js";
import { modelFrame } from "../../src/model-frame/index.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import { caseData, loadCases } from "../helpers/reference.js";

describe("varCorr", () => {
  for (const c of loadCases().filter((k) => k.family === "gaussian")) {
    it(`${c.id}: lme4's VarCorr from lme4's θ and σ`, async () => {
      const frame = modelFrame(parseFormula(c.formula), await caseData(c));
      const rows = varCorr(RandomEffects.of(frame), c.theta, c.sigma, true);
      assert.equal(rows.length, c.varcorr.length);
      c.varcorr.forEach((r, i) => {
        assert.equal(rows[i].group, r.group);
        assert.equal(rows[i].var1, r.var1);
        assert.equal(rows[i].var2, r.var2);
        if (Number.isFinite(r.sdcor)) assert.ok(Math.abs(rows[i].sdcor - r.sdcor) < 1e-8 * Math.max(1, Math.abs(r.sdcor)), `${rows[i].sdcor} vs ${r.sdcor}`);
      });
    });
  }
});

describe("waldZ", () => {
  it("two-sided normal p-values (R: 2 * pnorm(-6.048) = 1.466549568e-09)", () => {
    const m = { fixef: [{ term: "x", estimate: -1, se: 1 / 6.048, statistic: -6.048 }] } as unknown as MixedModel;
    assert.ok(Math.abs(waldZ(m).p[0] - 1.466549568e-9) < 1e-17);
  });
});
