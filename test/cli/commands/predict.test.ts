// mlm predict: JSON and text output against lme4's predict() (test/fixtures/predict/predict-pooling.json),
// options, and one-line errors; with --correlation and --interval, against the intervals computed
// from nlme's pieces (test/fixtures/nlme-predict-intervals, generate/nlme-predict-intervals.R).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { assertOneLineError, data, run, withTempDir, writeFile } from "../helpers.js";

interface Fixture {
  cases: { id: string; newdata: Record<string, (string | number)[]>; predict: number[]; predict_population: number[]; predict_link?: number[] }[];
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/predict/predict-pooling.json", import.meta.url)), "utf8")) as Fixture;
const byId = (id: string) => fixture.cases.find((c) => c.id === id) as Fixture["cases"][number];

/** CSV text of columns. */
function csv(columns: Record<string, (string | number | null)[]>): string {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++) lines.push(names.map((k) => (columns[k][i] === null ? "" : String(columns[k][i]))).join(","));
  return `${lines.join("\n")}\n`;
}

function assertClose(actual: number[], expected: number[], tol: number): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol * Math.abs(expected[i]), `${i}: ${a} vs ${expected[i]}`));
}

test("sleepstudy --json: lme4's predictions, new-data row order, notes", async () => {
  const c = byId("sleepstudy_reml");
  await withTempDir(async (dir) => {
    const nd = writeFile(dir, "new.csv", csv(c.newdata));
    const r = await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", nd, "--json");
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { predictions: { fit: number }[]; messages: string[] };
    assertClose(json.predictions.map((p) => p.fit), c.predict, 1e-5);
    assert.deepEqual(Object.keys(json.predictions[0]), ["fit"]);
    assert.equal(json.messages.length, 1);
    const pop = await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", nd, "--re-form", "none", "--json");
    assertClose((JSON.parse(pop.out) as { predictions: { fit: number }[] }).predictions.map((p) => p.fit), c.predict_population, 1e-5);
  });
});

test("cbpp --family binomial --type link --interval prediction: link-scale fits with bounds", async () => {
  const c = byId("cbpp_binomial");
  await withTempDir(async (dir) => {
    const nd = writeFile(dir, "new.csv", csv(c.newdata));
    const r = await run(
      "predict", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ period + (1 | herd)",
      "--family", "binomial", "--factor", "period", "--newdata", nd, "--type", "link", "--interval", "prediction", "--json",
    );
    assert.equal(r.code, 0, r.err);
    const preds = (JSON.parse(r.out) as { predictions: { fit: number; lower: number; upper: number }[] }).predictions;
    assertClose(preds.map((p) => p.fit), c.predict_link as number[], 1e-5);
    for (const p of preds) assert.ok(p.lower < p.fit && p.fit < p.upper);
  });
});

test("text output: a row per new-data row, NaN for a missing predictor, notes on stderr", async () => {
  await withTempDir(async (dir) => {
    const nd = writeFile(dir, "new.csv", csv({ Days: [0, null, 9], Subject: ["308", "309", "999"] }));
    const r = await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", nd, "--interval", "confidence", "--level", "0.9");
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.match(lines[0], /^row\s+fit\s+lower\s+upper$/);
    assert.match(lines[1], /^1\s+253\.66\d/);
    assert.match(lines[2], /^2\s+NaN\s+NaN\s+NaN$/);
    assert.match(r.out, /90% confidence intervals/);
    assert.match(r.err, /^mlm: warning: 1 row of the new data \(first row 2\) has a missing predictor/);
    assert.match(r.err, /mlm: note: 1 row of the new data has a level of Subject that the fit did not see/);
  });
});

test("errors: missing --newdata, a bad --level, a new-data column missing", async () => {
  assertOneLineError(await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"), /--newdata/);
  await withTempDir(async (dir) => {
    const nd = writeFile(dir, "new.csv", csv({ Day: [0], Subject: ["308"] }));
    assertOneLineError(await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", nd, "--level", "95"), /--level takes a number between 0 and 1/);
    assertOneLineError(await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", nd), /Days/);
  });
});

test("--correlation --interval prediction: the lme's intervals from nlme's pieces, as text and --json", async () => {
  interface IntervalFixture {
    newdata: Record<string, (string | number)[]>;
    intervals: { reForm: string; interval: string; level: number; fit: number[]; lower: number[]; upper: number[] }[];
  }
  const ref = JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/nlme-predict-intervals/lme_sleepstudy_int_ar1.json", import.meta.url)), "utf8")) as IntervalFixture;
  const want = ref.intervals.find((r) => r.reForm === "groups" && r.interval === "prediction" && r.level === 0.8) as IntervalFixture["intervals"][number];
  await withTempDir(async (dir) => {
    const nd = writeFile(dir, "new.csv", csv(ref.newdata));
    const args = ["predict", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--correlation", "corAR1(form = ~ Days | Subject)", "--factor", "Subject", "--newdata", nd, "--interval", "prediction", "--level", "0.8"];
    const r = await run(...args, "--json");
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { predictions: { fit: number; lower: number; upper: number }[]; messages: { text: string }[] };
    assert.deepEqual(Object.keys(json.predictions[0]), ["fit", "lower", "upper"]);
    assertClose(json.predictions.map((p) => p.fit), want.fit, 1e-4);
    assertClose(json.predictions.map((p) => p.lower), want.lower, 1e-4);
    assertClose(json.predictions.map((p) => p.upper), want.upper, 1e-4);
    assert.equal(json.messages.length, 1);
    assert.match(json.messages[0].text, /level of Subject that the fit did not see/);
    const text = await run(...args);
    assert.equal(text.code, 0, text.err);
    const lines = text.out.split("\n");
    assert.match(lines[0], /^row\s+fit\s+lower\s+upper$/);
    const first = lines[1].trim().split(/\s+/).map(Number);
    assert.equal(first[0], 1);
    assertClose(first.slice(1), [want.fit[0], want.lower[0], want.upper[0]], 1e-5);
    assert.match(text.out, /\n80% prediction intervals \(normal approximation/);
    assert.match(text.err, /mlm: note: 1 row of the new data has a level of Subject that the fit did not see/);
  });
});
