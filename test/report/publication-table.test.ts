// The publication table: every number in it is the model's own (coefTable, VarCorr, ngroups,
// Nakagawa R² as performance computed it in test/fixtures/reporting), in all three formats.
import { test } from "node:test";
import assert from "node:assert/strict";
import { publicationTable } from "../../src/report/publication-table.js";
import { coefTable } from "../../src/inference/coef-table.js";
import { fitReporting, loadReporting } from "../helpers/reporting.js";

const fixtures = loadReporting();
const get = (id: string) => fixtures.find((f) => f.id === id)!;

/** The cells of the Markdown row that starts with `label`. */
function row(md: string, label: string): string[] {
  const line = md.split("\n").find((l) => l.startsWith(`| ${label} |`));
  assert.ok(line, `row ${label} missing`);
  return line.split("|").slice(1, -1).map((c) => c.trim());
}

test("two linear models side by side: estimates, CIs, p, variance components, R² and AIC", async () => {
  const a = get("sleepstudy_intercept");
  const b = get("sleepstudy_reml");
  const ma = (await fitReporting(a.case)).m;
  const mb = (await fitReporting(b.case)).m;
  const md = publicationTable([ma, mb]);
  const ca = coefTable(ma).rows;
  const cb = coefTable(mb).rows;
  const days = row(md, "Days");
  assert.deepEqual(days, ["Days", ca[1].estimate.toFixed(2), `${ca[1].lower.toFixed(2)} – ${ca[1].upper.toFixed(2)}`, "<0.001", cb[1].estimate.toFixed(2), `${cb[1].lower.toFixed(2)} – ${cb[1].upper.toFixed(2)}`, "<0.001"]);
  assert.equal(row(md, "σ²")[1], (ma.sigma ** 2).toFixed(2));
  assert.equal(row(md, "τ00 Subject")[4], mb.varcorr[0].vcov.toFixed(2));
  assert.equal(row(md, "τ11 Subject.Days")[4], mb.varcorr[1].vcov.toFixed(2));
  assert.equal(row(md, "ρ01 Subject")[4], mb.varcorr[2].sdcor.toFixed(2));
  // the R² and ICC rows hold performance's values
  assert.equal(row(md, "Marginal R² / Conditional R²")[1], `${a.r2!.marginal.toFixed(3)} / ${a.r2!.conditional!.toFixed(3)}`);
  assert.equal(row(md, "Marginal R² / Conditional R²")[4], `${b.r2!.marginal.toFixed(3)} / ${b.r2!.conditional!.toFixed(3)}`);
  assert.equal(row(md, "ICC")[4], b.icc!.adjusted.toFixed(2));
  assert.equal(row(md, "N Subject")[1], "18");
  assert.equal(row(md, "Observations")[4], "180");
  assert.equal(row(md, "AIC")[4], mb.AIC.toFixed(3));
  assert.match(md, /p-values and 95% CIs: Satterthwaite's df for linear models\./);
  for (const format of ["html", "latex"] as const) {
    const t = publicationTable([ma, mb], { format });
    for (const v of [cb[1].estimate.toFixed(2), mb.varcorr[0].vcov.toFixed(2), mb.AIC.toFixed(3), b.r2!.conditional!.toFixed(3)]) assert.ok(t.includes(v), `${format} holds ${v}`);
  }
  assert.match(publicationTable([mb], { format: "html" }), /^<table>[\s\S]*<th colspan="3">Reaction<\/th>[\s\S]*<\/table>$/);
  assert.match(publicationTable([mb], { format: "latex" }), /^\\begin\{tabular\}[\s\S]*\$\\tau_\{00\}\$ Subject & \\multicolumn\{3\}\{c\}\{612\.09\}[\s\S]*\\end\{tabular\}$/);
});

test("a logistic GLMM: odds ratios with exponentiated intervals, σ² = π²/3", async () => {
  const c = get("cbpp_binomial");
  const m = (await fitReporting(c.case)).m;
  const md = publicationTable([m]);
  const ct = coefTable(m).rows;
  assert.deepEqual(row(md, "Predictors").slice(1), ["Odds Ratios", "CI", "p"]);
  assert.deepEqual(row(md, "period2").slice(1), [Math.exp(ct[1].estimate).toFixed(2), `${Math.exp(ct[1].lower).toFixed(2)} – ${Math.exp(ct[1].upper).toFixed(2)}`, ct[1].p.toFixed(3)]);
  assert.equal(row(md, "σ²")[1], ((Math.PI * Math.PI) / 3).toFixed(2));
  assert.equal(row(md, "ICC")[1], c.icc!.adjusted.toFixed(2));
  assert.match(md, /Wald z for generalized models/);
});
