// mlm fit: the JSON of every reference case agrees with lme4 (as ../shared/reference/compare.mjs
// checks it), has the keys the issue specifies, and the text reads like lme4's summary().
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { data, run } from "../helpers.js";
import { assertAgrees, loadCases } from "../../helpers/reference.js";
import type { MixedModel } from "../../../src/index.js";

const slow = new Set(["verbagg_crossed", "contraception", "guimmun_nested", "arabidopsis_poisson"]);

describe("mlm fit --json agrees with lme4 on every reference case", () => {
  for (const c of loadCases().filter((k) => !slow.has(k.id))) {
    it(`${c.id}`, async () => {
      const args = ["fit", data(c.data), c.formula, "--json"];
      if (c.family !== "gaussian") args.push("--family", c.family);
      if (c.link && c.link !== "identity") args.push("--link", c.link);
      if (c.reml === false) args.push("--ml");
      if (c.nAGQ > 1) args.push("--nagq", String(c.nAGQ));
      if (c.weights) args.push("--weights", c.weights);
      for (const f of ([] as string[]).concat(c.factors ?? [])) args.push("--factor", f);
      const r = await run(...args);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as MixedModel & Record<string, unknown>;
      for (const key of ["formula", "family", "method", "nobs", "ngroups", "fixef", "varcorr", "theta", "sigma", "logLik", "AIC", "BIC", "criterion", "singular", "converged", "icc", "ranef", "optimizer", "messages", "timing"]) {
        assert.ok(key in j, `JSON key ${key}`);
      }
      assertAgrees(j, c, c.link === "cloglog" ? 0.02 : undefined);
      if (c.family === "gaussian") {
        assert.equal((j.varcorr.at(-1) as { group: string }).group, "Residual");
        assert.equal(j.method, c.reml === false ? "ML" : "REML");
        for (const f of j.fixef as unknown as { df: number; p: number }[]) assert.ok(f.df > 0 && f.p >= 0 && f.p <= 1);
      } else {
        assert.ok(!j.varcorr.some((v) => v.group === "Residual"));
        assert.equal(j.sigma, 1);
        assert.equal(j.method, c.nAGQ > 1 ? `AGQ(${c.nAGQ})` : "Laplace");
      }
    });
  }
});

describe("mlm fit text", () => {
  it("reads like lme4's summary, with Satterthwaite t tests and the ICC", async () => {
    const r = await run("fit", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)");
    assert.equal(r.code, 0, r.err);
    const out = r.out;
    assert.match(out, /^Linear mixed model fit by REML\. t-tests use Satterthwaite's method/);
    assert.match(out, /REML criterion at convergence: 1786\.5/); // lme4: REMLcrit 1786.465
    assert.match(out, /Random effects:\n Groups +Name +Variance +Std\.Dev\./);
    assert.match(out, /Number of obs: 180, groups: +Subject, 18/);
    assert.match(out, /Intraclass correlation: Subject 0\.5893/); // 1378.18 / (1378.18 + 960.46)
    assert.match(out, /Estimate +Std\. Error +df +t value +Pr\(>\|t\|\)/);
    assert.match(out, /^Days +10\.467 +0\.8042 +161\.0 +13\.02 +< 2e-16$/m);
  });
  it("reads like glmer's summary for a binomial model", async () => {
    const r = await run("fit", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--family", "binomial", "--factor", "period");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Generalized linear mixed model fit by maximum likelihood \(Laplace Approximation\)/);
    assert.match(r.out, /Family: binomial +\( logit \)/);
    assert.match(r.out, /^\(Intercept\) +-1\.3983 +0\.2312 +-6\.048 +1\.47e-09$/m); // lme4: -1.3983 0.2312 -6.048 1.47e-09
  });
});
