// Profile-likelihood intervals against lme4's confint(fit, method = "profile", oldNames = FALSE)
// (test/fixtures/inference/confint-lrt.json): every limit within 1% of the interval's width.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkLevel, profileConfint } from "../../src/inference/profile.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import { MlmError } from "../../src/errors.js";
import { data, fitRef, reference } from "./fixture.js";
import { tmbFit, tmbInference } from "../helpers/glmmtmb.js";

describe("profileConfint agrees with lme4", () => {
  for (const c of reference.confint) {
    it(`${c.id} (level ${c.level}): ${c.formula}`, async () => {
      const m = await fitRef(c);
      const rows = profileConfint(m, { level: c.level });
      assert.deepEqual(rows.map((r) => r.name), c.profile.map((r) => r.name));
      rows.forEach((r, i) => {
        const R = c.profile[i];
        // lme4's profile of sigma fails on the singular Dyestuff2 fit (0 and NA): ours is checked below
        if (R.lower === null || R.upper === null || (c.id === "dyestuff2_singular" && r.name === "sigma")) return;
        const width = R.upper - R.lower;
        assert.ok(Math.abs(r.lower! - R.lower) <= 0.01 * width, `${r.name} lower ${r.lower} vs ${R.lower}`);
        assert.ok(Math.abs(r.upper! - R.upper) <= 0.01 * width, `${r.name} upper ${r.upper} vs ${R.upper}`);
      });
    });
  }

  it("profiles REML fits on the ML deviance, as lme4 does (same intervals as the ML fit)", async () => {
    const c = reference.confint.find((x) => x.id === "sleepstudy_reml")!;
    const reml = profileConfint(await fitRef(c));
    const ml = profileConfint(await fitRef({ ...c, reml: false }));
    reml.forEach((r, i) => {
      assert.ok(Math.abs(r.lower! - ml[i].lower!) < 1e-4 * (ml[i].upper! - ml[i].lower!));
      assert.ok(Math.abs(r.upper! - ml[i].upper!) < 1e-4 * (ml[i].upper! - ml[i].lower!));
    });
  });

  it("reports 0 for the lower limit of a standard deviation estimated as zero, and a finite sigma interval", async () => {
    const c = reference.confint.find((x) => x.id === "dyestuff2_singular")!;
    const rows = profileConfint(await fitRef(c));
    assert.equal(rows[0].lower, 0);
    const sigma = rows[1];
    // the ML estimate of sigma is 3.7165; its interval must contain it and be finite
    assert.ok(sigma.lower! > 2.5 && sigma.lower! < 3.7165 && sigma.upper! > 3.7165 && sigma.upper! < 5.5, JSON.stringify(sigma));
  });
});

describe("profileConfint input checks", () => {
  it("rejects a level outside (0, 1)", () => {
    assert.throws(() => checkLevel(1), MlmError);
    assert.throws(() => checkLevel(0), MlmError);
    assert.equal(checkLevel(0.9), 0.9);
  });

  it("refuses GLMMs fitted with nAGQ = 0", async () => {
    const t = await data("cbpp.csv", ["period"]);
    const m = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd)", t, { family: "binomial", nAGQ: 0 });
    assert.throws(() => profileConfint(m), /nAGQ = 0/);
  });

  it("reports progress once per parameter", async () => {
    const c = reference.confint.find((x) => x.id === "dyestuff")!;
    const calls: [number, number][] = [];
    profileConfint(await fitRef(c), { onProgress: (d, t) => calls.push([d, t]) });
    assert.deepEqual(calls, [[1, 3], [2, 3], [3, 3]]);
  });
});

// Families with a dispersion parameter against glmmTMB 1.1.5's confint(fit, method = "profile",
// full = TRUE) (test/fixtures/glmmtmb-inference/profile_*.json, glmmtmb-inference.R). glmmTMB
// profiles log sd and the dispersion on its log scale (log θ for nbinom2, log shape for Gamma); the
// fixture holds them transformed back to sd and sigma() (θ, 1/√shape), the scale mlm reports.
// Every limit within 1% of the interval's width (the tolerance of the lme4 profiles above).
describe("profileConfint of nbinom2 and Gamma GLMMs agrees with glmmTMB", () => {
  interface RefProfile {
    case: string;
    data: string;
    formula: string;
    family: string;
    link: string;
    rows: { name: string; lower: number; upper: number }[];
  }
  // the parameters profiled in the test (all on the smaller models; a few on the larger, for time)
  const cases: [string, string[] | undefined][] = [
    ["gamma_sim_log", undefined],
    ["salamanders_nb2", ["sd_(Intercept)|site", "sigma", "minedyes"]],
    ["epil_nb2", ["sigma"]],
  ];
  for (const [id, parm] of cases) {
    const ref = tmbInference<RefProfile>(`profile_${id}`);
    it(`${id}: ${ref.formula} (${ref.family}), ${parm ? parm.join(", ") : "every parameter"}`, async () => {
      const m = await tmbFit(ref);
      const rows = profileConfint(m, parm ? { parm } : {});
      const want = parm ?? ref.rows.map((r) => r.name);
      assert.deepEqual([...rows.map((r) => r.name)].sort(), [...want].sort());
      if (!parm) assert.deepEqual(rows.map((r) => r.name).slice(0, 2), [ref.rows.find((r) => r.name.startsWith("sd_"))!.name, "sigma"]);
      for (const r of rows) {
        const R = ref.rows.find((x) => x.name === r.name)!;
        const width = R.upper - R.lower;
        assert.ok(Math.abs(r.lower! - R.lower) <= 0.01 * width, `${r.name} lower ${r.lower} vs glmmTMB ${R.lower}`);
        assert.ok(Math.abs(r.upper! - R.upper) <= 0.01 * width, `${r.name} upper ${r.upper} vs glmmTMB ${R.upper}`);
      }
    });
  }
  it("names an unknown parameter", async () => {
    const m = await tmbFit(tmbInference<RefProfile>("profile_gamma_sim_log"));
    assert.throws(() => profileConfint(m, { parm: ["sd_x|g"] }), (e: unknown) => e instanceof MlmError && /'sd_x\|g' is not a parameter of the model; profile one of sd_\(Intercept\)\|g, sigma, \(Intercept\), x\./.test(e.message));
  });
});
