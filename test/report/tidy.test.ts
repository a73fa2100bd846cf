// tidy, glance and augment against broom.mixed 0.2.9.4 (test/fixtures/reporting from
// test/fixtures/generate/reporting.R: tidy(as_lmerModLmerTest(fit), effects, conf.int = TRUE),
// glance(fit), augment(fit)), column for column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { augment, glance, tidy, type TidyEffect } from "../../src/report/tidy.js";
import { col, fitReporting, loadReporting, type RFrame } from "../helpers/reporting.js";

const close = (a: number, b: number, tol: number, scale: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(Math.abs(b), scale), `${what}: ours ${a}, broom.mixed ${b}`);

for (const fx of loadReporting().filter((f) => f.tidy)) {
  test(`tidy, glance and augment agree with broom.mixed: ${fx.id}`, async () => {
    const { m } = await fitReporting(fx.case);
    const glmm = fx.case.family !== "gaussian";
    // linear: 1e-5 relative; GLMMs 1e-3 (lme4's standard errors come from a finite-difference Hessian)
    const tol = glmm ? 2e-3 : 1e-5;
    for (const effect of ["fixed", "ran_pars", "ran_vals", "ran_coefs"] as TidyEffect[]) {
      const ref = fx.tidy![effect];
      const ours = tidy(m, { effects: [effect], confInt: effect === "fixed" || effect === "ran_vals" });
      assert.deepEqual([...ours.columns], Object.keys(ref), `${effect} columns`);
      const n = col(ref, "term").length;
      assert.equal(ours.rows.length, n, `${effect} rows`);
      // scale for values near zero: the row's standard error, or the largest |estimate| of the effect
      const big = Math.max(...col<number>(ref, "estimate").map(Math.abs));
      for (const c of ours.columns) {
        const r = col<string | number>(ref, c);
        ours.rows.forEach((row, i) => {
          const what = `${effect} ${c}[${i}] (${String(row.term)} ${String(row.level ?? "")})`;
          if (typeof r[i] === "string") return assert.equal(row[c], r[i], what);
          const se = String(row.term).startsWith("cor__") ? 1 : typeof row["std.error"] === "number" ? row["std.error"] : big * 1e-3;
          // df within 0.1%; p-values follow the df (steeply for small df)
          // and the t quantile of intervals follows the df too
          const t = c === "df" ? 1e-3 : c === "p.value" ? Math.max(10 * tol, 5e-3) : c.startsWith("conf.") && effect === "fixed" ? Math.max(tol, 1e-3) : tol;
          close(row[c] as number, r[i] as number, t, c === "p.value" ? 1e-12 : c === "statistic" ? 1 : se, what);
        });
      }
    }
    const g = glance(m);
    assert.deepEqual(Object.keys(g), Object.keys(fx.glance!));
    for (const [k, v] of Object.entries(fx.glance!)) close(g[k], (v as number[])[0] ?? (v as unknown as number), glmm ? 1e-4 : 1e-7, 1, `glance ${k}`);
    if (fx.augment) {
      const a = augment(m);
      assert.deepEqual(Object.keys(a), Object.keys(fx.augment));
      for (const [k, ref] of Object.entries(fx.augment as RFrame)) {
        const r = ref as number[];
        const scale = Math.max(...r.map(Math.abs));
        r.forEach((v, i) => close(a[k][i], v, glmm ? 2e-3 : 1e-5, scale, `augment ${k}[${i}]`));
      }
    }
  });
}
