// `mlm means`: JSON columns as emmeans names them, values as emmeans computed them
// (test/fixtures/reporting/machines_factor_slope.json, from test/fixtures/generate/reporting.R).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, data, assertOneLineError } from "../helpers.js";
import { col, loadReporting } from "../../helpers/reporting.js";

test("mlm means --pairwise --json: Kenward-Roger means and Tukey contrasts of emmeans", async () => {
  const fx = loadReporting().find((f) => f.id === "machines_factor_slope")!;
  const ref = fx.emmeans!.find((c) => c.args.ddf === "kenward-roger")!;
  const r = await run("means", data("Machines.csv"), fx.case.formula, "--specs", "Machine", "--pairwise", "--ddf", "kenward-roger", "--json");
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { emmeans: Record<string, number | string>[]; contrasts: Record<string, number | string>[] };
  assert.deepEqual(Object.keys(out.emmeans[0]), ["Machine", "emmean", "SE", "df", "lower.CL", "upper.CL"]);
  assert.deepEqual(Object.keys(out.contrasts[0]), ["contrast", "estimate", "SE", "df", "t.ratio", "p.value"]);
  col<number>(ref.emmeans, "emmean").forEach((v, i) => assert.ok(Math.abs((out.emmeans[i].emmean as number) - v) < 1e-6 * Math.abs(v)));
  const tukey = ref.pairs!.find((p) => p.adjust === "tukey")!.table;
  col<number>(tukey, "p.value").forEach((v, i) => assert.ok(Math.abs((out.contrasts[i]["p.value"] as number) - v) < 1e-2 * v));
  const text = await run("means", data("Machines.csv"), fx.case.formula, "--specs", "Machine", "--pairwise");
  assert.match(text.out, /contrast +estimate +SE +df +t\.ratio +p\.value/);
  assert.match(text.out, /P value adjustment: tukey method for comparing a family of 3 estimates/);
});

test("mlm means: a --specs name that is not a factor is one plain sentence", async () => {
  const r = await run("means", data("Machines.csv"), "score ~ Machine + (Machine | Worker)", "--specs", "Worker");
  assertOneLineError(r, /--specs 'Worker' is not a factor of the model's fixed effects \(its factors: Machine\)/);
});
