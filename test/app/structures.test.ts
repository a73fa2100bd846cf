// The studio's controls for the library's newer models, in Chromium: nlme's residual structures
// (corAR1 with a random intercept, as lme; corCompSymm with varIdent, as gls), glmmTMB's Gamma
// family and a cs covariance structure, each compared with the committed nlme and glmmTMB
// fixtures within the issues' tolerances; the structure's error shown next to its field; the
// analysis kept over a reload; and the compare view's tables fully visible at two viewports.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DATA, SCREENSHOTS, fullyVisible, openStudio, studioReady, tableByCaption, type Studio } from "./browser.js";

interface NlmeCase {
  formula: string;
  correlation: string | null;
  variance: string | null;
  fixef: { term: string; estimate: number; se: number; df: number }[];
  sigma: number;
  varcorr: { sd: { name: string; sd: number }[] } | null;
  corStruct: Record<string, number> | null;
  varStruct: Record<string, number> | null;
  logLik: number;
  intervals: { corStruct?: { name: string; lower: number; upper: number }[]; varStruct?: { name: string; lower: number; upper: number }[] };
}

interface TmbCase {
  formula: string;
  family: string;
  link: string;
  fixef: { term: string; estimate: number; se: number }[];
  sigma: number;
  varcorr: { group: string; var1: string | null; var2: string | null; sdcor: number }[];
  structures: { group: string; structure: string; rho?: number }[];
  logLik: number;
}

const fixture = <T,>(path: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${path}.json`, import.meta.url), "utf8")) as T;

function shown(cell: string, what: string): number {
  const v = Number(cell);
  assert.ok(Number.isFinite(v), `${what}: '${cell}' is not a number`);
  return v;
}

/** |shown − expected| ≤ tol. */
function within(cell: string, expected: number, tol: number, what: string): void {
  const v = shown(cell, what);
  assert.ok(Math.abs(v - expected) <= tol, `${what}: ${v} vs ${expected} (tolerance ${tol})`);
}

/** The studio's fixed-effects table against a reference: estimates within `seTol` standard errors, standard errors within `rel`. */
function checkFixef(rows: string[][], ref: { term: string; estimate: number; se: number; df?: number }[], seTol: number, rel: number): void {
  assert.equal(rows.length, ref.length + 1);
  ref.forEach((f, j) => {
    const row = rows[j + 1];
    assert.equal(row[0], f.term);
    within(row[1], f.estimate, seTol * f.se, `${f.term} estimate`);
    within(row[2], f.se, rel * f.se, `${f.term} se`);
    if (f.df !== undefined) assert.equal(shown(row[3], `${f.term} df`), f.df);
  });
}

async function fitNow(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Fit", exact: true }).click();
  await page.getByRole("progressbar").waitFor({ state: "detached", timeout: 60000 });
}

const skip = studioReady();

describe("studio: residual structures, new families, covariance structures", { skip }, () => {
  let s: Studio;
  before(async () => {
    s = await openStudio();
  });
  after(async () => {
    await s?.close();
  });

  it("fits Reaction ~ Days + (1 | Subject) with corAR1 as nlme's lme does", async () => {
    const { page } = s;
    const ref = fixture<NlmeCase>("nlme/lme_sleepstudy_int_ar1");
    await page.getByLabel("Data file").setInputFiles(join(DATA, "sleepstudy.csv"));
    await page.getByRole("table", { name: "Columns" }).waitFor();
    await page.getByRole("combobox", { name: "Formula" }).fill(ref.formula);
    await page.getByRole("table", { name: "Grouping factors" }).waitFor();
    // the select writes a starting call with the data's columns
    await page.getByLabel("Residual correlation").selectOption("corAR1");
    const call = page.getByRole("textbox", { name: "Correlation structure" });
    assert.equal(await call.inputValue(), ref.correlation);
    // with a structure the df default to nlme's
    assert.equal(await page.getByLabel("Denominator df").inputValue(), "nlme");
    await fitNow(page);
    const rows = await tableByCaption(page, "Fixed effects");
    assert.equal(rows[0][3], "df");
    checkFixef(rows, ref.fixef, 0.02, 0.005);
    const cor = await tableByCaption(page, "Correlation structure: AR(1)");
    assert.equal(cor[1][0], "Phi");
    within(cor[1][1], ref.corStruct!.Phi, 0.01, "Phi");
    const iv = ref.intervals.corStruct![0];
    within(cor[1][2], iv.lower, 0.01 * (iv.upper - iv.lower), "Phi lower");
    within(cor[1][3], iv.upper, 0.01 * (iv.upper - iv.lower), "Phi upper");
    const random = await tableByCaption(page, "Random effects");
    within(random[1][3], ref.varcorr!.sd[0].sd, 0.01 * ref.varcorr!.sd[0].sd, "sd (Intercept)");
    const stats = await tableByCaption(page, "Fit statistics");
    within(stats.find((r) => r[0] === "Log-likelihood")![1], ref.logLik, 0.002, "logLik");
    within(stats.find((r) => r[0] === "Residual SD (σ)")![1], ref.sigma, 0.01 * ref.sigma, "sigma");
    assert.match(await page.getByText("Linear mixed model with a residual structure (nlme's lme)").innerText(), /REML/);
    // the analysis as code
    const mlm = await page.locator(".code-block", { hasText: "mlm command line" }).locator("pre").innerText();
    assert.equal(mlm, `mlm fit sleepstudy.csv "${ref.formula}" --correlation "${ref.correlation}"`);
    const r = await page.locator(".code-block", { hasText: "R nlme code" }).locator("pre").innerText();
    assert.match(r, /^library\(nlme\)$/m);
    assert.ok(r.includes(`fit <- lme(Reaction ~ Days, random = ~ 1 | Subject, data = d, correlation = ${ref.correlation}, method = "REML")`), r);
    await page.getByRole("heading", { name: "Fixed effects" }).or(page.getByRole("table", { name: "Fixed effects" })).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "residual-ar1-summary.png"), fullPage: true });
    // the plots of rows (residuals, trajectories) and of the random effects' modes draw
    await page.getByRole("tab", { name: "Plots" }).click();
    for (const id of ["residuals", "qq", "trajectories", "caterpillar"]) {
      const figure = page.locator(`figure[data-plot="${id}"]`);
      await figure.locator("svg").first().waitFor();
      assert.ok((await figure.locator("svg g[aria-label] > *").count()) > 10, `${id} has marks`);
    }
    await page.screenshot({ path: join(SCREENSHOTS, "residual-ar1-plots.png"), fullPage: true });
    await page.getByRole("tab", { name: "Summary" }).click();
  });

  it("shows a residual structure's error next to its field", async () => {
    const { page } = s;
    const call = page.getByRole("textbox", { name: "Correlation structure" });
    await call.fill("corAR1(form = ~ Dayz | Subject)");
    const error = page.locator("#correlation-error");
    await error.waitFor({ state: "visible" });
    assert.match(await error.innerText(), /Dayz.*not a column of the data/);
    assert.ok((await call.getAttribute("aria-describedby"))!.split(" ").includes("correlation-error"));
    await page.locator("fieldset.residual").screenshot({ path: join(SCREENSHOTS, "residual-error.png") });
    await call.fill("corAR2(form = ~ Days | Subject)");
    await page.getByText(/corAR2 is not one mlm fits/).waitFor();
    await call.fill("corAR1(form = ~ Days | Subject)");
    await error.waitFor({ state: "hidden" });
  });

  it("keeps the residual structure and its fit over a reload", async () => {
    const { page } = s;
    await page.reload();
    assert.equal(await page.getByRole("textbox", { name: "Correlation structure" }).inputValue(), "corAR1(form = ~ Days | Subject)");
    assert.equal(await page.getByLabel("Residual correlation").inputValue(), "corAR1");
    const cor = await tableByCaption(page, "Correlation structure: AR(1)");
    within(cor[1][1], fixture<NlmeCase>("nlme/lme_sleepstudy_int_ar1").corStruct!.Phi, 0.01, "Phi after reload");
  });

  it("compares the fits with and without corAR1 as nlme's anova(), every column visible", async () => {
    const { page } = s;
    await page.getByLabel("Residual correlation").selectOption("");
    await fitNow(page);
    await page.getByRole("tab", { name: /Compare/ }).click();
    const models = await tableByCaption(page, "Fitted models");
    for (const row of models.slice(1)) await page.getByRole("checkbox", { name: `Compare ${row[0]}` }).check();
    const lrt = await tableByCaption(page, "Likelihood-ratio test");
    assert.equal(lrt.length, 3);
    // nlme: anova(lme(Reaction ~ Days, random = ~ 1 | Subject, sleepstudy), update(., correlation = corAR1(form = ~ Days | Subject))): L.Ratio 50.274
    const ref = fixture<NlmeCase>("nlme/lme_sleepstudy_int_ar1");
    within(lrt[2][5], ref.logLik, 0.002, "logLik of the corAR1 fit");
    within(lrt[2][7], 50.274, 0.01, "L.Ratio");
    for (const [w, h] of [
      [1400, 900],
      [1280, 800],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: join(SCREENSHOTS, `compare-${w}.png`), fullPage: true });
      await fullyVisible(page, "Fitted models");
      await fullyVisible(page, "Likelihood-ratio test");
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    const code = await page.locator(".code-block", { hasText: "R nlme comparison code" }).locator("pre").innerText();
    assert.match(code, /fit\d <- lme\(Reaction ~ Days, random = ~ 1 \| Subject, data = d, method = "REML"\)/);
    assert.match(code, /anova\(fit1, fit2\)/);
    // one formula: mlm compare fits it without and with the structure
    const cli = await page.locator(".code-block", { hasText: "mlm compare command line" }).locator("pre").innerText();
    assert.equal(cli, `mlm compare sleepstudy.csv "${ref.formula}" --correlation "${ref.correlation}"`);
  });

  it("fits distance ~ age * Sex with corCompSymm and varIdent as nlme's gls does", async () => {
    const { page } = s;
    const ref = fixture<NlmeCase>("nlme/gls_orthodont_cs_ident");
    await page.getByLabel("Data file").setInputFiles(join(DATA, "Orthodont.csv"));
    await page.getByRole("table", { name: "Columns" }).waitFor();
    await page.getByRole("combobox", { name: "Formula" }).fill(ref.formula);
    await page.getByLabel("Residual correlation").selectOption("corCompSymm");
    assert.equal(await page.getByRole("textbox", { name: "Correlation structure" }).inputValue(), ref.correlation);
    await page.getByLabel("Residual variance").selectOption("varIdent");
    assert.equal(await page.getByRole("textbox", { name: "Variance function" }).inputValue(), ref.variance);
    await fitNow(page);
    await page.getByRole("tab", { name: "Summary" }).click();
    checkFixef(await tableByCaption(page, "Fixed effects"), ref.fixef, 0.02, 0.005);
    const cor = await tableByCaption(page, "Correlation structure: Compound symmetry");
    within(cor[1][1], ref.corStruct!.Rho, 0.01, "Rho");
    const v = await tableByCaption(page, "Variance function: Different standard deviations per stratum");
    const male = v.find((r) => r[0] === "Male")!;
    within(male[1], ref.varStruct!.Male, 0.01 * ref.varStruct!.Male, "varIdent Male");
    const stats = await tableByCaption(page, "Fit statistics");
    within(stats.find((r) => r[0] === "Log-likelihood")![1], ref.logLik, 0.002, "logLik");
    const mlm = await page.locator(".code-block", { hasText: "mlm command line" }).locator("pre").innerText();
    assert.equal(mlm, `mlm fit Orthodont.csv "${ref.formula}" --correlation "${ref.correlation}" --variance "${ref.variance}"`);
    const r = await page.locator(".code-block", { hasText: "R nlme code" }).locator("pre").innerText();
    assert.ok(r.includes(`fit <- gls(distance ~ age * Sex, data = d, correlation = ${ref.correlation}, weights = ${ref.variance}, method = "REML")`), r);
    await page.screenshot({ path: join(SCREENSHOTS, "residual-gls-summary.png"), fullPage: true });
  });

  it("tests the gls's fixed effects with Satterthwaite's df when chosen (Kenward-Roger not offered)", async () => {
    const { page } = s;
    // the dense reference of test/fixtures/generate/nlme-satterthwaite.R (lmerTest's definition over all covariance parameters)
    const ref = fixture<{ terms: string[]; df: number[] }>("nlme-satterthwaite/gls_orthodont_cs_ident");
    const ddf = page.getByLabel("Denominator df");
    assert.equal(await ddf.inputValue(), "nlme");
    const kr = ddf.locator("option", { hasText: "Kenward-Roger" });
    assert.equal(await kr.isDisabled(), true);
    assert.match((await kr.getAttribute("title")) ?? "", /not available for fits with residual structures/);
    await ddf.selectOption("satterthwaite");
    await fitNow(page);
    const rows = await tableByCaption(page, "Fixed effects");
    assert.equal(rows[0][3], "df");
    ref.terms.forEach((term, j) => {
      assert.equal(rows[j + 1][0], term);
      within(rows[j + 1][3], ref.df[j], 0.01 * ref.df[j], `${term} Satterthwaite df`);
    });
    assert.match(await page.getByText(/t tests with Satterthwaite's denominator df/).first().innerText(), /Satterthwaite/);
    const mlm = await page.locator(".code-block", { hasText: "mlm command line" }).locator("pre").innerText();
    assert.match(mlm, / --ddf satterthwaite$/);
    const r = await page.locator(".code-block", { hasText: "R nlme code" }).locator("pre").innerText();
    assert.match(r, /^library\(emmeans\)$/m);
    assert.match(r, /^rg <- ref_grid\(fit, mode = "satterthwaite"\)$/m);
    await page.screenshot({ path: join(SCREENSHOTS, "residual-gls-satterthwaite.png"), fullPage: true });
    // removing the structures brings back the mixed-model choices
    await page.getByLabel("Residual correlation").selectOption("");
    await page.getByLabel("Residual variance").selectOption("");
    assert.equal(await ddf.inputValue(), "satterthwaite");
    assert.equal(await kr.isDisabled(), false);
  });

  it("fits a Gamma GLMM (log link) as glmmTMB does and shows its dispersion", async () => {
    const { page } = s;
    const ref = fixture<TmbCase>("glmmtmb/sleepstudy_gamma_log");
    await page.getByLabel("Data file").setInputFiles(join(DATA, "sleepstudy.csv"));
    await page.getByRole("table", { name: "Columns" }).waitFor();
    await page.getByRole("combobox", { name: "Formula" }).fill(ref.formula);
    await page.getByLabel("Family").selectOption("Gamma");
    assert.equal(await page.getByLabel("Link").inputValue(), "default");
    assert.ok(await page.getByRole("textbox", { name: "Correlation structure" }).isDisabled());
    await fitNow(page);
    const rows = await tableByCaption(page, "Fixed effects");
    assert.equal(rows[0][3], "z value");
    checkFixef(rows, ref.fixef, 0.05, 0.02);
    const stats = await tableByCaption(page, "Fit statistics");
    within(stats.find((r) => r[0] === "Dispersion (σ, Gamma)")![1], ref.sigma, 0.02 * ref.sigma, "Gamma dispersion");
    within(stats.find((r) => r[0] === "Log-likelihood")![1], ref.logLik, 0.01, "logLik");
    assert.match(await page.locator("p.dispersion").innerText(), /^Dispersion parameter for Gamma family \(σ\): 0\.08\d+/);
    const random = await tableByCaption(page, "Random effects");
    ref.varcorr.filter((v) => v.var2 === null).forEach((v, k) => within(random[k + 1][3], v.sdcor, 0.02 * v.sdcor, `sd ${v.var1}`));
    const mlm = await page.locator(".code-block", { hasText: "mlm command line" }).locator("pre").innerText();
    assert.equal(mlm, `mlm fit sleepstudy.csv "${ref.formula}" --family Gamma`);
    const r = await page.locator(".code-block", { hasText: "R glmmTMB code" }).locator("pre").innerText();
    assert.ok(r.includes(`fit <- glmmTMB(${ref.formula}, data = d, family = Gamma(link = "log"))`), r);
    assert.match(r, /^sigma\(fit\)/m);
    await page.screenshot({ path: join(SCREENSHOTS, "gamma-summary.png"), fullPage: true });
  });

  it("fits a cs covariance structure written in the formula as glmmTMB does, found by completion", async () => {
    const { page } = s;
    const ref = fixture<TmbCase>("glmmtmb/sleepstudy_cs");
    await page.getByLabel("Family").selectOption("gaussian");
    await page.getByLabel("Estimation").selectOption("ML");
    const formula = page.getByRole("combobox", { name: "Formula" });
    await formula.fill("");
    await formula.pressSequentially("Reaction ~ Days + c");
    await page.getByRole("option", { name: /^cs\(/ }).waitFor();
    await page.keyboard.press("Enter");
    await formula.pressSequentially("1 + Days | Subject)");
    assert.equal(await formula.inputValue(), ref.formula);
    await fitNow(page);
    const rows = await tableByCaption(page, "Fixed effects");
    checkFixef(rows, ref.fixef, 0.05, 0.02);
    const cs = await tableByCaption(page, "Covariance structures");
    assert.deepEqual(cs[1].slice(0, 2), ["Subject", "cs"]);
    within(cs[1][2], ref.structures[0].rho!, 0.01, "ρ");
    const random = await tableByCaption(page, "Random effects");
    ref.varcorr.filter((v) => v.var2 === null).forEach((v, k) => within(random[k + 1][3], v.sdcor, 0.02 * v.sdcor, `sd ${v.var1}`));
    const stats = await tableByCaption(page, "Fit statistics");
    within(stats.find((r) => r[0] === "Log-likelihood")![1], ref.logLik, 0.01, "logLik");
    const r = await page.locator(".code-block", { hasText: "R glmmTMB code" }).locator("pre").innerText();
    assert.ok(r.includes(`fit <- glmmTMB(${ref.formula}, data = d, family = gaussian)`), r);
    await page.screenshot({ path: join(SCREENSHOTS, "cs-summary.png"), fullPage: true });
  });
});
