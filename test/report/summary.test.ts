// summaryText: the lines lme4's summary() prints, read back as numbers and checked against the
// model they come from and against lme4 (test/fixtures/cases, test/fixtures/inference, and
// test/fixtures/report/summary.json written by test/fixtures/generate/summary.R:
//   quantile(residuals(fit, type = "pearson", scaled = TRUE)), cov2cor(vcov(fit)),
//   abbreviate(names(fixef(fit)), minlength = 11) for the rows and 6 for the columns).
// Whole-text snapshots are avoided on purpose: the layout may change, the numbers may not.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fit } from "../../src/fit/fit.js";
import { coefTable, type CoefTable, type DdfMethod } from "../../src/inference/coef-table.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import { summaryText } from "../../src/report/summary.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import type { NumericColumn } from "../../src/data/table.js";
import { caseData, fixtures, loadCases, type RefCase } from "../helpers/reference.js";

interface RSummary {
  scaled_residuals?: number[];
  fixef_correlation: number[];
  corr_rows: string[];
  corr_cols: string[];
}
const R = JSON.parse(readFileSync(`${fixtures}report/summary.json`, "utf8")) as {
  cases: Record<string, RSummary>;
  sleepstudy_days2: RSummary & { names: string[] };
};
interface RefTest { term: string; estimate: number; se: number; df?: number; t?: number; z?: number; p: number }
const inference = (id: string): { satterthwaite?: RefTest[]; kenward_roger?: RefTest[] | null; wald_z?: RefTest[] } =>
  JSON.parse(readFileSync(`${fixtures}inference/${id}.json`, "utf8")) as { satterthwaite?: RefTest[]; kenward_roger?: RefTest[] | null; wald_z?: RefTest[] };
const refCase = (id: string): RefCase & { criterion: { name: string; value: number } } =>
  loadCases().find((c) => c.id === id)! as RefCase & { criterion: { name: string; value: number } };

async function fitCase(id: string): Promise<MixedModel> {
  const c = refCase(id);
  return fit(c.formula, await caseData(c), { family: c.family, link: c.link, reml: c.family === "gaussian" ? c.reml !== false : undefined, nAGQ: c.nAGQ, weights: c.weights ?? undefined });
}

/** Half a unit in the last place the string shows ("1743.6" → 0.05, "3.26e-06" → 5e-9). */
function halfUnit(s: string): number {
  const m = /^-?\d*(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(s);
  assert.ok(m, `'${s}' is a number`);
  return 0.5 * 10 ** (Number(m[2] ?? 0) - (m[1]?.length ?? 0));
}

/** The printed string is the value, rounded where it is printed. */
function printedAs(s: string, value: number, what: string): void {
  const x = Number(s);
  assert.ok(Math.abs(x - value) <= halfUnit(s) * (1 + 1e-9) + 1e-12 * Math.abs(value), `${what}: printed ${s}, value ${value}`);
}

/** The printed string agrees with lme4's value, to the printed precision plus a relative tolerance. */
function closeTo(s: string, ref: number, rel: number, what: string): void {
  const x = Number(s);
  assert.ok(Math.abs(x - ref) <= halfUnit(s) + rel * Math.abs(ref), `${what}: printed ${s}, lme4 ${ref}`);
}

/** Significant digits a number shows. */
function significant(s: string): number {
  return s.replace(/e.*$/, "").replace(/^-?0*\.?0*/, "").replace(".", "").length;
}

/** The line after the one that equals `title` (or starts with it), and its index. */
function lineAfter(lines: readonly string[], title: string): { i: number; line: string } {
  const i = lines.findIndex((l) => l === title || l.startsWith(title));
  assert.ok(i >= 0, `a line '${title}'`);
  return { i, line: lines[i + 1] };
}

/** Cells of a table line: split on runs of spaces, keeping "< 2e-16", "Std. Error", "t value" and "z value" whole. */
function cells(line: string): string[] {
  const joined = line.replace(/< 2e-16/g, "<\u00a02e-16").replace(/Std\. Error/g, "Std.\u00a0Error").replace(/\b([tz]) value/g, "$1\u00a0value");
  return joined.trim().split(/ +/).map((c) => c.replace(/\u00a0/g, " "));
}

/** The rows of the table that starts after `title` and ends at the first blank line. */
function tableAfter(lines: readonly string[], title: string): string[][] {
  const { i } = lineAfter(lines, title);
  const out: string[][] = [];
  for (let k = i + 1; k < lines.length && lines[k].trim() !== "" && !lines[k].startsWith("Number of obs"); k++) out.push(cells(lines[k]));
  return out;
}

/** R's type-7 quantile (the default of quantile()). */
function quantile7(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The fixed-effects table: header, then per coefficient its printed cells, against the model and the coefficient table. */
function checkFixedEffects(lines: readonly string[], m: MixedModel, t: CoefTable | undefined, ref: RefTest[] | undefined, stat: "t" | "z", withDf: boolean): void {
  const rows = tableAfter(lines, "Fixed effects:");
  const head = ["Estimate", "Std. Error", ...(withDf ? ["df"] : []), `${stat} value`, ...(t ? [`Pr(>|${stat}|)`] : [])];
  assert.deepEqual(rows[0], head);
  assert.equal(rows.length, 1 + m.fixef.length);
  m.fixef.forEach((f, j) => {
    const r = rows[j + 1];
    assert.equal(r[0], f.term);
    const row = t?.rows[j];
    printedAs(r[1], f.estimate, `${f.term} estimate`);
    assert.ok(significant(r[1]) >= 5 || Math.abs(f.estimate) < 1e-3, `estimate to 5 digits: ${r[1]}`);
    printedAs(r[2], row ? row.se : f.se, `${f.term} se`);
    let c = 3;
    if (withDf) printedAs(r[c++], row!.df!, `${f.term} df`);
    printedAs(r[c++], row ? row.statistic : f.statistic, `${f.term} statistic`);
    if (row) {
      if (r[c] === "< 2e-16") assert.ok(row.p < 2.2e-16);
      else printedAs(r[c], row.p, `${f.term} p`);
    }
    // and lme4 / lmerTest
    const e = ref?.find((x) => x.term === f.term);
    if (e) {
      closeTo(r[1], e.estimate, 1e-4, `${f.term} estimate vs lme4`);
      closeTo(r[2], e.se, 5e-3, `${f.term} se vs lme4`);
      c = 3;
      if (withDf) closeTo(r[c++], e.df!, 1e-3, `${f.term} df vs lmerTest`);
      closeTo(r[c++], (stat === "t" ? e.t : e.z) ?? NaN, 5e-3, `${f.term} statistic vs lme4`);
      if (t && r[c] !== "< 2e-16") closeTo(r[c], e.p, 2e-2, `${f.term} p vs lme4`);
    }
  });
}

/** The correlation of fixed effects: R's labels, the model's vcov, and R's cov2cor(vcov(fit)). */
function checkCorrelation(lines: readonly string[], m: MixedModel, r: RSummary): void {
  const rows = tableAfter(lines, "Correlation of Fixed Effects:");
  const p = m.fixef.length;
  assert.deepEqual(rows[0], r.corr_cols.slice(0, p - 1), "column labels: abbreviate(names, minlength = 6)");
  assert.equal(rows.length, p);
  for (let i = 1; i < p; i++) {
    assert.equal(rows[i][0], r.corr_rows[i], "row labels: abbreviate(names, minlength = 11)");
    assert.equal(rows[i].length, i + 1, "lower triangle only");
    for (let j = 0; j < i; j++) {
      const cor = m.vcov[i + j * p] / Math.sqrt(m.vcov[i + i * p] * m.vcov[j + j * p]);
      printedAs(rows[i][j + 1], cor, `corr ${i} ${j}`);
      closeTo(rows[i][j + 1], r.fixef_correlation[i + j * p], 2e-3, `corr ${i} ${j} vs lme4`);
    }
  }
}

describe("summaryText", () => {
  const models: Record<string, MixedModel> = {};
  before(async () => {
    for (const id of ["sleepstudy_reml", "sleepstudy_ml", "dyestuff2_singular", "cbpp_binomial", "cbpp_agq25"]) models[id] = await fitCase(id);
  });

  it("LMM by REML: title names the df method, formula, REML criterion (no AIC row), scaled residuals", () => {
    const m = models.sleepstudy_reml;
    const c = refCase("sleepstudy_reml");
    for (const [ddf, name] of [["satterthwaite", "Satterthwaite"], ["kenward-roger", "Kenward-Roger"]] as const) {
      const lines = summaryText(m, { coef: coefTable(m, { ddf }) }).split("\n");
      assert.equal(lines[0], `Linear mixed model fit by REML. t-tests use ${name}'s method`);
    }
    const lines = summaryText(m).split("\n");
    assert.equal(lines[0], "Linear mixed model fit by REML");
    assert.equal(lines[1], `Formula: ${c.formula}`);
    const crit = /^REML criterion at convergence: (\S+)$/.exec(lines.find((l) => l.startsWith("REML criterion"))!);
    assert.ok(crit);
    printedAs(crit[1], m.criterion.value, "REML criterion");
    assert.ok(significant(crit[1]) >= 5);
    closeTo(crit[1], c.criterion.value, 1e-6, "REML criterion vs lme4 (REMLcrit)");
    assert.ok(!lines.some((l) => /\bAIC\b/.test(l)), "no AIC row for a REML fit");
    // Scaled residuals: Min 1Q Median 3Q Max of the residuals / σ
    const [head, vals] = tableAfter(lines, "Scaled residuals:");
    assert.deepEqual(head, ["Min", "1Q", "Median", "3Q", "Max"]);
    const sr = Array.from(m.residuals, (r) => r / m.sigma).sort((a, b) => a - b);
    [0, 0.25, 0.5, 0.75, 1].forEach((q, k) => {
      printedAs(vals[k], quantile7(sr, q), `residual quantile ${q}`);
      closeTo(vals[k], R.cases.sleepstudy_reml.scaled_residuals![k], 1e-3, `residual quantile ${q} vs lme4`);
    });
  });

  it("LMM: the random-effects table (variances, standard deviations, Corr, residual) and the counts line", () => {
    for (const id of ["sleepstudy_reml", "sleepstudy_ml"]) {
      const m = models[id];
      const c = refCase(id);
      const lines = summaryText(m).split("\n");
      const rows = tableAfter(lines, "Random effects:");
      assert.deepEqual(rows[0], ["Groups", "Name", "Variance", "Std.Dev.", "Corr"]);
      // Subject (Intercept) v sd | Days v sd corr | Residual v sd
      const [icpt, days, resid] = rows.slice(1, 4);
      assert.deepEqual([icpt[0], icpt[1], days[0], resid[0]], ["Subject", "(Intercept)", "Days", "Residual"]);
      const vc = (v1: string | null, v2: string | null) => m.varcorr.find((v) => (v.var1 === v1 && v.var2 === v2) || (v2 !== null && v.var1 === v2 && v.var2 === v1))!;
      const rc = (v1: string | null, v2: string | null) => c.varcorr.find((v) => (v.var1 === v1 && v.var2 === v2) || (v2 !== null && v.var1 === v2 && v.var2 === v1))!;
      printedAs(icpt[2], vc("(Intercept)", null).vcov, "intercept variance");
      printedAs(icpt[3], vc("(Intercept)", null).sdcor, "intercept sd");
      printedAs(days[1], vc("Days", null).vcov, "slope variance");
      printedAs(days[2], vc("Days", null).sdcor, "slope sd");
      printedAs(days[3], vc("Days", "(Intercept)").sdcor, "correlation");
      printedAs(resid[1], m.sigma ** 2, "residual variance");
      printedAs(resid[2], m.sigma, "residual sd");
      closeTo(icpt[3], rc("(Intercept)", null).sdcor, 1e-3, "intercept sd vs lme4");
      closeTo(days[2], rc("Days", null).sdcor, 1e-3, "slope sd vs lme4");
      closeTo(days[3], rc("Days", "(Intercept)").sdcor, 1e-2, "correlation vs lme4");
      closeTo(resid[2], c.sigma, 1e-3, "sigma vs lme4");
      assert.ok(lines.includes(`Number of obs: ${c.nobs}, groups:  ${Object.entries(c.ngroups).map(([g, k]) => `${g}, ${k}`).join("; ")}`));
    }
  });

  for (const ddf of ["satterthwaite", "kenward-roger", "wald", undefined] as (DdfMethod | undefined)[]) {
    it(`LMM fixed effects with ${ddf ?? "no"} coefficient table: headers and cells against the table and lmerTest`, () => {
      const m = models.sleepstudy_reml;
      const t = ddf ? coefTable(m, { ddf }) : undefined;
      const lines = summaryText(m, { coef: t }).split("\n");
      const ref = inference("sleepstudy_reml");
      const rows = ddf === "satterthwaite" ? ref.satterthwaite : ddf === "kenward-roger" ? ref.kenward_roger ?? undefined : undefined;
      checkFixedEffects(lines, m, t, rows, ddf === "wald" ? "z" : "t", ddf === "satterthwaite" || ddf === "kenward-roger");
      checkCorrelation(lines, m, R.cases.sleepstudy_reml);
    });
  }

  it("LMM by ML: the AIC / BIC / logLik / deviance / df.resid row against the model and lme4", () => {
    const m = models.sleepstudy_ml;
    const c = refCase("sleepstudy_ml");
    const lines = summaryText(m, { coef: coefTable(m) }).split("\n");
    assert.equal(lines[0], "Linear mixed model fit by maximum likelihood. t-tests use Satterthwaite's method");
    assert.ok(!lines.some((l) => l.startsWith("REML criterion")));
    const i = lines.findIndex((l) => /^\s*AIC\s+BIC\s+logLik\s+deviance\s+df\.resid$/.test(l));
    assert.ok(i > 0, "the header row");
    const [aic, bic, ll, dev, dfr] = cells(lines[i + 1]);
    printedAs(aic, m.AIC, "AIC");
    printedAs(bic, m.BIC, "BIC");
    printedAs(ll, m.logLik, "logLik");
    printedAs(dev, m.criterion.value, "deviance");
    assert.equal(dfr, String(m.nobs - m.npar));
    closeTo(aic, c.AIC, 1e-6, "AIC vs lme4");
    closeTo(bic, c.BIC, 1e-6, "BIC vs lme4");
    closeTo(ll, c.logLik, 1e-6, "logLik vs lme4");
    closeTo(dev, -2 * c.logLik, 1e-6, "deviance vs lme4");
    // lme4: df.resid = nobs − (fixed effects + θ + σ) = 180 − 6
    assert.equal(Number(dfr), c.nobs - (c.fixef.length + c.theta.length + 1));
    checkFixedEffects(lines, m, coefTable(m), inference("sleepstudy_ml").satterthwaite, "t", true);
    checkCorrelation(lines, m, R.cases.sleepstudy_ml);
    const [, vals] = tableAfter(lines, "Scaled residuals:");
    vals.forEach((v, k) => closeTo(v, R.cases.sleepstudy_ml.scaled_residuals![k], 1e-3, `residual quantile ${k} vs lme4`));
  });

  for (const [id, approx] of [["cbpp_binomial", "Laplace Approximation"], ["cbpp_agq25", "Adaptive Gauss-Hermite Quadrature, nAGQ = 25"]] as const) {
    it(`GLMM (${approx}): title, family, the AIC row, random effects, Wald z table, correlation`, () => {
      const m = models[id];
      const c = refCase(id);
      const t = coefTable(m);
      const lines = summaryText(m, { coef: t }).split("\n");
      assert.equal(lines[0], `Generalized linear mixed model fit by maximum likelihood (${approx})`);
      assert.equal(lines[1], " Family: binomial  ( logit )");
      assert.equal(lines[2], `Formula: ${c.formula}`);
      const i = lines.findIndex((l) => /^\s*AIC\s+BIC\s+logLik\s+deviance\s+df\.resid$/.test(l));
      const [aic, bic, ll, dev, dfr] = cells(lines[i + 1]);
      printedAs(aic, m.AIC, "AIC");
      printedAs(bic, m.BIC, "BIC");
      printedAs(ll, m.logLik, "logLik");
      printedAs(dev, m.criterion.value, "deviance");
      // lme4 reports nAGQ > 1 relative to the saturated model; mlm the full log-likelihood, which
      // is lme4's plus the saturated model's (the fixture's logLik_absolute)
      const shift = c.logLik_absolute !== undefined ? c.logLik_absolute - c.logLik : 0;
      if (id === "cbpp_agq25") assert.ok(shift < -40, "the AGQ fixture records the saturated log-likelihood");
      closeTo(aic, c.AIC - 2 * shift, 1e-4, "AIC vs lme4");
      closeTo(bic, c.BIC - 2 * shift, 1e-4, "BIC vs lme4");
      closeTo(ll, c.logLik + shift, 1e-4, "logLik vs lme4");
      closeTo(dev, c.criterion.value - 2 * shift, 1e-4, "deviance vs lme4");
      assert.equal(Number(dfr), c.nobs - (c.fixef.length + c.theta.length));
      const re = tableAfter(lines, "Random effects:");
      assert.deepEqual(re[0], ["Groups", "Name", "Variance", "Std.Dev.", "Corr"]);
      assert.deepEqual(re[1].slice(0, 2), ["herd", "(Intercept)"]);
      printedAs(re[1][2], m.varcorr[0].vcov, "herd variance");
      closeTo(re[1][3], c.varcorr[0].sdcor, 2e-3, "herd sd vs lme4");
      assert.equal(re.length, 2, "no residual row for a binomial model");
      assert.ok(lines.includes("Number of obs: 56, groups:  herd, 15"));
      checkFixedEffects(lines, m, t, id === "cbpp_binomial" ? inference(id).wald_z : undefined, "z", false);
      checkCorrelation(lines, m, R.cases[id]);
    });
  }

  it("the correlation table labels follow R's abbreviate(): I(Days^2) → I(D^2)", async () => {
    const m = fit("Reaction ~ Days + I(Days^2) + (1 | Subject)", await caseData(refCase("sleepstudy_reml")));
    assert.deepEqual(m.fixefNames, R.sleepstudy_days2.names);
    checkCorrelation(summaryText(m).split("\n"), m, R.sleepstudy_days2);
  });

  it("a singular fit: zero variance printed, and the singular-fit message as a warning", () => {
    const m = models.dyestuff2_singular;
    assert.ok(m.messages.some((x) => x.code === "singular-fit"));
    const lines = summaryText(m, { coef: coefTable(m) }).split("\n");
    const re = tableAfter(lines, "Random effects:");
    assert.deepEqual(re[1].slice(0, 2), ["Batch", "(Intercept)"]);
    assert.equal(Number(re[1][2]), 0);
    assert.equal(Number(re[1][3]), 0);
    for (const msg of m.messages) assert.ok(lines.includes(`${msg.severity === "note" ? "Note" : "Warning"}: ${msg.text}`), `line for ${msg.code}`);
    assert.ok(lines.some((l) => l.startsWith("Warning: Singular fit")));
    checkFixedEffects(lines, m, coefTable(m), inference("dyestuff2_singular").satterthwaite, "t", true);
    assert.ok(!lines.includes("Correlation of Fixed Effects:"), "one fixed effect: no correlation table");
  });

  it("rows dropped for missing values: counted in Number of obs, and the message as a warning", async () => {
    const data = await caseData(refCase("sleepstudy_reml"));
    const num = (n: string): Float64Array => (data.columns.get(n) as NumericColumn).values;
    const subj = data.columns.get("Subject")!;
    // four rows lose their response
    const reaction = Array.from(num("Reaction"), (v, i) => (i % 45 === 3 ? null : v));
    const days = Array.from(num("Days"));
    const subject = subj.kind === "numeric" ? Array.from(subj.values, (v) => `S${v}`) : Array.from(subj.codes, (k) => subj.levels[k]);
    const m = fit("Reaction ~ Days + (Days | Subject)", toDataTable({ Reaction: reaction, Days: days, Subject: subject }));
    const dropped = m.messages.find((x) => x.code === "rows-dropped");
    assert.ok(dropped, "a rows-dropped message");
    assert.equal(m.nobs, 176);
    const lines = summaryText(m).split("\n");
    assert.ok(lines.includes("Number of obs: 176, groups:  Subject, 18"));
    assert.ok(lines.includes(`Warning: ${dropped.text}`), "the rows-dropped warning");
  });
});
