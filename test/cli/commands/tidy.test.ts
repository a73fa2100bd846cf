// `mlm tidy`, `mlm glance`, `mlm augment`: CSV and JSON with broom.mixed's columns and values
// (test/fixtures/reporting/sleepstudy_reml.json, from test/fixtures/generate/reporting.R).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, data, assertOneLineError } from "../helpers.js";
import { col, loadReporting } from "../../helpers/reporting.js";
import { toCsv } from "../../../src/cli/commands/tidy.js";

const fx = loadReporting().find((f) => f.id === "sleepstudy_reml")!;
const formula = fx.case.formula;

test("mlm tidy --conf-int: CSV with broom.mixed's header and estimates", async () => {
  const r = await run("tidy", data("sleepstudy.csv"), formula, "--conf-int");
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines[0], "effect,group,term,estimate,std.error,statistic,df,p.value,conf.low,conf.high");
  assert.equal(lines.length, 1 + 2 + 4);
  const days = lines[2].split(",");
  assert.equal(days[2], "Days");
  assert.ok(Math.abs(Number(days[3]) - col<number>(fx.tidy!.fixed, "estimate")[1]) < 1e-6);
  assert.ok(Math.abs(Number(days[8]) - col<number>(fx.tidy!.fixed, "conf.low")[1]) < 1e-4);
  assert.match(lines[6], /^ran_pars,Residual,sd__Observation,25\.59/);
});

test("mlm tidy --effects ran_vals --json and mlm glance --json", async () => {
  const r = await run("tidy", data("sleepstudy.csv"), formula, "--effects", "ran_vals", "--json");
  const rows = JSON.parse(r.out) as { level: string; term: string; estimate: number }[];
  assert.equal(rows.length, 36);
  assert.ok(Math.abs(rows[0].estimate - col<number>(fx.tidy!.ran_vals, "estimate")[0]) < 1e-4);
  const g = JSON.parse((await run("glance", data("sleepstudy.csv"), formula, "--json")).out) as Record<string, number>;
  assert.deepEqual(Object.keys(g), Object.keys(fx.glance!));
  assert.ok(Math.abs(g.REMLcrit - col<number>(fx.glance!, "REMLcrit")[0]) < 1e-6);
});

test("mlm augment: one CSV row per observation with .hat and .cooksd", async () => {
  const r = await run("augment", data("sleepstudy.csv"), formula);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines[0], ".fitted,.resid,.fixed,.mu,.hat,.cooksd");
  assert.equal(lines.length, 181);
  assert.ok(Math.abs(Number(lines[1].split(",")[4]) - col<number>(fx.augment!, ".hat")[0]) < 1e-6);
});

test("mlm tidy: an unknown --effects name is one plain sentence", async () => {
  assertOneLineError(await run("tidy", data("sleepstudy.csv"), formula, "--effects", "random"), /--effects takes fixed, ran_pars, ran_vals and ran_coefs, not 'random'/);
});

test("toCsv quotes text with commas and writes NA for missing", () => {
  assert.equal(toCsv(["a", "b"], [{ a: "x,y", b: null }, { a: 'q"', b: 1.5 }]), 'a,b\n"x,y",NA\n"q""",1.5\n');
});
