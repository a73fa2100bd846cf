// Negative binomial (nbinom2, nbinom1) and Gamma GLMMs against glmmTMB 1.1.5: every family case in
// test/fixtures/glmmtmb (made by test/fixtures/generate/glmmtmb.R), e.g.
//   glmmTMB(count ~ spp + mined + (1 | site), data = Salamanders, family = nbinom2(link = "log"),
//           control = glmmTMBControl(optCtrl = list(iter.max = 1e4, eval.max = 1e4, rel.tol = 1e-12)))
// plus lme4's glmer.nb beside nbinom2, the Poisson boundary, bad responses, the likelihood-ratio
// test of Poisson against nbinom2, Wald intervals, prediction and simulation.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import type { DispersionMixedModel } from "../../src/glmm/fit-dispersion.js";
import { MlmError } from "../../src/errors.js";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import { anovaLrt } from "../../src/inference/lrt.js";
import { waldConfint } from "../../src/inference/confint.js";
import { predict } from "../../src/predict/predict.js";
import { simulateResponse } from "../../src/inference/simulate.js";
import { createRng } from "../../src/numerics/random.js";
import { fixtures } from "../helpers/reference.js";

interface TmbCase {
  id: string;
  data: string;
  formula: string;
  family: string;
  link: "log" | "inverse" | "identity";
  factors: string[] | string | null;
  nobs: number;
  fixef: { term: string; estimate: number; se: number }[];
  sigma: number;
  varcorr: { group: string; var1: string; var2: string | null; sdcor: number }[];
  logLik: number;
  AIC: number;
  BIC: number;
  glmer_nb?: { fixef: { term: string; estimate: number; se: number }[]; theta: number; logLik: number };
}

const families = new Set(["nbinom2", "nbinom1", "Gamma"]);
const cases: TmbCase[] = readdirSync(`${fixtures}glmmtmb`)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(`${fixtures}glmmtmb/${f}`, "utf8")) as TmbCase)
  .filter((c) => families.has(c.family));
const slow = new Set(["owls_nb1", "epil_nb1", "grouseticks_nb2", "epil_nb2_period", "mmmec_nb1_offset"]);

const tables = new Map<string, Promise<DataTable>>();
function data(c: Pick<TmbCase, "data" | "factors">): Promise<DataTable> {
  const key = `${c.data} ${String(c.factors)}`;
  if (!tables.has(key)) tables.set(key, readTable(`${fixtures}data/${c.data}`, { factors: ([] as string[]).concat(c.factors ?? []) }));
  return tables.get(key)!;
}
const fits = new Map<string, Promise<DispersionMixedModel>>();
/** The case's fit (once per case: the fitted model is immutable). */
function fitCase(c: TmbCase): Promise<DispersionMixedModel> {
  if (!fits.has(c.id)) fits.set(c.id, data(c).then((d) => fitGlmm(c.formula, d, { family: c.family as "nbinom2", link: c.link === "identity" ? undefined : c.link }) as DispersionMixedModel));
  return fits.get(c.id)!;
}

describe("nbinom2, nbinom1 and Gamma GLMMs agree with glmmTMB", () => {
  it("has cases of each family on several data sets", () => {
    for (const f of families) assert.ok(cases.filter((c) => c.family === f).length >= 2, f);
  });
  for (const c of cases) {
    it(`${c.id}: ${c.formula} (${c.family}, ${c.link})`, { skip: slow.has(c.id) && !process.env.MLM_SLOW_TESTS ? "slow: set MLM_SLOW_TESTS=1" : false }, async () => {
      const m = await fitCase(c);
      assert.equal(m.nobs, c.nobs);
      for (const f of c.fixef) {
        const o = m.fixef.find((r) => r.term === f.term);
        assert.ok(o, `fixef ${f.term} missing`);
        assert.ok(Math.abs(o.estimate - f.estimate) <= 0.05 * f.se, `fixef ${f.term}: ${o.estimate} vs ${f.estimate}`);
        assert.ok(Math.abs(o.se - f.se) <= 0.02 * f.se, `se ${f.term}: ${o.se} vs ${f.se}`);
      }
      assert.ok(Math.abs(m.sigma - c.sigma) <= 0.02 * c.sigma, `sigma ${m.sigma} vs ${c.sigma}`);
      assert.equal(m.dispersion?.value, m.sigma);
      for (const v of c.varcorr) {
        const o = m.varcorr.find((r) => r.group === v.group && r.var1 === v.var1 && r.var2 === v.var2);
        assert.ok(o, `varcorr ${v.group} ${v.var1} ${v.var2}`);
        if (v.var2 === null) assert.ok(Math.abs(o.sdcor - v.sdcor) <= 0.02 * v.sdcor, `sd ${v.group} ${v.var1}: ${o.sdcor} vs ${v.sdcor}`);
        else assert.ok(Math.abs(o.sdcor - v.sdcor) <= 0.01, `corr ${v.group}: ${o.sdcor} vs ${v.sdcor}`);
      }
      assert.ok(m.logLik >= c.logLik - 0.01, `logLik ${m.logLik} below glmmTMB's ${c.logLik}`);
      assert.ok(m.logLik <= c.logLik + 0.01, `logLik ${m.logLik} above glmmTMB's ${c.logLik}`);
      assert.ok(Math.abs(m.AIC - c.AIC) <= 0.02 && Math.abs(m.BIC - c.BIC) <= 0.02, `AIC ${m.AIC} vs ${c.AIC}, BIC ${m.BIC} vs ${c.BIC}`);
      assert.deepEqual(m.messages, []);
    });
  }
});

describe("nbinom2 beside lme4's glmer.nb (Fisher weights in the Laplace log-determinant)", () => {
  const nb = cases.filter((c) => c.glmer_nb && !slow.has(c.id));
  it("has glmer.nb fits", () => assert.ok(nb.length >= 2));
  for (const c of nb) {
    it(`${c.id}: estimates close to glmer.nb's, log-likelihoods differ by the log-determinant only`, async () => {
      const m = await fitCase(c);
      const g = c.glmer_nb!;
      // glmer.nb maximises a different approximation, so estimates agree to a fraction of an SE
      for (const f of g.fixef) {
        const o = m.fixef.find((r) => r.term === f.term)!;
        assert.ok(Math.abs(o.estimate - f.estimate) <= 0.25 * f.se, `fixef ${f.term}: ${o.estimate} vs glmer.nb ${f.estimate}`);
      }
      assert.ok(Math.abs(Math.log(m.sigma / g.theta)) < 0.1, `theta ${m.sigma} vs glmer.nb ${g.theta}`);
      assert.ok(Math.abs(m.logLik - g.logLik) < 1, `logLik ${m.logLik} vs glmer.nb ${g.logLik}`);
    });
  }
});

describe("dispersion families: bad input and the Poisson boundary", () => {
  const g = Array.from({ length: 60 }, (_, i) => `g${i % 6}`);
  const x = Array.from({ length: 60 }, (_, i) => ((i * 7) % 11) / 10);
  it("negative counts for the negative binomial", () => {
    const y = x.map((_, i) => (i === 4 ? -1 : i % 4));
    assert.throws(() => fitGlmm("y ~ x + (1 | g)", { y, x, g }, { family: "nbinom2" }), (e: unknown) => e instanceof MlmError && /negative value -1 \(row 5\)/.test(e.message));
  });
  it("non-integer counts for the negative binomial", () => {
    const y = x.map((v, i) => (i === 2 ? 1.5 : i % 4));
    assert.throws(() => fitGlmm("y ~ x + (1 | g)", { y, x, g }, { family: "nbinom1" }), (e: unknown) => e instanceof MlmError && /not a whole number/.test(e.message));
  });
  it("non-positive values for Gamma", () => {
    const y = x.map((v, i) => (i === 9 ? 0 : 1 + v));
    assert.throws(() => fitGlmm("y ~ x + (1 | g)", { y, x, g }, { family: "Gamma" }), (e: unknown) => e instanceof MlmError && /needs values above zero/.test(e.message));
  });
  it("a link the family does not take", () => {
    assert.throws(() => fitGlmm("y ~ x + (1 | g)", { y: x.map((v) => 1 + v), x, g }, { family: "nbinom2", link: "logit" }), (e: unknown) => e instanceof MlmError && /log link only/.test(e.message));
  });
  it("Poisson counts: θ runs to its bound, the message says a Poisson model fits as well, and the LRT uses ½χ²₀ + ½χ²₁", () => {
    // counts from a Poisson GLMM (no overdispersion), drawn with a fixed seed
    const rng = createRng(11);
    const n = 400;
    const gg = Array.from({ length: n }, (_, i) => `g${i % 20}`);
    const b = Array.from({ length: 20 }, () => 0.3 * rng.normal());
    const xx = Array.from({ length: n }, () => rng.normal());
    const y = xx.map((v, i) => rng.poisson(Math.exp(1 + 0.3 * v + b[i % 20])));
    const nb = fitGlmm("y ~ x + (1 | g)", { y, x: xx, g: gg }, { family: "nbinom2" }) as DispersionMixedModel;
    const po = fitGlmm("y ~ x + (1 | g)", { y, x: xx, g: gg }, { family: "poisson" });
    assert.ok(nb.sigma > 100, `theta ${nb.sigma}`);
    assert.ok(nb.messages.some((msg) => msg.code === "dispersion-at-bound" && /Poisson model \(--family poisson\) fits as well/.test(msg.text)), nb.messages.map((msg) => msg.text).join(" "));
    assert.ok(nb.logLik - po.logLik < 0.005 && nb.logLik - po.logLik > -1e-6, `${nb.logLik} vs ${po.logLik}`);
    // nbinom1's α runs to its lower bound on the same counts
    const nb1 = fitGlmm("y ~ x + (1 | g)", { y, x: xx, g: gg }, { family: "nbinom1" }) as DispersionMixedModel;
    assert.ok(nb1.sigma < 1e-3, `alpha ${nb1.sigma}`);
    assert.ok(nb1.messages.some((msg) => msg.code === "dispersion-at-bound" && /overdispersion α runs to its bound .*a Poisson model \(--family poisson\) fits as well/.test(msg.text)), nb1.messages.map((msg) => msg.text).join(" "));
    const lrt = anovaLrt([po, nb]);
    assert.equal(lrt.tests[0].df, 1);
    assert.equal(lrt.tests[0].mixture, "½χ²₀ + ½χ²₁");
    assert.ok(lrt.tests[0].pBoundary! > 0.4 && lrt.tests[0].pBoundary! <= 0.5 + 1e-9, String(lrt.tests[0].pBoundary));
  });
});

describe("dispersion families: inference, prediction and simulation", () => {
  const c = cases.find((k) => k.id === "salamanders_nb2")!;
  it("Poisson against nbinom2 on overdispersed counts (Salamanders): a large chi-square on 1 df", async () => {
    const d = await data(c);
    const nb = await fitCase(c);
    const po = fitGlmm(c.formula, d, { family: "poisson" });
    const t = anovaLrt([po, nb]).tests[0];
    assert.ok(Math.abs(t.chisq - 2 * (nb.logLik - po.logLik)) < 1e-9);
    assert.ok(t.chisq > 100 && t.pBoundary! < 1e-20, `${t.chisq} ${t.pBoundary}`);
  });
  it("Wald intervals are estimate ± 1.96 SE", async () => {
    const m = await fitCase(c);
    const ci = waldConfint(m, 0.95);
    for (const f of m.fixef) {
      const r = ci.find((k) => k.name === f.term)!;
      assert.ok(Math.abs(r.lower! - (f.estimate - 1.959964 * f.se)) < 1e-5 && Math.abs(r.upper! - (f.estimate + 1.959964 * f.se)) < 1e-5, f.term);
    }
  });
  it("predictions on the link and response scales reproduce η and μ of the fit", async () => {
    const m = await fitCase(c);
    const d = await data(c);
    const link = predict(m, d, { type: "link" });
    const resp = predict(m, d);
    for (let i = 0; i < m.nobs; i += 37) {
      assert.ok(Math.abs(link.fit[i] - m.eta[i]) < 1e-8, `eta ${i}`);
      assert.ok(Math.abs(resp.fit[i] - Math.exp(m.eta[i])) < 1e-8 * resp.fit[i], `mu ${i}`);
      assert.ok(Math.abs(resp.fit[i] - m.fitted[i]) < 1e-8 * m.fitted[i], `fitted ${i}`);
    }
  });
  it("simulated counts are non-negative integers whose mean and variance follow μ + μ²/θ", async () => {
    const m = await fitCase(c);
    const rng = createRng(5);
    let sum = 0;
    let sum2 = 0;
    let k = 0;
    for (let r = 0; r < 40; r++) {
      const y = simulateResponse(m, rng);
      for (const v of y) {
        assert.ok(v >= 0 && Number.isInteger(v));
        sum += v;
        sum2 += v * v;
        k++;
      }
    }
    const mean = sum / k;
    const variance = sum2 / k - mean * mean;
    // marginal mean of μ = exp(η) with new random effects, and the variance exceeds the mean
    assert.ok(mean > 0.5 && mean < 3, String(mean));
    assert.ok(variance > 2 * mean, `${variance} vs ${mean}`);
  });
});
