// The nlme call parser: the strings R users paste, and one-sentence errors for the rest.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formText, parseCorrelation, parseVariance } from "../../src/residual/parse-structure.js";
import { MlmError } from "../../src/errors.js";

describe("parseCorrelation", () => {
  it("reads nlme's calls", () => {
    assert.deepEqual(parseCorrelation("corAR1(form = ~ Days | Subject)"), { structure: "corAR1", covariate: "Days", group: "Subject", p: 1, q: 0, value: undefined });
    assert.deepEqual(parseCorrelation("corARMA(form = ~ 1 | Mare, p = 1, q = 1)"), { structure: "corARMA", covariate: undefined, group: "Mare", p: 1, q: 1, value: undefined });
    assert.deepEqual(parseCorrelation("corCAR1(0.5, ~ Time | Rat)"), { structure: "corCAR1", covariate: "Time", group: "Rat", p: 1, q: 0, value: [0.5] });
    assert.deepEqual(parseCorrelation("corAR1()"), { structure: "corAR1", covariate: undefined, group: undefined, p: 1, q: 0, value: undefined });
    assert.equal(parseCorrelation("corSymm(form=~occasion|Subject)").covariate, "occasion");
    assert.deepEqual(parseCorrelation("corARMA(value = c(0.2, 0.1), form = ~ 1 | g, p = 2)").value, [0.2, 0.1]);
  });
  it("rejects what it cannot fit with one sentence", () => {
    for (const bad of ["corGaus(form = ~ x | g)", "corAR1(form = Days | Subject)", "corARMA(form = ~ 1 | g)", "corARMA(form = ~ 1 | g, p = 2, q = 2)", "corAR1(form = ~ t | a / b)", "corAR1", "corAR1(form = ~ t | g, fixed = TRUE)"]) {
      assert.throws(() => parseCorrelation(bad), (e: unknown) => e instanceof MlmError && !e.message.includes("\n"), bad);
    }
  });
});

describe("parseVariance", () => {
  it("reads nlme's calls", () => {
    assert.deepEqual(parseVariance("varIdent(form = ~ 1 | Sex)"), { structure: "varIdent", covariate: undefined, stratum: "Sex" });
    assert.deepEqual(parseVariance("varPower()"), { structure: "varPower", covariate: "fitted(.)", stratum: undefined });
    assert.deepEqual(parseVariance("varPower(form = ~ fitted(.))"), { structure: "varPower", covariate: "fitted(.)", stratum: undefined });
    assert.deepEqual(parseVariance("varConstPower(form = ~ pressure | QB)"), { structure: "varConstPower", covariate: "pressure", stratum: "QB" });
  });
  it("rejects what it cannot fit", () => {
    for (const bad of ["varFixed(~ x)", "varIdent(form = ~ x)", "varIdent()", "varExp(form = ~ 1 | g)"]) assert.throws(() => parseVariance(bad), MlmError, bad);
  });
  it("prints forms as nlme does", () => {
    assert.equal(formText("Days", "Subject"), "~ Days | Subject");
    assert.equal(formText(undefined, "Mare"), "~ 1 | Mare");
  });
});
