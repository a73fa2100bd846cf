// mlm fit --correlation / --variance: the JSON carries nlme's structure parameters and agrees with
// nlme (test/fixtures/nlme), the text has nlme's blocks, and bad input is one line with exit 2.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertOneLineError, data, run, withTempDir } from "./helpers.js";
import { join } from "node:path";
import { loadNlmeCases } from "../helpers/nlme-reference.js";
import { readFileSync, writeFileSync } from "node:fs";
import { fixtures } from "../helpers/reference.js";

const byId = new Map(loadNlmeCases().map((c) => [c.id, c]));

describe("mlm fit with nlme residual structures", () => {
  it("lme with corAR1: JSON agrees with nlme and names Phi", async () => {
    const c = byId.get("lme_sleepstudy_int_ar1");
    assert.ok(c);
    const r = await run("fit", data("sleepstudy.csv"), c.formula, "--correlation", c.correlation as string, "--factor", "Subject", "--json");
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { model: string; correlation: { structure: string; form: string; parameters: Record<string, number> }; logLik: number; fixef: { se: number; df: number }[] };
    assert.equal(j.model, "lme");
    assert.deepEqual(Object.keys(j.correlation), ["structure", "form", "parameters"]);
    assert.equal(j.correlation.structure, "corAR1");
    assert.equal(j.correlation.form, "~ Days | Subject");
    assert.ok(Math.abs(j.correlation.parameters.Phi - (c.corStruct as Record<string, number>).Phi) < 1e-4);
    assert.ok(Math.abs(j.logLik - c.logLik) < 1e-4);
    j.fixef.forEach((f, i) => {
      assert.ok(Math.abs(f.se / c.fixef[i].se - 1) < 1e-4);
      assert.equal(f.df, c.fixef[i].df);
    });
  });
  it("gls with corCompSymm and varIdent: nlme's text blocks", async () => {
    const c = byId.get("gls_orthodont_cs_ident");
    assert.ok(c);
    const r = await run("fit", data("Orthodont.csv"), c.formula, "--correlation", c.correlation as string, "--variance", c.variance as string);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Generalized least squares fit by REML\n/);
    assert.match(r.out, /\nCorrelation Structure: Compound symmetry\n Formula: ~1 \| Subject\n Parameter estimate\(s\):\n\s+Rho\n0\.73425\d*\n/);
    assert.match(r.out, /\nVariance function:\n Structure: Different standard deviations per stratum\n Formula: ~1 \| Sex\n Parameter estimates:\n\s+Female\s+Male\n1\.000000 1\.7186\d*\n/);
    assert.match(r.out, /Degrees of freedom: 108 total; 104 residual/);
    assert.ok(r.out.includes(c.logLik.toFixed(3)), "logLik printed");
  });
  it("varIdent's JSON mirrors nlme's coef(): parameters without the reference stratum, allCoef with it at 1", async () => {
    const c = byId.get("gls_orthodont_cs_ident");
    assert.ok(c);
    const r = await run("fit", data("Orthodont.csv"), c.formula, "--correlation", c.correlation as string, "--variance", c.variance as string, "--json");
    const j = JSON.parse(r.out) as { variance: { parameters: Record<string, number>; allCoef: Record<string, number> } };
    assert.deepEqual(Object.keys(j.variance.parameters), Object.keys(c.varStruct as Record<string, number>));
    assert.deepEqual(Object.keys(j.variance.allCoef), ["Female", "Male"]);
    assert.equal(j.variance.allCoef.Female, 1);
    assert.equal(j.variance.allCoef.Male, j.variance.parameters.Male);
  });
  it("--ddf satterthwaite: Satterthwaite df over all covariance parameters, as the library's coefTable", async () => {
    const ref = JSON.parse(readFileSync(`${fixtures}nlme-satterthwaite/lme_sleepstudy_int_ar1.json`, "utf8")) as { df: number[] };
    const args = ["fit", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--correlation", "corAR1(form = ~ Days | Subject)", "--factor", "Subject", "--ddf", "satterthwaite"];
    const r = await run(...args, "--json");
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { ddf: string; fixef: { df: number }[] };
    assert.equal(j.ddf, "satterthwaite");
    j.fixef.forEach((f, i) => assert.ok(Math.abs(f.df / ref.df[i] - 1) < 0.01, `df ${f.df} vs ${ref.df[i]}`));
    const text = await run(...args);
    assert.match(text.out, /DF: Satterthwaite's approximation over all covariance parameters/);
    assert.match(text.out, new RegExp(`\\(Intercept\\) .* ${ref.df[0].toFixed(2)} `));
    assertOneLineError(await run(...args.slice(0, -1), "kenward-roger"), /use --ddf nlme or --ddf satterthwaite/);
    assertOneLineError(await run("fit", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--ddf", "nlme"), /--ddf nlme applies with --correlation/);
  });
  it("--ml fits by maximum likelihood", async () => {
    const c = byId.get("gls_sleepstudy_ar1_ml");
    assert.ok(c);
    const r = await run("fit", data("sleepstudy.csv"), c.formula, "--correlation", c.correlation as string, "--factor", "Subject", "--ml", "--json");
    const j = JSON.parse(r.out) as { method: string; logLik: number; BIC: number };
    assert.equal(j.method, "ML");
    assert.ok(Math.abs(j.logLik - c.logLik) < 1e-4);
    assert.ok(Math.abs(j.BIC - c.BIC) < 1e-3);
  });
  it("bad structures and combinations are one line and exit 2", async () => {
    assertOneLineError(await run("fit", data("sleepstudy.csv"), "Reaction ~ Days", "--correlation", "corGaus(form = ~ Days | Subject)"), /corGaus is not one mlm fits/);
    assertOneLineError(await run("fit", data("sleepstudy.csv"), "Reaction ~ Days", "--variance", "varIdent(form = ~ 1 | Days)", "--weights", "Days"), /--weights does not combine/);
    assertOneLineError(await run("fit", data("sleepstudy.csv"), "Reaction ~ Days", "--correlation", "corAR1(form = ~ Days | Nope)"), /not in the data/);
  });
});

describe("mlm compare --correlation", () => {
  it("tests the model without against the model with the structure, as nlme's anova", async () => {
    const ref = JSON.parse(readFileSync(`${fixtures}nlme-anova/sleepstudy_lme_ar1.json`, "utf8")) as { models: { df: number; logLik: number; "L.Ratio": number | null; p: number | null }[] };
    const r = await run("compare", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--correlation", "corAR1(form = ~ Days | Subject)", "--factor", "Subject", "--json");
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { models: { df: number; logLik: number; lRatio?: number; p?: number }[] };
    assert.deepEqual(j.models.map((m) => m.df), ref.models.map((m) => m.df));
    assert.ok(Math.abs((j.models[1].lRatio as number) - (ref.models[1]["L.Ratio"] as number)) < 0.01);
    const text = await run("compare", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--correlation", "corAR1(form = ~ Days | Subject)", "--factor", "Subject");
    assert.match(text.out, /Model df +AIC +BIC +logLik +Test +L\.Ratio p-value/);
    assert.match(text.out, /1 vs 2 +50\.27\d* +<\.0001/);
  });
});

describe("mlm confint --correlation/--variance", () => {
  it("gives nlme's intervals(): fixed effects on nlme's df, the structure's parameters, sigma", async () => {
    for (const id of ["gls_sleepstudy_ar1", "lme_orthodont_int_ident", "gls_orthodont_symm"]) {
      const c = byId.get(id);
      assert.ok(c);
      const args = ["confint", data(c.data), c.formula, ...(c.correlation ? ["--correlation", c.correlation] : []), ...(c.variance ? ["--variance", c.variance] : []), ...c.factors.flatMap((f) => ["--factor", f])];
      const r = await run(...args, "--json");
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as { fixed: { name: string; lower: number; upper: number }[]; random: { group: string; name: string; lower: number; upper: number }[]; structure: { name: string; lower: number; upper: number }[]; sigma: { lower: number; upper: number } };
      // nlme's intervals(which = "fixed"): estimate ± qt((1 + level)/2, df) se on its tTable
      const { default: tq } = await import("@stdlib/stats-base-dists-t-quantile");
      j.fixed.forEach((f, i) => {
        const ref = c.fixef[i];
        const half = tq(0.975, ref.df) * ref.se;
        assert.ok(Math.abs(f.lower - (ref.estimate - half)) < 0.005 * half && Math.abs(f.upper - (ref.estimate + half)) < 0.005 * half, `${id} ${f.name}`);
      });
      const refs = [...(c.intervals?.corStruct ?? []), ...(c.intervals?.varStruct ?? [])];
      assert.deepEqual(j.structure.map((s) => s.name), refs.map((s) => s.name));
      j.structure.forEach((s, i) => assert.ok(Math.abs(s.lower - refs[i].lower) < 0.01 * (refs[i].upper - refs[i].lower), `${id} ${s.name}`));
      // nlme's intervals()$reStruct (lme only), on the log scale of the sd
      const res = (c.intervals?.reStruct ?? []).flatMap((g) => g.rows.map((row) => ({ group: g.group, ...row })));
      assert.deepEqual(j.random.map((s) => `${s.group} ${s.name}`), res.map((s) => `${s.group} ${s.name}`));
      j.random.forEach((s, i) => assert.ok(Math.abs(Math.log(s.lower / res[i].lower)) < 0.01 * Math.log(res[i].upper / res[i].lower), `${id} ${s.name}`));
      const sig = c.intervals?.sigma;
      assert.ok(sig && Math.abs(Math.log(j.sigma.lower / sig.lower)) < 0.01 * Math.log(sig.upper / sig.lower));
      const text = await run(...args);
      assert.match(text.out, /^Approximate 95% confidence intervals\n\n Coefficients:\n/);
      assert.match(text.out, / Residual standard error:\n/);
      if (c.nlme.fun === "lme") assert.match(text.out, / Random Effects:\n {2}Level: Subject\n.*\nsd\(\(Intercept\)\) +\d/);
    }
  });
  it("refuses --method profile with a structure", async () => {
    assertOneLineError(await run("confint", data("sleepstudy.csv"), "Reaction ~ Days", "--correlation", "corAR1(form = ~ Days | Subject)", "--method", "profile"), /Wald intervals on nlme's scale/);
  });
});

describe("mlm predict and simulate --correlation/--variance", () => {
  it("predict: nlme's predict() at level 1, and level 0 with --re-form none", async () => {
    const ref = JSON.parse(readFileSync(`${fixtures}nlme-predict/lme_sleepstudy_int_ar1.json`, "utf8")) as { newdata: { Days: number[]; Subject: string[] }; level0: number[]; level1: number[] };
    await withTempDir(async (dir) => {
      const file = join(dir, "new.csv");
      writeFileSync(file, `Days,Subject\n${ref.newdata.Days.map((d, i) => `${d},${ref.newdata.Subject[i]}`).join("\n")}\n`);
      const args = ["predict", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--correlation", "corAR1(form = ~ Days | Subject)", "--factor", "Subject", "--newdata", file, "--json"];
      for (const [extra, want] of [[[], ref.level1], [["--re-form", "none"], ref.level0]] as const) {
        const r = await run(...args, ...extra);
        assert.equal(r.code, 0, r.err);
        const j = JSON.parse(r.out) as { predictions: { fit: number }[] };
        j.predictions.forEach((p, i) => assert.ok(Math.abs(p.fit - want[i]) < 1e-3 * want[i], `row ${i}: ${p.fit} vs ${want[i]}`));
      }
    });
  });
  it("simulate: reproducible draws from the model with its residual structure", async () => {
    const args = ["simulate", data("sleepstudy.csv"), "Reaction ~ Days", "--correlation", "corAR1(form = ~ Days | Subject)", "--factor", "Subject", "--nsim", "3", "--seed", "4", "--json"];
    const a = await run(...args);
    assert.equal(a.code, 0, a.err);
    const j = JSON.parse(a.out) as { nsim: number; simulations: number[][] };
    assert.equal(j.simulations.length, 3);
    assert.equal(j.simulations[0].length, 180);
    assert.deepEqual(JSON.parse((await run(...args)).out), j);
  });
});

describe("bad input listed in the issue: one line on stderr, exit 2", () => {
  it("repeated and non-integer positions, a stratum without observations, varPower at 0, a grouping across the random effects", async () => {
    await withTempDir(async (dir) => {
      const rows = ["y,x,g,t,tf,s,h"];
      // 4 groups of 5 rows; t repeats within g when capped; tf is fractional; s has a level "c" whose only row has no response
      for (let i = 0; i < 20; i++) {
        const g = Math.floor(i / 5);
        const y = i === 19 ? "" : String(((i * 7919) % 13) + i / 3);
        rows.push(`${y},${i % 5},g${g},${i % 5},${(i % 5) + 0.5 * (i % 2)},${i === 19 ? "c" : "a"},${i % 2}`);
      }
      const file = join(dir, "bad.csv");
      writeFileSync(file, `${rows.join("\n")}\n`);
      const capped = join(dir, "capped.csv");
      writeFileSync(capped, `${rows.map((r, i) => (i === 0 ? r : r.replace(/,(\d),(tf|[\d.]+),/, (m, t: string, tf: string) => `,${Math.min(Number(t), 3)},${tf},`))).join("\n")}\n`);
      const fitArgs = (f: string, ...rest: string[]) => run("fit", f, "y ~ x", ...rest);
      assertOneLineError(await fitArgs(capped, "--correlation", "corAR1(form = ~ t | g)"), /takes the value 3 twice within one group/);
      assertOneLineError(await fitArgs(file, "--correlation", "corAR1(form = ~ tf | g)"), /corAR1 needs whole-number positions.*use corCAR1/);
      assertOneLineError(await fitArgs(file, "--correlation", "corSymm(form = ~ tf | g)"), /corSymm needs whole-number positions/);
      assertOneLineError(await fitArgs(file, "--variance", "varIdent(form = ~ 1 | s)"), /needs at least two strata with observations, but the data used have 1/);
      assertOneLineError(await fitArgs(file, "--variance", "varPower(form = ~ x)"), /varPower covariate x is 0 in some rows/);
      assertOneLineError(await run("fit", file, "y ~ x + (1 | g)", "--correlation", "corCompSymm(form = ~ 1 | h)"), /cuts across every random-effects grouping factor/);
    });
  });
});
