// ResidualStructure.newMultipliers (through ResidualModel.varianceMultipliers): the variance
// function's sd multipliers at new rows, on the scale of the model as written. On the fitted rows
// they are the fit's own multipliers: σ² wᵢ² is then the variance nlme's varWeights imply
// (σ² / varWeights²); strata are matched by name, whatever their order in the new data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toDataTable } from "../../src/data/to-data-table.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { ResidualStructure } from "../../src/residual/residual-structure.js";
import { modelFrame } from "../../src/model-frame/index.js";
import { parseFormula } from "../../src/formula/index.js";
import { loadNlmeCases, nlmeData } from "../helpers/nlme-reference.js";

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe("newMultipliers", () => {
  it("varPower by stratum: |x|^power of the row's stratum, strata matched by name", async () => {
    const c = loadNlmeCases().find((x) => x.id === "gls_dialyzer_power_strata");
    assert.ok(c);
    const m = fitGls(c.formula, await nlmeData(c), { variance: c.variance ?? undefined });
    const power = m.variance?.parameters as Record<string, number>;
    // nlme: coef(fit$modelStruct$varStruct) = 200: -0.8169, 300: -0.5904
    assert.ok(Math.abs(power["200"] - (c.varStruct as Record<string, number>)["200"]) < 1e-5, "power 200 as nlme's");
    const nd = toDataTable({ pressure: [2, 0.5, 3], QB: ["300", "200", "300"] }, { factors: ["QB"] });
    const w = m.varianceMultipliers(nd, Int32Array.of(0, 1, 2), new Float64Array(3));
    close(w[0], Math.pow(2, power["300"]), "row 1");
    close(w[1], Math.pow(0.5, power["200"]), "row 2");
    close(w[2], Math.pow(3, power["300"]), "row 3");
    assert.throws(() => m.varianceMultipliers(toDataTable({ pressure: [1], QB: ["400"] }, { factors: ["QB"] }), Int32Array.of(0), new Float64Array(1)), /stratum the fit did not see/);
    assert.throws(() => m.varianceMultipliers(toDataTable({ QB: ["200"] }), Int32Array.of(0), new Float64Array(1)), /pressure is not in the new data/);
  });
  it("on the fitted rows: the fit's multipliers (the residual variance is σ² w²), NaN for a missing covariate", () => {
    const x = Array.from({ length: 30 }, (_, i) => 1 + (i % 10));
    const s = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? "b" : "a"));
    const y = x.map((v, i) => 2 + 0.3 * v + Math.sin(3.1 * i) * Math.pow(v, 0.6) * (s[i] === "b" ? 2 : 1));
    const data = toDataTable({ y, x, s });
    const frame = modelFrame(parseFormula("y ~ x"), data);
    for (const variance of ["varExp(form = ~ x | s)", "varConstPower(form = ~ x)", "varIdent(form = ~ 1 | s)"]) {
      const m = fitGls("y ~ x", data, { variance });
      const rs = new ResidualStructure(undefined, variance, data, frame.rows, undefined);
      assert.ok(rs.set(m.structureParameters, 0, undefined));
      const w = m.varianceMultipliers(data, frame.rows, m.fitted);
      // rs.v holds the multipliers divided by their geometric mean g, with σ_internal = σ g
      for (let i = 0; i < 30; i++) close(w[i] / rs.vScale, rs.v[i], `${variance} row ${i}`);
    }
    const m = fitGls("y ~ x", data, { variance: "varExp(form = ~ x)" });
    const w = m.varianceMultipliers(toDataTable({ x: [NaN, 2] }), Int32Array.of(0, 1), new Float64Array(2));
    assert.ok(Number.isNaN(w[0]) && w[1] > 0);
    // without a variance function every multiplier is 1
    assert.deepEqual(Array.from(fitGls("y ~ x", data).varianceMultipliers(data, frame.rows, m.fitted).slice(0, 3)), [1, 1, 1]);
  });
});
