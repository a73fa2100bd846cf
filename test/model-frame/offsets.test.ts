import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExpression } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";
import type { EvalContext } from "../../src/model-frame/evaluate.js";
import { evaluateOffsets } from "../../src/model-frame/offsets.js";
import { table } from "./helpers.js";

const data = table({ exposure: [1, Math.E, 0], t: [2, 3, 4], g: ["a", "b", "a"] });
const ctx = (rows: number[]): EvalContext => ({ data, rows: Int32Array.from(rows), mode: "fit", calls: new Map() });

test("offsets are evaluated and summed per row (TSDoc example)", () => {
  assert.deepEqual(evaluateOffsets([parseExpression("log(exposure)")], ctx([0, 1])), Float64Array.of(0, 1));
  assert.deepEqual(evaluateOffsets([parseExpression("log(exposure)"), parseExpression("t / 2")], ctx([0, 1])), Float64Array.of(1, 2.5));
  assert.equal(evaluateOffsets([], ctx([0])), undefined);
});

test("offsets must be finite numbers", () => {
  assert.throws(
    () => evaluateOffsets([parseExpression("log(exposure)")], ctx([0, 2])),
    (e: unknown) => e instanceof MlmError && e.message === "'offset(log(exposure))' is -Inf (not a finite number) in 1 row, first in row 3; transform or remove those rows.",
  );
  assert.throws(() => evaluateOffsets([parseExpression("g")], ctx([0])), MlmError);
});
