// The fitted model is immutable for real: arrays handed out are copies, the lazy ranef() does not
// see writes, and evaluating the criterion elsewhere does not change what the model returns.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fit } from "../../src/fit/fit.js";
import { modelSealer } from "../../src/model/mixed-model.js";
import { data } from "../inference/fixture.js";

describe("MixedModel", () => {
  it("writes to θ, β, vcov and fitted values do not reach the model (sleepstudy condsd stays 12.07)", async () => {
    const m = fit("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
    const theta0 = Array.from(m.theta);
    m.theta[0] = 0;
    m.beta[0] = 0;
    m.vcov[0] = 0;
    m.fitted[0] = 0;
    m.residuals[0] = 0;
    assert.deepEqual(Array.from(m.theta), theta0);
    assert.ok(m.beta[0] > 250 && m.vcov[0] > 40 && m.fitted[0] > 200);
    // lme4: attr(ranef(fit, condVar = TRUE)$Subject, "postVar") gives condsd 12.07 for Subject 308's intercept
    assert.ok(Math.abs(m.ranef()[0].condsd - 12.07) < 0.01);
    assert.ok(Object.isFrozen(m) && Object.isFrozen(m.fixef) && Object.isFrozen(m.fixef[0]) && Object.isFrozen(m.varcorr[0]) && Object.isFrozen(m.ranef()[0]));
    assert.throws(() => {
      (m as { sigma: number }).sigma = 1;
    }, TypeError);
  });
  it("the criterion at another θ leaves the model's results unchanged (reentrant)", async () => {
    const m = fit("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
    if (m.kind !== "lmm") throw new Error("expected a linear model");
    const before = m.unscaledVcovAt(m.theta);
    const crit = m.devfun(m.theta);
    m.devfun([0.5, 0.1, 0.5]);
    m.unscaledVcovAt([2, 0, 2]);
    const rows = m.ranef();
    assert.ok(Math.abs(rows[0].condsd - 12.07) < 0.01);
    assert.equal(m.devfun(m.theta), crit);
    assert.deepEqual(Array.from(m.unscaledVcovAt(m.theta)), Array.from(before));
  });
  it("a sealed model hands out copies and is frozen", () => {
    const m = modelSealer(["beta"])({ n: 2 }, { beta: Float64Array.of(1, 2) });
    m.beta[0] = 9;
    assert.equal(m.beta[0], 1);
    assert.ok(Object.isFrozen(m));
  });
  it("messages are data with stable codes and severities", async () => {
    const t = await data("Dyestuff2.csv");
    const m = fit("Yield ~ 1 + (1 | Batch)", t);
    assert.equal(m.singular, true);
    const singular = m.messages.find((x) => x.code === "singular-fit");
    assert.ok(singular && singular.severity === "warning" && /Singular fit/.test(singular.text));
  });
});
