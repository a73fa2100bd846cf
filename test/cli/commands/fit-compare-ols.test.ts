// mlm fit --compare-ols / --cluster: the table after the summary, the JSON field, and the errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { assertOneLineError, data, run } from "../helpers.js";

const pastes = [data("Pastes.csv"), "strength ~ 1 + (1 | batch/cask)"];

test("text: the comparison follows the summary, clustered on batch (R: lm se 0.41804, vcovCL HC1 0.67687 on batch)", async () => {
  const r = await run("fit", ...pastes, "--compare-ols");
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split("\n");
  const at = lines.indexOf("Ignoring the grouping (OLS), robust standard errors clustered by batch (10 clusters):");
  assert.ok(at > 0, r.out);
  assert.equal(lines[at - 1], "");
  assert.match(lines[at - 2], /^\(Intercept\)\s+60\.053/);
  assert.match(lines[at + 2], /^ \(Intercept\)\s+60\.053\s+0\.4180\s+0\.6769\s+60\.053\s+0\.6769\s+2\.622$/);
  assert.equal(lines[at + 3], "Ignoring the grouping by batch understates the standard error of (Intercept) by a factor of 1.62 (design effect 2.62).");
  assert.equal(lines.length, at + 4);
});

test("--json with --cluster: compareOls beside the fit, clustered on cask:batch (R: vcovCL HC1 se 0.586392)", async () => {
  const r = await run("fit", ...pastes, "--compare-ols", "--cluster", "cask:batch", "--json");
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { fixef: unknown[]; compareOls: { cluster: string; clusters: number; rows: { term: string; olsSe: number; robustSe: number }[]; note: string } };
  assert.ok(Array.isArray(out.fixef));
  assert.equal(out.compareOls.cluster, "cask:batch");
  assert.equal(out.compareOls.clusters, 30);
  assert.equal(out.compareOls.rows[0].term, "(Intercept)");
  assert.ok(Math.abs(out.compareOls.rows[0].olsSe - 0.41804269959148) < 1e-9);
  assert.ok(Math.abs(out.compareOls.rows[0].robustSe - 0.586392307842896) < 1e-9, String(out.compareOls.rows[0].robustSe));
});

test("a GLMM compares with the binomial GLM (R: glm se 0.144920 for (Intercept))", async () => {
  const r = await run("fit", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--family", "binomial", "--factor", "period", "--compare-ols");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\nIgnoring the grouping \(GLM\), robust standard errors clustered by herd \(15 clusters\):\n/);
  assert.match(r.out, /\n \(Intercept\)\s+-1\.2690\s+0\.1449\s+0\.2928\s+-1\.3983\s+0\.2312\s+2\.545\n/);
});

test("without --compare-ols the output has no comparison", async () => {
  const r = await run("fit", ...pastes, "--json");
  assert.equal(r.code, 0, r.err);
  assert.equal("compareOls" in (JSON.parse(r.out) as object), false);
});

test("errors: an unknown cluster, and --cluster alone", async () => {
  assertOneLineError(await run("fit", ...pastes, "--compare-ols", "--cluster", "cask"), /^mlm: 'cask' is not a grouping factor of the model; cluster on cask:batch or batch\.\n$/);
  assertOneLineError(await run("fit", ...pastes, "--cluster", "batch"), /--cluster applies with --compare-ols only/);
});

test("a Gamma GLMM: the single-level glm(family = Gamma) beside it (R: test/fixtures/glmmtmb-inference/glm_gamma_sim_log.json)", async () => {
  const ref = JSON.parse(readFileSync(new URL("../../fixtures/glmmtmb-inference/glm_gamma_sim_log.json", import.meta.url), "utf8")) as { coef: { term: string; estimate: number; se: number; robust_se: number }[] };
  const r = await run("fit", data("gamma_sim.csv"), "y ~ x + (1 | g)", "--family", "Gamma", "--compare-ols", "--json");
  assert.equal(r.code, 0, r.err);
  const rows = (JSON.parse(r.out) as { compareOls: { rows: { term: string; olsEstimate: number; olsSe: number; robustSe: number }[] } }).compareOls.rows;
  assert.deepEqual(rows.map((x) => x.term), ref.coef.map((c) => c.term));
  rows.forEach((row, j) => {
    const c = ref.coef[j];
    assert.ok(Math.abs(row.olsEstimate - c.estimate) < 1e-6 * c.se && Math.abs(row.olsSe / c.se - 1) < 1e-6 && Math.abs(row.robustSe / c.robust_se - 1) < 1e-6, `${row.term}: ${JSON.stringify(row)} vs ${JSON.stringify(c)}`);
  });
});
