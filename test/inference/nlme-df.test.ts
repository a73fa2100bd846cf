// nlme's denominator degrees of freedom and t-test p-values (summary(fit)$tTable) on every nlme
// reference case: gls's N − p, and lme's between/within-group rule.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { nlmeDf } from "../../src/inference/nlme-df.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { loadNlmeCases, nlmeData } from "../helpers/nlme-reference.js";

const quick = loadNlmeCases().filter((c) => !["lme_bodyweight_slope_power", "lme_egsingle_int_car1", "gls_bodyweight_power_fitted"].includes(c.id));

describe("nlmeDf agrees with nlme's tTable", () => {
  for (const c of quick) {
    it(c.id, async () => {
      const fit = c.nlme.fun === "gls" ? fitGls : fitLmmResidual;
      const m = fit(c.formula, await nlmeData(c), { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined });
      const t = nlmeDf(m);
      assert.ok(t);
      c.fixef.forEach((r, j) => {
        assert.equal(t.df[j], r.df, `df ${r.term}`);
        assert.ok(Math.abs(t.p[j] - r.p) <= 0.01 * r.p + 1e-12, `p ${r.term}: ${t.p[j]} vs ${r.p}`);
      });
    });
  }
});
