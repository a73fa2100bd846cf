// Newton polishing of a bounded minimum: it reaches the minimiser of smooth functions from a
// point BOBYQA would stop at, to ~1e-10 where values alone cannot (f's rounding hides steps below
// √ε), holds coordinates on their bound, and refuses steps it cannot vouch for.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { newtonPolish } from "../../src/optim/newton-polish.js";
import { bobyqa } from "../../src/optim/bobyqa.js";

describe("newtonPolish", () => {
  it("reaches the minimiser (1, 2) of a quadratic", () => {
    const f = (x: Float64Array): number => (x[0] - 1) ** 2 + 10 * (x[1] - 2) ** 2 + (x[0] - 1) * (x[1] - 2);
    const r = newtonPolish(f, Float64Array.of(1.0003, 1.9998));
    assert.ok(Math.abs(r.x[0] - 1) < 1e-12 && Math.abs(r.x[1] - 2) < 1e-12, `${r.x}`);
    assert.ok(r.steps >= 1);
  });
  it("takes a point BOBYQA stops at (rhoEnd 1e-6) to the minimiser of a non-quadratic function to 1e-10", () => {
    // f = Σ (e^{x_i} − (i+1) x_i) + (x_0 − x_1)² / 4 + a large constant (rounding noise ~1e-13)
    const f = (x: Float64Array): number => 1e3 + Math.exp(x[0]) - x[0] + Math.exp(x[1]) - 2 * x[1] + Math.exp(x[2]) - 3 * x[2] + ((x[0] - x[1]) ** 2) / 4;
    const grad = (x: Float64Array): number[] => [Math.exp(x[0]) - 1 + (x[0] - x[1]) / 2, Math.exp(x[1]) - 2 - (x[0] - x[1]) / 2, Math.exp(x[2]) - 3];
    const opt = bobyqa(f, new Float64Array(3), { rhoBeg: 0.2, rhoEnd: 1e-6 });
    const r = newtonPolish(f, opt.x);
    const g = grad(r.x);
    const g0 = grad(opt.x);
    assert.ok(Math.max(...g.map(Math.abs)) < 1e-9, `gradient after polishing ${g}`);
    assert.ok(Math.max(...g0.map(Math.abs)) > Math.max(...g.map(Math.abs)) * 100, `gradient before ${g0}`);
  });
  it("holds a coordinate on its lower bound and polishes the others", () => {
    const f = (x: Float64Array): number => (x[0] + 1) ** 2 + (x[1] - 0.5) ** 2 + 0.1 * x[0] * x[1];
    const r = newtonPolish(f, Float64Array.of(0, 0.4999), { lower: Float64Array.of(0, -Infinity) });
    assert.equal(r.x[0], 0);
    assert.ok(Math.abs(r.x[1] - 0.5) < 1e-12);
  });
  it("leaves the point alone where H is not positive definite or the step is not small", () => {
    const saddle = (x: Float64Array): number => x[0] ** 2 - x[1] ** 2;
    assert.deepEqual(Array.from(newtonPolish(saddle, Float64Array.of(0.1, 0.1)).x), [0.1, 0.1]);
    const far = (x: Float64Array): number => (x[0] - 3) ** 2;
    assert.deepEqual(Array.from(newtonPolish(far, Float64Array.of(1)).x), [1]);
  });
});
