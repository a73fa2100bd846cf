// The --compare-ols table: layout, the GLM heading, the Kish line and the note.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareOlsText } from "../../src/report/compare-ols-text.js";
import { compareOls } from "../../src/inference/compare-ols.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { data } from "../inference/fixture.js";

test("sleepstudy: the table of the TSDoc example (R: lm se 6.610, 1.238; vcovCL HC1 6.844, 1.550; lme4 se 6.825, 1.546)", async () => {
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", await data("sleepstudy.csv"));
  assert.equal(
    compareOlsText(compareOls(m)),
    [
      "Ignoring the grouping (OLS), robust standard errors clustered by Subject (18 clusters):",
      "             OLS est OLS se robust se MLM est MLM se design effect",
      " (Intercept)  251.41  6.610     6.844  251.41  6.825         1.066",
      " Days         10.467  1.238     1.550  10.467  1.546         1.559",
      "Ignoring the grouping by Subject understates the standard error of Days by a factor of 1.25 (design effect 1.56).",
    ].join("\n"),
  );
});

test("a GLM heading for non-gaussian families and a Kish line when there is one", () => {
  const c = {
    cluster: "herd",
    clusters: 15,
    rows: [{ term: "(Intercept)", olsEstimate: -1.269, olsSe: 0.1449, robustSe: 0.2928, mlmEstimate: -1.398, mlmSe: 0.2312, designEffect: 2.546 }],
    kishDeff: 3.5,
    note: "A note.",
  };
  const lines = compareOlsText(c, "glmm").split("\n");
  assert.equal(lines[0], "Ignoring the grouping (GLM), robust standard errors clustered by herd (15 clusters):");
  assert.match(lines[1], /^\s+GLM est GLM se robust se MLM est MLM se design effect$/);
  assert.equal(lines[2], " (Intercept) -1.2690 0.1449    0.2928 -1.3980 0.2312         2.546");
  assert.equal(lines[3], "Kish design effect 1 + (mean cluster size - 1) * ICC: 3.500");
  assert.equal(lines[4], "A note.");
  assert.equal(lines.length, 5);
});
