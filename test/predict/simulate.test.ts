// simulate(): reproducibility, and the moments of the simulated responses against the fitted
// model's (marginal means and covariances, by Monte Carlo with 4-standard-error tolerances).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/predict/simulate.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import { MlmError } from "../../src/errors.js";
import { caseById, fitCase, loadData } from "./helpers.js";

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Covariance of two samples. */
function cov(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mx) * (y[i] - my);
  return s / (x.length - 1);
}

describe("simulate", () => {
  it("is reproducible for a seed and gives nsim vectors of nobs responses", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const a = simulate(m, { nsim: 3, seed: 11 });
    const b = simulate(m, { nsim: 3, seed: 11 });
    const c = simulate(m, { nsim: 3, seed: 12 });
    assert.equal(a.length, 3);
    assert.equal(a[0].length, 180);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a[0], c[0]);
    assert.notDeepEqual(a[0], a[1]);
  });

  it("rejects a number of simulations that is not a whole number of at least 1", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    for (const nsim of [0, 2.5, -1]) {
      assert.throws(() => simulate(m, { nsim }), (e: unknown) => e instanceof MlmError && /whole number of at least 1/.test(e.message));
    }
  });

  it("linear model: y* has mean Xβ̂ and covariance Z Σ Z' + σ² I (sleepstudy)", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const N = 4000;
    const sims = simulate(m, { nsim: N, seed: 2024 });
    const col = (i: number): Float64Array => Float64Array.from(sims, (s) => s[i]);
    const vc = m.varcorr;
    const t00 = vc[0].vcov;
    const t11 = vc[1].vcov;
    const t01 = vc[2].vcov;
    const s2 = m.sigma ** 2;
    // rows 0 and 1: subject 308 on days 0 and 1; row 10: subject 309 on day 0
    const v0 = t00 + s2;
    const v9 = t00 + 18 * t01 + 81 * t11 + s2;
    assert.ok(Math.abs(mean(col(0)) - m.beta[0]) < 4 * Math.sqrt(v0 / N));
    assert.ok(Math.abs(mean(col(9)) - (m.beta[0] + 9 * m.beta[1])) < 4 * Math.sqrt(v9 / N));
    assert.ok(Math.abs(cov(col(0), col(0)) / v0 - 1) < 4 * Math.sqrt(2 / N));
    assert.ok(Math.abs(cov(col(9), col(9)) / v9 - 1) < 4 * Math.sqrt(2 / N));
    // within a subject: z_0'Σz_1 = τ00 + τ01; across subjects: 0
    const c01 = t00 + t01;
    assert.ok(Math.abs(cov(col(0), col(1)) - c01) < 4 * Math.sqrt((v0 * (t00 + t01 + t11 + s2) + c01 ** 2) / N));
    assert.ok(Math.abs(cov(col(0), col(10))) < 4 * Math.sqrt((v0 * v0) / N));
  });

  it("binomial cbind(): counts of successes with the marginal mean Σ m_i E[g⁻¹(η_i + b)] (cbpp)", async () => {
    const c = caseById("cbpp_binomial");
    const m = await fitCase(c);
    const table = await loadData(c.data, c.factors);
    const size = (table.columns.get("size") as { values: Float64Array }).values;
    const N = 2000;
    const sims = simulate(m, { nsim: N, seed: 99 });
    for (const s of sims) for (let i = 0; i < s.length; i++) assert.ok(Number.isInteger(s[i]) && s[i] >= 0 && s[i] <= size[i]);
    const totals = sims.map((s) => s.reduce((a, v) => a + v, 0));
    // E[total] by quadrature over b ~ N(0, θ²) on a fine grid
    const n = m.nobs;
    const sd = m.theta[0];
    let expected = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < m.beta.length; j++) eta += m.frame.X[i + j * n] * m.beta[j];
      let num = 0;
      let den = 0;
      for (let z = -8; z <= 8; z += 0.01) {
        const w = Math.exp((-z * z) / 2);
        num += w / (1 + Math.exp(-(eta + sd * z)));
        den += w;
      }
      expected += (size[i] * num) / den;
    }
    const se = Math.sqrt(cov(totals, totals) / N);
    assert.ok(Math.abs(mean(totals) - expected) < 4 * se, `${mean(totals)} vs ${expected} (se ${se})`);
  });

  it("binomial proportions with weights are proportions of whole successes; binary responses are 0/1", async () => {
    const prop = await loadData("cbpp_prop.csv", ["period", "herd"]);
    const m = fitGlmm("prop ~ period + (1 | herd)", prop, { family: "binomial", weights: "size" });
    const size = (prop.columns.get("size") as { values: Float64Array }).values;
    for (const s of simulate(m, { nsim: 20, seed: 5 })) {
      for (let i = 0; i < s.length; i++) assert.ok(Math.abs(s[i] * size[i] - Math.round(s[i] * size[i])) < 1e-9 && s[i] >= 0 && s[i] <= 1);
    }
    const g = Array.from({ length: 60 }, (_, i) => `g${i % 12}`);
    const x = Array.from({ length: 60 }, (_, i) => (i % 7) - 3);
    const y = x.map((v, i) => ((v + (i % 3)) % 2 === 0 ? 1 : 0));
    const b = fitGlmm("y ~ x + (1 | g)", { y, x, g }, { family: "binomial" });
    for (const s of simulate(b, { nsim: 10, seed: 5 })) for (const v of s) assert.ok(v === 0 || v === 1);
  });

  it("Poisson with an offset: counts with mean Σ exp(o_i + x_i'β + τ²/2) (poisson_offset)", async () => {
    const table = await loadData("poisson_offset.csv");
    const m = fitGlmm("y ~ x + offset(log(exposure)) + (1 | g)", table, { family: "poisson" });
    const N = 2000;
    const sims = simulate(m, { nsim: N, seed: 3 });
    for (const v of sims[0]) assert.ok(Number.isInteger(v) && v >= 0);
    const n = m.nobs;
    const tau2 = m.theta[0] ** 2;
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const eta = (m.frame.offset as Float64Array)[i] + m.beta[0] + m.frame.X[i + n] * m.beta[1];
      expected += Math.exp(eta + tau2 / 2);
    }
    const totals = sims.map((s) => s.reduce((a, v) => a + v, 0));
    const se = Math.sqrt(cov(totals, totals) / N);
    assert.ok(Math.abs(mean(totals) - expected) < 4 * se, `${mean(totals)} vs ${expected} (se ${se})`);
  });
});
