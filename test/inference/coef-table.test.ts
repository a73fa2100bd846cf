// The coefficient table against lmerTest and lme4 (fixtures of test/fixtures/generate/inference.R):
// Satterthwaite and Kenward-Roger df and p-values (lmerTest's summary(fit, ddf = …)), Wald z
// intervals (lme4's confint(fit, method = "Wald")), and t intervals β̂ ± qt(0.975, df) se.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fit } from "../../src/fit/fit.js";
import { coefTable } from "../../src/inference/coef-table.js";
import { MlmError } from "../../src/errors.js";
import { caseData, fixtures, loadCases } from "../helpers/reference.js";

interface RefTest { term: string; se: number; df: number; t: number; p: number }
interface RefFile {
  satterthwaite?: RefTest[] | null;
  kenward_roger?: RefTest[] | null;
  confint_wald?: { rows: { name: string; lower: number | null; upper: number | null }[] } | null;
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("coefTable", () => {
  for (const c of loadCases().filter((k) => k.family === "gaussian" && k.reml !== false && k.weights == null)) {
    it(`${c.id}: Satterthwaite and Kenward-Roger tests as lmerTest, Wald intervals as lme4`, async () => {
      const ref = JSON.parse(readFileSync(`${fixtures}inference/${c.id}.json`, "utf8")) as RefFile;
      const m = fit(c.formula, await caseData(c));
      const checks: [RefTest[] | null | undefined, "satterthwaite" | "kenward-roger"][] = [
        [ref.satterthwaite, "satterthwaite"],
        [ref.kenward_roger, "kenward-roger"],
      ];
      for (const [rows, ddf] of checks) {
        if (!rows) continue;
        const t = coefTable(m, { ddf });
        assert.equal(t.statistic, "t");
        rows.forEach((r, j) => {
          const o = t.rows[j];
          assert.equal(o.term, r.term);
          assert.ok(rel(o.df ?? NaN, r.df) < 0.01, `${ddf} ${r.term} df ${o.df} vs ${r.df}`);
          assert.ok(rel(o.se, r.se) < 0.005, `${ddf} ${r.term} se ${o.se} vs ${r.se}`);
          // p within 1% relative, or both tiny
          assert.ok(rel(o.p, r.p) < 0.01 || (o.p < 1e-12 && r.p < 1e-12), `${ddf} ${r.term} p ${o.p} vs ${r.p}`);
        });
      }
      const wald = coefTable(m, { ddf: "wald" });
      assert.equal(wald.statistic, "z");
      for (const r of ref.confint_wald?.rows ?? []) {
        const o = wald.rows.find((x) => x.term === r.name);
        if (!o || r.lower === null || r.upper === null) continue;
        const half = (r.upper - r.lower) / 2;
        assert.ok(Math.abs(o.lower - r.lower) < 0.005 * half && Math.abs(o.upper - r.upper) < 0.005 * half, `${r.name}: [${o.lower}, ${o.upper}] vs [${r.lower}, ${r.upper}]`);
      }
    });
  }
  it("t intervals use the df: sleepstudy Days, R: 10.467286 + c(-1, 1) * qt(0.975, 17) * 1.545789", async () => {
    const c = loadCases().find((k) => k.id === "sleepstudy_reml")!;
    const row = coefTable(fit(c.formula, await caseData(c))).rows[1];
    // R: 10.467286 - qt(0.975, 17) * 1.545789 = 7.205942; + … = 13.72863
    assert.ok(Math.abs(row.lower - 7.205942) < 2e-4 && Math.abs(row.upper - 13.72863) < 2e-4, `${row.lower} ${row.upper}`);
    const t90 = coefTable(fit(c.formula, await caseData(c)), { level: 0.9 }).rows[1];
    // R: 10.467286 - qt(0.95, 17) * 1.545789 = 7.778188
    assert.ok(Math.abs(t90.lower - 7.778188) < 2e-4, `${t90.lower}`);
  });
  it("GLMMs default to Wald z tests and refuse t-test methods", async () => {
    const c = loadCases().find((k) => k.id === "cbpp_binomial")!;
    const m = fit(c.formula, await caseData(c), { family: "binomial" });
    const t = coefTable(m);
    assert.equal(t.ddf, "wald");
    assert.ok(t.rows.every((r) => r.df === null));
    assert.throws(() => coefTable(m, { ddf: "satterthwaite" }), (e: unknown) => e instanceof MlmError && /Wald z tests/.test(e.message));
  });
});
