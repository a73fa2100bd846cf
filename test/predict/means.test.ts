// Marginal means, trends and pairwise contrasts against emmeans 1.8.4-1 (test/fixtures/reporting
// from test/fixtures/generate/reporting.R: emmeans(fit, specs, by, lmer.df, type),
// emtrends(fit, specs, var), summary(pairs(em, adjust)), with emm_options(lmerTest.limit = Inf,
// pbkrtest.limit = Inf)).
import { test } from "node:test";
import assert from "node:assert/strict";
import { emmeans, pairwiseContrasts, adjustP, type EmmTable, type MeansDdf, type PAdjust } from "../../src/predict/means.js";
import { ptukeyUpper } from "../../src/inference/studentized-range.js";
import { col, fitReporting, loadReporting, type RFrame } from "../helpers/reporting.js";

interface Tol {
  /** relative tolerance of estimates and standard errors */
  est: number;
  /** relative tolerance of standard errors */
  se: number;
  /** relative tolerance of df */
  df: number;
  /** relative tolerance of p-values */
  p: number;
}

/** Compare one of our tables with emmeans's, column by column. */
function compare(ours: EmmTable, ref: RFrame, tol: Tol, what: string): void {
  const refCols = Object.keys(ref);
  assert.deepEqual([...ours.columns], refCols, `${what}: columns`);
  const n = col(ref, refCols[0]).length;
  for (const c of refCols) {
    const r = col<string | number | null>(ref, c);
    const o = ours.data[c];
    assert.equal(o.length, n, `${what}: rows of ${c}`);
    for (let i = 0; i < n; i++) {
      const rv = r[i];
      const ov = o[i];
      const at = `${what}: ${c}[${i}] ours ${ov} emmeans ${rv}`;
      if (typeof rv === "string") assert.equal(ov, rv, at);
      else if (rv === null) assert.equal(ov, Infinity, at); // df = Inf
      else if (c === "df") assert.ok(Math.abs((ov as number) - rv) <= tol.df * rv, at);
      else if (c === "p.value") assert.ok(Math.abs((ov as number) - rv) <= tol.p * rv + 1e-12, at);
      else if (c === "t.ratio" || c === "z.ratio") assert.ok(Math.abs((ov as number) - rv) <= tol.se * Math.max(1, Math.abs(rv)), at);
      else {
        // estimates, SE and limits: relative to the row's SE scale for values near zero
        const se = (ours.data.SE[i] as number) || 1;
        const scale = Math.max(Math.abs(rv), se);
        const t = c.endsWith("CL") ? tol.est + tol.df * 0.05 : c === "SE" ? tol.se : tol.est;
        assert.ok(Math.abs((ov as number) - rv) <= t * scale, at);
      }
    }
  }
}

for (const fx of loadReporting().filter((f) => f.emmeans)) {
  test(`emmeans, emtrends and pairs agree with emmeans: ${fx.id}`, async () => {
    const { m, data } = await fitReporting(fx.case);
    const glmm = fx.case.family !== "gaussian";
    for (const call of fx.emmeans!) {
      const a = call.args;
      const ddf = (a.ddf ?? "kenward-roger") as MeansDdf;
      const mm = emmeans(m, data, {
        specs: [a.specs],
        ...(a.by ? { by: [a.by] } : {}),
        ...(a.var ? { trend: a.var } : {}),
        ddf,
        ...(a.type ? { type: a.type as "response" } : {}),
        ...(a.level ? { level: a.level } : {}),
      });
      // linear: 1e-6 relative, df within 1%; GLMMs 1e-3 (lme4's SEs come from a finite-difference Hessian)
      const tol: Tol = glmm ? { est: 1e-3, se: 1e-3, df: 0, p: 5e-3 } : { est: 1e-6, se: 5e-6, df: 0.01, p: 0.01 };
      const what = `${fx.id} ${JSON.stringify(a)}`;
      compare(mm.table, call.emmeans, tol, what);
      for (const pr of call.pairs ?? []) {
        compare(pairwiseContrasts(m, mm, pr.adjust as PAdjust), pr.table, tol, `${what} pairs ${pr.adjust}`);
      }
    }
  });
}

test("ptukeyUpper agrees with high-precision integration and R's ptukey", () => {
  // R: integrate() of the defining double integral with rel.tol 1e-12 (see studentized-range.ts)
  assert.ok(Math.abs(ptukeyUpper(12.7, 3, 5) - 0.000672212314053658) < 1e-15);
  assert.ok(Math.abs(ptukeyUpper(4.65, 3, 5) - 0.0482098600973115) < 1e-13);
  // R: ptukey(q, k, df, lower.tail = FALSE)
  assert.ok(Math.abs(ptukeyUpper(3.5, 3, 20) - 0.055891849082059353) < 1e-11);
  assert.ok(Math.abs(ptukeyUpper(5, 4, Infinity) - 0.0023005029381983899) < 1e-12);
  assert.ok(Math.abs(ptukeyUpper(7.06, 4, Infinity) - 3.5615474500705346e-06) < 1e-14);
  assert.ok(Math.abs(ptukeyUpper(6, 3, 2593) - 6.7852605728946358e-05) / 6.785e-5 < 1e-4);
  // two means: Tukey is the unadjusted t test
  assert.ok(Math.abs(ptukeyUpper(Math.SQRT2 * 2.1, 2, 12) - 0.05754493873) < 1e-10);
});

test("p-value adjustments: Holm, Bonferroni, Sidak as R's p.adjust", () => {
  // R: p.adjust(c(0.01, 0.04, 0.03), "holm") = 0.03 0.06 0.06; "bonferroni" = 0.03 0.12 0.09
  assert.deepEqual(adjustP([0.01, 0.04, 0.03], "holm", [], [], 3).map((v) => +v.toFixed(12)), [0.03, 0.06, 0.06]);
  assert.deepEqual(adjustP([0.01, 0.04, 0.03], "bonferroni", [], [], 3).map((v) => +v.toFixed(12)), [0.03, 0.12, 0.09]);
  assert.ok(Math.abs(adjustP([0.01], "sidak", [], [], 2)[0] - 0.01) < 1e-15);
  assert.ok(Math.abs(adjustP([0.01, 0.5], "sidak", [], [], 2)[0] - (1 - 0.99 ** 2)) < 1e-15);
});
