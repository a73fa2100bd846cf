// center(x, g) and groupmean(x, g): a fit with them agrees with lme4 fitted on the same columns
// computed by hand in R (test/fixtures/generate/predict-pooling.R), they use the rows of the fit
// only, and new data reuse the fitted group means (a new group takes its own mean in the new data).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { newDataFrame } from "../../src/model-frame/index.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import { predict } from "../../src/predict/predict.js";
import { assertRelClose, fixture, loadData } from "./helpers.js";

describe("centering within groups", () => {
  const ref = fixture.centering;

  it("normexam ~ center(standLRT, school) + groupmean(standLRT, school) + (1 | school) agrees with lme4 on hand-made columns", async () => {
    const m = fitLmm(ref.formula, await loadData(ref.data), { reml: ref.reml });
    assert.deepEqual(m.fixefNames, ["(Intercept)", "center(standLRT, school)", "groupmean(standLRT, school)"]);
    assertRelClose(m.beta, ref.fixef, 1e-6, "fixef");
    assertRelClose([m.sigma], [ref.sigma], 1e-6, "sigma");

    // new data: the fitted school means for schools 1 and 30, the new data's own mean for 999
    const nd = newDataFrame(m.frame, toDataTable(ref.newdata));
    assertRelClose(nd.X.subarray(6, 12), ref.hand_columns.cs, 1e-12, "center(standLRT, school) on new data");
    assertRelClose(nd.X.subarray(12, 18), ref.hand_columns.gm, 1e-12, "groupmean(standLRT, school) on new data");
    assertRelClose(predict(m, ref.newdata).fit, ref.predict, 1e-5, "predict");
    assertRelClose(predict(m, ref.newdata, { reForm: "none" }).fit, ref.predict_population, 1e-5, "population");
  });

  it("computes the group means on the rows the fit uses (rows with a missing response are left out)", () => {
    const y = [1.0, 2.0, NaN, 3.5, 4.0, 2.5, 6.0, 5.5, 4.5];
    const x = [1, 2, 100, 3, 4, 5, 6, 7, 8];
    const g = ["a", "a", "a", "b", "b", "b", "c", "c", "c"];
    const m = fitLmm("y ~ center(x, g) + groupmean(x, g) + (1 | g)", { y, x, g });
    assert.equal(m.nobs, 8);
    const t = m.frame.transforms?.calls.get("groupmean(x, g)");
    assert.deepEqual(t, { kind: "groupmean", levels: ["a", "b", "c"], means: [1.5, 4, 7] });
    // X on the fit's rows: centred x and the group mean
    assert.deepEqual(Array.from(m.frame.X.subarray(8, 16)), [-0.5, 0.5, -1, 0, 1, -1, 0, 1]);
    assert.deepEqual(Array.from(m.frame.X.subarray(16, 24)), [1.5, 1.5, 4, 4, 4, 7, 7, 7]);
    // new data: a known group keeps its fitted mean whatever the new x; a new group uses its own
    const nd = newDataFrame(m.frame, toDataTable({ x: [10, 0, 2], g: ["a", "d", "d"] }));
    assert.deepEqual(Array.from(nd.X.subarray(3, 9)), [8.5, -1, 1, 1.5, 1, 1]);
  });
});
