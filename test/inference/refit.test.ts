// refitMl and refit against lme4's fits.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { refit, refitMl } from "../../src/inference/refit.js";
import { MlmError } from "../../src/errors.js";
import { loadCases } from "../helpers/reference.js";
import { fitRef, reference } from "./fixture.js";

const ml = loadCases().find((c) => c.id === "sleepstudy_ml")!;

describe("refitMl", () => {
  it("refits a REML fit by ML (lme4's refitML: logLik -875.9697)", async () => {
    const reml = await fitRef(reference.confint.find((x) => x.id === "sleepstudy_reml")!);
    const m = refitMl(reml);
    assert.equal(m.method, "ML");
    assert.ok(Math.abs(m.logLik - ml.logLik) < 0.002);
    assert.equal(refitMl(m), m);
  });
});

describe("refit", () => {
  it("reproduces the fit for the same response, and fits a new one", async () => {
    const m = await fitRef(reference.confint.find((x) => x.id === "cbpp_binomial")!);
    const same = refit(m, m.frame.response.y);
    assert.ok(Math.abs(same.logLik - m.logLik) < 1e-6);
    const shifted = await fitRef(reference.confint.find((x) => x.id === "dyestuff")!);
    const r = refit(shifted, shifted.frame.response.y.map((v) => v + 10));
    assert.equal(r.method, "REML");
    assert.ok(Math.abs(r.beta[0] - shifted.beta[0] - 10) < 1e-6);
    assert.throws(() => refit(shifted, new Float64Array(3)), MlmError);
  });
});
