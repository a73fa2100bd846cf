// Λ(θ) bookkeeping and lme4's ordering of random-effects terms.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ReTerm, reTermOrder } from "../../src/terms/re-term.js";

const frame = (k: number) => ({
  group: { name: "g", levels: ["a", "b", "c"], refs: Int32Array.of(0, 1, 2) },
  cnms: Array.from({ length: k }, (_, i) => `c${i}`),
  z: new Float64Array(3 * k),
  correlated: true,
});

describe("ReTerm", () => {
  it("fills Λ column by column from θ, with bounds 0 on the diagonal", () => {
    const t = new ReTerm(frame(2));
    assert.equal(t.ntheta, 3);
    assert.equal(t.q, 6);
    const lam = new Float64Array(4);
    t.fillLambda([9, 0.97, 0.015, 0.23], 1, lam);
    assert.deepEqual(Array.from(lam), [0.97, 0.015, 0, 0.23]);
    const lower = new Float64Array(3);
    t.cov.lower(2, lower, 0);
    assert.deepEqual(Array.from(lower), [0, -Infinity, 0]);
    const th = new Float64Array(3);
    t.cov.start(2, th, 0);
    assert.deepEqual(Array.from(th), [1, 0, 1]);
  });
  it("orders terms as lme4: decreasing levels when some term has more levels than the one before", () => {
    assert.deepEqual(reTermOrder([6, 24]), [1, 0]);
    assert.deepEqual(reTermOrder([24, 6]), [0, 1]);
    assert.deepEqual(reTermOrder([18, 18]), [0, 1]);
    // R: rev(order(c(5, 10, 5))) = 2 3 1 (ties reversed)
    assert.deepEqual(reTermOrder([5, 10, 5]), [1, 2, 0]);
  });
});
