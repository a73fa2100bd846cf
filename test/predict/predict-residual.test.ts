// predictResidual against nlme's predict() (test/fixtures/nlme-predict, generate/nlme-predict.R):
// gls (level 0) and lme at level 0 and level 1, on sleepstudy and Orthodont, within 1e-3
// relative (the fits agree with nlme's to its optimizer tolerance). Its intervals against the
// standard errors computed densely in R from nlme's pieces (vcov, getVarCov marginal and random
// effects, the variance function at the new rows: test/fixtures/nlme-predict-intervals,
// generate/nlme-predict-intervals.R), fit and bounds within 1e-4 relative.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { predictResidual } from "../../src/predict/predict-residual.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { nlmeData, type NlmeModelSpec } from "../helpers/nlme-reference.js";

interface PredictCase extends NlmeModelSpec {
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
      const data = await nlmeData(c);
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
    const data = await nlmeData(c);
    const m = fitLmmResidual(c.formula, data, { correlation: c.correlation ?? undefined });
    const r = predictResidual(m, { Days: [0], Subject: ["999"] });
    assert.ok(Math.abs(r.fit[0] - c.level0[0]) < 1e-3 * c.level0[0]);
    assert.equal(r.messages.length, 1);
    assert.match(r.messages[0].text, /Subject/);
  });
});

interface IntervalCase extends NlmeModelSpec {
  newdata: Record<string, (string | number)[]>;
  seen: boolean[];
  sigma: number;
  intervals: { reForm: "none" | "groups"; interval: "confidence" | "prediction"; level: number; fit: number[]; se: number[]; lower: number[]; upper: number[] }[];
}

const intervalDir = new URL("../fixtures/nlme-predict-intervals/", import.meta.url);
const intervalCases = readdirSync(intervalDir).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(readFileSync(new URL(f, intervalDir), "utf8")) as IntervalCase);

describe("predictResidual's intervals agree with the standard errors from nlme's pieces", () => {
  it("has gls and lme cases with correlation and variance structures and new groups", () => {
    assert.ok(intervalCases.length >= 5);
    assert.ok(intervalCases.filter((c) => c.formula.includes("|")).length >= 3);
    assert.ok(intervalCases.some((c) => c.correlation && c.variance?.startsWith("varIdent")));
    assert.ok(intervalCases.some((c) => c.variance === "varPower()"));
    assert.ok(intervalCases.some((c) => c.variance?.startsWith("varPower(form")));
    assert.ok(intervalCases.some((c) => c.seen.includes(false) && c.seen.includes(true)));
  });
  let worst = 0;
  for (const c of intervalCases) {
    it(c.id, async () => {
      const data = await nlmeData(c);
      const opts = { correlation: c.correlation ?? undefined, variance: c.variance ?? undefined };
      const m = c.formula.includes("|") ? fitLmmResidual(c.formula, data, opts) : fitGls(c.formula, data, opts);
      // σ and varPower's power trade off along a flat ridge (BodyWeight's lme: 3e-4 apart at
      // the same log-likelihood); the intervals use σ w, which is determined
      assert.ok(Math.abs(m.sigma - c.sigma) <= 1e-3 * c.sigma, `sigma ${m.sigma} vs ${c.sigma}`);
      for (const r of c.intervals) {
        const got = predictResidual(m, c.newdata, { reForm: r.reForm === "none" ? "none" : undefined, interval: r.interval, level: r.level });
        const what = `${r.reForm} ${r.interval} ${r.level}`;
        const close = (a: number[] | undefined, b: number[], part: string): void => {
          assert.ok(a, `${what}: no ${part}`);
          b.forEach((v, i) => {
            const rel = Math.abs(a[i] - v) / Math.abs(v);
            worst = Math.max(worst, rel);
            assert.ok(rel <= 1e-4, `${what} ${part} row ${i}: ${a[i]} vs ${v}`);
          });
        };
        close(got.fit, r.fit, "fit");
        close(got.lower, r.lower, "lower");
        close(got.upper, r.upper, "upper");
        // the half-widths themselves (the bounds alone would hide an se error under a large fit)
        const se = got.fit.map((f, i) => ((got.upper as number[])[i] - (got.lower as number[])[i]) / 2);
        close(se, r.fit.map((f, i) => r.upper[i] - f), "half-width");
      }
    });
  }
  it("reports the worst relative difference", () => {
    assert.ok(worst < 1e-4);
    console.log(`predictResidual intervals: ${intervalCases.length} models, worst relative difference ${worst.toExponential(2)}`);
  });
  it("a prediction interval needs the variance function's stratum in the new data", async () => {
    const c = intervalCases.find((x) => x.id === "gls_orthodont_ar1_ident") as IntervalCase;
    const data = await nlmeData(c);
    const m = fitGls(c.formula, data, { correlation: c.correlation ?? undefined, variance: c.variance ?? undefined });
    assert.throws(() => predictResidual(m, { age: [8], Sex: ["Male"], Subject: ["M01"] }, { interval: "prediction", level: 1.5 }), /between 0 and 1/);
    const noSex = { age: [8], Subject: ["M01"] };
    assert.throws(() => predictResidual(m, noSex, { interval: "prediction" }), /Sex/);
  });
});
