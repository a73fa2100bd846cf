// fit() with nlme's residual structures dispatches to gls or lme and agrees with nlme
// (test/fixtures/nlme); other options that cannot combine with a structure are refused.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fit } from "../../src/fit/fit.js";
import { MlmError } from "../../src/errors.js";
import { assertAgreesNlme, loadNlmeCases, nlmeData } from "../helpers/nlme-reference.js";

const byId = new Map(loadNlmeCases().map((c) => [c.id, c]));

describe("fit() with correlation and variance options", () => {
  for (const id of ["lme_sleepstudy_int_ar1", "gls_orthodont_cs_ident"]) {
    it(`${id} agrees with nlme`, async () => {
      const c = byId.get(id);
      assert.ok(c);
      const reml = c.method === "REML";
      const d = await nlmeData(c);
      const m = c.correlation
        ? fit(c.formula, d, { reml, correlation: c.correlation, ...(c.variance ? { variance: c.variance } : {}) })
        : fit(c.formula, d, { reml, variance: c.variance as string });
      assert.equal(m.kind, c.nlme.fun);
      assertAgreesNlme(m, c);
    });
  }
  it("without a structure it is still lme4's fit", async () => {
    const c = byId.get("lme_sleepstudy_int_ar1");
    assert.ok(c);
    assert.equal(fit(c.formula, await nlmeData(c)).kind, "lmm");
  });
  it("refuses a GLMM family or prior weights with a structure", async () => {
    const c = byId.get("lme_sleepstudy_int_ar1");
    assert.ok(c);
    const d = await nlmeData(c);
    assert.throws(() => fit(c.formula, d, { family: "poisson", correlation: "corAR1(form = ~ Days | Subject)" }), MlmError);
    assert.throws(() => fit(c.formula, d, { weights: "Days", correlation: "corAR1(form = ~ Days | Subject)" }), MlmError);
  });
});
