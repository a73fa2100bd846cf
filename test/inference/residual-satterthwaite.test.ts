// Satterthwaite df over all covariance parameters of gls and lme fits with residual structures,
// against test/fixtures/nlme-satterthwaite (generate/nlme-satterthwaite.R): a dense computation
// in R of lmerTest's definition at nlme's optimum (the marginal covariance Z G Z' + σ²Λ built
// from scratch, numDeriv's Hessian and Jacobian). df within 1%. For gls, emmeans 1.8's
// mode = "satterthwaite" gives the same values when the data are sorted by the correlation's
// groups (checked here too); the model without a structure matches lmerTest.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { satterthwaiteResidual, satterthwaiteResidualContrasts } from "../../src/inference/residual-satterthwaite.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { nlmeData, type NlmeModelSpec } from "../helpers/nlme-reference.js";
import { coefTable } from "../../src/inference/coef-table.js";
import { nlmeDf } from "../../src/inference/nlme-df.js";

interface DfCase extends NlmeModelSpec {
  method: "REML" | "ML";
  terms: string[];
  se: number[];
  df: number[];
  emmeans?: number[];
  emmeans_sorted?: number[];
  lmerTest?: number[];
}

const dir = new URL("../fixtures/nlme-satterthwaite/", import.meta.url);
const cases = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as DfCase);

async function fitCase(c: DfCase) {
  const data = await nlmeData(c);
  const opts = { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined };
  return c.formula.includes("|") ? fitLmmResidual(c.formula, data, opts) : fitGls(c.formula, data, opts);
}

const within = (ours: number, ref: number, tol: number, what: string): void => {
  assert.ok(Math.abs(ours - ref) <= tol * Math.abs(ref), `${what}: ${ours} vs ${ref} (${((100 * Math.abs(ours - ref)) / ref).toFixed(3)}%)`);
};

describe("satterthwaiteResidual agrees with the dense reference", () => {
  it("has gls and lme cases on several data sets", () => {
    assert.ok(cases.filter((c) => !c.formula.includes("|")).length >= 3);
    assert.ok(cases.filter((c) => c.formula.includes("|")).length >= 3);
    assert.ok(new Set(cases.map((c) => c.data)).size >= 3);
  });
  for (const c of cases) {
    it(c.id, async () => {
      const m = await fitCase(c);
      const { df, p } = satterthwaiteResidual(m);
      c.df.forEach((d, j) => within(df[j], d, 0.01, `${c.terms[j]} df`));
      // vcov(lme) under ML is σ̂²_ML-based; the summary's (and ours) the unbiased σ̂²
      const adj = c.method === "ML" ? Math.sqrt(m.nobs / (m.nobs - c.terms.length)) : 1;
      m.fixef.forEach((f, j) => within(f.se, c.se[j] * adj, 0.005, `${c.terms[j]} se`));
      p.forEach((v) => assert.ok(v >= 0 && v <= 1));
      if (c.emmeans_sorted) c.emmeans_sorted.forEach((d, j) => within(df[j], d, 0.01, `${c.terms[j]} emmeans (sorted data)`));
      else if (c.emmeans) c.emmeans.forEach((d, j) => within(df[j], d, 0.01, `${c.terms[j]} emmeans`));
      if (c.lmerTest) c.lmerTest.forEach((d, j) => within(df[j], d, 0.01, `${c.terms[j]} lmerTest`));
    });
  }
  it("coefTable gives these df (default for residual fits), nlme's on request, and refuses Kenward-Roger", async () => {
    const c = cases.find((x) => x.id === "lme_orthodont_int_ident") as DfCase;
    const m = await fitCase(c);
    const t = coefTable(m);
    assert.equal(t.name, "Satterthwaite");
    t.rows.forEach((r, j) => within(r.df as number, c.df[j], 0.01, `${r.term} coefTable df`));
    assert.ok(t.rows.every((r) => r.lower < r.estimate && r.estimate < r.upper));
    assert.deepEqual(coefTable(m, { ddf: "nlme" }).rows.map((r) => r.df), nlmeDf(m)?.df);
    assert.ok(coefTable(m, { ddf: "wald" }).rows.every((r) => r.df === null));
    assert.throws(() => coefTable(m, { ddf: "kenward-roger" }), /not available for fits with residual structures/);
  });
  it("gives a unit contrast its coefficient's df, and checks the contrasts' length", async () => {
    const c = cases.find((x) => x.id === "gls_sleepstudy_ar1") as DfCase;
    const m = await fitCase(c);
    const [d0, d1] = satterthwaiteResidualContrasts(m, [[1, 0], [0, 1]]);
    within(d0, c.df[0], 0.01, "unit contrast");
    within(d1, c.df[1], 0.01, "unit contrast");
    assert.throws(() => satterthwaiteResidualContrasts(m, [[1]]), /one weight per fixed effect/);
  });
});
