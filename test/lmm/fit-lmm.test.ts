// fitLmm against lme4: every gaussian reference case in test/fixtures/cases (made by
// test/fixtures/generate/cases.R and ../shared/reference), and the errors for impossible models.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { MlmError } from "../../src/errors.js";
import { assertAgrees, caseData, loadCases } from "../helpers/reference.js";

const cases = loadCases().filter((c) => c.family === "gaussian");

describe("fitLmm agrees with lme4", () => {
  it("has gaussian reference cases", () => assert.ok(cases.length >= 15));
  for (const c of cases) {
    it(`${c.id}: ${c.formula} (${c.reml === false ? "ML" : "REML"})`, async () => {
      const m = fitLmm(c.formula, await caseData(c), { reml: c.reml !== false });
      assertAgrees(m, c);
      // θ and σ themselves (regular fits only: singular fits may sit anywhere on a flat ridge)
      if (!c.singular) {
        c.theta.forEach((t, i) => assert.ok(Math.abs(m.theta[i] - t) <= 2e-3 * Math.max(1, Math.abs(t)), `theta[${i}] ${m.theta[i]} vs ${t}`));
        assert.ok(Math.abs(m.sigma - c.sigma) <= 1e-3 * c.sigma, `sigma ${m.sigma} vs ${c.sigma}`);
      }
      // conditional modes and their standard deviations
      const ours = m.ranef();
      for (const r of c.ranef) {
        for (let i = 0; i < r.level.length; i++) {
          const o = ours.find((x) => x.group === r.group.replace(/\.\d+$/, "") && x.term === r.term[i] && x.level === r.level[i]);
          assert.ok(o, `ranef ${r.group} ${r.term[i]} ${r.level[i]} missing`);
          const scale = c.sigma;
          assert.ok(Math.abs(o.condval - r.condval[i]) <= 2e-3 * scale, `condval ${r.group} ${r.level[i]}: ${o.condval} vs ${r.condval[i]}`);
          assert.ok(Math.abs(o.condsd - r.condsd[i]) <= 2e-3 * scale + 0.005 * r.condsd[i], `condsd ${r.group} ${r.level[i]}: ${o.condsd} vs ${r.condsd[i]}`);
        }
      }
    });
  }
});

describe("fitLmm rejects impossible models with one sentence", () => {
  const g = Array.from({ length: 12 }, (_, i) => `g${i % 4}`);
  const x = Array.from({ length: 12 }, (_, i) => i);
  const y = x.map((v, i) => v * 0.5 + (i % 4) + Math.sin(i));
  it("a grouping factor with as many levels as rows", () => {
    assert.throws(() => fitLmm("y ~ x + (1 | id)", { y, x, id: x.map(String) }), (e: unknown) => e instanceof MlmError && /levels for 12 observations/.test(e.message));
  });
  it("more random effects than observations", () => {
    const h = x.map((v) => `h${Math.floor(v / 2)}`);
    assert.throws(() => fitLmm("y ~ 1 + (1 + x | h)", { y, x, h }), (e: unknown) => e instanceof MlmError && /random effects for 12 observations/.test(e.message));
  });
  it("a response with zero variance", () => {
    assert.throws(() => fitLmm("y ~ x + (1 | g)", { y: x.map(() => 3), x, g }), (e: unknown) => e instanceof MlmError && /same value/.test(e.message));
  });
  it("no random-effects term", () => {
    assert.throws(() => fitLmm("y ~ x", { y, x }), (e: unknown) => e instanceof MlmError && /no random-effects term/.test(e.message));
  });
  it("a two-level text response (lmer refuses a factor response; issue 15)", () => {
    const pass = x.map((v, i) => ((v + i * 7) % 3 === 0 ? "yes" : "no"));
    assert.throws(
      () => fitLmm("pass ~ x + (1 | g)", { pass, x, g }),
      (e: unknown) => e instanceof MlmError && e.message === `The response 'pass' is categorical (levels no, yes), so a linear model cannot fit it; for two levels fit a logistic model with --family binomial (family "binomial" in the library).`,
    );
  });
});

describe("fitLmm invariants", () => {
  it("the criterion does not change when rows are permuted and levels relabelled", async () => {
    const c = cases.find((k) => k.id === "sleepstudy_reml")!;
    const t = await caseData(c);
    const m = fitLmm(c.formula, t);
    const n = t.nrows;
    const perm = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const cols = Object.fromEntries(t.names.map((name) => {
      const col = t.columns.get(name)!;
      return [name, perm.map((i) => (col.kind === "numeric" ? col.values[i] : `L${col.levels[col.codes[i]]}`))];
    }));
    const m2 = fitLmm(c.formula, cols);
    assert.ok(Math.abs(m.criterion.value - m2.criterion.value) < 1e-6);
    assert.ok(Math.abs(m.fixef[1].estimate - m2.fixef[1].estimate) < 1e-6);
  });
  it("at θ = 0 the criterion is that of ordinary least squares", async () => {
    const c = cases.find((k) => k.id === "sleepstudy_intercept") ?? cases.find((k) => k.id === "dyestuff")!;
    const m = fitLmm(c.formula, await caseData(c), { reml: false });
    // ML deviance of OLS: n (1 + log(2π RSS / n))
    const y = m.frame.response.y;
    const n = m.nobs;
    const p = m.fixef.length;
    const X = m.frame.X;
    // OLS by normal equations (p ≤ 2 here)
    const xtx = new Float64Array(p * p);
    const xty = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) {
      xty[a] += X[i + a * n] * y[i];
      for (let b = 0; b < p; b++) xtx[a + b * p] += X[i + a * n] * X[i + b * n];
    }
    const beta = p === 1 ? [xty[0] / xtx[0]] : (() => {
      const det = xtx[0] * xtx[3] - xtx[1] * xtx[2];
      return [(xtx[3] * xty[0] - xtx[2] * xty[1]) / det, (xtx[0] * xty[1] - xtx[1] * xty[0]) / det];
    })();
    let rss = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let a = 0; a < p; a++) f += X[i + a * n] * beta[a];
      rss += (y[i] - f) ** 2;
    }
    const ols = n * (1 + Math.log((2 * Math.PI * rss) / n));
    assert.ok(Math.abs(m.devfun(new Float64Array(m.theta.length), false) - ols) < 1e-8 * ols);
  });
});

describe("offsets in linear mixed models", () => {
  it("agree with lme4 (test/fixtures/generate/lmm-offset.R)", async () => {
    const c = cases.find((k) => k.id === "sleepstudy_reml")!;
    const m = fitLmm("Reaction ~ Days + offset(10 * log(Days + 2)) + (Days | Subject)", await caseData(c));
    // lmer(Reaction ~ Days + offset(10 * t) + (Days | Subject), d), t = log(Days + 2)
    const r = { beta: [241.9180756687, 8.6861129227], sigma: 25.7791120425, reml: 1745.7291890845 };
    r.beta.forEach((b, j) => assert.ok(Math.abs(m.beta[j] - b) < 1e-4 * Math.abs(b)));
    assert.ok(Math.abs(m.sigma - r.sigma) < 1e-4 * r.sigma);
    assert.ok(Math.abs(m.criterion.value - r.reml) < 1e-6 * r.reml);
    // fitted values include the offset
    const i = 5;
    assert.ok(Math.abs(m.fitted[i] + m.residuals[i] - m.frame.response.y[i]) < 1e-9);
    assert.ok(Math.abs(m.fitted.reduce((a, b) => a + b, 0) / m.nobs - m.frame.response.y.reduce((a, b) => a + b, 0) / m.nobs) < 1);
  });
});

describe("prior weights in linear mixed models", () => {
  it("agree with lme4 (test/fixtures/generate/lmm-weights.R)", async () => {
    const c = cases.find((k) => k.id === "sleepstudy_reml")!;
    const t = await caseData(c);
    const days = t.columns.get("Days")!;
    const w = Array.from(days.kind === "numeric" ? days.values : [], (d) => 1 + (d % 3) / 2);
    const cols = Object.fromEntries(t.names.map((name) => {
      const col = t.columns.get(name)!;
      return [name, col.kind === "numeric" ? Array.from(col.values) : Array.from(col.codes, (k) => col.levels[k])];
    }));
    // lmer(Reaction ~ Days + (Days | Subject), d, weights = w), w = 1 + (Days %% 3) / 2
    const m = fitLmm(c.formula, { ...cols, w }, { weights: "w" });
    const r = { beta: [250.4883366334, 10.5978148053], sigma: 28.9501993624, reml: 1733.6835625879, se: [6.9526823618, 1.6221063282] };
    r.beta.forEach((b, j) => assert.ok(Math.abs(m.beta[j] - b) < 1e-4 * Math.abs(b)));
    r.se.forEach((s, j) => assert.ok(Math.abs(m.fixef[j].se - s) < 1e-3 * s));
    assert.ok(Math.abs(m.sigma - r.sigma) < 1e-4 * r.sigma);
    assert.ok(Math.abs(m.criterion.value - r.reml) < 1e-6 * r.reml);
    // ML: deviance 1742.1065715279, logLik -871.0532857639
    const ml = fitLmm(c.formula, { ...cols, w }, { weights: "w", reml: false });
    assert.ok(Math.abs(ml.logLik - -871.0532857639) < 1e-5);
  });
  it("refuses weights that are not positive", () => {
    const g = Array.from({ length: 12 }, (_, i) => `g${i % 4}`);
    const x = Array.from({ length: 12 }, (_, i) => i);
    const y = x.map((v, i) => v + Math.sin(i));
    assert.throws(() => fitLmm("y ~ x + (1 | g)", { y, x, g, w: x.map((v) => v - 1) }, { weights: "w" }), (e: unknown) => e instanceof MlmError && /weights/.test(e.message));
  });
});
