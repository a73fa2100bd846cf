// simulateResponse: reproducible draws whose moments are those of the fitted model.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { simulateResponse } from "../../src/inference/simulate.js";
import { createRng } from "../../src/numerics/random.js";
import { fitRef, reference } from "./fixture.js";

describe("simulateResponse", () => {
  it("draws linear-model responses with mean Xβ, variance τ² + σ² and within-group covariance τ²", async () => {
    const m = await fitRef(reference.confint.find((x) => x.id === "dyestuff")!);
    const rng = createRng(21);
    const nsim = 3000;
    const tau2 = m.varcorr[0].vcov;
    const s2 = m.sigma ** 2;
    let sum = 0;
    let sum2 = 0;
    let cross = 0;
    // rows 0 and 1 are in the same batch (A)
    assert.equal(m.frame.reterms[0].group.refs[0], m.frame.reterms[0].group.refs[1]);
    for (let s = 0; s < nsim; s++) {
      const y = simulateResponse(m, rng);
      assert.equal(y.length, 30);
      sum += y[0];
      sum2 += y[0] ** 2;
      cross += (y[0] - m.beta[0]) * (y[1] - m.beta[0]);
    }
    const mean = sum / nsim;
    const v = sum2 / nsim - mean ** 2;
    assert.ok(Math.abs(mean - m.beta[0]) < 4 * Math.sqrt((tau2 + s2) / nsim), `mean ${mean}`);
    assert.ok(Math.abs(v / (tau2 + s2) - 1) < 0.1, `variance ${v} vs ${tau2 + s2}`);
    assert.ok(Math.abs(cross / nsim / tau2 - 1) < 0.25, `covariance ${cross / nsim} vs ${tau2}`);
  });

  it("is reproducible for a seed", async () => {
    const m = await fitRef(reference.confint.find((x) => x.id === "sleepstudy_reml")!);
    assert.deepEqual(simulateResponse(m, createRng(5)), simulateResponse(m, createRng(5)));
    assert.notDeepEqual(simulateResponse(m, createRng(5)), simulateResponse(m, createRng(6)));
  });

  it("draws binomial proportions on the trials of each row", async () => {
    const m = await fitRef(reference.confint.find((x) => x.id === "cbpp_binomial")!);
    const trials = m.frame.response.trials!;
    const rng = createRng(8);
    let total = 0;
    let expected = 0;
    for (let s = 0; s < 200; s++) {
      const y = simulateResponse(m, rng);
      y.forEach((p, i) => {
        const k = p * trials[i];
        assert.ok(Math.abs(k - Math.round(k)) < 1e-9 && k >= 0 && k <= trials[i]);
        total += k;
      });
    }
    // the mean simulated total of cases is near the observed total (the fitted model reproduces it closely)
    m.frame.response.y.forEach((p, i) => (expected += p * trials[i]));
    assert.ok(Math.abs(total / 200 - expected) < 0.15 * expected, `${total / 200} vs ${expected}`);
  });
});
