// predictResidual against nlme's predict() (test/fixtures/nlme-predict, generate/nlme-predict.R):
// gls (level 0) and lme at level 0 and level 1, on sleepstudy and Orthodont, within 1e-3
// relative (the fits agree with nlme's to its optimizer tolerance).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { predictResidual } from "../../src/predict/predict-residual.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { nlmeData, type NlmeCase } from "../helpers/nlme-reference.js";

interface PredictCase {
  id: string;
  data: string;
  formula: string;
  factors: string[];
  correlation: string | null;
  variance: string | null;
  newdata: Record<string, (string | number)[]>;
  level0: number[];
  level1?: number[];
}

const dir = new URL("../fixtures/nlme-predict/", import.meta.url);
const cases = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as PredictCase);

describe("predictResidual agrees with nlme's predict()", () => {
  it("has gls and lme cases on two data sets", () => {
    assert.ok(cases.some((c) => !c.level1) && cases.filter((c) => c.level1).length >= 3);
    assert.equal(new Set(cases.map((c) => c.data)).size, 2);
  });
  for (const c of cases) {
    it(c.id, async () => {
      const data = await nlmeData({ data: c.data, factors: c.factors } as unknown as NlmeCase);
      const opts = { correlation: c.correlation ?? undefined, variance: c.variance ?? undefined };
      const m = c.formula.includes("|") ? fitLmmResidual(c.formula, data, opts) : fitGls(c.formula, data, opts);
      const close = (a: number[], b: number[], what: string): void => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-3 * Math.abs(b[i]), `${what} row ${i}: ${v} vs ${b[i]}`));
      close(predictResidual(m, c.newdata, { reForm: "none" }).fit, c.level0, "level 0");
      const l1 = predictResidual(m, c.newdata);
      close(l1.fit, c.level1 ?? c.level0, "level 1");
      assert.deepEqual(l1.messages, []);
    });
  }
  it("a new group gets the population prediction and a note", async () => {
    const c = cases.find((x) => x.id === "lme_sleepstudy_int_ar1") as PredictCase;
    const data = await nlmeData({ data: c.data, factors: c.factors } as unknown as NlmeCase);
    const m = fitLmmResidual(c.formula, data, { correlation: c.correlation ?? undefined });
    const r = predictResidual(m, { Days: [0], Subject: ["999"] });
    assert.ok(Math.abs(r.fit[0] - c.level0[0]) < 1e-3 * c.level0[0]);
    assert.equal(r.messages.length, 1);
    assert.match(r.messages[0].text, /Subject/);
  });
});
