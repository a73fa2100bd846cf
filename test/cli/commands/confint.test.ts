// mlm confint: profile intervals against lme4, Wald and bootstrap JSON, R's headings, errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { assertOneLineError, data, run } from "../helpers.js";
import { confintTable, optionNumber, percentLabels } from "../../../src/cli/commands/confint.js";
import { MlmError } from "../../../src/errors.js";

const dye = [data("Dyestuff.csv"), "Yield ~ 1 + (1 | Batch)"];

test("text: profile intervals with R's headings (lme4: 12.1985 84.0630; 38.2300 67.6577; 1486.451 1568.548)", async () => {
  const r = await run("confint", ...dye);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.equal(lines[0], "Profile-likelihood confidence intervals, level 0.95:");
  assert.match(lines[1], /^\s+2\.5 %\s+97\.5 %$/);
  assert.match(lines[2], /^sd_\(Intercept\)\|Batch\s+12\.19\d+\s+84\.06\d+$/);
  assert.match(lines[3], /^sigma\s+38\.23\d+\s+67\.65\d+$/);
  assert.match(lines[4], /^\(Intercept\)\s+1486\.4\d\s+1568\.5\d$/);
});

test("--json: Wald intervals with null for variance parameters", async () => {
  const r = await run("confint", ...dye, "--method", "wald", "--json");
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { name: string; lower: number | null; upper: number | null }[];
  assert.deepEqual(rows.map((x) => x.name), ["sd_(Intercept)|Batch", "sigma", "(Intercept)"]);
  assert.equal(rows[0].lower, null);
  // lme4: confint(fit, method = "Wald")["(Intercept)", ] = 1489.509 1565.491
  assert.ok(Math.abs(rows[2].lower! - 1489.5092106929) < 0.05 && Math.abs(rows[2].upper! - 1565.4907893071) < 0.05);
});

test("--json: bootstrap intervals are reproducible for a seed, nothing on stderr when it is not a terminal", async () => {
  const args = ["confint", ...dye, "--method", "bootstrap", "--nsim", "40", "--seed", "3", "--level", "0.9", "--json"];
  const a = await run(...args);
  assert.equal(a.code, 0, a.err);
  assert.equal(a.err, "");
  const b = await run(...args);
  assert.equal(b.out, a.out);
  const rows = JSON.parse(a.out) as { name: string; lower: number; upper: number }[];
  assert.ok(rows.every((x) => x.lower < x.upper));
  const text = await run("confint", ...dye, "--method", "bootstrap", "--nsim", "40", "--seed", "3", "--level", "0.9");
  assert.match(text.out, /^Parametric-bootstrap percentile confidence intervals \(40 simulations, seed 3\), level 0\.9:\n\s+5 %\s+95 %\n/);
});

test("errors: bad level, nsim and method", async () => {
  assertOneLineError(await run("confint", ...dye, "--level", "95"), /confidence level must lie strictly between 0 and 1/);
  assertOneLineError(await run("confint", ...dye, "--nsim", "0", "--method", "bootstrap"), /--nsim takes a whole number of at least 1, not '0'/);
  assertOneLineError(await run("confint", ...dye, "--level", "x"), /--level takes a number, not 'x'/);
  const bad = await run("confint", ...dye, "--method", "exact");
  assert.equal(bad.code, 2);
  assert.match(bad.err, /exact/);
});

test("helpers: percent headings, table with NA, option numbers", () => {
  assert.deepEqual(percentLabels(0.95), ["2.5 %", "97.5 %"]);
  assert.deepEqual(percentLabels(0.9), ["5 %", "95 %"]);
  assert.deepEqual(percentLabels(0.99), ["0.5 %", "99.5 %"]);
  assert.deepEqual(confintTable([{ name: "sigma", lower: null, upper: null }, { name: "Days", lower: 7.358652, upper: 13.57592 }], 0.95), [
    "        2.5 %  97.5 %",
    "sigma      NA      NA",
    "Days  7.35865 13.5759",
  ]);
  assert.equal(optionNumber("7", "--seed", true, -Infinity), 7);
  assert.throws(() => optionNumber("7.5", "--seed", true, -Infinity), MlmError);
});

test("a Gamma GLMM: profile intervals of the sd, σ and the fixed effects as glmmTMB's (test/fixtures/glmmtmb-inference/profile_gamma_sim_log.json), Wald interval of σ", async () => {
  const ref = JSON.parse(readFileSync(new URL("../../fixtures/glmmtmb-inference/profile_gamma_sim_log.json", import.meta.url), "utf8")) as { rows: { name: string; lower: number; upper: number }[] };
  const args = ["confint", data("gamma_sim.csv"), "y ~ x + (1 | g)", "--family", "Gamma", "--link", "log", "--json"];
  const r = await run(...args);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { name: string; lower: number; upper: number }[];
  assert.deepEqual(rows.map((x) => x.name), ["sd_(Intercept)|g", "sigma", "(Intercept)", "x"]);
  for (const row of rows) {
    const R = ref.rows.find((x) => x.name === row.name)!;
    const width = R.upper - R.lower;
    assert.ok(Math.abs(row.lower - R.lower) <= 0.01 * width && Math.abs(row.upper - R.upper) <= 0.01 * width, `${row.name}: [${row.lower}, ${row.upper}] vs glmmTMB [${R.lower}, ${R.upper}]`);
  }
  const w = JSON.parse((await run(...args, "--method", "wald")).out) as { name: string; lower: number | null; upper: number | null }[];
  const s = w.find((x) => x.name === "sigma")!;
  const p = rows.find((x) => x.name === "sigma")!;
  // exp(log σ̂ ± 1.96 se(log σ̂)) lies close to the profile interval for this well-determined σ
  assert.ok(Math.abs(s.lower! - p.lower) < 0.1 * (p.upper - p.lower) && Math.abs(s.upper! - p.upper) < 0.1 * (p.upper - p.lower), `${s.lower} ${s.upper}`);
});
