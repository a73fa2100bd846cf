// termLambdas / termModes: θ and ranef() re-laid out in the model frame's order of terms.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { termLambdas, termModes } from "../../src/predict/term-effects.js";
import { caseById, fitCase, loadData } from "./helpers.js";

describe("term effects in formula order", () => {
  it("sleepstudy: Λ from θ and the modes of Subject 308 (lme4: ranef(fit)$Subject['308', ])", async () => {
    const m = await fitCase(caseById("sleepstudy_reml"));
    const [lam] = termLambdas(m);
    assert.deepEqual(Array.from(lam), [m.theta[0], m.theta[1], 0, m.theta[2]]);
    const [{ b, condsd }] = termModes(m);
    // lme4: 2.258566, 9.198972 (test/fixtures/cases/sleepstudy_reml.json)
    assert.ok(Math.abs(b[0] - 2.258566) < 1e-4 && Math.abs(b[1] - 9.198972) < 1e-4);
    const r = m.ranef();
    assert.equal(condsd[1], r.find((x) => x.level === "308" && x.term === "Days")?.condsd);
  });

  it("undoes lme4's reordering of terms by number of levels", async () => {
    const table = await loadData("Penicillin.csv");
    const swapped = fitLmm("diameter ~ 1 + (1 | sample) + (1 | plate)", table);
    assert.deepEqual(swapped.randomEffects.order, [1, 0]);
    const [sample, plate] = termModes(swapped);
    assert.equal(sample.b.length, 6);
    assert.equal(plate.b.length, 24);
    const r = swapped.ranef();
    assert.equal(sample.b[0], r.find((x) => x.group === "sample" && x.level === "A")?.condval);
    assert.equal(plate.condsd[23], r.find((x) => x.group === "plate" && x.level === "x")?.condsd);
    const lambdas = termLambdas(swapped);
    // θ is in fitting order: plate's first
    assert.equal(lambdas[1][0], swapped.theta[0]);
    assert.equal(lambdas[0][0], swapped.theta[1]);
  });
});
