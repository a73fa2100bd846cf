// compareOls against R: lm()/glm() estimates and standard errors, sandwich::vcovCL(type = "HC1")
// and lme4, from test/fixtures/inference/compare-ols.json (test/fixtures/generate/compare-ols.R).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compareOls, compareOlsNote, type CompareOls } from "../../src/inference/compare-ols.js";
import { MlmError } from "../../src/errors.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import type { ModelFrame } from "../../src/model-frame/types.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import { fixtures } from "../helpers/reference.js";
import { data } from "./fixture.js";
import { near as tmbNear, tmbFit, tmbInference } from "../helpers/glmmtmb.js";

interface RefCompare {
  id: string;
  data: string;
  formula: string;
  family: "gaussian" | "binomial" | "poisson";
  link: "logit" | "probit" | "cloglog" | "log" | "identity" | null;
  reml: boolean | null;
  weights: string | null;
  factors: string[];
  nobs: number;
  terms: string[];
  ols: { estimate: number[]; se: number[] };
  robust: { cluster: string; clusters: number; se: number[] }[];
  mlm: { estimate: number[]; se: number[] };
  kish: number | null;
}

const reference = JSON.parse(readFileSync(`${fixtures}inference/compare-ols.json`, "utf8")) as { cases: RefCompare[] };

async function fitCase(c: RefCompare): Promise<MixedModel> {
  const t = await data(c.data, c.factors);
  if (c.family === "gaussian") return fitLmm(c.formula, t, { reml: c.reml !== false });
  const link = c.link === null || c.link === "identity" ? undefined : c.link;
  return fitGlmm(c.formula, t, { family: c.family, ...(link ? { link } : {}), ...(c.weights ? { weights: c.weights } : {}) });
}

/** |a − b| ≤ tol·|b|. */
function near(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.abs(b), `${what}: ${a} vs R ${b} (relative ${Math.abs(a - b) / Math.abs(b)})`);
}

describe("compareOls against R (lm/glm, sandwich::vcovCL HC1, lme4)", () => {
  for (const c of reference.cases) {
    it(`${c.id}: ${c.formula}${c.family === "gaussian" ? "" : ` (${c.family}${c.link ? `, ${c.link}` : ""})`}`, async () => {
      const m = await fitCase(c);
      // the default cluster is the grouping factor with the fewest levels
      const fewest = c.robust.reduce((a, r) => (r.clusters < a.clusters ? r : a));
      assert.equal(compareOls(m).cluster, fewest.cluster);
      for (const rb of c.robust) {
        const r: CompareOls = compareOls(m, { cluster: rb.cluster });
        assert.equal(r.cluster, rb.cluster);
        assert.equal(r.clusters, rb.clusters);
        assert.deepEqual(r.rows.map((x) => x.term), c.terms);
        r.rows.forEach((row, j) => {
          const t = `${rb.cluster} ${row.term}`;
          // deterministic single-level fits: R's values to 1e-6
          near(row.olsEstimate, c.ols.estimate[j], 1e-6, `${t} OLS estimate`);
          near(row.olsSe, c.ols.se[j], 1e-6, `${t} OLS se`);
          near(row.robustSe, rb.se[j], 1e-6, `${t} robust se`);
          // the multilevel fit agrees with lme4's optimum to a few 1e-6 (optimizer tolerance)
          assert.ok(Math.abs(row.mlmEstimate - c.mlm.estimate[j]) <= 1e-4 * c.mlm.se[j], `${t} MLM estimate ${row.mlmEstimate} vs ${c.mlm.estimate[j]}`);
          near(row.mlmSe, c.mlm.se[j], 1e-4, `${t} MLM se`);
          assert.equal(row.designEffect, (row.mlmSe / row.olsSe) ** 2);
          near(row.designEffect, (c.mlm.se[j] / c.ols.se[j]) ** 2, 3e-4, `${t} design effect`);
        });
        if (c.kish === null) assert.equal(r.kishDeff, undefined);
        else near(r.kishDeff!, c.kish, 1e-6, "Kish design effect");
        assert.match(r.note, new RegExp(`^Ignoring the grouping by ${rb.cluster.replace(/[()]/g, "\\$&")} `));
      }
    });
  }
});

describe("compareOls", () => {
  it("clusters Pastes on batch (10 levels) by default, on cask:batch when asked, in either order of its parts", async () => {
    const m = fitLmm("strength ~ 1 + (1 | batch/cask)", await data("Pastes.csv"));
    assert.equal(compareOls(m).cluster, "batch");
    assert.equal(compareOls(m).clusters, 10);
    const r = compareOls(m, { cluster: "batch:cask" });
    assert.equal(r.cluster, "cask:batch");
    assert.equal(r.clusters, 30);
    // two grouping factors: no Kish design effect
    assert.equal(r.kishDeff, undefined);
  });

  it("refuses a cluster that is not a grouping factor, naming the ones there are", async () => {
    const m = fitLmm("strength ~ 1 + (1 | batch/cask)", await data("Pastes.csv"));
    assert.throws(() => compareOls(m, { cluster: "cask" }), (e: unknown) => e instanceof MlmError && e.message === "'cask' is not a grouping factor of the model; cluster on cask:batch or batch.");
  });

  it("writes the sentences of the worked examples", async () => {
    const sleep = fitLmm("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
    // R: (1.54578893242985 / 1.23819529804982)^2 = 1.5586
    assert.equal(compareOls(sleep).note, "Ignoring the grouping by Subject understates the standard error of Days by a factor of 1.25 (design effect 1.56).");
    const exam = fitLmm("normexam ~ standLRT + (1 | school)", await data("Exam.csv"));
    // R: (0.0403543578955554 / 0.0126422997203495)^2 = 10.19
    assert.equal(compareOls(exam).note, "Ignoring the grouping by school understates the standard error of (Intercept) by a factor of 3.19 (design effect 10.2).");
  });

  it("gives the Kish design effect only for a linear random-intercept model with one grouping factor", async () => {
    const sleep = fitLmm("Reaction ~ Days + (1 | Subject)", await data("sleepstudy.csv"));
    const r = compareOls(sleep);
    // 1 + (180/18 − 1)·ICC with the model's own ICC
    assert.equal(r.kishDeff, 1 + 9 * sleep.icc.Subject);
    const slopes = fitLmm("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
    assert.equal(compareOls(slopes).kishDeff, undefined);
  });

  it("clusters of single rows give the HC1 heteroskedasticity-consistent standard errors", async () => {
    // With every row its own cluster, G = n and CR1 is HC1: n/(n − p) Σ xᵢxᵢ'rᵢ² sandwiched by (X'X)⁻¹.
    const m = fitLmm("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
    const n = m.frame.n;
    const rowGroup = { name: "row", levels: Array.from({ length: n }, (_, i) => String(i)), refs: Int32Array.from({ length: n }, (_, i) => i) };
    const frame: ModelFrame = { ...m.frame, reterms: [{ ...m.frame.reterms[0], group: rowGroup }] };
    const r = compareOls(fake(m, frame));
    // by hand on x = Days: bread (X'X)⁻¹, meat Σ xᵢxᵢ'rᵢ²
    const X = m.frame.X;
    const y = m.frame.response.y;
    const b = r.rows.map((x) => x.olsEstimate);
    let s00 = 0, s01 = 0, s11 = 0, m00 = 0, m01 = 0, m11 = 0;
    for (let i = 0; i < n; i++) {
      const x1 = X[n + i];
      const res = y[i] - b[0] - b[1] * x1;
      s00 += 1; s01 += x1; s11 += x1 * x1;
      m00 += res * res; m01 += x1 * res * res; m11 += x1 * x1 * res * res;
    }
    const det = s00 * s11 - s01 * s01;
    const [i01, i11] = [-s01 / det, s00 / det];
    const v11 = (n / (n - 2)) * (i01 * i01 * m00 + 2 * i01 * i11 * m01 + i11 * i11 * m11);
    near(r.rows[1].robustSe, Math.sqrt(v11), 1e-10, "HC1 se of Days");
  });

  it("refuses a cluster with one level", async () => {
    const m = fitLmm("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
    const one = { name: "all", levels: ["a"], refs: new Int32Array(m.frame.n) };
    const frame: ModelFrame = { ...m.frame, reterms: [{ ...m.frame.reterms[0], group: one }] };
    assert.throws(() => compareOls(fake(m, frame)), /single level/);
  });
});

describe("compareOlsNote", () => {
  const row = (term: string, olsSe: number, mlmSe: number) => ({ term, olsSe, mlmSe, designEffect: (mlmSe / olsSe) ** 2 });

  it("names the most understated standard error", () => {
    assert.equal(compareOlsNote("g", [row("a", 1, 1.2), row("b", 1, 2)]), "Ignoring the grouping by g understates the standard error of b by a factor of 2 (design effect 4).");
  });

  it("names the most overstated one when none is understated by 10% in variance", () => {
    assert.equal(compareOlsNote("g", [row("a", 1, 1.02), row("b", 2, 1)]), "Ignoring the grouping by g overstates the standard error of b by a factor of 2 (design effect 0.25).");
  });

  it("says when the standard errors barely change", () => {
    assert.equal(compareOlsNote("g", [row("a", 1, 1.02), row("b", 1, 0.99)]), "Ignoring the grouping by g changes the standard errors little (design effects from 0.98 to 1.04).");
  });
});

/** The model with another frame (to cluster on made-up grouping factors). */
function fake(m: MixedModel, frame: ModelFrame): MixedModel {
  return { kind: m.kind, family: m.family, frame, fixef: m.fixef, icc: {} } as unknown as MixedModel;
}

// The families with a dispersion parameter against their single-level regressions in R
// (test/fixtures/glmmtmb-inference/glm_*.json, test/fixtures/generate/glmmtmb-inference.R):
//   MASS::glm.nb(count ~ spp + mined, Salamanders)                 (nbinom2)
//   glmmTMB(count ~ spp + mined, Salamanders, family = nbinom1)     (nbinom1: R has no glm for it)
//   glm(y ~ x, gamma_sim, family = Gamma(link = "log"))             (Gamma: se with the Pearson dispersion)
// and sandwich::vcovCL(fit, cluster = ~ group, type = "HC1") for the glm fits.
describe("compareOls for nbinom2, nbinom1 and Gamma against glm.nb, glmmTMB and glm", () => {
  interface RefGlm {
    case: string;
    data: string;
    formula: string;
    family: string;
    link: string;
    cluster: string;
    coef: { term: string; estimate: number; se: number; robust_se: number | null }[];
  }
  for (const id of ["salamanders_nb2", "salamanders_nb1", "gamma_sim_log"]) {
    const ref = tmbInference<RefGlm>(`glm_${id}`);
    it(`${id}: ${ref.formula} (${ref.family}) without its random effects`, async () => {
      const m = await tmbFit(ref);
      const r = compareOls(m);
      assert.equal(r.cluster, ref.cluster);
      assert.deepEqual(r.rows.map((x) => x.term), ref.coef.map((c) => c.term));
      r.rows.forEach((row, j) => {
        const c = ref.coef[j];
        // glm.nb and glm converge to 1e-12; glmmTMB's nlminb stops a little short of that
        assert.ok(Math.abs(row.olsEstimate - c.estimate) <= (ref.family === "nbinom1" ? 1e-4 : 1e-6) * c.se, `${row.term}: ${row.olsEstimate} vs R ${c.estimate}`);
        tmbNear(row.olsSe, c.se, ref.family === "nbinom1" ? 1e-4 : 1e-6, `se ${row.term}`);
        if (c.robust_se !== null) tmbNear(row.robustSe, c.robust_se, 1e-6, `robust se ${row.term}`);
        assert.equal(row.mlmSe, m.fixef[j].se);
      });
    });
  }
});

describe("compareOls of a Gamma GLMM whose starting μ is the saturated fit", () => {
  it("sleepstudy, Gamma(log): the single-level fit is R's glm (it once halved its first step away)", async () => {
    const { readTable } = await import("../../src/io/read-table.js");
    const { fit } = await import("../../src/fit/fit.js");
    const m = fit("Reaction ~ Days + (Days | Subject)", await readTable(`${fixtures}data/sleepstudy.csv`), { family: "Gamma" }) as MixedModel;
    // R 4.2.2: coef(summary(glm(Reaction ~ Days, family = Gamma(link = "log"), data = sleepstudy)))
    const r = [
      { estimate: 5.53613261, se: 0.021376051 },
      { estimate: 0.03502064, se: 0.004004101 },
    ];
    compareOls(m).rows.forEach((row, j) => {
      assert.ok(Math.abs(row.olsEstimate - r[j].estimate) < 1e-6 * Math.max(1, Math.abs(r[j].estimate)) + 1e-8, `${row.term} ${row.olsEstimate}`);
      assert.ok(Math.abs(row.olsSe / r[j].se - 1) < 1e-5, `${row.term} se ${row.olsSe}`);
    });
  });
});
