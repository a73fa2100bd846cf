// The studio in a real browser (Debian's Chromium): open a data file through "Data file", fit
// through "Formula" and "Fit", and compare the "Fixed effects" table with lme4's values; every
// plot draws marks; the page answers clicks during a long job, which Cancel stops; a bad formula
// shows its message under the box; a reload keeps the analysis; no request leaves the origin.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DATA, SCREENSHOTS, fullyVisible, openStudio, studioReady, tableByCaption, type Studio } from "./browser.js";

interface ReferenceCase {
  formula: string;
  fixef: { term: string; estimate: number; se: number; df: number }[];
  varcorr: { group: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  logLik: number;
  AIC: number;
  BIC: number;
}

const reference = (id: string): ReferenceCase => JSON.parse(readFileSync(new URL(`../fixtures/cases/${id}.json`, import.meta.url), "utf8")) as ReferenceCase;

/** A shown number (6 significant digits) agrees with the reference to display precision. */
function near(shown: string, expected: number, what: string): void {
  const value = Number(shown);
  assert.ok(Number.isFinite(value), `${what}: '${shown}' is not a number`);
  assert.ok(Math.abs(value - expected) <= 2e-5 * Math.max(1, Math.abs(expected)), `${what}: ${value} vs lme4 ${expected}`);
}

/** Clicks "Open NAME" under "Example data sets" (opening that list first if it is closed). */
async function openExample(page: Page, name: string): Promise<void> {
  const button = page.getByRole("button", { name: `Open ${name}` });
  if (!(await button.isVisible())) await page.getByText("Example data sets").click();
  await button.click();
}

/** Presses Tab until the focused control's name starts with `name` (or matches it; at most 80 presses). */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  const focused = `(() => { const e = document.activeElement; if (!e) return ""; const label = e.labels && e.labels[0] ? e.labels[0].textContent : ""; return (e.getAttribute("aria-label") || label || e.textContent || "").trim(); })()`;
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const now = String(await page.evaluate(focused));
    if (typeof name === "string" ? now.startsWith(name) : name.test(now)) return;
  }
  assert.fail(`Tab never reached '${name}'`);
}

const skip = studioReady();

describe("studio in Chromium", { skip }, () => {
  let s: Studio;
  before(async () => {
    s = await openStudio();
  });
  after(async () => {
    await s?.close();
  });

  it("opens sleepstudy.csv through 'Data file', fits, and shows lme4's fixed effects", async () => {
    const { page } = s;
    await page.getByLabel("Data file").setInputFiles(join(DATA, "sleepstudy.csv"));
    await page.getByRole("table", { name: "Columns" }).waitFor();
    const formula = page.getByRole("combobox", { name: "Formula" });
    await formula.fill("Reaction ~ Days + (Days | Subject)");
    await page.getByRole("button", { name: "Fit", exact: true }).click();
    const rows = await tableByCaption(page, "Fixed effects");
    const ref = reference("sleepstudy_reml");
    assert.deepEqual(rows[0].slice(0, 4), ["Term", "Estimate", "Std. Error", "df"]);
    assert.equal(rows.length, ref.fixef.length + 1);
    ref.fixef.forEach((f, j) => {
      const row = rows[j + 1];
      assert.equal(row[0], f.term);
      near(row[1], f.estimate, `${f.term} estimate`);
      near(row[2], f.se, `${f.term} se`);
      assert.ok(Math.abs(Number(row[3]) - f.df) < 1e-3, `${f.term} df ${row[3]} vs ${f.df}`);
    });
    const random = await tableByCaption(page, "Random effects");
    const sd = ref.varcorr.filter((v) => v.var2 === null);
    sd.forEach((v, k) => near(random[k + 1][3], v.sdcor, `sd ${v.group} ${v.var1}`));
    const corr = ref.varcorr.find((v) => v.var2 !== null)!;
    assert.ok(Math.abs(Number(random[2][4]) - corr.sdcor) < 1e-3, `correlation ${random[2][4]} vs ${corr.sdcor}`);
    const stats = await tableByCaption(page, "Fit statistics");
    near(stats.find((r) => r[0] === "AIC")![1], ref.AIC, "AIC");
    near(stats.find((r) => r[0] === "BIC")![1], ref.BIC, "BIC");
    assert.match(stats.find((r) => r[0] === "Fit time in this tab")![1], /WebAssembly SIMD available/);
    await page.screenshot({ path: join(SCREENSHOTS, "summary.png"), fullPage: true });
  });

  it("draws every plot with marks", async () => {
    const { page } = s;
    await page.getByRole("tab", { name: "Plots" }).click();
    for (const id of ["caterpillar", "shrinkage", "residuals", "qq", "trajectories", "predictions"]) {
      const figure = page.locator(`figure[data-plot="${id}"]`);
      await figure.locator("svg").first().waitFor();
      const marks = await figure.locator("svg g[aria-label] > *").count();
      assert.ok(marks > 10, `${id}: ${marks} marks`);
    }
    await page.screenshot({ path: join(SCREENSHOTS, "plots.png"), fullPage: true });
  });

  it("shows a bad formula's message with a caret under the box", async () => {
    const { page } = s;
    const formula = page.getByRole("combobox", { name: "Formula" });
    await formula.fill("Reaction ~ Days + (Days | Subject");
    const error = page.locator("#formula-error");
    await error.waitFor({ state: "visible" });
    assert.equal(await formula.getAttribute("aria-describedby").then((d) => d?.split(" ").includes("formula-error")), true);
    const text = await error.innerText();
    assert.match(text, /^Formula syntax error at character \d+/);
    assert.match(text, /\n\s*\^$/);
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "formula-error.png") });
    await formula.fill("Reaction ~ Days + (Days | Subject)");
    await error.waitFor({ state: "hidden" });
  });

  it("keeps the analysis over a reload", async () => {
    const { page } = s;
    await page.reload();
    assert.equal(await page.getByRole("combobox", { name: "Formula" }).inputValue(), "Reaction ~ Days + (Days | Subject)");
    // the view shown (Plots) is part of the analysis too
    assert.equal(await page.getByRole("tab", { name: "Plots" }).getAttribute("aria-selected"), "true");
    await page.locator('figure[data-plot="caterpillar"] svg').first().waitFor();
    await page.getByRole("tab", { name: "Summary" }).click();
    const rows = await tableByCaption(page, "Fixed effects");
    near(rows[2][1], reference("sleepstudy_reml").fixef[1].estimate, "Days after reload");
  });

  it("answers clicks during a long bootstrap, and Cancel stops it", async () => {
    const { page } = s;
    await page.getByRole("tab", { name: "Summary" }).click();
    await page.getByLabel("Simulations").fill("20000");
    await page.getByRole("button", { name: "Bootstrap intervals" }).click();
    await page.getByRole("progressbar").first().waitFor();
    try {
      await page.waitForTimeout(500);

      // a click on the Compare tab, timed in the page: from the click to the frame that shows the tab
      const answered = await page.evaluate(`new Promise((resolve) => {
        const t0 = performance.now();
        document.getElementById("tab-compare").click();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      })`);
      assert.equal(typeof answered, "number");
      // a frozen page would answer only when the bootstrap ends, minutes later
      assert.ok((answered as number) < 1000, `the click took ${answered} ms to answer`);
      await page.getByRole("table", { name: "Fitted models" }).waitFor({ timeout: 2000 });
      assert.equal(await page.getByRole("tab", { name: /Compare/ }).getAttribute("aria-selected"), "true");
      await page.getByRole("tab", { name: "Summary" }).click();
      const status = await page.getByRole("status").filter({ hasText: "of 20000" }).first().innerText();
      assert.match(status, /Bootstrap: \d+ of 20000/);
      await page.getByRole("heading", { name: "Confidence intervals" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, "bootstrap-progress.png") });
      // the job was still running when the click was answered
      assert.ok(await page.getByRole("progressbar").count() > 0);
    } finally {
      await page.getByRole("button", { name: "Cancel" }).first().click();
    }
    await page.getByRole("progressbar").first().waitFor({ state: "detached" });
    // the new worker has the data: a fit still works
    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await tableByCaption(page, "Fixed effects");
  });

  it("compares two models with the likelihood-ratio test", async () => {
    const { page } = s;
    await page.getByRole("combobox", { name: "Formula" }).fill("Reaction ~ Days + (1 | Subject)");
    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await tableByCaption(page, "Fixed effects");
    await page.getByRole("tab", { name: /Compare/ }).click();
    const models = await tableByCaption(page, "Fitted models");
    const ids = models.slice(1).map((r) => r[0]);
    for (const id of ids) await page.getByRole("checkbox", { name: `Compare ${id}` }).check();
    const lrt = await tableByCaption(page, "Likelihood-ratio test");
    assert.equal(lrt.length, 3);
    // the boundary-corrected p-value is a column of its own here: every column still fits
    assert.equal(lrt[0].length, 11);
    await page.screenshot({ path: join(SCREENSHOTS, "compare.png"), fullPage: true });
    for (const [width, height] of [
      [1400, 900],
      [1280, 800],
    ]) {
      await page.setViewportSize({ width, height });
      await fullyVisible(page, "Fitted models");
      await fullyVisible(page, "Likelihood-ratio test");
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it("opens the shipped Hsb82 example, fits its model and agrees with lme4", async () => {
    const { page } = s;
    await openExample(page, "Hsb82");
    await page.getByRole("table", { name: "Grouping factors" }).waitFor();
    const formula = page.getByRole("combobox", { name: "Formula" });
    const ref = reference("hsb82_slope");
    assert.equal(await formula.inputValue(), ref.formula);
    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await page.getByRole("progressbar").waitFor({ state: "detached", timeout: 60000 });
    await page.getByRole("tab", { name: "Summary" }).click();
    const rows = await tableByCaption(page, "Fixed effects");
    ref.fixef.forEach((f, j) => {
      assert.equal(rows[j + 1][0], f.term);
      near(rows[j + 1][1], f.estimate, `${f.term} estimate`);
      near(rows[j + 1][2], f.se, `${f.term} se`);
      assert.ok(Math.abs(Number(rows[j + 1][3]) - f.df) < 1e-2 * f.df, `${f.term} df ${rows[j + 1][3]} vs ${f.df}`);
    });
    await page.screenshot({ path: join(SCREENSHOTS, "hsb82-summary.png"), fullPage: true });
    await page.getByRole("tab", { name: "Plots" }).click();
    await page.locator('figure[data-plot="predictions"] svg').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "hsb82-plots.png"), fullPage: true });
  });

  it("reports the nesting of egsingle's grouping factors as mlm describe does", async () => {
    const { page } = s;
    await openExample(page, "egsingle");
    const groups = await tableByCaption(page, "Grouping factors");
    assert.deepEqual(groups.slice(1).map((r) => [r[0], r[1], r[3]]), [
      ["childid:schoolid", "1721", "nested in schoolid"],
      ["schoolid", "60", "—"],
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, "egsingle-data.png") });
  });

  it("runs an analysis from the keyboard alone, completing column names", async () => {
    const { page } = s;
    await page.reload();
    // the restored analysis renders after the page loads; tabbing earlier can lose the focus
    await page.waitForLoadState("networkidle");
    await page.getByRole("combobox", { name: "Formula" }).waitFor();
    await tabTo(page, "Example data sets");
    const listOpen = `(() => { const d = [...document.querySelectorAll("details")].find((x) => (x.querySelector("summary")?.textContent ?? "").includes("Example data sets")); return d !== undefined && d.open; })()`;
    if (!(await page.evaluate(listOpen))) await page.keyboard.press("Enter");
    await page.waitForFunction(listOpen);
    await tabTo(page, "Open sleepstudy");
    await page.keyboard.press("Enter");
    await page.getByRole("table", { name: "Columns" }).waitFor();
    await tabTo(page, "Formula");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Reaction ~ Da");
    await page.getByRole("option", { name: "Days" }).waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.type(" + (1 | Sub");
    await page.getByRole("option", { name: "Subject" }).waitFor();
    await page.keyboard.press("Enter");
    await page.keyboard.type(")");
    const formula = page.getByRole("combobox", { name: "Formula" });
    assert.equal(await formula.inputValue(), "Reaction ~ Days + (1 | Subject)");
    await page.keyboard.press("Enter");
    await page.getByRole("progressbar").waitFor({ state: "detached" });
    // the tabs are one stop of Tab; the arrow keys move between them
    await tabTo(page, /^(Summary|Plots|Compare)/);
    for (let i = 0; i < 3 && (await page.getByRole("tab", { name: "Summary" }).getAttribute("aria-selected")) !== "true"; i++) await page.keyboard.press("ArrowLeft");
    const rows = await tableByCaption(page, "Fixed effects");
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ["(Intercept)", "Days"]);
    const random = await tableByCaption(page, "Random effects");
    assert.deepEqual(random.slice(1).map((r) => r[0]), ["Subject", "Residual"]);
  });

  it("sends no request outside the page's origin", () => {
    const origin = new URL(s.server.url).origin;
    assert.ok(s.requests.length > 3);
    const outside = s.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("data:") && !u.startsWith("blob:"));
    assert.deepEqual(outside, []);
  });
});
