/**
 * The numerical parts of likelihood profiling shared by every profiled parameter: minimising an
 * objective with one coordinate held fixed, and finding where the signed root deviance
 *
 *     ζ(x) = sign(x − x̂) √(D(x) − D(x̂)),   D(x) = min over the other parameters,
 *
 * reaches ±z. The search steps out from the estimate, extrapolating linearly in ζ (as lme4's
 * profile does), until ζ passes the target, then refines the crossing by regula falsi with the
 * Illinois modification (bisecting when an end is infinite).
 */
import { bobyqa } from "../optim/index.js";

/** ζ at one value of the profiled parameter, and where the other parameters ended up. */
export interface ZetaPoint {
  /** ζ(x): NaN when the objective could not be evaluated, ±Infinity beyond its domain. */
  readonly zeta: number;
  /** The minimising values of the other parameters (a warm start for the next point). */
  readonly at: Float64Array;
}

/** ζ as a function of the profiled parameter, given a warm start. */
export type ZetaFunction = (x: number, start: Float64Array) => ZetaPoint;

/** One side of a profile search. */
export interface LimitSearch {
  /** The estimate x̂ (ζ = 0 there). */
  readonly estimate: number;
  /** The minimising other parameters at the estimate. */
  readonly start: Float64Array;
  /** −1 for the lower limit, +1 for the upper limit. */
  readonly direction: -1 | 1;
  /** The target |ζ|, z_{(1+level)/2}. */
  readonly z: number;
  /** The first step away from the estimate (its size, > 0). */
  readonly step: number;
  /** The end of the parameter's range in this direction (±Infinity for none). */
  readonly bound: number;
}

/**
 * Find x on one side of the estimate where |ζ(x)| = z, or the bound of the range when the
 * profile does not reach z before it (lme4 reports a lower limit of 0 for a standard deviation
 * whose profile stays below z down to zero).
 *
 * @param zeta - the profile.
 * @param s - where to search.
 * @returns the limit, or NaN when the profile could not be evaluated.
 * @example
 * ```ts
 * // a quadratic deviance (x − 2)², so ζ(x) = x − 2
 * findLimit((x, st) => ({ zeta: x - 2, at: st }), { estimate: 2, start: new Float64Array(0),
 *   direction: 1, z: 1.96, step: 1, bound: Infinity }); // 3.96
 * ```
 */
export function findLimit(zeta: ZetaFunction, s: LimitSearch): number {
  const d = s.direction;
  const target = d * s.z;
  const clamp = (x: number): number => (d > 0 ? Math.min(x, s.bound) : Math.max(x, s.bound));
  if (s.estimate === s.bound) return s.bound;
  let xa = s.estimate;
  let za = 0;
  let sa = s.start;
  let x = clamp(s.estimate + d * s.step);
  for (let iter = 0; iter < 60; iter++) {
    const r = zeta(x, sa);
    if (Number.isNaN(r.zeta)) return NaN;
    if (d * r.zeta >= s.z) return refine(zeta, xa, za - target, sa, x, r.zeta - target, r.at, s);
    if (x === s.bound) return s.bound;
    const dx = x - xa;
    const slope = (r.zeta - za) / dx;
    let next: number;
    if (d * slope > 0 && Number.isFinite(slope)) {
      // aim a little beyond the target so that the next point brackets it
      next = x + (target * 1.02 - r.zeta) / slope;
      const cap = 4 * Math.abs(dx);
      if (Math.abs(next - x) > cap) next = x + d * cap;
      if (Math.abs(next - x) < 0.02 * Math.abs(dx)) next = x + d * 0.02 * Math.abs(dx);
    } else {
      next = x + 2 * dx;
    }
    xa = x;
    za = r.zeta;
    sa = r.at;
    x = clamp(next);
  }
  return NaN;
}

/** Regula falsi (Illinois) on g(x) = ζ(x) − target between a (g < 0 side) and b. */
function refine(zeta: ZetaFunction, a: number, ga: number, sa: Float64Array, b: number, gb: number, sb: Float64Array, s: LimitSearch): number {
  const d = s.direction;
  const tolX = 1e-9 * (Math.abs(a) + Math.abs(b) + s.step);
  let side = 0;
  for (let iter = 0; iter < 60; iter++) {
    // signs: d·ga < 0 ≤ d·gb; work with h = d·g so that h(a) < 0 ≤ h(b)
    const ha = d * ga;
    const hb = d * gb;
    if (Math.abs(hb) < 1e-7) return b;
    if (Math.abs(ha) < 1e-7) return a;
    if (Math.abs(b - a) < tolX) return (a + b) / 2;
    let x = Number.isFinite(hb) && Number.isFinite(ha) ? a - (ha * (b - a)) / (hb - ha) : (a + b) / 2;
    if (!(x > Math.min(a, b) && x < Math.max(a, b))) x = (a + b) / 2;
    const r = zeta(x, Math.abs(x - a) <= Math.abs(x - b) ? sa : sb);
    if (Number.isNaN(r.zeta)) return NaN;
    const g = r.zeta - d * s.z;
    if (d * g < 0) {
      a = x;
      ga = g;
      sa = r.at;
      if (side === -1) gb /= 2;
      side = -1;
    } else {
      b = x;
      gb = g;
      sb = r.at;
      if (side === 1) ga /= 2;
      side = 1;
    }
  }
  return (a + b) / 2;
}

/** Bounds and scales of a parameter vector for {@link minimiseWithFixed}. */
export interface ParameterBox {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Typical size of each parameter: the optimizer works on x / scale. */
  readonly scale: Float64Array;
}

/**
 * Minimise f over every coordinate but one, which is held at `value`.
 *
 * @param f - the objective (Infinity where undefined).
 * @param start - the starting point (its fixed coordinate is replaced by `value`).
 * @param fixed - the index of the fixed coordinate.
 * @param value - its value.
 * @param box - bounds and scales.
 * @returns the minimum and the minimising point; `fx` is +Infinity when f is +Infinity at the start
 *   (the fixed value lies outside f's domain) and NaN when f is NaN there.
 * @example
 * ```ts
 * const box = { lower: Float64Array.of(-Infinity, -Infinity), upper: Float64Array.of(Infinity, Infinity), scale: Float64Array.of(1, 1) };
 * minimiseWithFixed((v) => (v[0] - 1) ** 2 + (v[1] - v[0]) ** 2, Float64Array.of(0, 0), 0, 3, box);
 * // { fx: 4, x: [3, 3] }
 * ```
 */
export function minimiseWithFixed(f: (v: Float64Array) => number, start: Float64Array, fixed: number, value: number, box: ParameterBox): { fx: number; x: Float64Array } {
  const n = start.length;
  const { scale } = box;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const u0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = box.lower[i] / scale[i];
    upper[i] = box.upper[i] / scale[i];
    u0[i] = start[i] / scale[i];
  }
  lower[fixed] = upper[fixed] = u0[fixed] = value / scale[fixed];
  const v = new Float64Array(n);
  const fu = (u: Float64Array): number => {
    for (let i = 0; i < n; i++) v[i] = u[i] * scale[i];
    v[fixed] = value;
    return f(v);
  };
  for (let i = 0; i < n; i++) u0[i] = Math.min(Math.max(u0[i], lower[i]), upper[i]);
  const f0 = fu(u0);
  // outside the objective's domain: +Infinity (a limit lies before this point); NaN: failure
  if (!Number.isFinite(f0)) return { fx: f0 === Infinity ? Infinity : NaN, x: Float64Array.from(start) };
  const r = bobyqa(fu, u0, { lower, upper, rhoBeg: 0.05, rhoEnd: 1e-8, maxEval: 20000 });
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = r.x[i] * scale[i];
  x[fixed] = value;
  return { fx: r.fx, x };
}
