// Statistics objects: the packed layout, the exact change of centre, and merging shards (sums
// added, levels unioned, files of different models refused).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mergeStatistics, packedIndex, recentre, statisticsFromRows, asStatistics, type StatisticsRow } from "../../src/sql/statistics.js";
import { statisticsPlan } from "../../src/sql/statistics-plan.js";
import { parseFormula } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";

const cols = [
  { name: "y", categorical: false },
  { name: "x", categorical: false },
  { name: "g", categorical: true },
];
const plan = statisticsPlan(parseFormula("y ~ x + (1 | g)"), cols);

/** The rows the query would return for these data (computed here directly). */
function rowsOf(data: { y: number; x: number; g: string }[]): StatisticsRow[] {
  const n = data.length;
  const m = [0, data.reduce((s, d) => s + d.x, 0) / n, data.reduce((s, d) => s + d.y, 0) / n];
  const rows: StatisticsRow[] = [
    { block: "const", keys: [plan.id], values: [n, n, 0, null] },
    { block: "shift", keys: [null], values: [m[1], m[2], null] },
  ];
  for (const g of [...new Set(data.map((d) => d.g))]) {
    const b = data.filter((d) => d.g === g).map((d) => [1, d.x - m[1], d.y - m[2]]);
    const v: number[] = [];
    for (let j = 0; j < 3; j++) for (let i = j; i < 3; i++) v.push(b.reduce((s, r) => s + r[i] * r[j], 0));
    rows.push({ block: "term1", keys: [g], values: v });
  }
  return rows;
}

describe("statistics", () => {
  it("packs the lower triangle column by column", () => {
    assert.deepEqual([[0, 0], [1, 0], [2, 0], [1, 1], [2, 1], [2, 2]].map(([i, j]) => packedIndex(i, j, 3)), [0, 1, 2, 3, 4, 5]);
  });
  it("recentre moves sums to another centre exactly (Σ 1, Σ x, Σ x² of x = 0, 2)", () => {
    const s = [2, 0, 2];
    recentre(s, 0, [0, 1]);
    assert.deepEqual(s, [2, 2, 4]);
  });
  it("recentre there and back is the identity (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 6, maxLength: 6 }), fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (v, d1, d2) => {
        const s = v.map((x, i) => (i === 0 ? Math.abs(x) + 1 : x));
        const t = [...s];
        recentre(t, 0, [0, d1, d2]);
        recentre(t, 0, [0, -d1, -d2]);
        const scale = 1 + Math.max(...s.map(Math.abs)) * (1 + Math.abs(d1) + Math.abs(d2)) ** 2;
        return t.every((x, i) => Math.abs(x - s[i]) <= 1e-12 * scale);
      }),
    );
  });
  it("merging shards gives the statistics of the whole table", () => {
    const data = Array.from({ length: 30 }, (_, i) => ({ y: Math.sin(i) * 3 + 10, x: (i * 7) % 11, g: `g${i % 4}` }));
    const whole = statisticsFromRows(plan, rowsOf(data));
    const merged = mergeStatistics([statisticsFromRows(plan, rowsOf(data.slice(0, 13))), statisticsFromRows(plan, rowsOf(data.slice(13)))]);
    assert.equal(merged.n, 30);
    assert.deepEqual(merged.shift.map((x) => Number(x.toFixed(12))), whole.shift.map((x) => Number(x.toFixed(12))));
    const key = (k: string[]): string => k.join();
    const w = whole.blocks.term1;
    const m = merged.blocks.term1;
    assert.deepEqual([...m.keys.map(key)].sort(), [...w.keys.map(key)].sort());
    w.keys.forEach((k, r) => {
      const rm = m.keys.findIndex((x) => key(x) === key(k));
      for (let v = 0; v < 6; v++) assert.ok(Math.abs(m.sums[rm * 6 + v] - w.sums[r * 6 + v]) <= 1e-9 * (1 + Math.abs(w.sums[r * 6 + v])), `row ${key(k)} value ${v}`);
    });
  });
  it("refuses to merge statistics of different models, and rows of another plan", () => {
    const other = statisticsPlan(parseFormula("y ~ 1 + (1 | g)"), cols);
    const a = statisticsFromRows(plan, rowsOf([{ y: 1, x: 1, g: "a" }, { y: 2, x: 3, g: "b" }]));
    const b = { ...a, plan: other };
    assert.throws(() => mergeStatistics([a, b]), (e: unknown) => e instanceof MlmError && /belong to different models \('y ~ x \+ \(1 \| g\)' and 'y ~ 1 \+ \(1 \| g\)'\)/.test(e.message));
    assert.throws(() => statisticsFromRows(other, rowsOf([{ y: 1, x: 1, g: "a" }])), (e: unknown) => e instanceof MlmError && /computed for another formula/.test(e.message));
    assert.throws(() => asStatistics({ hello: 1 }, "x.json"), (e: unknown) => e instanceof MlmError && /x\.json is not an mlm statistics file/.test(e.message));
  });
});
