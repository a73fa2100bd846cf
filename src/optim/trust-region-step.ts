// Trust-region subproblem with simple bounds (the step of a BOBYQA iteration; Powell 2009,
// DAMTP 2009/NA06, section 3):
//
//   minimise  q(d) = g'd + (1/2) d'Hd   subject to  |d| <= delta,  sl <= d <= su,
//
// where sl = lower - x and su = upper - x (so sl <= 0 <= su). The method is an approximate one,
// in two stages:
//  1. truncated conjugate gradients from d = 0 on the free variables; a variable that reaches a
//     bound is fixed there and CG restarts from the steepest-descent direction; CG stops at the
//     trust-region boundary, at its own minimiser, or when its gains become negligible;
//  2. if the boundary was reached, d is improved by moving along arcs of the sphere |d| = delta:
//     d(theta) = a + cos(theta) b + sin(theta) t, with a the fixed part, b the free part and t the
//     tangent steepest-descent direction scaled to |t| = |b|, taking the best theta on a grid
//     (refined by a parabola) up to the first bound met.
// Every iteration reduces q, so q(d) <= q(Cauchy point), the condition that trust-region
// convergence theory needs.

import { float64Views } from "../linalg/work-arrays.js";

const ARC_GRID = 24;

/**
 * Change of q along the arc d(theta) = a + cos(theta) b + sin(theta) t relative to theta = 0,
 * given u'b, u't, b'Hb, b'Ht and t'Ht with u = g + Ha.
 */
function arcChange(th: number, ub: number, ut: number, bhb: number, bht: number, tht: number): number {
  const c = Math.cos(th);
  const s = Math.sin(th);
  return (c - 1) * ub + s * ut + 0.5 * ((c * c - 1) * bhb + 2 * s * c * bht + s * s * tht);
}

/**
 * Preallocated work arrays for {@link trustRegionStep}.
 *
 * @example
 * ```ts
 * const work = new TrustRegionWork(3);
 * work.gd.length; // 3
 * ```
 */
export class TrustRegionWork {
  /** Gradient of q at the current d. */
  readonly gd: Float64Array;
  /** Search direction. */
  readonly p: Float64Array;
  /** H times the search direction. */
  readonly hp: Float64Array;
  /** Free part of d (stage 2). */
  readonly b: Float64Array;
  /** Tangent direction (stage 2). */
  readonly t: Float64Array;
  /** H b. */
  readonly hb: Float64Array;
  /** H t. */
  readonly ht: Float64Array;
  /** 1 where the variable is free, 0 where it is fixed at a bound. */
  readonly free: Uint8Array;
  /** Values of q along an arc at the grid angles. */
  readonly arc: Float64Array;
  /**
   * After a call: the least curvature p'Hp/p'p along the conjugate-gradient directions when the
   * step ended inside the trust region, 0 when it reached the boundary or no direction was tried.
   */
  curvature = 0;

  /**
   * @param n - number of variables.
   */
  constructor(n: number) {
    [this.gd, this.p, this.hp, this.b, this.t, this.hb, this.ht, this.arc] = float64Views([n, n, n, n, n, n, n, ARC_GRID + 1]);
    this.free = new Uint8Array(n);
  }
}

/** out = H v for a symmetric n x n column-major H. */
function symv(n: number, h: Float64Array, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) out[i] = 0;
  for (let j = 0; j < n; j++) {
    const vj = v[j];
    if (vj === 0) continue;
    const off = j * n;
    for (let i = 0; i < n; i++) out[i] += h[off + i] * vj;
  }
}

/** q(d) = g'd + (1/2) d'Hd. */
function quadraticValue(n: number, g: Float64Array, h: Float64Array, d: Float64Array, hd: Float64Array): number {
  symv(n, h, d, hd);
  let q = 0;
  for (let i = 0; i < n; i++) q += d[i] * (g[i] + 0.5 * hd[i]);
  return q;
}

/**
 * Approximately minimises a quadratic model in a ball intersected with a box.
 *
 * Solves min g'd + (1/2) d'Hd subject to |d|_2 <= delta and sl <= d <= su by truncated conjugate
 * gradients with an active set, then arc searches on the trust-region boundary (see the file
 * header). The step never leaves the box and has |d| <= delta (up to rounding).
 *
 * @param n - number of variables.
 * @param g - model gradient at the current point (length n).
 * @param hq - model Hessian (n x n, column-major, symmetric).
 * @param delta - trust-region radius (> 0).
 * @param sl - lower bounds on the step (lower - x, <= 0, may be -Infinity).
 * @param su - upper bounds on the step (upper - x, >= 0, may be +Infinity).
 * @param d - receives the step (length n).
 * @param work - preallocated work arrays.
 * @returns the predicted reduction -q(d) >= 0.
 * @example
 * ```ts
 * // min 2 d1 + d2^2/2 ... with d1 >= -0.5: the bound stops the step
 * const d = new Float64Array(2);
 * const red = trustRegionStep(2, new Float64Array([2, 0]), new Float64Array([1, 0, 0, 1]), 1,
 *   new Float64Array([-0.5, -Infinity]), new Float64Array([Infinity, Infinity]), d,
 *   new TrustRegionWork(2));
 * d; // Float64Array [-0.5, 0]
 * red; // 0.875
 * ```
 */
export function trustRegionStep(
  n: number,
  g: Float64Array,
  hq: Float64Array,
  delta: number,
  sl: Float64Array,
  su: Float64Array,
  d: Float64Array,
  work: TrustRegionWork,
): number {
  const { gd, p, hp, b, t, hb, ht, free } = work;
  const delta2 = delta * delta;
  d.fill(0);
  gd.set(g);
  let nfree = 0;
  for (let i = 0; i < n; i++) {
    const fixed = (sl[i] >= 0 && g[i] >= 0) || (su[i] <= 0 && g[i] <= 0);
    free[i] = fixed ? 0 : 1;
    if (!fixed) nfree++;
  }

  // ---- stage 1: truncated CG with an active set ----
  let reduction = 0;
  let onBoundary = false;
  let restart = true;
  let ggPrev = 0;
  let cgSteps = 0;
  let curvature = Infinity;
  const maxIter = 10 * n + 10;
  for (let iter = 0; iter < maxIter && nfree > 0; iter++) {
    if (restart) {
      let gg = 0;
      for (let i = 0; i < n; i++) {
        if (free[i]) {
          p[i] = -gd[i];
          gg += gd[i] * gd[i];
        } else {
          p[i] = 0;
        }
      }
      if (!(gg > 0)) break;
      ggPrev = gg;
      cgSteps = 0;
      restart = false;
    }
    symv(n, hq, p, hp);
    let kappa = 0;
    let gp = 0;
    let dd = 0;
    let dp = 0;
    let pp = 0;
    for (let i = 0; i < n; i++) {
      kappa += p[i] * hp[i];
      gp += gd[i] * p[i];
      dd += d[i] * d[i];
      dp += d[i] * p[i];
      pp += p[i] * p[i];
    }
    if (!(gp < 0) || !(pp > 0)) break;
    curvature = Math.min(curvature, kappa / pp);
    const rem = delta2 - dd;
    if (rem <= 0) {
      onBoundary = true;
      break;
    }
    // positive root of |d + alpha p|^2 = delta^2, in the form free of cancellation
    const root = Math.sqrt(dp * dp + pp * rem);
    const alphaTr = dp > 0 ? rem / (dp + root) : (root - dp) / pp;
    let alphaBd = Infinity;
    let ib = -1;
    for (let i = 0; i < n; i++) {
      if (!free[i] || p[i] === 0) continue;
      const room = p[i] > 0 ? su[i] - d[i] : sl[i] - d[i];
      const a = Math.max(0, room / p[i]);
      if (a < alphaBd) {
        alphaBd = a;
        ib = i;
      }
    }
    const alphaCg = kappa > 0 ? -gp / kappa : Infinity;
    const alpha = Math.min(alphaTr, alphaBd, alphaCg);
    for (let i = 0; i < n; i++) {
      d[i] += alpha * p[i];
      gd[i] += alpha * hp[i];
    }
    const stepReduction = -(alpha * gp + 0.5 * alpha * alpha * kappa);
    reduction += stepReduction;
    if (ib >= 0 && alphaBd <= alpha) {
      d[ib] = p[ib] > 0 ? su[ib] : sl[ib];
      free[ib] = 0;
      nfree--;
      symv(n, hq, d, gd);
      for (let i = 0; i < n; i++) gd[i] += g[i];
      restart = true;
      continue;
    }
    if (alphaTr <= alpha) {
      onBoundary = true;
      break;
    }
    cgSteps++;
    let gg = 0;
    for (let i = 0; i < n; i++) if (free[i]) gg += gd[i] * gd[i];
    if (cgSteps >= nfree || stepReduction <= 0.01 * reduction || !(gg > 0)) break;
    const beta = gg / ggPrev;
    ggPrev = gg;
    for (let i = 0; i < n; i++) p[i] = free[i] ? -gd[i] + beta * p[i] : 0;
  }

  work.curvature = onBoundary || curvature === Infinity ? 0 : curvature;

  // ---- stage 2: arc searches on the trust-region boundary ----
  if (onBoundary) {
    const maxArc = Math.max(10, 2 * n);
    for (let iter = 0; iter < maxArc && nfree > 0; iter++) {
      symv(n, hq, d, gd);
      for (let i = 0; i < n; i++) gd[i] += g[i];
      let bb = 0;
      let gb = 0;
      let ggFree = 0;
      for (let i = 0; i < n; i++) {
        if (free[i]) {
          b[i] = d[i];
          bb += d[i] * d[i];
          gb += gd[i] * d[i];
          ggFree += gd[i] * gd[i];
        } else {
          b[i] = 0;
        }
      }
      if (!(bb > 1e-12 * delta2)) break;
      let tt = 0;
      for (let i = 0; i < n; i++) {
        t[i] = free[i] ? -gd[i] + (gb / bb) * d[i] : 0;
        tt += t[i] * t[i];
      }
      if (!(tt > 1e-20 * ggFree) || !(tt > 0)) break;
      const tscale = Math.sqrt(bb / tt);
      for (let i = 0; i < n; i++) t[i] *= tscale;
      // a free variable sitting on a bound that the arc would push outward becomes fixed
      let fixedOne = false;
      for (let i = 0; i < n; i++) {
        if (!free[i]) continue;
        if ((d[i] >= su[i] && t[i] > 0) || (d[i] <= sl[i] && t[i] < 0)) {
          d[i] = t[i] > 0 ? su[i] : sl[i];
          free[i] = 0;
          nfree--;
          fixedOne = true;
        }
      }
      if (fixedOne) continue;
      // largest theta in (0, pi/2] before a free variable leaves the box:
      // d_i(theta) = R cos(theta - phi); an outward crossing of an upper bound has
      // sin(theta - phi) < 0, of a lower bound sin(theta - phi) > 0.
      let thetaMax = Math.PI / 2;
      let ib = -1;
      let ibUpper = false;
      for (let i = 0; i < n; i++) {
        if (!free[i]) continue;
        const r = Math.hypot(d[i], t[i]);
        const phi = Math.atan2(t[i], d[i]);
        if (su[i] < r) {
          let th = phi - Math.acos(su[i] / r);
          while (th < 0) th += 2 * Math.PI;
          if (th < thetaMax) {
            thetaMax = th;
            ib = i;
            ibUpper = true;
          }
        }
        if (-sl[i] < r) {
          let th = phi + Math.acos(sl[i] / r);
          while (th < 0) th += 2 * Math.PI;
          while (th >= 2 * Math.PI) th -= 2 * Math.PI;
          if (th < thetaMax) {
            thetaMax = th;
            ib = i;
            ibUpper = false;
          }
        }
      }
      if (!(thetaMax > 0)) break;
      symv(n, hq, b, hb);
      symv(n, hq, t, ht);
      let ub = 0;
      let ut = 0;
      let bhb = 0;
      let tht = 0;
      let bht = 0;
      for (let i = 0; i < n; i++) {
        const u = gd[i] - hb[i];
        ub += u * b[i];
        ut += u * t[i];
        bhb += b[i] * hb[i];
        tht += t[i] * ht[i];
        bht += b[i] * ht[i];
      }
      const vals = work.arc;
      vals[0] = 0;
      let bestK = 0;
      for (let k = 1; k <= ARC_GRID; k++) {
        vals[k] = arcChange((k * thetaMax) / ARC_GRID, ub, ut, bhb, bht, tht);
        if (vals[k] < vals[bestK]) bestK = k;
      }
      let best = vals[bestK];
      let bestTheta = (bestK * thetaMax) / ARC_GRID;
      if (bestK > 0 && bestK < ARC_GRID) {
        // refine by the parabola through the grid points k-1, k, k+1
        const curv = vals[bestK - 1] - 2 * best + vals[bestK + 1];
        if (curv > 0) {
          const th = bestTheta + ((0.5 * (vals[bestK - 1] - vals[bestK + 1])) / curv) * (thetaMax / ARC_GRID);
          const v = arcChange(th, ub, ut, bhb, bht, tht);
          if (v < best) {
            best = v;
            bestTheta = th;
          }
        }
      }
      if (!(best < 0)) break;
      const c = Math.cos(bestTheta);
      const s = Math.sin(bestTheta);
      for (let i = 0; i < n; i++) {
        if (free[i]) d[i] = c * b[i] + s * t[i];
      }
      reduction += -best;
      if (ib >= 0 && bestTheta >= thetaMax) {
        d[ib] = ibUpper ? su[ib] : sl[ib];
        free[ib] = 0;
        nfree--;
        continue;
      }
      if (-best <= 0.01 * reduction) break;
    }
  }

  // the step must stay inside the box whatever the rounding
  for (let i = 0; i < n; i++) {
    if (d[i] < sl[i]) d[i] = sl[i];
    else if (d[i] > su[i]) d[i] = su[i];
  }
  return Math.max(0, -quadraticValue(n, g, hq, d, hp));
}
