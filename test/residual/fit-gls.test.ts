// fitGls against nlme::gls: every gls case in test/fixtures/nlme (test/fixtures/generate/nlme.R),
// e.g. gls(follicles ~ sin1 + cos1, Ovary, correlation = corAR1(form = ~ 1 | Mare)).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitGls } from "../../src/residual/fit-gls.js";
import { MlmError } from "../../src/errors.js";
import { assertAgreesNlme, loadNlmeCases, nlmeData } from "../helpers/nlme-reference.js";

const cases = loadNlmeCases().filter((c) => c.nlme.fun === "gls");

describe("fitGls agrees with nlme::gls", () => {
  it("has gls reference cases", () => assert.ok(cases.length >= 15));
  for (const c of cases) {
    it(`${c.id}: ${c.formula}, ${[c.correlation, c.variance].filter(Boolean).join(", ")} (${c.method})`, async () => {
      const m = fitGls(c.formula, await nlmeData(c), { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined });
      assertAgreesNlme(m, c);
    });
  }
});

describe("fitGls", () => {
  const x = Array.from({ length: 24 }, (_, i) => i % 6);
  const g = Array.from({ length: 24 }, (_, i) => `s${Math.floor(i / 6)}`);
  const y = x.map((v, i) => 1 + 0.5 * v + Math.sin(i * 1.7));
  it("without a structure is ordinary least squares", () => {
    const m = fitGls("y ~ x", { y, x });
    // OLS slope by hand
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    x.forEach((v, i) => {
      sxy += (v - mx) * (y[i] - my);
      sxx += (v - mx) ** 2;
    });
    assert.ok(Math.abs(m.beta[1] - sxy / sxx) < 1e-10);
    assert.equal(m.npar, 3);
  });
  it("rejects random-effects terms", () => {
    assert.throws(() => fitGls("y ~ x + (1 | g)", { y, x, g }), MlmError);
  });
  it("rejects repeated positions within a group", () => {
    const t = x.map((v) => Math.min(v, 4));
    assert.throws(() => fitGls("y ~ x", { y, x, g, t }, { correlation: "corAR1(form = ~ t | g)" }), /twice within one group/);
  });
  it("rejects non-integer positions for corAR1 and corSymm", () => {
    const t = x.map((v) => v + 0.5 * (v % 2));
    assert.throws(() => fitGls("y ~ x", { y, x, g, t }, { correlation: "corAR1(form = ~ t | g)" }), /whole-number positions/);
    assert.throws(() => fitGls("y ~ x", { y, x, g, t }, { correlation: "corSymm(form = ~ t | g)" }), /whole-number positions/);
  });
  it("rejects a varPower covariate with zeros", () => {
    assert.throws(() => fitGls("y ~ x", { y, x }, { variance: "varPower(form = ~ x)" }), /is 0 in some rows/);
  });
  it("rejects varIdent with one stratum", () => {
    const s = x.map(() => "a");
    assert.throws(() => fitGls("y ~ x", { y, x, s }, { variance: "varIdent(form = ~ 1 | s)" }), /at least two strata/);
  });
  it("rejects unknown columns in a structure", () => {
    assert.throws(() => fitGls("y ~ x", { y, x, g }, { correlation: "corAR1(form = ~ 1 | h)" }), /not in the data/);
  });
});
