import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { data, run, withTempDir, writeFile } from "../helpers.js";

test("sleepstudy: text output", async () => {
  const r = await run("describe", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
  assert.equal(r.code, 0);
  assert.equal(r.err, "");
  assert.equal(
    r.out,
    [
      "Rows:           180 used, 0 dropped",
      "Response:       Reaction",
      "Fixed effects:  (Intercept), Days",
      "",
      "Grouping factor  Levels  Rows per level (min/median/max)  Nested in",
      "Subject              18  10 / 10 / 10                     -",
      "",
    ].join("\n"),
  );
});

test("Pastes batch/cask: JSON output has exactly the documented fields", async () => {
  const r = await run("describe", data("Pastes.csv"), "strength ~ 1 + (1 | batch/cask)", "--json");
  assert.equal(r.code, 0);
  assert.equal(r.err, "");
  const json = JSON.parse(r.out);
  assert.deepEqual(json, {
    nobs: 60,
    dropped: 0,
    response: "strength",
    fixef: ["(Intercept)"],
    groups: [
      { name: "cask:batch", levels: 30, sizes: { min: 2, median: 2, max: 2 }, nestedIn: ["batch"] },
      { name: "batch", levels: 10, sizes: { min: 6, median: 6, max: 6 }, nestedIn: [] },
    ],
    messages: [],
  });
  assert.deepEqual(Object.keys(json), ["nobs", "dropped", "response", "fixef", "groups", "messages"]);
});

test("cbpp: binomial response, --factor period, uneven herd sizes (R: table(cbpp$herd) has one herd with 1 row)", async () => {
  const r = await run("describe", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--factor", "period", "--json");
  assert.equal(r.code, 0);
  const json = JSON.parse(r.out);
  assert.equal(json.response, "cbind(incidence, size - incidence)");
  assert.deepEqual(json.fixef, ["(Intercept)", "period2", "period3", "period4"]);
  assert.deepEqual(json.groups, [{ name: "herd", levels: 15, sizes: { min: 1, median: 4, max: 4 }, nestedIn: [] }]);
});

test("egsingle: childid:schoolid is nested in schoolid", async () => {
  const r = await run("describe", data("egsingle.csv"), "math ~ year + (year | schoolid/childid)", "--json");
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(
    json.groups.map((g: { name: string; levels: number; nestedIn: string[] }) => [g.name, g.levels, g.nestedIn]),
    [
      ["childid:schoolid", 1721, ["schoolid"]],
      ["schoolid", 60, []],
    ],
  );
});

test("the Parquet copy of sleepstudy describes the same as the CSV", async () => {
  const csv = await run("describe", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--json");
  const pq = await run("describe", fileURLToPath(new URL("../../fixtures/io/sleepstudy.parquet", import.meta.url)), "Reaction ~ Days + (1 | Subject)", "--json");
  assert.equal(pq.code, 0, pq.err);
  assert.equal(pq.out, csv.out);
});

test("rows dropped for missing values are counted and warned about (stderr in text, messages in JSON)", async () => {
  await withTempDir(async (dir) => {
    const csv = writeFile(dir, "missing.csv", "y,x,g,unused\n1.2,1,a,NA\nNA,2,a,1\n2.5,,b,1\n3.1,4,b,1\n2.2,5,c,1\n1.9,6,c,1\n2.8,7,a,1\n");
    const formula = "y ~ x + (1 | g)";
    const text = await run("describe", csv, formula);
    const json = await run("describe", csv, formula, "--json");
    assert.equal(text.code, 0, text.err);
    const d = JSON.parse(json.out);
    assert.equal(d.nobs, 5);
    assert.equal(d.dropped, 2);
    assert.deepEqual(d.groups, [{ name: "g", levels: 3, sizes: { min: 1, median: 2, max: 2 }, nestedIn: [] }]);
    assert.equal(d.messages.length, 1);
    assert.match(d.messages[0].text, /2 .*rows/);
    assert.equal(d.messages[0].code, "rows-dropped");
    assert.match(text.out, /^Rows: +5 used, 2 dropped\n/);
    assert.equal(text.err, `mlm: warning: ${d.messages[0].text}\n`);
    assert.equal(json.err, "");
  });
});

// Every lme4 reference case: nobs, grouping factors with their number of levels, and fixed-effect
// names agree with lme4 (order of the parts of an interaction ignored, as compare.mjs does).
const casesDir = new URL("../../fixtures/cases/", import.meta.url);
const term = (t: string) => t.split(":").sort().join(":");
for (const file of readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort()) {
  test(`reference case ${file}: nobs, levels per grouping factor and fixef names match lme4`, async () => {
    const ref = JSON.parse(readFileSync(new URL(file, casesDir), "utf8"));
    const factors: string[] = (ref.factors ?? []).flatMap((f: string) => ["--factor", f]);
    const r = await run("describe", data(ref.data), ref.formula, ...factors, "--json");
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(r.out);
    assert.equal(d.nobs, ref.nobs);
    const ngroups = Object.fromEntries(d.groups.map((g: { name: string; levels: number }) => [g.name, g.levels]));
    assert.deepEqual(ngroups, ref.ngroups);
    assert.deepEqual(d.fixef.map(term).sort(), ref.fixef.map((f: { term: string }) => term(f.term)).sort());
  });
}
