// Inference against the R fixtures of test/fixtures/generate/inference.R (lme4 1.1-31, lmerTest
// 3.1-3): profile and Wald intervals of every case R could profile (lme4's
// confint(fit, method = "profile" | "Wald", oldNames = FALSE)), and every anova() LRT file.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import { confint } from "../../src/inference/confint.js";
import { anovaLrt } from "../../src/inference/lrt.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import { readTable } from "../../src/io/read-table.js";
import { caseData, fixtures, loadCases, type RefCase } from "../helpers/reference.js";

interface Row { name: string; lower: number | null; upper: number | null }
interface Interval { rows: Row[] | null; messages?: unknown }
interface InferenceFile { case: string; confint_profile?: Interval | null; confint_wald?: Interval | null }

const cases = new Map(loadCases().map((c) => [c.id, c]));
const files = readdirSync(`${fixtures}inference`).filter((f) => !f.startsWith("lrt_") && cases.has(f.replace(/\.json$/, "")));
// dyestuff2_singular: lme4's own sigma profile fails there; the others have no R profile (too slow in R).
const skipProfile = new Set(["dyestuff2_singular", "egsingle_growth", "verbagg_crossed", "contraception"]);
// Profile bounds lme4 could not compute: it reports "non-monotonic profile" and "bad spline fit"
// for these correlations and interpolates linearly between coarse profile points. The ML
// deviance profiled over the other variance parameters in R (as.function of the ML fit, bobyqa
// per ρ) crosses 3.84 at ρ ≈ −0.505 (early_age_trt, lme4 says +1) and ρ ≈ −0.9224 (pixel, lme4
// says −0.936), where mlm puts the bounds (−0.5055, −0.9225); see test/fixtures/unseen-findings.md.
const lme4FailedRows: Record<string, string[]> = { early_age_trt: ["cor_age.(Intercept)|id"], pixel_nested_slope: ["cor_day.(Intercept)|Dog"] };

async function fit(c: RefCase): Promise<MixedModel> {
  const data = await caseData(c);
  return c.family === "gaussian"
    ? fitLmm(c.formula, data, { reml: c.reml !== false })
    : fitGlmm(c.formula, data, { family: c.family as "binomial" | "poisson", link: c.link === "identity" ? undefined : c.link, nAGQ: c.nAGQ, weights: c.weights ?? undefined });
}

function compare(ours: { name: string; lower: number | null; upper: number | null }[], ref: Row[], tol: (r: Row) => number): void {
  for (const r of ref) {
    if (r.lower === null || r.upper === null) continue;
    const o = ours.find((x) => x.name === r.name);
    assert.ok(o, `interval ${r.name} missing`);
    const t = tol(r);
    assert.ok(Math.abs((o.lower ?? 0) - r.lower) <= t, `${r.name} lower ${o.lower} vs ${r.lower}`);
    assert.ok(Math.abs((o.upper ?? 0) - r.upper) <= t, `${r.name} upper ${o.upper} vs ${r.upper}`);
  }
}

describe("confidence intervals agree with lme4's confint()", () => {
  for (const f of files) {
    const id = f.replace(/\.json$/, "");
    const ref = JSON.parse(readFileSync(`${fixtures}inference/${f}`, "utf8")) as InferenceFile;
    const c = cases.get(id)!;
    if (ref.confint_wald?.rows) {
      it(`${id}: Wald`, async () => {
        const m = await fit(c);
        // GLMM tolerances: estimates within 0.05 se and se within 1-2% give about 2% of the width
        const rel = c.family === "gaussian" ? 1e-3 : 0.02;
        compare(confint(m, { method: "wald" }), ref.confint_wald!.rows!.filter((r) => !/^(sd_|cor_|sigma)/.test(r.name)), (r) => rel * (r.upper! - r.lower!));
      });
    }
    if (ref.confint_profile?.rows && !skipProfile.has(id)) {
      it(`${id}: profile, within 1% of each interval's width`, async () => {
        const m = await fit(c);
        const rows = ref.confint_profile!.rows!.filter((r) => !(lme4FailedRows[id] ?? []).includes(r.name));
        compare(confint(m, { method: "profile" }), rows, (r) => 0.01 * (r.upper! - r.lower!) + 1e-9);
      });
    }
  }
});

interface LrtFile { id: string; data: string; family: string; link?: string; factors: string[] | string | null; models: Record<string, string>; table: { npar: number; logLik: number; Chisq: number | null; p: number | null }[] }

describe("likelihood-ratio tests agree with lme4's anova()", () => {
  for (const f of readdirSync(`${fixtures}inference`).filter((n) => n.startsWith("lrt_"))) {
    const ref = JSON.parse(readFileSync(`${fixtures}inference/${f}`, "utf8")) as LrtFile;
    it(`${ref.id}: chisq within 0.01, p within 1%`, async () => {
      const data = await readTable(`${fixtures}data/${ref.data}`, { factors: ([] as string[]).concat(ref.factors ?? []) });
      const models = Object.values(ref.models).map((formula) =>
        ref.family === "gaussian" ? fitLmm(formula, data, { reml: false }) : fitGlmm(formula, data, { family: ref.family as "binomial" | "poisson", link: ref.link === "identity" ? undefined : (ref.link as "logit" | undefined) }),
      );
      const t = anovaLrt(models);
      ref.table.forEach((row, i) => {
        assert.equal(t.models[i].npar, row.npar);
        if (row.Chisq === null || row.p === null) return;
        const test = t.tests[i - 1];
        assert.ok(Math.abs(test.chisq - row.Chisq) <= 0.01, `chisq ${test.chisq} vs ${row.Chisq}`);
        assert.ok(Math.abs(test.p - row.p) <= 0.01 * row.p, `p ${test.p} vs ${row.p}`);
      });
    });
  }
});
