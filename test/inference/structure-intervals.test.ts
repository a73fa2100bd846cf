// Wald intervals of the structure parameters against nlme's intervals(fit, which = "var-cov") on
// every reference case nlme gave them for, and sigma's (intervals()$sigma): bounds within 1% of the interval's width (5% for
// varPower of the fitted values, whose information nlme takes at fitted values held fixed by a
// coarser finite difference). corSymm's intervals are on nlme's corNatural scale (one
// log((1 + ρ)/(1 − ρ)) per correlation), as nlme's apVar takes them.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { intervalsOf, ranefIntervals, sigmaInterval } from "../../src/inference/structure-intervals.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { loadNlmeCases, nlmeData } from "../helpers/nlme-reference.js";

const cases = loadNlmeCases().filter((c) => c.intervals && (c.intervals.corStruct || c.intervals.varStruct) && c.id !== "lme_bodyweight_slope_power");

describe("intervalsOf agrees with nlme's intervals()", () => {
  it("has cases, corSymm among them", () => {
    assert.ok(cases.length >= 20);
    assert.ok(cases.some((c) => c.correlation?.startsWith("corSymm")));
  });
  for (const c of cases) {
    it(c.id, async () => {
      const fit = c.nlme.fun === "gls" ? fitGls : fitLmmResidual;
      const m = fit(c.formula, await nlmeData(c), { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined });
      const ours = intervalsOf(m);
      const ref = [...(c.intervals?.corStruct ?? []), ...(c.intervals?.varStruct ?? [])];
      assert.equal(ours.length, ref.length);
      const tol = c.variance === "varPower()" ? 0.05 : 0.01;
      ref.forEach((r, i) => {
        const w = Math.abs(r.upper - r.lower);
        assert.ok(Math.abs(ours[i].lower - r.lower) <= tol * w, `${r.name} lower ${ours[i].lower} vs ${r.lower}`);
        assert.ok(Math.abs(ours[i].upper - r.upper) <= tol * w, `${r.name} upper ${ours[i].upper} vs ${r.upper}`);
        assert.ok(Math.abs(ours[i].estimate - r.est) <= 0.01 * Math.max(1, Math.abs(r.est)), `${r.name} estimate`);
      });
      const s = c.intervals?.sigma;
      if (s) {
        // on nlme's log scale; varPower() of the fitted values within 10% of the log-width
        // (nlme's apVar holds the fitted values at a coarser finite difference)
        const si = sigmaInterval(m);
        const w = Math.log(s.upper / s.lower);
        const tolSigma = c.variance === "varPower()" ? 0.1 : 0.01;
        assert.ok(Math.abs(Math.log(si.lower / s.lower)) <= tolSigma * w && Math.abs(Math.log(si.upper / s.upper)) <= tolSigma * w, `sigma ${si.lower}..${si.upper} vs ${s.lower}..${s.upper}`);
      }
    });
  }
});

// nlme's intervals(fit)$reStruct: sds on the log scale, correlations on log((1 + ρ)/(1 − ρ));
// bounds within 1% of the interval's width on that scale
const reCases = loadNlmeCases().filter((c) => c.intervals?.reStruct && c.variance !== "varPower()");

describe("ranefIntervals agrees with nlme's intervals()$reStruct", () => {
  it("has cases, a random slope among them", () => {
    assert.ok(reCases.length >= 6);
    assert.ok(reCases.some((c) => (c.intervals?.reStruct?.[0].rows.length ?? 0) === 3));
  });
  for (const c of reCases) {
    it(c.id, async () => {
      const m = fitLmmResidual(c.formula, await nlmeData(c), { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined });
      const ours = ranefIntervals(m);
      const ref = (c.intervals?.reStruct ?? []).flatMap((g) => g.rows.map((r) => ({ group: g.group, ...r })));
      assert.equal(ours.length, ref.length);
      ref.forEach((r, i) => {
        assert.equal(ours[i].name, r.name);
        assert.equal(ours[i].group, r.group);
        const scale = r.name.startsWith("sd(") ? Math.log : (x: number) => Math.log((1 + x) / (1 - x));
        const w = scale(r.upper) - scale(r.lower);
        // a correlation at the boundary has a bound of ±1 (infinite on the ψ scale): compare as is
        const close = (a: number, b: number): boolean => (Number.isFinite(w) ? Math.abs(scale(a) - scale(b)) <= 0.01 * w : Math.abs(a - b) <= 1e-6);
        assert.ok(close(ours[i].lower, r.lower), `${r.name} lower ${ours[i].lower} vs ${r.lower}`);
        assert.ok(close(ours[i].upper, r.upper), `${r.name} upper ${ours[i].upper} vs ${r.upper}`);
        assert.ok(Math.abs(ours[i].estimate - r.est) <= 0.01 * Math.max(0.1, Math.abs(r.est)), `${r.name} estimate ${ours[i].estimate} vs ${r.est}`);
      });
    });
  }
  it("gives no rows for gls", async () => {
    const c = loadNlmeCases().find((x) => x.id === "gls_sleepstudy_ar1");
    assert.ok(c);
    assert.deepEqual(ranefIntervals(fitGls(c.formula, await nlmeData(c), { correlation: c.correlation ?? undefined })), []);
  });
});
