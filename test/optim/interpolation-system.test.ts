import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InterpolationSystem } from "../../src/optim/interpolation-system.js";

const F = Float64Array;

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): boolean {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol)) return false;
  return a.length === b.length;
}

/** The points 0, e_i, -e_i (i = 1..n) moved by the perturbations (each in [-0.3, 0.3]): well poised. */
function perturbedPattern(n: number, perturb: number[]): Float64Array {
  const m = 2 * n + 1;
  const P = new F(n * m);
  for (let i = 0; i < n; i++) {
    P[i + (1 + i) * n] = 1;
    P[i + (1 + n + i) * n] = -1;
  }
  for (let k = 0; k < n * m; k++) P[k] += perturb[k];
  return P;
}

/** Largest |entry| of the inverse: a cheap measure of how ill-conditioned the point set is. */
function inverseSize(sys: InterpolationSystem): number {
  let big = 0;
  for (const v of sys.inverse) big = Math.max(big, Math.abs(v));
  return big;
}

describe("InterpolationSystem: documented examples", () => {
  it("Lagrange functions of the points 0, 1, -1 are 1 - x^2, (x + x^2)/2, (x^2 - x)/2", () => {
    const sys = new InterpolationSystem(1, 3);
    assert.equal(sys.factor(new F([0, 1, -1]), new F([0]), 1), true);
    const l = sys.lagrangeValues(new F([0.5]), new F(5));
    assert.ok(close(l.subarray(0, 3), [0.75, 0.375, -0.125], 1e-14), `l = ${l}`);
  });

  it("a repeated point makes the system singular", () => {
    const sys = new InterpolationSystem(1, 3);
    assert.equal(sys.factor(new F([0, 1, 1]), new F([0]), 1), false);
  });

  it("basis(2) is [0, 2, 2, 1, 2] and returns |z|^4/2 = 8", () => {
    const sys = new InterpolationSystem(1, 3);
    sys.factor(new F([0, 1, -1]), new F([0]), 1);
    const w = new F(5);
    assert.equal(sys.basis(new F([2]), w), 8);
    assert.deepEqual(Array.from(w), [0, 2, 2, 1, 2]);
  });

  it("interpolating (0, 1, 1) at 0, 1, -1 gives lambda = (-2, 1, 1): the quadratic x^2", () => {
    const sys = new InterpolationSystem(1, 3);
    sys.factor(new F([0, 1, -1]), new F([0]), 1);
    const c = sys.solve(new F([0, 1, 1, 0, 0]), new F(5));
    assert.ok(close(c, [-2, 1, 1, 0, 0], 1e-14), `c = ${c}`);
  });
});

describe("InterpolationSystem: least Frobenius norm interpolation", () => {
  it("2n+1 axis points give a diagonal Hessian with the second differences", () => {
    // f(x) = x1^2 + 3 x2^2 + x1 x2 sampled at 0, +-h e_i: the cross term is invisible, so the
    // least-norm Hessian is diag(2, 6) and the gradient is exact on the axes
    const n = 2;
    const m = 5;
    const h = 0.5;
    const pts = new F([0, 0, h, 0, 0, h, -h, 0, 0, -h]);
    const f = (x: number, y: number) => x * x + 3 * y * y + x * y;
    const r = new F(m + n + 1);
    for (let j = 0; j < m; j++) r[j] = f(pts[2 * j], pts[2 * j + 1]);
    const sys = new InterpolationSystem(n, m);
    assert.equal(sys.factor(pts, new F([0, 0]), h), true);
    const sol = sys.solve(r, new F(m + n + 1));
    // Hessian in x: sum_j lambda_j (y_j)(y_j)' / s^4 (centre 0, scale h)
    const H = [0, 0, 0, 0];
    for (let j = 0; j < m; j++) {
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) H[a + 2 * b] += (sol[j] * pts[2 * j + a] * pts[2 * j + b]) / h ** 4;
    }
    assert.ok(close(H, [2, 0, 0, 6], 1e-12), `H = ${H}`);
    assert.ok(Math.abs(sol[m]) < 1e-14); // value at the centre
    assert.ok(close([sol[m + 1] / h, sol[m + 2] / h], [0, 0], 1e-12)); // gradient at 0
  });

  it("property: Lagrange conditions l_k(y_j) = delta_jk hold for any centre and scale of the order of the point spread", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            perturb: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: n * (2 * n + 1), maxLength: n * (2 * n + 1) }),
            shift: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
            scale: fc.double({ min: 0.3, max: 3, noNaN: true }),
          }),
        ),
        ({ n, perturb, shift, scale }) => {
          const m = 2 * n + 1;
          const P = perturbedPattern(n, perturb);
          const sys = new InterpolationSystem(n, m);
          if (!sys.factor(P, F.from(shift), scale)) return false;
          const out = new F(m + n + 1);
          for (let j = 0; j < m; j++) {
            sys.lagrangeValues(P.subarray(j * n, (j + 1) * n), out);
            for (let k = 0; k < m; k++) if (Math.abs(out[k] - (k === j ? 1 : 0)) > 1e-6) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it("with (n+1)(n+2)/2 points a quadratic is reproduced exactly", () => {
    // n = 2, m = 6: the interpolant of a quadratic is the quadratic itself
    const pts = new F([0, 0, 1, 0, 0, 1, -1, 0, 0, -1, 1, 1]);
    const f = (x: number, y: number) => 2 + x - 3 * y + 0.5 * x * x - x * y + 2 * y * y;
    const m = 6;
    const sys = new InterpolationSystem(2, m);
    assert.equal(sys.factor(pts, new F([0, 0]), 1), true);
    const r = new F(m + 3);
    for (let j = 0; j < m; j++) r[j] = f(pts[2 * j], pts[2 * j + 1]);
    const sol = sys.solve(r, new F(m + 3));
    const model = (x: number, y: number) => {
      let v = sol[m] + sol[m + 1] * x + sol[m + 2] * y;
      for (let j = 0; j < m; j++) v += 0.5 * sol[j] * (pts[2 * j] * x + pts[2 * j + 1] * y) ** 2;
      return v;
    };
    for (const [x, y] of [[0.3, -0.7], [2, 1.5], [-1.2, 0.4]]) {
      assert.ok(Math.abs(model(x, y) - f(x, y)) < 1e-12, `at (${x}, ${y})`);
    }
  });

  it("documented example: after replacing -1 by 2 the Lagrange values at 3 are (1, -3, 3)", () => {
    const sys = new InterpolationSystem(1, 3);
    sys.factor(new F([0, 1, -1]), new F([0]), 1);
    assert.equal(sys.replacePoint(2, new F([2])), true);
    const l = sys.lagrangeValues(new F([3]), new F(5));
    assert.ok(close(l.subarray(0, 3), [1, -3, 3], 1e-12), `l = ${l}`);
    assert.equal(sys.updates, 1);
  });

  it("property: a sequence of replacePoint updates gives the inverse a fresh factor gives", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            perturb: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: n * (2 * n + 1), maxLength: n * (2 * n + 1) }),
            moves: fc.array(
              fc.record({ k: fc.integer({ min: 0, max: 2 * n }), x: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }) }),
              { minLength: 1, maxLength: 6 },
            ),
          }),
        ),
        ({ n, perturb, moves }) => {
          const m = 2 * n + 1;
          const P = perturbedPattern(n, perturb);
          const centre = new F(n).fill(0.1);
          const sys = new InterpolationSystem(n, m);
          if (!sys.factor(P, centre, 0.7)) return false;
          for (const { k, x } of moves) {
            if (!sys.replacePoint(k, F.from(x))) return true; // a singular or inaccurate update is reported, not hidden
            P.set(x, k * n);
          }
          const fresh = new InterpolationSystem(n, m);
          // random moves can make the set nearly degenerate: compare only well-conditioned sets
          if (!fresh.factor(P, centre, 0.7) || inverseSize(fresh) > 1e6) return true;
          // compare through Lagrange values at a few points, which are well scaled
          const a = new F(m + n + 1);
          const b = new F(m + n + 1);
          for (let t = 0; t < 3; t++) {
            const x = new F(n).map((_, i) => 0.3 * t - 0.2 * i);
            sys.lagrangeValues(x, a);
            fresh.lagrangeValues(x, b);
            for (let j = 0; j < m; j++) if (Math.abs(a[j] - b[j]) > 1e-6 * (1 + Math.abs(b[j]))) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});

