import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { bobyqa } from "../../src/optim/bobyqa.js";
import { MlmError } from "../../src/errors.js";

const F = Float64Array;

/** Wraps f to count calls and record any call outside [lower, upper]. */
function tracked(f: (x: Float64Array) => number, lower?: Float64Array, upper?: Float64Array) {
  const state = { calls: 0, violations: 0, first: null as Float64Array | null };
  const fn = (x: Float64Array): number => {
    state.calls++;
    if (state.first === null) state.first = Float64Array.from(x);
    for (let i = 0; i < x.length; i++) {
      if ((lower && x[i] < lower[i]) || (upper && x[i] > upper[i])) state.violations++;
    }
    return f(x);
  };
  return { fn, state };
}

function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("bobyqa: unconstrained test functions", () => {
  it("Rosenbrock 2-D from (-1.2, 1) reaches (1, 1) (200 evaluations)", () => {
    const { fn, state } = tracked(rosenbrock);
    const r = bobyqa(fn, new F([-1.2, 1]), { rhoBeg: 0.5, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.equal(r.name, "bobyqa");
    assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-7, `x = ${r.x}`);
    assert.ok(r.fx < 1e-14);
    assert.equal(r.evaluations, state.calls);
    assert.ok(r.evaluations <= 300, `evaluations ${r.evaluations}`);
  });

  it("Rosenbrock 4-D from (-1.2, 1, -1.2, 1) reaches the global minimum (312 evaluations)", () => {
    const r = bobyqa(rosenbrock, new F([-1.2, 1, -1.2, 1]), { rhoBeg: 0.5, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, [1, 1, 1, 1]) < 1e-6, `x = ${r.x}`);
    assert.ok(r.fx < 1e-12);
    assert.ok(r.evaluations <= 500, `evaluations ${r.evaluations}`);
  });

  it("Rosenbrock 10-D from 0 reaches the global minimum (790 evaluations)", () => {
    const r = bobyqa(rosenbrock, new F(10), { rhoBeg: 0.5, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, new F(10).fill(1)) < 1e-5, `x = ${r.x}`);
    assert.ok(r.fx < 1e-12);
    assert.ok(r.evaluations <= 1500, `evaluations ${r.evaluations}`);
  });

  it("Rosenbrock 10-D from (-1, 1, ..., 1) stops at the known local minimum f = 3.98658 (394 evaluations)", () => {
    // the chained Rosenbrock function has a second minimum near x1 = -0.9933 for 4 <= n <= 30
    const x0 = new F(10).fill(1);
    x0[0] = -1;
    const r = bobyqa(rosenbrock, x0, { rhoBeg: 0.1, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.fx - 3.986579112) < 1e-8, `fx = ${r.fx}`);
    assert.ok(Math.abs(r.x[0] + 0.9932634) < 1e-6, `x1 = ${r.x[0]}`);
    assert.ok(r.evaluations <= 800, `evaluations ${r.evaluations}`);
  });

  it("a 6-D convex quadratic reaches its known minimiser for every npt (148-326 evaluations)", () => {
    // f(x) = 3 + sum_i (i+1)(x_i - i/3)^2 + (1/2) sum_{i>0} (x_i - i/3)(x_{i-1} - (i-1)/3)
    const quad = (x: Float64Array): number => {
      let s = 3;
      for (let i = 0; i < 6; i++) {
        s += (i + 1) * (x[i] - i / 3) ** 2;
        if (i > 0) s += 0.5 * (x[i] - i / 3) * (x[i - 1] - (i - 1) / 3);
      }
      return s;
    };
    const xmin = [0, 1 / 3, 2 / 3, 1, 4 / 3, 5 / 3];
    for (const npt of [8, 13, 21, 28]) {
      const r = bobyqa(quad, new F(6), { npt, rhoBeg: 0.5, rhoEnd: 1e-9 });
      assert.equal(r.converged, true);
      assert.ok(maxAbsDiff(r.x, xmin) < 1e-7, `npt ${npt}: x = ${r.x}`);
      assert.ok(Math.abs(r.fx - 3) < 1e-14, `npt ${npt}: fx = ${r.fx}`);
      assert.ok(r.evaluations <= 500, `npt ${npt}: evaluations ${r.evaluations}`);
    }
  });

  it("Beale's function from (1, 1) reaches (3, 0.5) (96 evaluations)", () => {
    const beale = (x: Float64Array): number =>
      (1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2 + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2;
    const r = bobyqa(beale, new F([1, 1]), { rhoBeg: 0.5, rhoEnd: 1e-9 });
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, [3, 0.5]) < 1e-7, `x = ${r.x}`);
    assert.ok(r.fx < 1e-16);
    assert.ok(r.evaluations <= 200, `evaluations ${r.evaluations}`);
  });
});

describe("bobyqa: one parameter (the common LMM case)", () => {
  it("minimises (x - 3)^2 + 1 from 0 (19 evaluations)", () => {
    const r = bobyqa((x) => (x[0] - 3) ** 2 + 1, new F([0]));
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.x[0] - 3) < 1e-7);
    assert.ok(Math.abs(r.fx - 1) < 1e-13);
    assert.ok(r.evaluations <= 40, `evaluations ${r.evaluations}`);
  });

  it("minimises exp(x) - 2x over x >= 0 with lme4's radii: x = log 2 (19 evaluations)", () => {
    const r = bobyqa((x) => Math.exp(x[0]) - 2 * x[0], new F([1]), { lower: new F([0]), rhoBeg: 0.2, rhoEnd: 2e-7 });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.x[0] - Math.LN2) < 2e-6, `x = ${r.x[0]}`);
    assert.ok(Math.abs(r.fx - (2 - 2 * Math.LN2)) < 1e-11);
    assert.ok(r.evaluations <= 40, `evaluations ${r.evaluations}`);
  });
});

describe("bobyqa: bounds", () => {
  it("(x + 1)^2 subject to x >= 0 ends exactly on the bound (19 evaluations)", () => {
    const lower = new F([0]);
    const { fn, state } = tracked((x) => (x[0] + 1) ** 2, lower);
    const r = bobyqa(fn, new F([2]), { lower });
    assert.equal(r.converged, true);
    assert.equal(r.x[0], 0);
    assert.equal(r.fx, 1);
    assert.equal(state.violations, 0);
    assert.ok(r.evaluations <= 40, `evaluations ${r.evaluations}`);
  });

  it("a singular-fit-like problem: theta_1 = 0 on its bound, theta_2 free (36 evaluations)", () => {
    const lower = new F([0, -Infinity]);
    const { fn, state } = tracked((x) => Math.log(1 + x[0] * x[0]) + 0.3 * x[0] + (x[1] - 0.7) ** 2, lower);
    const r = bobyqa(fn, new F([1, 1]), { lower });
    assert.equal(r.converged, true);
    assert.equal(r.x[0], 0);
    assert.ok(Math.abs(r.x[1] - 0.7) < 1e-6);
    assert.ok(r.fx < 1e-12);
    assert.equal(state.violations, 0);
  });

  it("projects a starting point outside the bounds before the first evaluation", () => {
    const lower = new F([0, 0]);
    const upper = new F([1, 2]);
    const { fn, state } = tracked((x) => (x[0] - 0.5) ** 2 + (x[1] - 3) ** 2, lower, upper);
    const r = bobyqa(fn, new F([-4, 10]), { lower, upper });
    assert.deepEqual(Array.from(state.first ?? []), [0, 2]);
    assert.equal(state.violations, 0);
    assert.ok(maxAbsDiff(r.x, [0.5, 2]) < 1e-6);
    assert.equal(r.x[1], 2);
  });

  it("Powell's bounded test problem (sum of inverse distances of points in a square) reaches a KKT point", () => {
    // BOBYQA report, section 7: F(x) = sum_{i<j} 1/|p_i - p_j|, p_i = (x_{2i-1}, x_{2i}), -1 <= x <= 1,
    // started from equally spaced points on the unit circle.
    const invdist = (x: Float64Array): number => {
      const M = x.length / 2;
      let s = 0;
      for (let i = 0; i < M; i++) {
        for (let j = i + 1; j < M; j++) s += 1 / Math.max(Math.hypot(x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]), 1e-6);
      }
      return s;
    };
    const cases: Array<[number, number, number]> = [
      // [points M, npt, least F found]
      [5, 16, 5.601533972],
      [5, 21, 5.601533972],
      [10, 26, 32.20305337],
      [10, 41, 32.20305337],
    ];
    for (const [M, npt, fmin] of cases) {
      const n = 2 * M;
      const x0 = new F(n);
      for (let i = 0; i < M; i++) {
        x0[2 * i] = Math.cos((2 * Math.PI * (i + 1)) / M);
        x0[2 * i + 1] = Math.sin((2 * Math.PI * (i + 1)) / M);
      }
      const lower = new F(n).fill(-1);
      const upper = new F(n).fill(1);
      const { fn, state } = tracked(invdist, lower, upper);
      const r = bobyqa(fn, x0, { lower, upper, rhoBeg: 0.1, rhoEnd: 1e-6, npt });
      assert.equal(r.converged, true);
      assert.equal(state.violations, 0);
      assert.ok(Math.abs(r.fx - fmin) < 1e-7, `M ${M} npt ${npt}: fx = ${r.fx}`);
      assert.ok(r.evaluations <= 600, `M ${M} npt ${npt}: evaluations ${r.evaluations}`);
      // first-order conditions by central differences: zero gradient on free coordinates,
      // gradient pointing out of the box on coordinates at a bound
      const h = 1e-6;
      const xp = Float64Array.from(r.x);
      for (let i = 0; i < n; i++) {
        const lo = Math.max(r.x[i] - h, -1);
        const hi = Math.min(r.x[i] + h, 1);
        xp[i] = hi;
        const fh = invdist(xp);
        xp[i] = lo;
        const fl = invdist(xp);
        xp[i] = r.x[i];
        const g = (fh - fl) / (hi - lo);
        if (r.x[i] === -1) assert.ok(g > -1e-3, `M ${M}: coordinate ${i} at -1 has slope ${g}`);
        else if (r.x[i] === 1) assert.ok(g < 1e-3, `M ${M}: coordinate ${i} at 1 has slope ${g}`);
        else assert.ok(Math.abs(g) < 1e-3, `M ${M}: coordinate ${i} = ${r.x[i]} has slope ${g}`);
      }
    }
  });

  it("with every variable fixed by its bounds, evaluates f once", () => {
    const { fn, state } = tracked((x) => x[0] + x[1]);
    const r = bobyqa(fn, new F([0, 0]), { lower: new F([1, 2]), upper: new F([1, 2]) });
    assert.deepEqual(Array.from(r.x), [1, 2]);
    assert.equal(r.fx, 3);
    assert.equal(state.calls, 1);
    assert.equal(r.converged, true);
  });

  it("holds variables with equal bounds fixed and optimises the rest", () => {
    const lower = new F([-Infinity, 2, -Infinity]);
    const upper = new F([Infinity, 2, Infinity]);
    const { fn, state } = tracked((x) => (x[0] - x[1]) ** 2 + (x[2] + 1) ** 2 + x[1], lower, upper);
    const r = bobyqa(fn, new F([0, 5, 0]), { lower, upper, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.equal(r.x[1], 2);
    assert.ok(maxAbsDiff(r.x, [2, 2, -1]) < 1e-7);
    assert.ok(Math.abs(r.fx - 2) < 1e-13);
    assert.equal(state.violations, 0);
  });
});

describe("bobyqa: awkward objectives and stopping", () => {
  it("Rosenbrock with NaN for x1 > 1.2 and Infinity for x2 < 0.3 still reaches (1, 1) (85 evaluations)", () => {
    let bad = 0;
    const f = (x: Float64Array): number => {
      if (x[0] > 1.2) {
        bad++;
        return NaN;
      }
      if (x[1] < 0.3) {
        bad++;
        return Infinity;
      }
      return rosenbrock(x);
    };
    const r = bobyqa(f, new F([1.15, 0.5]), { rhoBeg: 0.2, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(bad > 0, "the run met the bad region");
    assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-7, `x = ${r.x}`);
    assert.ok(r.evaluations <= 300, `evaluations ${r.evaluations}`);
  });

  it("NaN at the first coordinate step: the initial points come closer and the run succeeds (37 evaluations)", () => {
    const r = bobyqa((x) => (x[0] > 0.1 ? NaN : (x[0] + 1) ** 2 + x[1] ** 2), new F([0, 0]), { rhoBeg: 0.2, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, [-1, 0]) < 1e-7, `x = ${r.x}`);
  });

  it("f finite only at the start: stops with converged = false and the start", () => {
    const r = bobyqa((x) => (x[0] !== 0 || x[1] !== 0 ? NaN : 1), new F([0, 0]));
    assert.equal(r.converged, false);
    assert.deepEqual(Array.from(r.x), [0, 0]);
    assert.equal(r.fx, 1);
    assert.match(r.message, /not finite/);
  });

  it("a huge but finite value does not derail the run (43 evaluations)", () => {
    // a spike of 1e9 in a small disk where the seventh evaluation of the plain run lands
    let hits = 0;
    const f = (x: Float64Array): number => {
      if (Math.hypot(x[0] + 0.1905, x[1] + 0.7546) < 0.05) {
        hits++;
        return 1e9;
      }
      return (x[0] + 1) ** 2 + (x[1] + 2) ** 2;
    };
    const r = bobyqa(f, new F([0.3, 0.3]), { rhoBeg: 0.3, rhoEnd: 1e-8, lower: new F([-1.5, -1.5]) });
    assert.ok(hits > 0, "the run met the spike");
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, [-1, -1.5]) < 1e-7, `x = ${r.x}`);
    assert.ok(r.evaluations <= 100, `evaluations ${r.evaluations}`);
  });

  it("stops with converged = false after maxEval evaluations", () => {
    const { fn, state } = tracked(rosenbrock);
    const r = bobyqa(fn, new F([-1.2, 1]), { maxEval: 30 });
    assert.equal(r.converged, false);
    assert.equal(r.evaluations, 30);
    assert.equal(state.calls, 30);
    assert.match(r.message, /maximum of 30 evaluations/);
    assert.ok(r.fx < rosenbrock(new F([-1.2, 1])));
    assert.equal(r.fx, rosenbrock(r.x));
  });

  it("a budget smaller than the initial point set stops cleanly", () => {
    const r = bobyqa(rosenbrock, new F([-1.2, 1]), { maxEval: 3 });
    assert.equal(r.converged, false);
    assert.equal(r.evaluations, 3);
    assert.equal(r.fx, rosenbrock(r.x));
  });

  it("f scribbling over its argument does no harm when some variables are fixed", () => {
    const lower = new F([-Infinity, 3]);
    const upper = new F([Infinity, 3]);
    const r = bobyqa((x) => {
      const v = (x[0] - x[1]) ** 2;
      x.fill(-7);
      return v;
    }, new F([0, 0]), { lower, upper, rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.x[0] - 3) < 1e-7);
    assert.equal(r.x[1], 3);
  });

  it("f scribbling over its argument does no harm", () => {
    // f scribbles over its argument: the optimiser must not depend on it afterwards
    const r = bobyqa((x) => {
      const v = (x[0] - 1) ** 2 + (x[1] - 2) ** 2;
      x.fill(1e6);
      return v;
    }, new F([0, 0]), { rhoEnd: 1e-8 });
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, [1, 2]) < 1e-7);
  });
});

describe("bobyqa: input errors", () => {
  it("throws MlmError for inconsistent inputs", () => {
    const f = (x: Float64Array) => x[0] ** 2;
    assert.throws(() => bobyqa(f, new F([])), MlmError);
    assert.throws(() => bobyqa(f, new F([1, 2]), { lower: new F([0]) }), /lower bound has length 1/);
    assert.throws(() => bobyqa(f, new F([1]), { lower: new F([2]), upper: new F([1]) }), /bounds of parameter 1/);
    assert.throws(() => bobyqa(f, new F([NaN])), /not a finite number/);
    assert.throws(() => bobyqa(f, new F([1]), { rhoBeg: 1e-3, rhoEnd: 1e-2 }), /rhoEnd/);
    assert.throws(() => bobyqa(f, new F([1, 2]), { npt: 3 }), /npt = 3 is invalid/);
    assert.throws(() => bobyqa(f, new F([1]), { maxEval: 0 }), /maxEval/);
    assert.throws(() => bobyqa(() => NaN, new F([1])), /not finite at the starting point/);
    assert.throws(() => bobyqa(() => Infinity, new F([1]), { lower: new F([1]), upper: new F([1]) }), /not finite at the starting point/);
  });
});

describe("bobyqa: the documented example", () => {
  it("minimises (x1 - 1)^2 + (x2 + 2)^2 over x >= 0", () => {
    const r = bobyqa((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, new F([0, 0]), {
      lower: new F([0, 0]),
      rhoBeg: 0.5,
      rhoEnd: 1e-8,
    });
    assert.equal(r.converged, true);
    assert.ok(maxAbsDiff(r.x, [1, 0]) < 1e-7);
    assert.equal(r.x[1], 0);
    assert.ok(Math.abs(r.fx - 4) < 1e-13);
  });
});

/** Minimiser of (1/2)(x - c)'H(x - c) over a box by projected gradient descent (reference answer). */
function projectedMinimum(n: number, H: Float64Array, c: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  let L = 0;
  for (let i = 0; i < n * n; i++) L += H[i] * H[i];
  L = Math.sqrt(L); // Frobenius norm >= largest eigenvalue: step 1/L is safe
  const x = new F(n);
  for (let i = 0; i < n; i++) x[i] = Math.min(Math.max(0, lower[i]), upper[i]);
  const g = new F(n);
  for (let it = 0; it < 100000; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[i + j * n] * (x[j] - c[j]);
      g[i] = s;
    }
    for (let i = 0; i < n; i++) {
      const xi = Math.min(Math.max(x[i] - g[i] / L, lower[i]), upper[i]);
      moved = Math.max(moved, Math.abs(xi - x[i]));
      x[i] = xi;
    }
    if (moved < 1e-15) break;
  }
  return x;
}

describe("bobyqa: property", () => {
  it("random convex quadratics in 1-6 dimensions with random boxes reach the bounded minimum", () => {
    const coord = fc.double({ min: -2, max: 2, noNaN: true });
    const problem = fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        b: fc.array(coord, { minLength: n * n, maxLength: n * n }),
        c: fc.array(coord, { minLength: n, maxLength: n }),
        x0: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
        boxes: fc.array(
          fc.record({ kind: fc.integer({ min: 0, max: 3 }), lo: fc.double({ min: -1.5, max: 0.5, noNaN: true }), width: fc.double({ min: 0.5, max: 2.5, noNaN: true }) }),
          { minLength: n, maxLength: n },
        ),
      }),
    );
    fc.assert(
      fc.property(problem, ({ n, b, c, x0, boxes }) => {
        // H = B'B + 0.1 I is positive definite
        const H = new F(n * n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = i === j ? 0.1 : 0;
            for (let k = 0; k < n; k++) s += b[k + i * n] * b[k + j * n];
            H[i + j * n] = s;
          }
        }
        const lower = new F(n);
        const upper = new F(n);
        for (let i = 0; i < n; i++) {
          const { kind, lo, width } = boxes[i];
          lower[i] = kind === 1 || kind === 3 ? lo : -Infinity; // 0: free, 1: lower, 2: upper, 3: both
          upper[i] = kind === 3 ? lo + width : kind === 2 ? lo + width : Infinity;
        }
        const cv = F.from(c);
        const quad = (x: Float64Array): number => {
          let s = 0;
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += 0.5 * (x[i] - cv[i]) * H[i + j * n] * (x[j] - cv[j]);
          return s;
        };
        const { fn, state } = tracked(quad, lower, upper);
        const r = bobyqa(fn, F.from(x0), { lower, upper, rhoBeg: 0.2, rhoEnd: 1e-8 });
        const xstar = projectedMinimum(n, H, cv, lower, upper);
        const fstar = quad(xstar);
        return (
          r.converged &&
          state.violations === 0 &&
          r.fx - fstar < 1e-9 * (1 + Math.abs(fstar)) &&
          maxAbsDiff(r.x, xstar) < 1e-4 &&
          r.evaluations < 1000
        );
      }),
      { numRuns: 200, seed: 20240611 },
    );
  });
});
