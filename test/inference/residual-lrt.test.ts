// anovaResidual against nlme's anova(m0, m1) (test/fixtures/nlme-anova, made by
// test/fixtures/generate/nlme.R): df, AIC, BIC, logLik per model; L.Ratio within 0.01, p within 1%.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { anovaResidual } from "../../src/inference/residual-lrt.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { readTable } from "../../src/io/read-table.js";
import { MlmError } from "../../src/errors.js";
import { fixtures } from "../helpers/reference.js";

interface AnovaCase {
  id: string;
  data: string;
  factors: string[];
  method: "REML" | "ML";
  models: { formula: string; correlation: string | null; variance: string | null; df: number; AIC: number; BIC: number; logLik: number; "L.Ratio": number | null; p: number | null }[];
}

const cases = readdirSync(`${fixtures}nlme-anova`).sort().map((f) => JSON.parse(readFileSync(`${fixtures}nlme-anova/${f}`, "utf8")) as AnovaCase);

describe("anovaResidual agrees with nlme's anova()", () => {
  for (const c of cases) {
    it(c.id, async () => {
      const t = await readTable(`${fixtures}data/${c.data}`, { factors: c.factors });
      const fits = c.models.map((m) => (m.formula.includes("|") ? fitLmmResidual : fitGls)(m.formula, t, { reml: c.method === "REML", correlation: m.correlation ?? undefined, variance: m.variance ?? undefined }));
      const rows = anovaResidual(fits);
      rows.forEach((r, i) => {
        const ref = c.models[i];
        assert.equal(r.df, ref.df);
        assert.ok(Math.abs(r.logLik - ref.logLik) < 2e-3, `logLik ${r.logLik} vs ${ref.logLik}`);
        assert.ok(Math.abs(r.AIC - ref.AIC) < 4e-3 && Math.abs(r.BIC - ref.BIC) < 4e-3);
        if (i > 0) {
          assert.ok(Math.abs((r.lRatio as number) - (ref["L.Ratio"] as number)) < 0.01, `L.Ratio ${r.lRatio} vs ${ref["L.Ratio"]}`);
          assert.ok(Math.abs((r.p as number) - (ref.p as number)) <= 0.01 * (ref.p as number), `p ${r.p} vs ${ref.p}`);
        }
      });
    });
  }
  it("refuses REML fits with different fixed effects", () => {
    const x = Array.from({ length: 30 }, (_, i) => i % 10);
    const y = x.map((v, i) => v + Math.sin(i));
    assert.throws(() => anovaResidual([fitGls("y ~ 1", { x, y }), fitGls("y ~ x", { x, y })]), MlmError);
  });
});
