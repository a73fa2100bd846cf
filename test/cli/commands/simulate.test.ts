// mlm simulate: reproducible JSON for a seed, text layout, and argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertOneLineError, data, run } from "../helpers.js";

const args = [data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)"];

test("--json: nsim vectors of nobs responses, the same for the same seed", async () => {
  const a = await run("simulate", ...args, "--nsim", "3", "--seed", "42", "--json");
  assert.equal(a.code, 0, a.err);
  const json = JSON.parse(a.out) as { nsim: number; seed: number; rows: number[]; simulations: number[][] };
  assert.equal(json.nsim, 3);
  assert.equal(json.seed, 42);
  assert.deepEqual(json.rows.slice(0, 3), [1, 2, 3]);
  assert.equal(json.simulations.length, 3);
  assert.equal(json.simulations[0].length, 180);
  const b = await run("simulate", ...args, "--nsim", "3", "--seed", "42", "--json");
  assert.equal(b.out, a.out);
});

test("cbpp binomial: counts of successes in a text table, one column per simulation", async () => {
  const r = await run("simulate", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--family", "binomial", "--factor", "period", "--nsim", "2", "--seed", "1");
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.match(lines[0], /^row\s+sim_1\s+sim_2$/);
  assert.equal(lines.length, 57);
  for (const line of lines.slice(1)) assert.match(line, /^\d+\s+\d+\s+\d+$/);
  assert.equal(r.err, "mlm: note: seed 1\n");
});

test("errors: --nsim and --seed must be whole numbers", async () => {
  assertOneLineError(await run("simulate", ...args, "--nsim", "0"), /--nsim takes a whole number of at least 1, not '0'/);
  assertOneLineError(await run("simulate", ...args, "--seed", "abc"), /--seed takes a whole number, not 'abc'/);
});

test("a simulation too large to print is refused with a clear message (issue: --nsim 1e8 grew to 19 GB)", async () => {
  const r = await run("simulate", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "--nsim", "100000000");
  assertOneLineError(r, /100000000 simulations of 180 rows are 18000000000 values, more than the 10000000 that fit at once/);
});
