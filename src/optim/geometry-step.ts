// Geometry-improving step of a BOBYQA-class method (Powell 2009, DAMTP 2009/NA06, section 4).
//
// When the model has been unhelpful and an interpolation point y_k lies far from the best point
// x_opt, y_k is moved to a point x with |x - x_opt| <= radius inside the box where the Lagrange
// function l_k is large in modulus: the new point then adds the most information, and the
// determinant of the interpolation matrix changes by the factor
//
//   sigma = (W^-1)_kk beta(x) + l_k(x)^2,
//
// whose size keeps the set well poised. Candidates are (a) on each line through x_opt and another
// interpolation point, the maximiser of |l_k| (a quadratic in the line parameter) within the ball
// and box; (b) the projected path along +-grad l_k(x_opt) cut at the ball. The candidate with
// the largest |sigma| is returned.

import { float64Views } from "../linalg/work-arrays.js";
import type { InterpolationSystem } from "./interpolation-system.js";

/**
 * Preallocated work arrays for {@link geometryStep}.
 *
 * @example
 * ```ts
 * // 2 variables, 5 interpolation points
 * const work = new GeometryWork(2, 5);
 * work.x.length; // 2
 * ```
 */
export class GeometryWork {
  /** w(x) for a candidate. */
  readonly w: Float64Array;
  /** W^-1 w(x). */
  readonly v: Float64Array;
  /** The candidate point. */
  readonly x: Float64Array;
  /** The best candidate found. */
  readonly best: Float64Array;
  /** The best point so far, copied out of the point set. */
  readonly xopt: Float64Array;
  /** Scaled coordinates of xopt. */
  readonly zopt: Float64Array;
  /** Gradient of the Lagrange function at xopt, in scaled coordinates. */
  readonly grad: Float64Array;
  /** z_i'zopt for every point i. */
  readonly dots: Float64Array;

  /**
   * @param n - number of variables.
   * @param m - number of interpolation points.
   */
  constructor(n: number, m: number) {
    [this.w, this.v, this.x, this.best, this.xopt, this.zopt, this.grad, this.dots] = float64Views([m + n + 1, m + n + 1, n, n, n, n, n, m]);
  }
}

/**
 * Chooses a new position for interpolation point knew that keeps the point set well poised.
 *
 * The system must hold the current points (any centre and scale). The result lies in
 * [lower, upper] and within `radius` of point kopt.
 *
 * @param sys - the interpolation system of the current points.
 * @param points - the m current points (n x m, column-major).
 * @param kopt - index of the best point (the centre of the step).
 * @param knew - index of the point to move (knew !== kopt).
 * @param lower - lower bounds (may be -Infinity).
 * @param upper - upper bounds (may be +Infinity).
 * @param radius - largest distance from point kopt.
 * @param out - receives the new point (length n).
 * @param work - preallocated work arrays.
 * @returns |sigma|, the factor by which the move changes det W (0 if no move was found).
 * @example
 * ```ts
 * import { InterpolationSystem } from "./interpolation-system.js";
 * // points 0, 1, -1 in 1-D; moving y = -1 within radius 0.5 of 0 gives the point -0.5
 * const sys = new InterpolationSystem(1, 3);
 * const pts = new Float64Array([0, 1, -1]);
 * sys.factor(pts, new Float64Array([0]), 1);
 * const x = new Float64Array(1);
 * geometryStep(sys, pts, 0, 2, new Float64Array([-Infinity]), new Float64Array([Infinity]), 0.5, x,
 *   new GeometryWork(1, 3));
 * x; // Float64Array [-0.5]
 * ```
 */
export function geometryStep(
  sys: InterpolationSystem,
  points: Float64Array,
  kopt: number,
  knew: number,
  lower: Float64Array,
  upper: Float64Array,
  radius: number,
  out: Float64Array,
  work: GeometryWork,
): number {
  const { n, m, size, inverse, z, centre, scale } = sys;
  const { x, best, xopt, zopt, grad, dots } = work;
  const col = knew * size;
  // l(z) = c0 + g'z + (1/2) sum_i lambda_i (z_i'z)^2 with (lambda, c0, g) = column knew of W^-1
  for (let i = 0; i < n; i++) {
    xopt[i] = points[i + kopt * n];
    zopt[i] = (xopt[i] - centre[i]) / scale;
    grad[i] = inverse[col + m + 1 + i];
  }
  let l0 = inverse[col + m];
  for (let i = 0; i < n; i++) l0 += grad[i] * zopt[i];
  for (let j = 0; j < m; j++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += z[i + j * n] * zopt[i];
    dots[j] = t;
    const lam = inverse[col + j];
    l0 += 0.5 * lam * t * t;
    for (let i = 0; i < n; i++) grad[i] += lam * t * z[i + j * n];
  }
  let bestSigma = -1;

  // (a) lines through x_opt and each other interpolation point
  for (let j = 0; j < m; j++) {
    if (j === kopt) continue;
    let len2 = 0;
    for (let i = 0; i < n; i++) {
      const e = points[i + j * n] - xopt[i];
      len2 += e * e;
    }
    if (!(len2 > 0)) continue;
    const len = Math.sqrt(len2);
    let tlo = -radius / len;
    let thi = radius / len;
    for (let i = 0; i < n; i++) {
      const e = points[i + j * n] - xopt[i];
      if (e > 0) {
        thi = Math.min(thi, (upper[i] - xopt[i]) / e);
        tlo = Math.max(tlo, (lower[i] - xopt[i]) / e);
      } else if (e < 0) {
        thi = Math.min(thi, (lower[i] - xopt[i]) / e);
        tlo = Math.max(tlo, (upper[i] - xopt[i]) / e);
      }
    }
    // along z = zopt + t e, e = z_j - zopt: l = l0 + a t + q t^2
    let a = 0;
    for (let i = 0; i < n; i++) a += grad[i] * (z[i + j * n] - zopt[i]);
    let q = 0;
    for (let r = 0; r < m; r++) {
      const lam = inverse[col + r];
      if (lam === 0) continue;
      let ze = -dots[r];
      for (let i = 0; i < n; i++) ze += z[i + r * n] * z[i + j * n];
      q += 0.5 * lam * ze * ze;
    }
    // |l| is largest at an end of [tlo, thi] or at the vertex of the parabola
    let tBest = 0;
    let lBest = -1;
    for (let c = 0; c < 3; c++) {
      const t = c === 0 ? tlo : c === 1 ? thi : q !== 0 ? -a / (2 * q) : 0;
      if (!(t >= tlo && t <= thi) || t === 0) continue;
      const l = Math.abs(l0 + t * (a + q * t));
      if (l > lBest) {
        lBest = l;
        tBest = t;
      }
    }
    if (lBest < 0) continue;
    for (let i = 0; i < n; i++) x[i] = xopt[i] + tBest * (points[i + j * n] - xopt[i]);
    const sigma = candidateSigma(sys, knew, lower, upper, work);
    if (sigma > bestSigma) {
      bestSigma = sigma;
      best.set(x);
    }
  }

  // (b) projected paths along +-grad l(x_opt) (the gradient in x is grad/scale: only its direction matters)
  let gnorm = 0;
  for (let i = 0; i < n; i++) gnorm += grad[i] * grad[i];
  gnorm = Math.sqrt(gnorm);
  if (gnorm > 0) {
    for (let sign = 1; sign >= -1; sign -= 2) {
      // the path P(x_opt + s u) has non-decreasing length |P(x_opt + s u) - x_opt| in s
      const factor = sign / gnorm;
      let hi = radius;
      // a bound met within the ball: where the path leaves it, or its end
      if (pathLength(n, grad, factor, radius, xopt, lower, upper) < radius * (1 - 1e-12)) hi = pathReach(n, grad, factor, radius, xopt, lower, upper);
      for (let frac = 1; frac >= 0.5; frac -= 0.5) {
        for (let i = 0; i < n; i++) x[i] = xopt[i] + frac * hi * factor * grad[i];
        const sigma = candidateSigma(sys, knew, lower, upper, work);
        if (sigma > bestSigma) {
          bestSigma = sigma;
          best.set(x);
        }
      }
    }
  }

  if (bestSigma < 0) {
    out.set(xopt);
    return 0;
  }
  out.set(best);
  return bestSigma;
}

/** Clamps work.x into the box and returns |sigma| for moving point knew there. */
function candidateSigma(sys: InterpolationSystem, knew: number, lower: Float64Array, upper: Float64Array, work: GeometryWork): number {
  const { x, w, v } = work;
  for (let i = 0; i < sys.n; i++) x[i] = Math.min(Math.max(x[i], lower[i]), upper[i]);
  const half4 = sys.basis(x, w);
  sys.solve(w, v);
  let wv = 0;
  for (let i = 0; i < sys.size; i++) wv += w[i] * v[i];
  const tau = v[knew];
  return Math.abs(sys.inverse[knew + knew * sys.size] * (half4 - wv) + tau * tau);
}

/**
 * The step s at which the path P(x_opt + s u), u = factor · dir a unit vector and P the
 * projection into the box, is `radius` from x_opt. Each coordinate moves with s until it meets
 * its bound, so between the steps where bounds are met |P − x_opt|² = F s² + C, with F the sum
 * of u_i² over the coordinates still moving and C the squared moves of the stopped ones: the
 * first segment where F s² + C reaches radius² holds the answer. Where every coordinate stops
 * within the ball, twice the last stop (any step past it ends at the same corner).
 *
 * @param n - number of variables.
 * @param dir - the direction (any length).
 * @param factor - its scale: ±1 / |dir|.
 * @param radius - the ball's radius.
 * @param xopt - the path's start (in the box).
 * @param lower - lower bounds.
 * @param upper - upper bounds.
 * @returns s.
 * @example
 * ```ts
 * // from (0, 0) along (1, 1)/√2 with x ≤ 0.1: x stops at 0.1, then y alone moves to 0.5 away
 * pathReach(2, Float64Array.of(1, 1), Math.SQRT1_2, 0.5, Float64Array.of(0, 0), Float64Array.of(-1, -1), Float64Array.of(0.1, 1)); // 0.6928203
 * ```
 */
export function pathReach(n: number, dir: Float64Array, factor: number, radius: number, xopt: Float64Array, lower: Float64Array, upper: Float64Array): number {
  let stopped = 0; // the coordinates whose bound is met at a step ≤ stopped no longer move
  for (;;) {
    let F = 0;
    let C = 0;
    let next = Infinity;
    for (let i = 0; i < n; i++) {
      const u = factor * dir[i];
      if (u === 0) continue;
      const move = (u > 0 ? upper[i] : lower[i]) - xopt[i];
      const t = move / u;
      if (t <= stopped) C += move * move;
      else {
        F += u * u;
        next = Math.min(next, t);
      }
    }
    if (F === 0) return 2 * stopped;
    const s = Math.sqrt(Math.max(0, radius * radius - C) / F);
    if (s <= next) return s;
    stopped = next;
  }
}

/** Length of P(x_opt + s u) - x_opt for u = factor * dir. */
function pathLength(
  n: number,
  dir: Float64Array,
  factor: number,
  s: number,
  xopt: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): number {
  let len2 = 0;
  for (let i = 0; i < n; i++) {
    const xi = Math.min(Math.max(xopt[i] + s * factor * dir[i], lower[i]), upper[i]);
    len2 += (xi - xopt[i]) ** 2;
  }
  return Math.sqrt(len2);
}
