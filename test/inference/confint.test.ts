// confint: Wald intervals against lme4's confint(method = "Wald"), the dispatch on method, and the
// parametric bootstrap (reproducible for a seed, near the profile intervals).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bootstrapConfint, confint, parameterNames, parameterValues, waldConfint } from "../../src/inference/confint.js";
import { MlmError } from "../../src/errors.js";
import { fitRef, reference } from "./fixture.js";

describe("waldConfint agrees with lme4's confint(method = 'Wald')", () => {
  for (const c of reference.confint.filter((x) => x.level === 0.95)) {
    it(c.id, async () => {
      const m = await fitRef(c);
      const rows = waldConfint(m, c.level);
      assert.deepEqual(rows.map((r) => r.name), c.wald.map((r) => r.name));
      rows.forEach((r, i) => {
        const R = c.wald[i];
        if (R.lower === null) {
          assert.equal(r.lower, null);
          assert.equal(r.upper, null);
          return;
        }
        // the half-width is z·se; lme4's se agrees with ours within 0.5% (1% for GLMMs)
        const half = (R.upper! - R.lower) / 2;
        const tol = (c.family === "gaussian" ? 0.005 : 0.01) * half + 1e-9;
        assert.ok(Math.abs(r.lower! - R.lower) <= tol + 0.02 * half, `${r.name}: ${r.lower} vs ${R.lower}`);
        assert.ok(Math.abs(r.upper! - r.lower! - 2 * half) <= 2 * tol, `${r.name} width`);
      });
    });
  }
});

describe("confint", () => {
  it("uses the profile by default and Wald or bootstrap on request", async () => {
    const c = reference.confint.find((x) => x.id === "dyestuff")!;
    const m = await fitRef(c);
    const prof = confint(m);
    assert.ok(Math.abs(prof[0].lower! - c.profile[0].lower!) < 0.01 * (c.profile[0].upper! - c.profile[0].lower!));
    assert.deepEqual(confint(m, { method: "wald" }), waldConfint(m));
    assert.deepEqual(confint(m, { method: "bootstrap", nsim: 20, seed: 3 }), bootstrapConfint(m, { nsim: 20, seed: 3 }));
    assert.throws(() => confint(m, { method: "bogus" as "wald" }), /Unknown confidence-interval method/);
    assert.throws(() => confint(m, { level: 95 }), MlmError);
  });

  it("lists parameter names and values in lme4's order", async () => {
    const c = reference.confint.find((x) => x.id === "sleepstudy_reml")!;
    const m = await fitRef(c);
    assert.deepEqual(parameterNames(m), c.profile.map((r) => r.name));
    const v = parameterValues(m);
    // lme4 (REML): sd 24.7404, cor 0.0656, sd 5.9221, sigma 25.5918, beta 251.405, 10.467
    [24.7404476166998, 0.0655513428534642, 5.92213325957914, 25.5918158926241, 251.405104848486, 10.467285959596].forEach((x, i) =>
      assert.ok(Math.abs(v[i] - x) < 1e-3 * Math.max(1, Math.abs(x)), `${i}: ${v[i]} vs ${x}`),
    );
  });
});

describe("bootstrapConfint", () => {
  it("is reproducible for a seed, changes with the seed, and lies near the profile intervals", async () => {
    const c = reference.confint.find((x) => x.id === "penicillin_crossed")!;
    const m = await fitRef(c);
    const a = bootstrapConfint(m, { nsim: 60, seed: 11 });
    assert.deepEqual(bootstrapConfint(m, { nsim: 60, seed: 11 }), a);
    assert.notDeepEqual(bootstrapConfint(m, { nsim: 60, seed: 12 }), a);
    assert.deepEqual(a.map((r) => r.name), c.profile.map((r) => r.name));
    a.forEach((r, i) => {
      const R = c.profile[i];
      const width = R.upper! - R.lower!;
      // loose: 60 simulations, and the bootstrap of a REML fit against the ML profile
      assert.ok(r.lower! < r.upper!);
      assert.ok(Math.abs(r.lower! - R.lower!) < 0.5 * width, `${r.name} lower ${r.lower} vs profile ${R.lower}`);
      assert.ok(Math.abs(r.upper! - R.upper!) < 0.5 * width, `${r.name} upper ${r.upper} vs profile ${R.upper}`);
    });
  });

  it("bootstraps GLMMs and reports progress for each simulation", async () => {
    const c = reference.confint.find((x) => x.id === "cbpp_binomial")!;
    const m = await fitRef(c);
    let last = [0, 0];
    let calls = 0;
    const rows = bootstrapConfint(m, { nsim: 25, seed: 5, onProgress: (d, t) => ((last = [d, t]), calls++) });
    assert.deepEqual(last, [25, 25]);
    assert.equal(calls, 25);
    rows.forEach((r, i) => {
      const R = c.profile[i];
      const width = R.upper! - R.lower!;
      assert.ok(Math.abs((r.lower! + r.upper!) / 2 - (R.lower! + R.upper!) / 2) < 0.5 * width, r.name);
    });
  });
});
