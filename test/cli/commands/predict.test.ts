// mlm predict: JSON and text output against lme4's predict() (test/fixtures/predict/predict-pooling.json),
// options, and one-line errors.
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
