import { message } from "../../src/messages.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describeFrame, isNestedIn } from "../../src/report/describe.js";
import type { GroupingFactor, ModelFrame, ReTermFrame } from "../../src/model-frame/types.js";
import type { Formula } from "../../src/formula/ast.js";
import { readTable } from "../../src/io/read-table.js";

const factor = (name: string, labels: readonly string[]): GroupingFactor => {
  const levels = [...new Set(labels)].sort();
  return { name, levels, refs: Int32Array.from(labels, (l) => levels.indexOf(l)) };
};

const term = (group: GroupingFactor, cnms: string[] = ["(Intercept)"]): ReTermFrame => ({
  group,
  cnms,
  z: new Float64Array(group.refs.length * cnms.length).fill(1),
  correlated: true,
});

/** A hand-built frame: only the fields describeFrame reads carry meaning. */
function frame(n: number, reterms: ReTermFrame[], extra: Partial<ModelFrame> = {}): ModelFrame {
  return {
    formula: {} as Formula,
    n,
    dropped: 0,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    response: { label: "y", y: new Float64Array(n), trials: undefined, levels: undefined },
    X: new Float64Array(n).fill(1),
    fixefNames: ["(Intercept)"],
    aliased: [],
    offset: undefined,
    reterms,
    messages: [],
    ...extra,
  };
}

const data = (name: string) => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));

async function labels(file: string, ...columns: string[]): Promise<string[][]> {
  const t = await readTable(data(file), { factors: columns });
  return columns.map((name) => {
    const c = t.columns.get(name);
    assert.ok(c?.kind === "categorical");
    return Array.from(c.codes, (k) => c.levels[k]);
  });
}

test("documented example: Pastes, cask:batch nested in batch (lme4: 30 and 10 groups)", async () => {
  const [batch, cask] = await labels("Pastes.csv", "batch", "cask");
  const caskBatch = factor("cask:batch", cask.map((c, i) => `${c}:${batch[i]}`));
  const d = describeFrame(frame(60, [term(caskBatch), term(factor("batch", batch))], { response: { label: "strength", y: new Float64Array(60), trials: undefined, levels: undefined } }));
  assert.deepEqual(d, {
    nobs: 60,
    dropped: 0,
    response: "strength",
    fixef: ["(Intercept)"],
    groups: [
      { name: "cask:batch", levels: 30, sizes: { min: 2, median: 2, max: 2 }, nestedIn: ["batch"] },
      { name: "batch", levels: 10, sizes: { min: 6, median: 6, max: 6 }, nestedIn: [] },
    ],
    messages: [],
  });
});

test("Penicillin: crossed factors are nested in neither direction (lme4: 24 plates, 6 samples)", async () => {
  const [plate, sample] = await labels("Penicillin.csv", "plate", "sample");
  const d = describeFrame(frame(144, [term(factor("plate", plate)), term(factor("sample", sample))]));
  assert.deepEqual(d.groups, [
    { name: "plate", levels: 24, sizes: { min: 6, median: 6, max: 6 }, nestedIn: [] },
    { name: "sample", levels: 6, sizes: { min: 24, median: 24, max: 24 }, nestedIn: [] },
  ]);
});

test("terms sharing a grouping factor count once; uneven sizes take the middle two for the median", () => {
  const g = factor("g", ["a", "b", "b", "c", "c", "c", "d", "d", "d", "d", "d", "d", "d", "d", "d", "d"]);
  const d = describeFrame(frame(16, [term(g), term(g, ["x"])], { dropped: 3, fixefNames: ["(Intercept)", "x"], messages: [message("rows-dropped", "3 rows dropped.")] }));
  assert.deepEqual(d.groups, [{ name: "g", levels: 4, sizes: { min: 1, median: 2.5, max: 10 }, nestedIn: [] }]);
  assert.equal(d.dropped, 3);
  assert.deepEqual(d.fixef, ["(Intercept)", "x"]);
  assert.deepEqual(d.messages.map((m) => m.text), ["3 rows dropped."]);
});

test("a model without random effects has no groups", () => {
  assert.deepEqual(describeFrame(frame(3, [])).groups, []);
});

test("isNestedIn: documented example, and a one-to-one pair is nested both ways", () => {
  const caskBatch: GroupingFactor = { name: "cask:batch", levels: ["a:A", "b:A", "a:B"], refs: Int32Array.of(0, 1, 2) };
  const batch: GroupingFactor = { name: "batch", levels: ["A", "B"], refs: Int32Array.of(0, 0, 1) };
  assert.equal(isNestedIn(caskBatch, batch), true);
  assert.equal(isNestedIn(batch, caskBatch), false);
  const u = factor("u", ["p", "q", "p"]);
  const v = factor("v", ["x", "y", "x"]);
  assert.equal(isNestedIn(u, v), true);
  assert.equal(isNestedIn(v, u), true);
  const d = describeFrame(frame(3, [term(u), term(v)]));
  assert.deepEqual(d.groups.map((g) => g.nestedIn), [["v"], ["u"]]);
});
