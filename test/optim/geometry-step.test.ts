import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { GeometryWork, geometryStep, pathReach } from "../../src/optim/geometry-step.js";
import { InterpolationSystem } from "../../src/optim/interpolation-system.js";

const F = Float64Array;

/** |sigma| = |(W^-1)_kk beta(x) + l_k(x)^2| for moving point k to x. */
function sigma(sys: InterpolationSystem, k: number, x: Float64Array): number {
  const w = new F(sys.size);
  const v = new F(sys.size);
  const half4 = sys.basis(x, w);
  sys.solve(w, v);
  let wv = 0;
  for (let i = 0; i < sys.size; i++) wv += w[i] * v[i];
  return Math.abs(sys.inverse[k + k * sys.size] * (half4 - wv) + v[k] * v[k]);
}

describe("geometryStep", () => {
  it("documented example: moving y = -1 within 0.5 of 0 gives -0.5, where |l| = 0.375", () => {
    const sys = new InterpolationSystem(1, 3);
    const pts = new F([0, 1, -1]);
    sys.factor(pts, new F([0]), 1);
    const x = new F(1);
    const s = geometryStep(sys, pts, 0, 2, new F([-Infinity]), new F([Infinity]), 0.5, x, new GeometryWork(1, 3));
    assert.deepEqual(Array.from(x), [-0.5]);
    assert.ok(Math.abs(s - sigma(sys, 2, x)) < 1e-14);
  });

  it("respects the bounds", () => {
    const sys = new InterpolationSystem(1, 3);
    const pts = new F([0, 1, -1]);
    sys.factor(pts, new F([0]), 1);
    const x = new F(1);
    geometryStep(sys, pts, 0, 2, new F([-0.2]), new F([Infinity]), 0.5, x, new GeometryWork(1, 3));
    assert.ok(x[0] >= -0.2 && x[0] <= 0.5 && x[0] !== 0, `x = ${x[0]}`);
  });

  it("property: feasible, within the radius, and |sigma| at least 1/5 of the best of 3000 random feasible points", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            pts: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * (2 * n + 1), maxLength: n * (2 * n + 1) }),
            box: fc.array(fc.double({ min: 0, max: 0.5, noNaN: true }), { minLength: n, maxLength: n }),
            knew: fc.integer({ min: 1, max: 2 * n }),
            radius: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
            seed: fc.integer({ min: 1, max: 1e6 }),
          }),
        ),
        ({ n, pts, box, knew, radius, seed }) => {
          const m = 2 * n + 1;
          const P = F.from(pts);
          const xopt = P.slice(0, n);
          // a box around the points, tight on some sides
          const lower = new F(n);
          const upper = new F(n);
          for (let i = 0; i < n; i++) {
            let lo = Infinity;
            let hi = -Infinity;
            for (let j = 0; j < m; j++) {
              lo = Math.min(lo, P[i + j * n]);
              hi = Math.max(hi, P[i + j * n]);
            }
            lower[i] = lo - box[i];
            upper[i] = hi + box[i];
          }
          const sys = new InterpolationSystem(n, m);
          if (!sys.factor(P, xopt, 1)) return true;
          const x = new F(n);
          const s = geometryStep(sys, P, 0, knew, lower, upper, radius, x, new GeometryWork(n, m));
          let dist = 0;
          for (let i = 0; i < n; i++) {
            if (x[i] < lower[i] || x[i] > upper[i]) return false;
            dist += (x[i] - xopt[i]) ** 2;
          }
          if (Math.sqrt(dist) > radius * (1 + 1e-12)) return false;
          if (Math.abs(s - sigma(sys, knew, x)) > 1e-9 * (1 + s)) return false;
          let state = seed;
          const rand = () => {
            state = (state * 1664525 + 1013904223) >>> 0;
            return state / 4294967296;
          };
          let best = 0;
          const y = new F(n);
          for (let k = 0; k < 3000; k++) {
            let nn = 0;
            for (let i = 0; i < n; i++) {
              y[i] = rand() * 2 - 1;
              nn += y[i] * y[i];
            }
            const r = (radius * Math.pow(rand(), 1 / n)) / Math.sqrt(nn);
            for (let i = 0; i < n; i++) y[i] = Math.min(Math.max(xopt[i] + y[i] * r, lower[i]), upper[i]);
            best = Math.max(best, sigma(sys, knew, y));
          }
          return s >= 0.2 * best;
        },
      ),
      { numRuns: 150, seed: 3 },
    );
  });

  it("does not depend on the centre and scale of the system", () => {
    // 2-D, 5 points; the same step whether the system is centred at x_opt or elsewhere
    const pts = new F([0.2, 0.1, 0.7, 0.1, 0.2, 0.6, -0.3, 0.1, 0.2, -0.4]);
    const lower = new F([-1, -0.2]);
    const upper = new F([1, 1]);
    const a = new InterpolationSystem(2, 5);
    const b = new InterpolationSystem(2, 5);
    a.factor(pts, new F([0.2, 0.1]), 0.5);
    b.factor(pts, new F([-1, 2]), 3);
    const xa = new F(2);
    const xb = new F(2);
    const sa = geometryStep(a, pts, 0, 3, lower, upper, 0.3, xa, new GeometryWork(2, 5));
    const sb = geometryStep(b, pts, 0, 3, lower, upper, 0.3, xb, new GeometryWork(2, 5));
    assert.ok(Math.abs(xa[0] - xb[0]) < 1e-9 && Math.abs(xa[1] - xb[1]) < 1e-9, `${xa} vs ${xb}`);
    assert.ok(Math.abs(sa - sb) < 1e-9 * sa);
    assert.ok(Math.hypot(xa[0] - 0.2, xa[1] - 0.1) <= 0.3 + 1e-15);
  });

  it("pathReach: the projected path leaves the ball where bisection on its length finds it (property)", () => {
    const distance = (dir: number[], factor: number, t: number, x0: number[], lo: number[], hi: number[]): number =>
      Math.hypot(...dir.map((d, i) => Math.min(Math.max(x0[i] + t * factor * d, lo[i]), hi[i]) - x0[i]));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) =>
          fc.record({
            dir: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1, noNaN: true }), fc.double({ min: -1, max: -1e-3, noNaN: true })), { minLength: n, maxLength: n }),
            x0: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
            room: fc.array(fc.tuple(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true })), { minLength: n, maxLength: n }),
            radius: fc.double({ min: 0.01, max: 1, noNaN: true }),
          }),
        ),
        ({ dir, x0, room, radius }) => {
          const norm = Math.hypot(...dir);
          fc.pre(norm > 1e-6);
          const n = dir.length;
          const lo = x0.map((x, i) => x - room[i][0]);
          const hi = x0.map((x, i) => x + room[i][1]);
          const s = pathReach(n, Float64Array.from(dir), 1 / norm, radius, Float64Array.from(x0), Float64Array.from(lo), Float64Array.from(hi));
          // the path's end: every moving coordinate at the bound it moves to
          const end = Math.hypot(...dir.map((d, i) => (d > 0 ? hi[i] - x0[i] : d < 0 ? lo[i] - x0[i] : 0)));
          if (end < radius * (1 - 1e-9)) {
            // the path ends inside the ball: s and s / 2 lead to its end
            assert.ok(Math.abs(distance(dir, 1 / norm, s / 2, x0, lo, hi) - end) <= 1e-12, "s / 2 reaches the end");
            return;
          }
          // bisection on the length, as a reference
          let a = 0;
          let b = 1e6;
          for (let k = 0; k < 200; k++) {
            const mid = (a + b) / 2;
            if (distance(dir, 1 / norm, mid, x0, lo, hi) < radius) a = mid;
            else b = mid;
          }
          assert.ok(Math.abs(s - a) <= 1e-9 * Math.max(1, a), `${s} vs bisection ${a}`);
          assert.ok(Math.abs(distance(dir, 1 / norm, s, x0, lo, hi) - radius) <= 1e-12, "at the radius");
        },
      ),
      { numRuns: 500 },
    );
  });
});
