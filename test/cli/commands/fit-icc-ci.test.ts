// mlm fit --icc-ci: the bootstrap ICC interval after the ICC line and in the JSON; the helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertOneLineError, data, run } from "../helpers.js";
import { iccIntervalLine } from "../../../src/report/summary.js";

const dye = [data("Dyestuff.csv"), "Yield ~ 1 + (1 | Batch)"];

test("mlm fit --icc-ci prints the interval after the ICC line and adds iccInterval to the JSON", async () => {
  const text = await run("fit", ...dye, "--icc-ci");
  assert.equal(text.code, 0, text.err);
  const lines = text.out.split("\n");
  const i = lines.findIndex((l) => l.startsWith("Intraclass correlation: Batch 0.418"));
  assert.ok(i > 0);
  assert.match(lines[i + 1], /^ {2}95% bootstrap interval \(500 simulations\): Batch \[0\.\d{4}, 0\.\d{4}\]$/);
  const json = await run("fit", ...dye, "--icc-ci", "--json");
  const iccInterval = (JSON.parse(json.out) as { iccInterval: { group: string; estimate: number; lower: number; upper: number; method: string }[] }).iccInterval;
  assert.equal(iccInterval.length, 1);
  assert.equal(iccInterval[0].group, "Batch");
  assert.equal(iccInterval[0].method, "bootstrap");
  assert.ok(iccInterval[0].lower < iccInterval[0].estimate && iccInterval[0].estimate < iccInterval[0].upper);
  assert.ok(lines[i + 1].includes(`[${iccInterval[0].lower.toFixed(4)}, ${iccInterval[0].upper.toFixed(4)}]`));
  // without the flag: no interval
  const plain = await run("fit", ...dye, "--json");
  assert.equal("iccInterval" in (JSON.parse(plain.out) as object), false);
});

test("mlm fit --icc-ci refuses a model with random slopes", async () => {
  assertOneLineError(await run("fit", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--icc-ci"), /intercepts only/);
});

test("iccIntervalLine", () => {
  const line = iccIntervalLine([{ group: "Batch", estimate: 0.418, lower: 0, upper: 0.72598, method: "bootstrap", level: 0.9, nsim: 500 }]);
  assert.equal(line, "  90% bootstrap interval (500 simulations): Batch [0.0000, 0.7260]");
});
