// newDataFrame: new data evaluated with a fit's transforms and levels. The X of new data is
// checked against R (test/fixtures/model-matrix/newdata.json, from generate.R: model.matrix on
// new data with an lm fit's predvars and xlevels).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFormula } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";
import { modelFrame, newDataFrame } from "../../src/model-frame/index.js";
import { readCsv, readJson, table } from "./helpers.js";

interface NewDataFixture {
  formula: string;
  train: string;
  newdata: string;
  rows: number[];
  fixefNames: string[];
  X: number[][];
  offset: number[];
}

test("new data reuse scale(), poly() and factor levels of the fit, as R's predvars do", () => {
  const fx = readJson<NewDataFixture>("model-matrix/newdata.json");
  const frame = modelFrame(parseFormula(`${fx.formula} + (1 | grp)`), readCsv(fx.train));
  assert.deepEqual(frame.fixefNames, fx.fixefNames);
  const newdata = readCsv(fx.newdata);
  const nd = newDataFrame(frame, newdata);
  assert.equal(nd.n, fx.rows.length);
  assert.equal(nd.dropped, 1);
  assert.deepEqual(Array.from(nd.rows), fx.rows);
  const p = fx.fixefNames.length;
  for (let i = 0; i < nd.n; i++) {
    for (let j = 0; j < p; j++) {
      const want = fx.X[i][j];
      assert.ok(Math.abs(nd.X[j * nd.n + i] - want) <= 1e-10 * Math.max(1, Math.abs(want)), `X[${i}, ${fx.fixefNames[j]}]`);
    }
    assert.ok(Math.abs((nd.offset as Float64Array)[i] - fx.offset[i]) < 1e-12);
  }
  // the fit saw groups g01-g08; the new data hold g99 (rows 0-2), g08, g09 and g10
  const levels = frame.reterms[0].group.levels;
  assert.deepEqual(levels, ["g01", "g02", "g03", "g04", "g05", "g06", "g07", "g08"]);
  const grp = newdata.columns.get("grp");
  assert.ok(grp?.kind === "categorical");
  const expected = Array.from(nd.rows, (r) => levels.indexOf(grp.levels[grp.codes[r]]));
  assert.deepEqual(Array.from(nd.reterms[0].refs), expected);
  // used rows 0, 1, 2 (g99), 3, 5 (g08; row 4 has no x), then g09 and g10
  assert.deepEqual(expected.slice(0, 5), [-1, -1, -1, 7, 7]);
  assert.ok(expected.slice(5).every((r) => r === -1));
});

test("new data: group means come from the fit for known groups and from the new rows for new groups", () => {
  const train = table({ y: [1, 2, 3, 4, 5, 6], x: [1, 3, 10, 20, 0, 2], g: ["a", "a", "b", "b", "c", "c"] });
  // group means a: 2, b: 15, c: 1; overall mean 6
  const newdata = table({ x: [4, 7, 9, 100], g: ["a", "d", "d", "b"] });
  const frame = modelFrame(parseFormula("y ~ center(x, g) + center(x) + (1 | g)"), train);
  assert.deepEqual(frame.fixefNames, ["(Intercept)", "center(x, g)", "center(x)"]);
  const nd = newDataFrame(frame, newdata);
  assert.deepEqual(Array.from(nd.X.subarray(4, 8)), [2, -1, 1, 85]);
  assert.deepEqual(Array.from(nd.X.subarray(8, 12)), [-2, 1, 3, 94]);
  assert.deepEqual(Array.from(nd.reterms[0].refs), [0, -1, -1, 1]);
  const means = newDataFrame(modelFrame(parseFormula("y ~ groupmean(x, g)"), train), newdata);
  assert.deepEqual(Array.from(means.X.subarray(4, 8)), [2, 8, 8, 15]);
});

test("new data with a fixed-effect level the fit did not see is an error naming it", () => {
  const train = table({ y: [1, 2, 3, 4], f: ["a", "b", "a", "b"] });
  const frame = modelFrame(parseFormula("y ~ f"), train);
  assert.throws(
    () => newDataFrame(frame, table({ f: ["a", "z"] })),
    (e: unknown) => e instanceof MlmError && e.message === "'f' has level 'z' in the new data, which the fit did not see; its levels are a, b.",
  );
});

test("new data need no response or weights and may be numeric where the fit's factor was", () => {
  const train = table({ y: [1, 2, 3, 4], yr: [94, 95, 94, 96], w: [1, 1, 2, 2] });
  const frame = modelFrame(parseFormula("y ~ factor(yr)"), train, { weights: "w" });
  const nd = newDataFrame(frame, table({ yr: [96, 94, null] }));
  assert.deepEqual(frame.fixefNames, ["(Intercept)", "factor(yr)95", "factor(yr)96"]);
  assert.equal(nd.n, 2);
  assert.equal(nd.dropped, 1);
  assert.deepEqual(Array.from(nd.X), [1, 1, 0, 0, 1, 0]);
  assert.equal(nd.offset, undefined);
});
