// mlm compare: lme4-like anova table with boundary p-values, JSON against lme4's anova, errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertOneLineError, data, run } from "../helpers.js";
import { compareText } from "../../../src/cli/commands/compare.js";

const sleep = data("sleepstudy.csv");
const f0 = "Reaction ~ Days + (1 | Subject)";
const f1 = "Reaction ~ Days + (Days | Subject)";

test("text: the anova table sorted by npar, labelled by command-line position, with the boundary p-value", async () => {
  const r = await run("compare", sleep, f1, f0);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split("\n");
  assert.equal(lines[0], `Data: ${sleep}`);
  assert.deepEqual(lines.slice(1, 4), ["Models:", `m1: ${f0}`, `m0: ${f1}`]);
  assert.match(lines[4], /^\s+npar\s+AIC\s+BIC\s+logLik\s+deviance\s+Chisq\s+Df\s+Pr\(>Chisq\)$/);
  // lme4: m0 4 1802.1 1814.8 -897.04 1794.1; m1 6 1763.9 1783.1 -875.97 1751.9 42.139 2 7.072e-10 ***
  assert.match(lines[5], /^m1\s+4\s+1802\.1\s+1814\.9\s+-897\.04\s+1794\.1$/);
  assert.match(lines[6], /^m0\s+6\s+1763\.9\s+1783\.1\s+-875\.97\s+1751\.9\s+42\.139\s+2\s+7\.07e-10\s+\*\*\*$/);
  assert.match(r.out, /m0 vs m1: boundary p = 3\.96e-10 from ½χ²₁ \+ ½χ²₂ \(ordinary p = 7\.07e-10\)\./);
  assert.match(r.out, /conservative/);
  assert.equal(r.err, "");
});

test("--json: models and tests as lme4's anova (Penicillin), pBoundary = p / 2", async () => {
  const r = await run("compare", data("Penicillin.csv"), "diameter ~ 1 + (1 | plate)", "diameter ~ 1 + (1 | plate) + (1 | sample)", "--json");
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as { models: { npar: number; logLik: number }[]; tests: { chisq: number; df: number; p: number; pBoundary: number | null; note: string | null }[] };
  assert.deepEqual(json.models.map((m) => m.npar), [3, 4]);
  // lme4: Chisq 279.4412, Df 1, Pr(>Chisq) 9.93957e-63
  assert.ok(Math.abs(json.tests[0].chisq - 279.441204469876) < 0.01);
  assert.equal(json.tests[0].df, 1);
  assert.ok(Math.abs(json.tests[0].p - 9.93957446655945e-63) < 0.01 * 9.93957446655945e-63);
  assert.ok(Math.abs(json.tests[0].pBoundary! - json.tests[0].p / 2) < 1e-70);
  assert.match(json.tests[0].note!, /boundary/);
});

test("--json: pBoundary and note are null when the fixed effects differ; GLMM families", async () => {
  const r = await run("compare", data("cbpp.csv"), "cbind(incidence, size - incidence) ~ 1 + (1 | herd)", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--family", "binomial", "--factor", "period", "--json");
  assert.equal(r.code, 0, r.err);
  const t = (JSON.parse(r.out) as { tests: { chisq: number; df: number; pBoundary: null; note: null }[] }).tests[0];
  // lme4: Chisq 25.6099, Df 3
  assert.ok(Math.abs(t.chisq - 25.6099375991296) < 0.01);
  assert.equal(t.df, 3);
  assert.equal(t.pBoundary, null);
  assert.equal(t.note, null);
});

test("errors: one formula, different responses", async () => {
  assertOneLineError(await run("compare", sleep, f0), /at least two formulas/);
  assertOneLineError(await run("compare", sleep, f0, "log(Reaction) ~ Days + (1 | Subject)"), /different responses or rows/);
});

test("compareText shows 'no boundary p-value' with the note when the mixture is unknown", () => {
  const text = compareText(
    {
      models: [
        { formula: "a", npar: 3, AIC: 10, BIC: 11, logLik: -2, deviance: 4 },
        { formula: "b", npar: 6, AIC: 9, BIC: 12, logLik: -0.5, deviance: 1 },
      ],
      tests: [{ chisq: 3, df: 3, p: 0.3916, note: "The mixture is unknown." }],
    },
    ["m0", "m1"],
    "d.csv",
  );
  assert.match(text, /m1 vs m0: no boundary p-value\.\n {2}The mixture is unknown\./);
});
