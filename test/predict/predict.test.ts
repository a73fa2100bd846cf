// predict(): agreement with lme4's predict() on new data with seen and unseen levels (R calls in
// test/fixtures/generate/predict-pooling.R), the interval formulas, missing rows, errors, and the
// coverage of prediction intervals on simulated data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { predict } from "../../src/predict/predict.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { MlmError } from "../../src/errors.js";
import { createRng } from "../../src/numerics/random.js";
import { assertRelClose, caseById, fitCase, fixture, loadData } from "./helpers.js";
import { tableRows, tmbData, tmbFit, tmbInference } from "../helpers/glmmtmb.js";

const Z95 = 1.959963984540054; // qnorm(0.975)
const Z80 = 1.2815515655446004; // qnorm(0.9)
const plogis = (x: number): number => 1 / (1 + Math.exp(-x));

describe("predict agrees with lme4", () => {
  for (const c of fixture.cases) {
    it(`${c.id}: predict(fit, newdata, allow.new.levels = TRUE) and re.form = NA within 1e-5`, async () => {
      const m = await fitCase(c);
      const opts = { factors: c.factors };
      assertRelClose(predict(m, c.newdata, opts).fit, c.predict, 1e-5, "with random effects");
      assertRelClose(predict(m, c.newdata, { ...opts, reForm: "none" }).fit, c.predict_population, 1e-5, "population");
      if (c.predict_link && c.predict_population_link) {
        assertRelClose(predict(m, c.newdata, { ...opts, type: "link" }).fit, c.predict_link, 1e-5, "link");
        assertRelClose(predict(m, c.newdata, { ...opts, type: "link", reForm: "none" }).fit, c.predict_population_link, 1e-5, "population link");
      }
    });
  }

  it("does not depend on the order of the random-effects terms in the formula", async () => {
    const c = caseById("penicillin_crossed");
    const m = fitLmm("diameter ~ 1 + (1 | sample) + (1 | plate)", await loadData(c.data));
    assertRelClose(predict(m, c.newdata).fit, c.predict, 1e-5, "terms swapped");
  });

  it("notes the rows whose levels the fit did not see, per grouping factor", async () => {
    const c = caseById("penicillin_crossed");
    const { messages } = predict(await fitCase(c), c.newdata);
    assert.equal(messages.length, 2);
    assert.match(messages[0].text, /^1 row of the new data has a level of plate that the fit did not see/);
    assert.match(messages[1].text, /^2 rows of the new data have a level of sample/);
    assert.deepEqual(predict(await fitCase(c), c.newdata, { reForm: "none" }).messages, []);
  });
});

describe("predict intervals", () => {
  it("confidence for the population mean: x'β ± z·se(x'β)", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const r = predict(m, { Days: [0, 4], Subject: ["308", "308"] }, { reForm: "none", interval: "confidence" });
    const se0 = m.fixef[0].se;
    assert.ok(Math.abs((r.lower as number[])[0] - (m.beta[0] - Z95 * se0)) < 1e-9);
    assert.ok(Math.abs((r.upper as number[])[0] - (m.beta[0] + Z95 * se0)) < 1e-9);
    // x = (1, 4): var = V00 + 8 V01 + 16 V11
    const v = m.vcov[0] + 8 * m.vcov[1] + 16 * m.vcov[3];
    assert.ok(Math.abs((r.upper as number[])[1] - r.fit[1] - Z95 * Math.sqrt(v)) < 1e-9);
  });

  it("confidence for an existing group adds the conditional variances of its random effects", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const re = m.ranef().filter((r) => r.level === "309");
    const sdInt = re.find((r) => r.term === "(Intercept)")?.condsd as number;
    const sdDays = re.find((r) => r.term === "Days")?.condsd as number;
    const r = predict(m, { Days: [3], Subject: ["309"] }, { interval: "confidence", level: 0.8 });
    const v = m.vcov[0] + 6 * m.vcov[1] + 9 * m.vcov[3] + sdInt ** 2 + 9 * sdDays ** 2;
    assert.ok(Math.abs((r.upper as number[])[0] - r.fit[0] - Z80 * Math.sqrt(v)) < 1e-9);
    assert.ok(Math.abs(r.fit[0] - (r.lower as number[])[0] - Z80 * Math.sqrt(v)) < 1e-9);
  });

  it("prediction adds σ², and for a new group the between-group variance z'Σz", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const tau = m.varcorr.filter((r) => r.group === "Subject");
    const vInt = tau.find((r) => r.var1 === "(Intercept)" && r.var2 === null)?.vcov as number;
    const vDays = tau.find((r) => r.var1 === "Days" && r.var2 === null)?.vcov as number;
    const cov = tau.find((r) => r.var2 !== null)?.vcov as number;
    const r = predict(m, { Days: [2], Subject: ["new"] }, { interval: "prediction" });
    const v = m.vcov[0] + 4 * m.vcov[1] + 4 * m.vcov[3] + vInt + 4 * cov + 4 * vDays + m.sigma ** 2;
    assert.ok(Math.abs((r.upper as number[])[0] - r.fit[0] - Z95 * Math.sqrt(v)) < 1e-8);
    // with reForm none every term counts as new: the same interval for a seen subject
    const pop = predict(m, { Days: [2], Subject: ["308"] }, { interval: "prediction", reForm: "none" });
    assert.ok(Math.abs((pop.upper as number[])[0] - (r.upper as number[])[0]) < 1e-9);
  });

  it("GLMM intervals are computed on the link scale and mapped through the inverse link", async () => {
    const c = caseById("cbpp_binomial");
    const m = await fitCase(c);
    for (const interval of ["confidence", "prediction"] as const) {
      const link = predict(m, c.newdata, { factors: c.factors, interval, type: "link" });
      const resp = predict(m, c.newdata, { factors: c.factors, interval });
      for (let i = 0; i < c.predict.length; i++) {
        assert.ok(Math.abs(resp.fit[i] - plogis(link.fit[i])) < 1e-12);
        assert.ok(Math.abs((resp.lower as number[])[i] - plogis((link.lower as number[])[i])) < 1e-12);
        assert.ok(Math.abs((resp.upper as number[])[i] - plogis((link.upper as number[])[i])) < 1e-12);
        assert.ok((resp.lower as number[])[i] < resp.fit[i] && resp.fit[i] < (resp.upper as number[])[i]);
      }
    }
    // a new herd's confidence interval is the population one; its prediction interval is wider
    const conf = predict(m, { period: ["1"], herd: ["new"] }, { interval: "confidence", type: "link" });
    const pop = predict(m, { period: ["1"], herd: ["new"] }, { interval: "confidence", type: "link", reForm: "none" });
    const pred = predict(m, { period: ["1"], herd: ["new"] }, { interval: "prediction", type: "link" });
    assert.equal((conf.upper as number[])[0], (pop.upper as number[])[0]);
    const half = (x: { fit: number[]; upper?: number[] }): number => (x.upper as number[])[0] - x.fit[0];
    assert.ok(Math.abs(half(pred) ** 2 - half(conf) ** 2 - Z95 ** 2 * m.theta[0] ** 2) < 1e-9);
  });

  it("covers about 95% of new observations of existing and new groups (simulation)", () => {
    // y = 1 + 0.5 x + b_g + e, b_g ~ N(0, 1), e ~ N(0, 1): 30 groups of 8, 20 data sets, and per
    // data set 50 new observations of existing groups and 50 of new groups
    const rng = createRng(20240601);
    const G = 30;
    const per = 8;
    let coveredOld = 0;
    let coveredNew = 0;
    let draws = 0;
    for (let rep = 0; rep < 20; rep++) {
      const b = Array.from({ length: G }, () => rng.normal());
      const x: number[] = [];
      const y: number[] = [];
      const g: string[] = [];
      for (let j = 0; j < G; j++) {
        for (let i = 0; i < per; i++) {
          const xi = 4 * rng.uniform();
          x.push(xi);
          y.push(1 + 0.5 * xi + b[j] + rng.normal());
          g.push(`g${j}`);
        }
      }
      const m = fitLmm("y ~ x + (1 | g)", { y, x, g });
      const nx: number[] = [];
      const ng: string[] = [];
      const ny: number[] = [];
      for (let k = 0; k < 100; k++) {
        const xi = 4 * rng.uniform();
        const existing = k < 50;
        const j = Math.floor(rng.uniform() * G);
        nx.push(xi);
        ng.push(existing ? `g${j}` : `new${k}`);
        ny.push(1 + 0.5 * xi + (existing ? b[j] : rng.normal()) + rng.normal());
      }
      const r = predict(m, { x: nx, g: ng }, { interval: "prediction" });
      for (let k = 0; k < 100; k++) {
        const inside = ny[k] >= (r.lower as number[])[k] && ny[k] <= (r.upper as number[])[k];
        if (inside && k < 50) coveredOld++;
        if (inside && k >= 50) coveredNew++;
      }
      draws += 50;
    }
    const old = coveredOld / draws;
    const fresh = coveredNew / draws;
    assert.ok(old > 0.92 && old < 0.98, `existing groups: coverage ${old}`);
    assert.ok(fresh > 0.92 && fresh < 0.98, `new groups: coverage ${fresh}`);
  });
});

describe("predict on awkward new data", () => {
  it("gives NaN (and a note) for rows with a missing predictor, keeping the rows' order", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const r = predict(m, { Days: [0, null, 9, 1], Subject: ["308", "309", null, "308"] }, { interval: "confidence" });
    assert.equal(r.fit.length, 4);
    assert.ok(Number.isNaN(r.fit[1]) && Number.isNaN(r.fit[2]));
    assert.ok(Number.isNaN((r.lower as number[])[1]) && Number.isNaN((r.upper as number[])[2]));
    const c = caseById("sleepstudy_reml");
    assert.ok(Math.abs(r.fit[0] - c.predict[0]) < 1e-5 * c.predict[0]);
    assert.ok(r.fit[3] > r.fit[0]);
    assert.equal(r.messages[0].text, "2 rows of the new data (first row 2) have a missing predictor, so their predictions are NaN.");
  });

  it("throws MlmError for a bad level, a missing column, or an unseen fixed-effect level", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    assert.throws(() => predict(m, { Days: [1], Subject: ["308"] }, { level: 95 }), (e: unknown) => e instanceof MlmError && /between 0 and 1/.test(e.message));
    assert.throws(() => predict(m, { Day: [1], Subject: ["308"] }), (e: unknown) => e instanceof MlmError && /Days/.test(e.message));
    const c = caseById("cbpp_binomial");
    const g = await fitCase(c);
    assert.throws(() => predict(g, { period: ["5"], herd: ["1"] }), (e: unknown) => e instanceof MlmError && /period/.test(e.message));
  });

  it("treats the named numeric columns as categorical and ignores names absent from the new data", async () => {
    const c = caseById("cbpp_binomial");
    const m = await fitCase(c);
    const numeric = { period: [1, 2], herd: [1, 5] };
    const r = predict(m, numeric, { factors: ["period", "herd", "size"] });
    assertRelClose(r.fit, c.predict.slice(0, 2), 1e-5, "numeric codes as factors");
  });
});

// Prediction of dispersion-family GLMMs against glmmTMB 1.1.5's predict(fit, newdata, type =
// "link" | "response", re.form = NULL | NA, allow.new.levels = TRUE) on 12 rows of the data and
// two rows of a group level not in the data (test/fixtures/glmmtmb-inference/predict_*.json,
// glmmtmb-inference.R).
describe("predict of nbinom2, nbinom1 and Gamma GLMMs agrees with glmmTMB", () => {
  interface RefTmbPredict {
    data: string;
    formula: string;
    family: string;
    link: string;
    group: string;
    rows: number[];
    new_level_rows: number[];
    link_conditional: number[];
    response_conditional: number[];
    link_population: number[];
    response_population: number[];
  }
  for (const id of ["salamanders_nb2", "salamanders_nb1", "gamma_sim_log"]) {
    const ref = tmbInference<RefTmbPredict>(`predict_${id}`);
    it(`${id}: ${ref.formula} (${ref.family}), link and response scales, with and without the random effects`, async () => {
      const m = await tmbFit(ref);
      const nd = tableRows(await tmbData(ref.data), [...ref.rows, ...ref.new_level_rows], { column: ref.group, from: ref.rows.length, value: "new_level" });
      const check = (got: readonly number[], want: readonly number[], what: string): void => {
        assert.equal(got.length, want.length);
        // within 1e-3 of glmmTMB's on the link scale (its estimates agree to a small fraction of an SE)
        want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-3 * Math.max(1, Math.abs(v)), `${what} row ${i + 1}: ${got[i]} vs glmmTMB ${v}`));
      };
      check(predict(m, nd, { type: "link" }).fit, ref.link_conditional, "link, re.form = NULL");
      check(predict(m, nd).fit, ref.response_conditional, "response, re.form = NULL");
      check(predict(m, nd, { type: "link", reForm: "none" }).fit, ref.link_population, "link, re.form = NA");
      check(predict(m, nd, { reForm: "none" }).fit, ref.response_population, "response, re.form = NA");
    });
  }
});
