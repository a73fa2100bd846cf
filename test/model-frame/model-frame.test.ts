// Model frames against R: every fixture in test/fixtures/model-matrix/ holds what R's
// model.matrix / lme4's lFormula (or glFormula) gave for one data set and formula
// (the R call is in its `r_call`; test/fixtures/model-matrix/generate.R produced them all).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { parseFormula } from "../../src/formula/index.js";
import { modelFrame } from "../../src/model-frame/index.js";
import { fixturePath, readCsv, readJson } from "./helpers.js";

interface ReTermFixture {
  group: string;
  ngrps: number;
  levels: string[] | null;
  refs_sample: number[];
  cnms: string[];
  z_sample: number[][];
}

interface FrameFixture {
  id: string;
  r_call: string;
  data: string;
  factors: string[];
  formula: string;
  weights: string | null;
  n: number;
  dropped: number;
  rows: number[];
  sample: number[];
  fixefNames: string[];
  aliased: string[];
  X_sample: number[][];
  X_colsums: number[];
  y_sample: number[];
  y_levels: string[] | null;
  trials_sample: number[] | null;
  offset_sample: number[] | null;
  reterms: ReTermFixture[];
  lme4_ngrps: Record<string, number>;
}

/** Asserts |a - b| <= tol * max(1, |b|). */
function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} differs from R's ${expected}`,
  );
}

const files = readdirSync(fixturePath("model-matrix"))
  .filter((f) => f.endsWith(".json") && f !== "newdata.json")
  .sort();

test("the R fixtures are all present", () => {
  assert.ok(files.length >= 60, `only ${files.length} fixtures`);
});

for (const file of files) {
  const fx = readJson<FrameFixture>(`model-matrix/${file}`);
  test(`${fx.id}: ${fx.r_call}`, () => {
    const data = readCsv(fx.data, fx.factors);
    const frame = modelFrame(parseFormula(fx.formula), data, fx.weights === null ? {} : { weights: fx.weights });
    const n = frame.n;

    assert.equal(n, fx.n, "rows used");
    assert.equal(frame.dropped, fx.dropped, "rows dropped");
    assert.deepEqual(Array.from(frame.rows), fx.rows, "row indices");
    assert.deepEqual(frame.fixefNames, fx.fixefNames, "X column names");
    assert.deepEqual(frame.aliased, fx.aliased, "aliased columns");
    const p = frame.fixefNames.length;
    assert.equal(frame.X.length, n * p);

    fx.sample.forEach((i, s) => {
      for (let j = 0; j < p; j++) close(frame.X[j * n + i], fx.X_sample[s][j], 1e-10, `X[${i}, ${frame.fixefNames[j]}]`);
      close(frame.response.y[i], fx.y_sample[s], 1e-12, `y[${i}]`);
      if (fx.trials_sample !== null) close((frame.response.trials as Float64Array)[i], fx.trials_sample[s], 0, `trials[${i}]`);
      if (fx.offset_sample !== null) close((frame.offset as Float64Array)[i], fx.offset_sample[s], 1e-12, `offset[${i}]`);
    });
    for (let j = 0; j < p; j++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += frame.X[j * n + i];
      close(sum, fx.X_colsums[j], 1e-9, `sum of X column ${frame.fixefNames[j]}`);
    }
    assert.equal(frame.response.trials === undefined, fx.trials_sample === null, "binomial trials present");
    assert.equal(frame.offset === undefined, fx.offset_sample === null, "offset present");
    assert.deepEqual(frame.response.levels ?? null, fx.y_levels, "response levels");

    assert.equal(frame.reterms.length, fx.reterms.length, "number of random-effects terms");
    fx.reterms.forEach((rt, t) => {
      const ours = frame.reterms[t];
      assert.equal(ours.group.name, rt.group, `term ${t} grouping factor`);
      assert.equal(ours.group.levels.length, rt.ngrps, `levels of ${rt.group}`);
      if (rt.levels !== null) assert.deepEqual(ours.group.levels, rt.levels, `level labels of ${rt.group}`);
      assert.deepEqual(ours.cnms, rt.cnms, `cnms of ${rt.group}`);
      const k = rt.cnms.length;
      assert.equal(ours.z.length, n * k);
      fx.sample.forEach((i, s) => {
        assert.equal(ours.group.refs[i], rt.refs_sample[s], `${rt.group} level of row ${i}`);
        for (let j = 0; j < k; j++) close(ours.z[j * n + i], rt.z_sample[s][j], 1e-12, `z of ${rt.group}[${i}, ${j}]`);
      });
    });
    for (const [name, count] of Object.entries(fx.lme4_ngrps)) {
      const term = frame.reterms.find((r) => r.group.name === name);
      assert.ok(term !== undefined, `no grouping factor ${name}`);
      assert.equal(term.group.levels.length, count, `lme4 ngrps of ${name}`);
    }
    if (fx.weights !== null) assert.ok(frame.weights !== undefined && frame.weights.length === n);
  });
}
