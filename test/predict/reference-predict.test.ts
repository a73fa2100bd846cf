// Predictions, fitted values and coef() against test/fixtures/predict/<case>.json, written by
// test/fixtures/generate/predict.R (lme4 1.1-31): predict(fit, newdata, allow.new.levels = TRUE),
// predict(fit, newdata, re.form = NA), on the link and response scales for cbpp.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { predict } from "../../src/predict/predict.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import { caseData, fixtures, loadCases } from "../helpers/reference.js";

interface PredictFile {
  id: string;
  newdata: Record<string, (string | number)[]>;
  predictions: { re_form: string; type: "link" | "response"; values: number[] }[];
  fitted?: { values: number[] };
  coef: { group: string; level: string[]; terms: string[]; values: Record<string, number[]> }[];
}

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

for (const id of ["sleepstudy_reml", "penicillin_crossed", "exam_slope_ml", "cbpp_binomial"]) {
  const ref = JSON.parse(readFileSync(`${fixtures}predict/${id}.json`, "utf8")) as PredictFile;
  const c = loadCases().find((k) => k.id === id)!;
  describe(`${id}: agreement with lme4's predict, fitted and coef`, async () => {
    const data = await caseData(c);
    const m: MixedModel =
      c.family === "gaussian" ? fitLmm(c.formula, data, { reml: c.reml !== false }) : fitGlmm(c.formula, data, { family: "binomial" });
    const factors = ([] as string[]).concat(c.factors ?? []);
    for (const p of ref.predictions.filter((q) => q.re_form === "full" || q.re_form === "NA")) {
      it(`predict re.form ${p.re_form}, type ${p.type}`, () => {
        const out = predict(m, ref.newdata, { reForm: p.re_form === "NA" ? "none" : undefined, type: p.type, factors });
        p.values.forEach((v, i) => close(out.fit[i], v, `row ${i + 1}`));
      });
    }
    if (ref.fitted) {
      it("fitted values", () => ref.fitted!.values.forEach((v, i) => close(m.fitted[i], v, `row ${i + 1}`)));
    }
    it("coef(fit): fixed plus random effects per group", () => {
      const ranef = m.ranef();
      for (const g of ref.coef) {
        for (const term of g.terms) {
          const beta = m.fixef.find((f) => f.term === term)?.estimate ?? 0;
          g.level.forEach((level, i) => {
            const b = ranef.find((r) => r.group === g.group && r.term === term && r.level === level)?.condval ?? 0;
            close(beta + b, g.values[term][i], `${g.group} ${level} ${term}`);
          });
        }
      }
    });
  });
}
