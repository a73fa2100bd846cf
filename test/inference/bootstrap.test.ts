// bootMer and the percentile intervals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bootMer, percentileIntervals, quantile7 } from "../../src/inference/bootstrap.js";
import { MlmError } from "../../src/errors.js";
import { fitRef, reference } from "./fixture.js";
import { parameterNames, parameterValues } from "../../src/inference/confint.js";
import { tmbFit, tmbInference } from "../helpers/glmmtmb.js";

describe("quantile7", () => {
  it("matches R's quantile (type 7)", () => {
    // R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(0.025, 0.5, 0.975)) = 1.000 3.500 8.475
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    assert.equal(quantile7(x, 0.025), 1);
    assert.equal(quantile7(x, 0.5), 3.5);
    assert.ok(Math.abs(quantile7(x, 0.975) - 8.475) < 1e-12);
    assert.equal(quantile7([NaN, 2, NaN], 0.3), 2);
    assert.ok(Number.isNaN(quantile7([], 0.5)));
  });
});

describe("percentileIntervals", () => {
  it("takes the (1 ∓ level)/2 quantiles of each component", () => {
    const t = [0, 1, 2, 3, 4].map((x) => Float64Array.of(x, 10 * x));
    assert.deepEqual(percentileIntervals({ t0: Float64Array.of(0, 0), t, failed: 0 }, 0.5), [
      [1, 3],
      [10, 30],
    ]);
  });
});

describe("bootMer", () => {
  it("keeps the statistic of the fit and of every refit, reproducibly", async () => {
    const c = reference.confint.find((x) => x.id === "dyestuff")!;
    const m = await fitRef(c);
    const a = bootMer(m, (f) => [f.sigma, f.beta[0]], { nsim: 30, seed: 9 });
    assert.deepEqual(Array.from(a.t0), [m.sigma, m.beta[0]]);
    assert.equal(a.t.length + a.failed, 30);
    assert.deepEqual(bootMer(m, (f) => [f.sigma, f.beta[0]], { nsim: 30, seed: 9 }).t, a.t);
    // the refits scatter around the estimates: the mean of 30 intercepts within 3 standard errors
    const meanBeta = a.t.reduce((s, r) => s + r[1], 0) / a.t.length;
    assert.ok(Math.abs(meanBeta - m.beta[0]) < 3 * m.fixef[0].se);
    assert.ok(new Set(a.t.map((r) => r[0])).size === a.t.length);
  });

  it("rejects a bad number of simulations", async () => {
    const m = await fitRef(reference.confint.find((x) => x.id === "dyestuff")!);
    assert.throws(() => bootMer(m, (f) => [f.sigma], { nsim: 0 }), MlmError);
    assert.throws(() => bootMer(m, (f) => [f.sigma], { nsim: 2.5 }), MlmError);
  });
});

// The parametric bootstrap of a Gamma GLMM (simulate with new random effects, refit with the
// dispersion): every refit succeeds, and the percentile intervals of the sd, σ (1/√shape) and the
// fixed effects lie around the estimates and overlap glmmTMB's profile intervals
// (test/fixtures/glmmtmb-inference/profile_gamma_sim_log.json).
describe("bootstrapConfint of a Gamma GLMM", () => {
  it("gamma_sim_log: y ~ x + (1 | g), 12 simulations", async () => {
    const ref = tmbInference<{ data: string; formula: string; family: string; link: string; rows: { name: string; lower: number; upper: number }[] }>("profile_gamma_sim_log");
    const m = await tmbFit(ref);
    const r = bootMer(m, parameterValues, { nsim: 12, seed: 4 });
    assert.equal(r.failed, 0);
    const est = parameterValues(m);
    const names = parameterNames(m);
    assert.deepEqual(names, ["sd_(Intercept)|g", "sigma", "(Intercept)", "x"]);
    // bootstrapConfint's intervals from the same refits
    const rows = percentileIntervals(r, 0.95).map(([lower, upper], i) => ({ name: names[i], lower, upper }));
    rows.forEach((row, i) => {
      const R = ref.rows.find((x) => x.name === row.name)!;
      assert.ok(row.lower! < row.upper!, row.name);
      const width = R.upper - R.lower;
      // around the estimate (12 draws: the percentile ends lie within half a profile width of it)
      assert.ok(row.lower! < est[i] + 0.5 * width && row.upper! > est[i] - 0.5 * width, `${row.name}: [${row.lower}, ${row.upper}] around ${est[i]}`);
      assert.ok(row.lower! < R.upper && row.upper! > R.lower, `${row.name}: [${row.lower}, ${row.upper}] vs profile [${R.lower}, ${R.upper}]`);
      if (i < 2) assert.ok(row.lower! > 0, row.name);
    });
  });
});
