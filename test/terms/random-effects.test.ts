// The random-effects layer's sd/cor scale: lme4's names, agreement with VarCorr, and the round trip to θ.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RandomEffects } from "../../src/terms/random-effects.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { data } from "../inference/fixture.js";

describe("sdcor", () => {
  it("names the parameters as lme4's confint(oldNames = FALSE)", async () => {
    const t = await data("sleepstudy.csv");
    const m = fitLmm("Reaction ~ Days + (Days + I(Days^2) | Subject)", t);
    // R: rownames(confint(fit, method = "Wald", oldNames = FALSE))
    assert.deepEqual(RandomEffects.of(m.frame).naturalNames(true).map((p) => p.name), [
      "sd_(Intercept)|Subject",
      "cor_Days.(Intercept)|Subject",
      "cor_I(Days^2).(Intercept)|Subject",
      "sd_Days|Subject",
      "cor_I(Days^2).Days|Subject",
      "sd_I(Days^2)|Subject",
      "sigma",
    ]);
    // (Days || Subject): both terms keep the factor's name
    const u = fitLmm("Reaction ~ Days + (Days || Subject)", t);
    assert.deepEqual(u.randomEffects.naturalNames(false).map((p) => p.name), ["sd_(Intercept)|Subject", "sd_Days|Subject"]);
  });

  it("orders the terms as θ (decreasing levels) and agrees with VarCorr", async () => {
    const t = await data("Penicillin.csv");
    const m = fitLmm("diameter ~ 1 + (1 | sample) + (1 | plate)", t);
    const re = RandomEffects.of(m.frame);
    assert.deepEqual(re.terms.map((x) => x.frame.group.name), ["plate", "sample"]);
    const v = re.toNatural(m.theta, m.sigma, true);
    const sd = (g: string): number => m.varcorr.find((r) => r.group === g)!.sdcor;
    assert.ok(Math.abs(v[0] - sd("plate")) < 1e-12 && Math.abs(v[1] - sd("sample")) < 1e-12 && v[2] === m.sigma);
  });

  it("round-trips θ → sd/cor → θ, and rejects invalid parameters", async () => {
    const t = await data("sleepstudy.csv");
    const m = fitLmm("Reaction ~ Days + (Days | Subject)", t);
    const re = m.randomEffects;
    const v = re.toNatural(m.theta, m.sigma, true);
    // lme4: sd 24.7404, cor 0.0656, sd 5.9221
    assert.ok(Math.abs(v[0] - 24.7404476166998) < 1e-3 && Math.abs(v[1] - 0.0655513428534642) < 1e-3 && Math.abs(v[2] - 5.92213325957914) < 1e-3);
    const th = new Float64Array(3);
    assert.equal(re.fromNatural(v, m.sigma, th), true);
    const theta = m.theta;
    th.forEach((x, i) => assert.ok(Math.abs(x - theta[i]) < 1e-12));
    // a correlation of 1 is on the boundary but valid; a negative sd or sigma is not
    assert.equal(re.fromNatural([10, 1, 5], 20, th), true);
    assert.ok(Math.abs(th[2]) < 1e-7 && Math.abs(th[1] - 0.25) < 1e-12);
    assert.equal(re.fromNatural([-1, 0, 5], 20, th), false);
    assert.equal(re.fromNatural([10, 0, 5], 0, th), false);
  });
});
