// DHARMa-style diagnostics checked by simulation: on data drawn from the fitted model the
// uniformity p-values are close to uniform over seeds; on overdispersed and on zero-inflated
// counts the dispersion and zero-inflation tests reject.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkModel, ksUniform } from "../../src/inference/check.js";
import { fit } from "../../src/fit/fit.js";
import { refit } from "../../src/inference/refit.js";
import { simulateResponse } from "../../src/inference/simulate.js";
import { createRng } from "../../src/numerics/random.js";

/** Grouped data: `groups` groups of `per` rows, x ~ N(0, 1), a group effect b ~ N(0, sdB²). */
function grouped(seed: number, groups: number, per: number, sdB: number) {
  const rng = createRng(seed);
  const g: string[] = [];
  const x: number[] = [];
  const b: number[] = [];
  for (let j = 0; j < groups; j++) {
    const bj = sdB * rng.normal();
    for (let k = 0; k < per; k++) {
      g.push(`g${String(j).padStart(3, "0")}`);
      x.push(rng.normal());
      b.push(bj);
    }
  }
  return { rng, g, x, b };
}

test("ksUniform: D and p as R's ks.test(u, 'punif') (asymptotic)", () => {
  // R: ks.test(c(0.1, 0.4, 0.7, 0.9), "punif")$statistic = 0.2
  const r = ksUniform([0.1, 0.4, 0.7, 0.9]);
  assert.ok(Math.abs(r.D - 0.2) < 1e-12);
  assert.ok(r.p > 0.9);
  // far from uniform
  assert.ok(ksUniform(Array.from({ length: 100 }, (_, i) => (i / 100) ** 3)).p < 1e-6);
});

/** Data from a fitted model given its random effects: one family draw around each fitted μ̂. */
function conditionalDraw(m: ReturnType<typeof fit>, seed: number): Float64Array {
  const rng = createRng(seed);
  const scale = m.kind === "lmm" ? m.sigma : 1;
  return Float64Array.from(m.fitted, (mu) => m.family.draw(rng, mu, 1, scale));
}

/** KS test of the uniformity p-values of 40 data sets drawn from the model. */
function calibration(m: ReturnType<typeof fit>, simulation: "conditional" | "unconditional"): { D: number; p: number } {
  const ps: number[] = [];
  for (let s = 0; s < 40; s++) {
    const response = simulation === "conditional" ? conditionalDraw(m, 1000 + s) : simulateResponse(m, createRng(1000 + s));
    const c = checkModel(m, { nsim: 100, seed: s, simulation, response });
    assert.equal(c.residuals.length, m.nobs);
    ps.push(c.tests[0].p);
  }
  return ksUniform(ps);
}

test("linear model: uniformity p-values over 40 data sets from the fitted model are uniform", () => {
  const { rng, g, x, b } = grouped(11, 60, 5, 0.5);
  const y = x.map((xi, i) => 1 + 0.5 * xi + b[i] + rng.normal());
  const m = fit("y ~ x + (1 | g)", { y, x, g });
  for (const simulation of ["conditional", "unconditional"] as const) {
    const ks = calibration(m, simulation);
    assert.ok(ks.p > 0.01, `${simulation}: KS of the 40 p-values: D = ${ks.D}, p = ${ks.p}`);
  }
});

test("Poisson GLMM: uniformity p-values over 40 data sets from the fitted model are uniform (randomized PIT)", () => {
  const { rng, g, x, b } = grouped(12, 40, 5, 0.4);
  const y = x.map((xi, i) => rng.poisson(Math.exp(0.5 + 0.3 * xi + b[i])));
  const m = fit("y ~ x + (1 | g)", { y, x, g }, { family: "poisson" });
  for (const simulation of ["conditional", "unconditional"] as const) {
    const ks = calibration(m, simulation);
    assert.ok(ks.p > 0.01, `${simulation}: KS of the 40 p-values: D = ${ks.D}, p = ${ks.p}`);
  }
});

test("a model checked against the data it was fitted to: p-values are conservative, not liberal", () => {
  const { rng, g, x, b } = grouped(16, 40, 5, 0.5);
  const y = x.map((xi, i) => 1 + 0.5 * xi + b[i] + rng.normal());
  const m0 = fit("y ~ x + (1 | g)", { y, x, g });
  let small = 0;
  for (let s = 0; s < 20; s++) if (checkModel(refit(m0, simulateResponse(m0, createRng(3000 + s))), { nsim: 100, seed: s }).tests[0].p < 0.05) small++;
  assert.ok(small <= 2, `${small} of 20 refits rejected uniformity at 0.05`);
});

test("overdispersed counts: the dispersion test rejects; counts from the model: it does not", () => {
  const { rng, g, x, b } = grouped(13, 40, 8, 0.3);
  // a lognormal observation-level effect (sd 0.8) the Poisson model does not have
  const y = x.map((xi, i) => rng.poisson(Math.exp(1 + 0.3 * xi + b[i] + 0.8 * rng.normal())));
  const m = fit("y ~ x + (1 | g)", { y, x, g }, { family: "poisson" });
  const c = checkModel(m, { nsim: 250, seed: 1 });
  const d = c.tests.find((t) => t.name === "dispersion")!;
  assert.ok(d.p < 0.01 && d.statistic > 1, `dispersion ratio ${d.statistic}, p ${d.p}`);
  assert.match(d.finding, /overdispersed/);
  const ok = checkModel(refit(m, simulateResponse(m, createRng(5))), { nsim: 250, seed: 2 }).tests.find((t) => t.name === "dispersion")!;
  assert.ok(ok.p > 0.01, `dispersion of data from the model: p ${ok.p}`);
});

test("zero-inflated counts: the zero-inflation test rejects", () => {
  const { rng, g, x, b } = grouped(14, 40, 8, 0.3);
  // 30% structural zeros on top of Poisson counts with mean about 3
  const y = x.map((xi, i) => (rng.uniform() < 0.3 ? 0 : rng.poisson(Math.exp(1.1 + 0.2 * xi + b[i]))));
  const m = fit("y ~ x + (1 | g)", { y, x, g }, { family: "poisson" });
  const c = checkModel(m, { nsim: 250, seed: 1 });
  const z = c.tests.find((t) => t.name === "zero-inflation")!;
  assert.ok(z.p < 0.01 && z.statistic > 1, `zero-inflation ratio ${z.statistic}, p ${z.p}`);
  assert.match(z.finding, /zero inflation/);
});

test("plot data: residuals against fitted, uniform QQ of residuals, normal QQ of each random effect", () => {
  const { rng, g, x, b } = grouped(15, 20, 5, 0.5);
  const y = x.map((xi, i) => 1 + xi + b[i] + rng.normal());
  const m = fit("y ~ x + (1 | g)", { y, x, g });
  const c = checkModel(m, { nsim: 50, seed: 3 });
  const { residualsVsFitted, qqResiduals, qqRanef } = c.plots;
  assert.deepEqual(Array.from(residualsVsFitted.fitted), Array.from(m.fitted));
  assert.ok(qqResiduals.observed.every((v, i) => i === 0 || v >= qqResiduals.observed[i - 1]));
  assert.ok(Math.abs(qqResiduals.expected[0] - 0.5 / 100) < 1e-15);
  assert.equal(qqRanef.length, 1);
  assert.equal(qqRanef[0].observed.length, 20);
  assert.ok(Math.abs(qqRanef[0].expected[10] - 0.0627067) < 1e-6); // qnorm(10.5 / 20)
  // the same seed gives the same residuals
  assert.deepEqual(Array.from(checkModel(m, { nsim: 50, seed: 3 }).residuals), Array.from(c.residuals));
});
