// Model frames against R: every fixture in test/fixtures/model-matrix/ holds what R's
// model.matrix / lme4's lFormula (or glFormula) gave for one data set and formula
// (the R call is in its `r_call`; test/fixtures/model-matrix/generate.R produced them all).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import fc from "fast-check";
import type { DataTable } from "../../src/data/table.js";
import { MlmError } from "../../src/errors.js";
import { parseFormula } from "../../src/formula/index.js";
import { modelFrame, type ModelFrame } from "../../src/model-frame/index.js";
import { dropUnusedLevels } from "../../src/model-frame/model-frame.js";
import { fixturePath, readCsv, readJson, table } from "./helpers.js";

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

// ---- messages and errors ------------------------------------------------------------------------

const sleep = (): DataTable => readCsv("sleepstudy.csv", ["Subject"]);

/** sleepstudy with a few cells blanked out. */
function sleepWithGaps(): DataTable {
  const d = sleep();
  const days = d.columns.get("Days");
  const subject = d.columns.get("Subject");
  assert.ok(days?.kind === "numeric");
  const values = Float64Array.from(days.values);
  values[4] = NaN;
  values[100] = NaN;
  const codes = subject?.kind === "categorical" ? Int32Array.from(subject.codes) : Int32Array.of();
  codes[100] = -1;
  codes[7] = -1;
  const columns = new Map(d.columns);
  columns.set("Days", { kind: "numeric", name: "Days", values });
  if (subject?.kind === "categorical") columns.set("Subject", { ...subject, codes });
  return { ...d, columns };
}

const throwsMlm = (f: () => unknown, message: string): void => {
  assert.throws(f, (e: unknown) => e instanceof MlmError && e.message === message);
};

test("rows with missing values are dropped, counted and reported", () => {
  const frame = modelFrame(parseFormula("Reaction ~ Days + (Days | Subject)"), sleepWithGaps());
  assert.equal(frame.n, 177);
  assert.equal(frame.dropped, 3);
  assert.deepEqual(frame.messages.map((m) => m.text), ["Dropped 3 of 180 rows with missing values in Days, Subject."]);
  assert.ok(!Array.from(frame.rows).some((r) => r === 4 || r === 7 || r === 100));
  // a column the formula does not use does not drop rows
  assert.equal(modelFrame(parseFormula("Reaction ~ 1 + (1 | Subject)"), sleepWithGaps()).dropped, 2);
});

test("a frame with nothing to report has no messages, no weights and no offset", () => {
  const frame = modelFrame(parseFormula("Reaction ~ Days + (Days | Subject)"), sleep());
  assert.deepEqual(frame.messages, []);
  assert.equal(frame.weights, undefined);
  assert.equal(frame.offset, undefined);
  assert.equal(frame.transforms?.calls.size, 0);
});

test("aliased columns are dropped and reported", () => {
  const frame = modelFrame(parseFormula("y ~ x + z + x3"), readCsv("model_frame_synth.csv"));
  assert.deepEqual(frame.aliased, ["x3"]);
  assert.deepEqual(frame.messages.map((m) => m.text), ["Fixed-effect model matrix is rank deficient: dropped column(s) x3."]);
  assert.deepEqual(frame.transforms?.fullFixefNames, ["(Intercept)", "x", "z", "x3"]);
});

test("bad formulas or data give one-sentence errors", () => {
  const d = sleep();
  throwsMlm(() => modelFrame(parseFormula("Reacton ~ Days + (1 | Subject)"), d), "Column 'Reacton' is not in the data; did you mean 'Reaction'?");
  throwsMlm(() => modelFrame(parseFormula("Reaction ~ Days + (1 | subj)"), d), "Column 'subj' is not in the data; its columns are 'Reaction', 'Days', 'Subject'.");
  throwsMlm(() => modelFrame(parseFormula("~ Days"), d), "The formula '~ Days' has no response; write it as 'response ~ predictors'.");
  throwsMlm(
    () => modelFrame(parseFormula("Reaction ~ log(Days) + (1 | Subject)"), d),
    "'log(Days)' is -Inf (not a finite number) in 18 rows, first in row 1; transform or remove those rows.",
  );
  throwsMlm(
    () => modelFrame(parseFormula("Reaction ~ Days + offset(Subject)"), d),
    "'Subject' is categorical but an offset needs numbers; use a numeric column or as.numeric().",
  );
  throwsMlm(
    () => modelFrame(parseFormula("Subject ~ Days"), d),
    "The response 'Subject' is categorical with 18 levels (308, 309, 310, 330, 331, ...); mlm needs a numeric response or one with two levels.",
  );
  throwsMlm(() => modelFrame(parseFormula("Reaction ~ Days"), d, { weights: "w" }), "Column 'w' is not in the data; its columns are 'Reaction', 'Days', 'Subject'.");
  throwsMlm(
    () => modelFrame(parseFormula("Reaction ~ Days"), d, { weights: "Subject" }),
    "Weights column 'Subject' is categorical; weights must be non-negative numbers.",
  );
  const gaps = table({ y: [1, null, 3], x: [null, 2, null] });
  throwsMlm(() => modelFrame(parseFormula("y ~ x"), gaps), "No rows are left: every one of the 3 rows has a missing value in y and x.");
});

test("weights are kept per used row and must be non-negative", () => {
  const d = table({ y: [1, 2, 3, 4], x: [1, 2, null, 4], w: [0.5, 1, 2, 3] });
  const frame = modelFrame(parseFormula("y ~ x"), d, { weights: "w" });
  assert.deepEqual(Array.from(frame.weights as Float64Array), [0.5, 1, 3]);
  const negative = table({ y: [1, 2, 3], w: [1, -1, 1] });
  throwsMlm(
    () => modelFrame(parseFormula("y ~ 1"), negative, { weights: "w" }),
    "Weights column 'w' is negative in row 2; weights must be non-negative numbers.",
  );
});

test("data-dependent transforms learn from the rows the fit uses", () => {
  // x's last value is in a row without y, so scale(x) uses the mean and sd of 1, 2, 3 only
  const d = table({ y: [1, 2, 3, null], x: [1, 2, 3, 100] });
  const frame = modelFrame(parseFormula("y ~ scale(x)"), d);
  assert.deepEqual(Array.from(frame.X.subarray(3, 6)), [-1, 0, 1]);
  assert.deepEqual(frame.transforms?.calls.get("scale(x)"), { kind: "scale", center: 2, scale: 1 });
});

// ---- invariance -----------------------------------------------------------------------------------

/** The frame's rows keyed by input row: X row, y, and per term the group label and z row. */
function rowsByInput(frame: ModelFrame): Map<number, number[] | string[]> {
  const out = new Map<number, number[] | string[]>();
  const n = frame.n;
  const p = frame.fixefNames.length;
  frame.rows.forEach((r, i) => {
    const x = Array.from({ length: p }, (_, j) => frame.X[j * n + i]);
    const re = frame.reterms.flatMap((t) => [
      t.group.levels[t.group.refs[i]],
      ...t.cnms.map((_, j) => String(t.z[j * n + i])),
    ]);
    out.set(r, [...x.map(String), String(frame.response.y[i]), ...re]);
  });
  return out;
}

test("property: permuting the rows of the data permutes the frame and changes nothing else", () => {
  const row = fc.record({
    y: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }),
    x: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 8 }),
    f: fc.constantFrom("a", "b", "c"),
    g: fc.constantFrom("g1", "g2", "g3", "g10"),
  });
  fc.assert(
    fc.property(fc.array(row, { minLength: 6, maxLength: 30 }), fc.integer(), (rows, seed) => {
      const order = rows.map((_, i) => i);
      let s = seed >>> 0;
      for (let i = order.length - 1; i > 0; i--) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const j = s % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const toTable = (rs: typeof rows): DataTable =>
        table({ y: rs.map((r) => r.y), x: rs.map((r) => r.x), f: rs.map((r) => r.f), g: rs.map((r) => r.g) });
      const formula = parseFormula("y ~ x * f + I(x^2) + (x | g)");
      const run = (d: DataTable): ModelFrame | string => {
        try {
          return modelFrame(formula, d);
        } catch (e) {
          if (e instanceof MlmError) return e.message;
          throw e;
        }
      };
      const a = run(toTable(rows));
      const b = run(toTable(order.map((i) => rows[i])));
      if (typeof a === "string" || typeof b === "string") {
        assert.equal(typeof b, typeof a);
        if (!a.toString().includes("row")) assert.equal(b, a);
        return;
      }
      assert.equal(b.n, a.n);
      assert.equal(b.dropped, a.dropped);
      assert.deepEqual(b.fixefNames, a.fixefNames);
      assert.deepEqual(b.aliased, a.aliased);
      assert.deepEqual(b.messages, a.messages);
      assert.deepEqual(b.reterms.map((t) => [t.group.levels, t.cnms]), a.reterms.map((t) => [t.group.levels, t.cnms]));
      const ra = rowsByInput(a);
      const rb = rowsByInput(b);
      b.rows.forEach((r) => assert.deepEqual(rb.get(r), ra.get(order[r])));
    }),
    { numRuns: 200 },
  );
});

test("dropUnusedLevels keeps the order of the used levels (TSDoc example)", () => {
  assert.deepEqual(dropUnusedLevels({ kind: "categorical", levels: ["a", "b", "c"], codes: Int32Array.of(2, 0) }), {
    kind: "categorical",
    levels: ["a", "c"],
    codes: Int32Array.of(1, 0),
  });
});
