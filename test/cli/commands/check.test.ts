// `mlm check`: plain-words findings, and with --json the tests, residuals and plot data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, data, assertOneLineError } from "../helpers.js";

test("mlm check: three tests for a Poisson GLMM, each in plain words; --json carries plot data", async () => {
  const args = ["check", data("grouseticks.csv"), "TICKS ~ YEAR + (1 | LOCATION)", "--family", "poisson", "--factor", "YEAR", "--nsim", "100", "--seed", "3"];
  const r = await run(...args);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Simulation-based residual diagnostics \(100 conditional simulations, seed 3\):/);
  assert.match(r.out, /\nuniformity: The scaled residuals /);
  assert.match(r.out, /\ndispersion: The residuals are overdispersed/);
  assert.match(r.out, /\nzero-inflation: /);
  const j = JSON.parse((await run(...args, "--json")).out) as {
    tests: { name: string; p: number }[];
    residuals: number[];
    plots: { residualsVsFitted: { fitted: number[] }; qqResiduals: { expected: number[] }; qqRanef: { group: string }[] };
  };
  assert.deepEqual(j.tests.map((t) => t.name), ["uniformity", "dispersion", "zero-inflation"]);
  assert.equal(j.residuals.length, 403);
  assert.ok(j.residuals.every((v) => v > 0 && v < 1));
  assert.equal(j.plots.residualsVsFitted.fitted.length, 403);
  assert.equal(j.plots.qqRanef[0].group, "LOCATION");
});

test("mlm check: a bad --nsim is one plain sentence", async () => {
  assertOneLineError(await run("check", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--nsim", "5"), /--nsim takes a whole number of at least 10, not '5'/);
});
