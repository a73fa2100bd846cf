// Grouping factors: observed levels in code-point order (as lme4 sees them once the levels are
// code-point sorted, see test/fixtures/cases/cbpp_binomial.json and pastes_nested.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MlmError } from "../../src/errors.js";
import type { Value } from "../../src/model-frame/evaluate.js";
import { groupingFactor, interactionGroups } from "../../src/model-frame/grouping-factor.js";

const cat = (levels: string[], codes: number[]): Value => ({ kind: "categorical", levels, codes: Int32Array.from(codes) });
const num = (values: number[]): Value => ({ kind: "numeric", columns: [Float64Array.from(values)], colnames: undefined });

test("numbers become text levels sorted in code-point order (herd in cbpp: 1, 10, ..., 15, 2, ..., 9)", () => {
  const herd = num([2, 10, 1, 15, 2, 3, 1e5]);
  const g = groupingFactor("herd", [herd]);
  assert.deepEqual(g.levels, ["1", "10", "15", "1e+05", "2", "3"]);
  assert.deepEqual(Array.from(g.refs), [4, 1, 0, 2, 4, 5, 3]);
});

test("categorical groups keep only observed levels", () => {
  const g = groupingFactor("g", [cat(["a", "b", "c"], [2, 0, 2])]);
  assert.deepEqual(g.levels, ["a", "c"]);
  assert.deepEqual(Array.from(g.refs), [1, 0, 1]);
});

test("an interaction g2:g1 has levels l2:l1 of observed combinations (TSDoc example)", () => {
  const cask = cat(["a", "b"], [0, 1, 0]);
  const batch = cat(["A", "B"], [0, 0, 1]);
  assert.deepEqual(interactionGroups([cask, batch]), { labels: ["a:A", "b:A", "a:B"], codes: Int32Array.of(0, 1, 2) });
  const g = groupingFactor("cask:batch", [cask, batch]);
  assert.deepEqual(g.levels, ["a:A", "a:B", "b:A"]);
  assert.deepEqual(Array.from(g.refs), [0, 2, 1]);
});

test("an interaction of factors with very many levels (combinations past 2^53 as numbers) has the same levels", () => {
  // four factors of 100,000 levels: (1e5 + 1)^4 > 2^53, so the combinations are keyed as text
  const levels = Array.from({ length: 100000 }, (_, i) => `L${i}`);
  const codes = [
    [0, 99999, 0, 5],
    [7, 7, 7, 7],
    [1, 2, 1, 2],
    [99998, 0, 99998, 0],
  ];
  const parts = codes.map((c) => cat(levels, c));
  assert.deepEqual(interactionGroups(parts), {
    labels: ["L0:L7:L1:L99998", "L99999:L7:L2:L0", "L5:L7:L2:L0"],
    codes: Int32Array.of(0, 1, 0, 2),
  });
  // two of them: (1e5 + 1)^2 < 2^53, keyed as exact integers
  assert.deepEqual(interactionGroups(parts.slice(0, 2)), { labels: ["L0:L7", "L99999:L7", "L5:L7"], codes: Int32Array.of(0, 1, 0, 2) });
});

test("a grouping factor with one level is an error", () => {
  assert.throws(
    () => groupingFactor("Batch", [cat(["A", "B"], [0, 0, 0])]),
    (e: unknown) =>
      e instanceof MlmError &&
      e.message === "Grouping factor 'Batch' has only one level ('A') in the rows used; a random effect needs at least two groups.",
  );
});
