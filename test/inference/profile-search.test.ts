// The profile search on functions whose crossings are known in closed form.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findLimit, minimiseWithFixed, type ZetaFunction } from "../../src/inference/profile-search.js";

const empty = new Float64Array(0);

describe("findLimit", () => {
  it("finds the crossings of a linear ζ", () => {
    let calls = 0;
    const zeta: ZetaFunction = (x, at) => {
      calls++;
      return { zeta: (x - 2) / 0.5, at };
    };
    const up = findLimit(zeta, { estimate: 2, start: empty, direction: 1, z: 1.959964, step: 0.1, bound: Infinity });
    const lo = findLimit(zeta, { estimate: 2, start: empty, direction: -1, z: 1.959964, step: 0.1, bound: -Infinity });
    assert.ok(Math.abs(up - (2 + 0.5 * 1.959964)) < 1e-8);
    assert.ok(Math.abs(lo - (2 - 0.5 * 1.959964)) < 1e-8);
    assert.ok(calls < 20, `${calls} evaluations`);
  });

  it("finds the crossing of a curved ζ (the profile of a standard deviation)", () => {
    // ζ(s) = sign(s − 1) √(2 n (s − 1 − log s)) with n = 10 (log-likelihood of a normal sd, estimate 1)
    const zeta: ZetaFunction = (s, at) => ({ zeta: Math.sign(s - 1) * Math.sqrt(Math.max(0, 20 * (s - 1 - Math.log(s)))), at });
    const z = 1.959964;
    const up = findLimit(zeta, { estimate: 1, start: empty, direction: 1, z, step: 0.25, bound: Infinity });
    const lo = findLimit(zeta, { estimate: 1, start: empty, direction: -1, z, step: 0.25, bound: 0 });
    assert.ok(Math.abs(zeta(up, empty).zeta - z) < 1e-6);
    assert.ok(Math.abs(zeta(lo, empty).zeta + z) < 1e-6);
    assert.ok(lo > 0 && lo < 1 && up > 1);
  });

  it("returns the bound when the profile stays below z, and the estimate's bound at once", () => {
    const flat: ZetaFunction = (x, at) => ({ zeta: 0.1 * (x - 0.5), at });
    assert.equal(findLimit(flat, { estimate: 0.5, start: empty, direction: -1, z: 1.96, step: 0.1, bound: 0 }), 0);
    assert.equal(findLimit(flat, { estimate: 0.5, start: empty, direction: 1, z: 1.96, step: 0.1, bound: 1 }), 1);
    assert.equal(findLimit(flat, { estimate: 0, start: empty, direction: -1, z: 1.96, step: 0.1, bound: 0 }), 0);
  });

  it("handles an infinite ζ beyond the domain and gives NaN when ζ fails", () => {
    // ζ = +∞ for x ≥ 1: the crossing at 0.8 is still found by bisection
    const edge: ZetaFunction = (x, at) => ({ zeta: x >= 1 ? Infinity : (x - 0.3) / 0.25, at });
    const up = findLimit(edge, { estimate: 0.3, start: empty, direction: 1, z: 2, step: 0.6, bound: 1 });
    assert.ok(Math.abs(up - 0.8) < 1e-7, String(up));
    const broken: ZetaFunction = (_x, at) => ({ zeta: NaN, at });
    assert.ok(Number.isNaN(findLimit(broken, { estimate: 0, start: empty, direction: 1, z: 2, step: 1, bound: Infinity })));
  });
});

describe("minimiseWithFixed", () => {
  const box = { lower: Float64Array.of(-Infinity, -Infinity), upper: Float64Array.of(Infinity, Infinity), scale: Float64Array.of(1, 1) };

  it("minimises over the free coordinates only", () => {
    const r = minimiseWithFixed((v) => (v[0] - 1) ** 2 + (v[1] - v[0]) ** 2, Float64Array.of(0, 0), 0, 3, box);
    assert.equal(r.x[0], 3);
    assert.ok(Math.abs(r.x[1] - 3) < 1e-6);
    assert.ok(Math.abs(r.fx - 4) < 1e-10);
  });

  it("reports +Infinity outside the domain and NaN for a failing objective", () => {
    assert.equal(minimiseWithFixed(() => Infinity, Float64Array.of(0, 0), 0, 1, box).fx, Infinity);
    assert.ok(Number.isNaN(minimiseWithFixed(() => NaN, Float64Array.of(0, 0), 0, 1, box).fx));
  });
});
