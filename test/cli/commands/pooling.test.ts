// mlm pooling: JSON against R's lm()/coef() (test/fixtures/predict/predict-pooling.json), text
// tables, and refusing models with several grouping factors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { assertOneLineError, data, run } from "../helpers.js";

const ref = (JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/predict/predict-pooling.json", import.meta.url)), "utf8")) as {
  pooling: { complete: number[]; groups: { level: string; n: number; none: number[] }[] };
}).pooling;

test("--json: complete and no-pooling estimates are R's lm() within 1e-6", async () => {
  const r = await run("pooling", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--json");
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as { group: string; coefficients: string[]; complete: number[]; groups: { level: string; n: number; none: number[]; partial: number[] }[] };
  assert.equal(json.group, "Subject");
  assert.deepEqual(json.coefficients, ["(Intercept)", "Days"]);
  json.complete.forEach((v, j) => assert.ok(Math.abs(v - ref.complete[j]) < 1e-6 * Math.abs(ref.complete[j])));
  for (const g of ref.groups) {
    const ours = json.groups.find((x) => x.level === g.level);
    assert.equal(ours?.n, g.n);
    ours?.none.forEach((v, j) => assert.ok(Math.abs(v - g.none[j]) < 1e-6 * Math.abs(g.none[j])));
  }
});

test("text: one table per coefficient with n, complete, none and partial per group", async () => {
  const r = await run("pooling", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  const lines = r.out.split("\n");
  assert.match(lines[0], /^Pooling by Subject \(18 groups\)/);
  const days = lines.indexOf("Days");
  assert.ok(days > 0);
  assert.match(lines[days + 1], /^ {2}Subject\s+n\s+complete\s+none\s+partial$/);
  assert.match(lines[days + 2], /^ {2}308\s+10\s+10\.467\s+21\.765\s+19\.666$/);
});

test("errors: several grouping factors, or options for GLMMs", async () => {
  assertOneLineError(await run("pooling", data("Penicillin.csv"), "diameter ~ 1 + (1 | plate) + (1 | sample)"), /^mlm: Pooling compares estimates .* 2 grouping factors/);
  assertOneLineError(await run("pooling", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--family", "binomial"), /family/);
});
