import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { TrustRegionWork, trustRegionStep } from "../../src/optim/trust-region-step.js";

const F = Float64Array;

function q(n: number, g: Float64Array, H: Float64Array, d: Float64Array): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    v += g[i] * d[i];
    for (let j = 0; j < n; j++) v += 0.5 * d[i] * H[i + j * n] * d[j];
  }
  return v;
}

describe("trustRegionStep", () => {
  it("documented example: the bound d1 >= -0.5 stops the step at (-0.5, 0), reduction 0.875", () => {
    const d = new F(2);
    const red = trustRegionStep(2, new F([2, 0]), new F([1, 0, 0, 1]), 1, new F([-0.5, -Infinity]), new F([Infinity, Infinity]), d, new TrustRegionWork(2));
    assert.deepEqual(Array.from(d), [-0.5, 0]);
    assert.ok(Math.abs(red - 0.875) < 1e-15);
  });

  it("takes the Newton step when it lies inside the region and the box", () => {
    // H = [[4, 1], [1, 3]], g = (1, 2): Newton step -H^-1 g = (-1/11, -7/11)
    const d = new F(2);
    const work = new TrustRegionWork(2);
    const red = trustRegionStep(2, new F([1, 2]), new F([4, 1, 1, 3]), 10, new F([-5, -5]), new F([5, 5]), d, work);
    assert.ok(Math.abs(d[0] + 1 / 11) < 1e-14 && Math.abs(d[1] + 7 / 11) < 1e-14, `d = ${d}`);
    assert.ok(Math.abs(red - 15 / 22) < 1e-14); // -q = g'H^-1 g / 2 = (1*1 + 2*7)/22
    assert.ok(work.curvature > 0);
  });

  it("one variable: the minimiser of g d + h d^2/2 clipped to the interval", () => {
    const work = new TrustRegionWork(1);
    const d = new F(1);
    trustRegionStep(1, new F([-3]), new F([2]), 10, new F([-Infinity]), new F([Infinity]), d, work);
    assert.ok(Math.abs(d[0] - 1.5) < 1e-15);
    trustRegionStep(1, new F([-3]), new F([2]), 1, new F([-Infinity]), new F([Infinity]), d, work);
    assert.equal(d[0], 1);
    trustRegionStep(1, new F([-3]), new F([2]), 1, new F([-1]), new F([0.25]), d, work);
    assert.equal(d[0], 0.25);
    trustRegionStep(1, new F([1]), new F([-1]), 2, new F([-Infinity]), new F([Infinity]), d, work); // negative curvature
    assert.equal(d[0], -2);
  });

  it("on the boundary without bounds it is close to the exact trust-region solution (2-D)", () => {
    // exact solution by scanning the circle finely (H indefinite: the minimiser is on the boundary)
    const g = new F([0.3, -1]);
    const H = new F([1, 2, 2, -1]);
    const delta = 1.5;
    const d = new F(2);
    trustRegionStep(2, g, H, delta, new F([-Infinity, -Infinity]), new F([Infinity, Infinity]), d, new TrustRegionWork(2));
    let best = Infinity;
    for (let k = 0; k < 200000; k++) {
      const a = (2 * Math.PI * k) / 200000;
      best = Math.min(best, q(2, g, H, new F([delta * Math.cos(a), delta * Math.sin(a)])));
    }
    const mine = q(2, g, H, d);
    assert.ok(mine <= best + 1e-6 * Math.abs(best), `q = ${mine}, optimum ${best}`);
    assert.ok(Math.abs(Math.hypot(d[0], d[1]) - delta) < 1e-12);
  });

  it("property: feasible, within the radius, and at least as good as the projected Cauchy step", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            h: fc.array(fc.integer({ min: -300, max: 300 }).map((k) => k / 100), { minLength: n * n, maxLength: n * n }),
            g: fc.array(fc.integer({ min: -200, max: 200 }).map((k) => k / 100), { minLength: n, maxLength: n }),
            lo: fc.array(fc.oneof(fc.constant(0), fc.constant(-Infinity), fc.double({ min: -1, max: 0, noNaN: true })), { minLength: n, maxLength: n }),
            hi: fc.array(fc.oneof(fc.constant(0), fc.constant(Infinity), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: n, maxLength: n }),
            delta: fc.double({ min: 0.01, max: 3, noNaN: true }),
          }),
        ),
        ({ n, h, g, lo, hi, delta }) => {
          const H = new F(n * n);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i + j * n] = 0.5 * (h[i + j * n] + h[j + i * n]);
          const gv = F.from(g);
          const sl = F.from(lo);
          const su = F.from(hi);
          const d = new F(n);
          const red = trustRegionStep(n, gv, H, delta, sl, su, d, new TrustRegionWork(n));
          let norm = 0;
          for (let i = 0; i < n; i++) {
            if (d[i] < sl[i] || d[i] > su[i]) return false;
            norm += d[i] * d[i];
          }
          if (Math.sqrt(norm) > delta * (1 + 1e-12)) return false;
          if (Math.abs(red + q(n, gv, H, d)) > 1e-12 * (1 + Math.abs(red))) return false;
          // projected Cauchy step: best point on d(t) = P(-t g) within the radius, by scanning
          let cauchy = 0;
          const c = new F(n);
          for (let k = 1; k <= 400; k++) {
            const t = (k / 400) * (delta / Math.max(1e-300, Math.hypot(...g)));
            let nn = 0;
            for (let i = 0; i < n; i++) {
              c[i] = Math.min(Math.max(-t * gv[i], sl[i]), su[i]);
              nn += c[i] * c[i];
            }
            if (Math.sqrt(nn) > delta) break;
            cauchy = Math.min(cauchy, q(n, gv, H, c));
          }
          return -red <= cauchy + 1e-12 * (1 + Math.abs(cauchy));
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});
