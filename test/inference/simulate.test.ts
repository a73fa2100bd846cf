// simulateResponse: reproducible draws whose moments are those of the fitted model.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { simulateResponse } from "../../src/inference/simulate.js";
import { createRng } from "../../src/numerics/random.js";
import { fitRef, reference } from "./fixture.js";
import { tmbFit } from "../helpers/glmmtmb.js";

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

// Draws from the dispersion families: y* given new random effects b ~ N(0, s²) on the log link
// has the marginal mean E μ = exp(xβ + s²/2) and variance E V(μ) + Var μ, with E μ² = exp(2xβ + 2s²)
// and V(μ) = μ + μ²/θ (nbinom2), μ(1 + α) (nbinom1), σ²μ² (Gamma). Standardised by these, the
// draws of 200 simulated data sets have mean 0 and variance 1.
describe("simulateResponse for nbinom2, nbinom1 and Gamma follows the family's mean and variance", () => {
  const models = [
    { data: "Salamanders.csv", formula: "count ~ spp + mined + (1 | site)", family: "nbinom2", link: "log" },
    { data: "Salamanders.csv", formula: "count ~ spp + mined + (1 | site)", family: "nbinom1", link: "log" },
    { data: "gamma_sim.csv", formula: "y ~ x + (1 | g)", family: "Gamma", link: "log" },
  ];
  for (const spec of models) {
    it(`${spec.family}: ${spec.formula}`, async () => {
      const m = await tmbFit(spec);
      const s2 = m.varcorr[0].sdcor ** 2;
      const sigma = m.sigma;
      const n = m.nobs;
      const X = m.frame.X;
      const mean = new Float64Array(n);
      const sd = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let xb = m.frame.offset?.[i] ?? 0;
        for (let j = 0; j < m.beta.length; j++) xb += X[i + j * n] * m.beta[j];
        const e1 = Math.exp(xb + s2 / 2);
        const e2 = Math.exp(2 * xb + 2 * s2);
        const ev = spec.family === "nbinom2" ? e1 + e2 / sigma : spec.family === "nbinom1" ? e1 * (1 + sigma) : sigma * sigma * e2;
        mean[i] = e1;
        sd[i] = Math.sqrt(ev + e2 - e1 * e1);
      }
      const rng = createRng(17);
      let sum = 0;
      let sum2 = 0;
      let k = 0;
      for (let r = 0; r < 200; r++) {
        const y = simulateResponse(m, rng);
        for (let i = 0; i < n; i++) {
          if (spec.family === "Gamma") assert.ok(y[i] > 0);
          else assert.ok(y[i] >= 0 && Number.isInteger(y[i]));
          const z = (y[i] - mean[i]) / sd[i];
          sum += z;
          sum2 += z * z;
          k++;
        }
      }
      const zMean = sum / k;
      const zVar = sum2 / k - zMean * zMean;
      assert.ok(Math.abs(zMean) < 0.05, `standardised mean ${zMean}`);
      assert.ok(Math.abs(zVar - 1) < 0.1, `standardised variance ${zVar}`);
    });
  }
});
