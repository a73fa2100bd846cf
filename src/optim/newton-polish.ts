// Newton polishing of a bounded minimum found by a derivative-free optimizer.
//
// BOBYQA stops when its trust region shrinks to rhoEnd, which locates a minimum x* only to
// about rhoEnd: two runs on criteria that differ by rounding (the same data summed in another
// order) stop ~rhoEnd apart. Values of f alone cannot do better, because f − f* = ½ δ'Hδ falls
// below f's rounding error for |δ| ≲ √(ε|f| / ‖H‖). The gradient can: it is linear in δ. From
// the point x found, with steps h_i = relStep · max(|x_i|, floor) on the free coordinates (those
// off their lower bound), this takes Newton steps
//
//     x ← x − H⁻¹ g,
//
// with g the seven-point central difference (error O(h⁶), rounding O(ε|f| / h)), with
// f_j = f(x + j h_i e_i),
//
//     g_i = [45 (f₁ − f₋₁) − 9 (f₂ − f₋₂) + (f₃ − f₋₃)] / (60 h_i),
//
// and H from second differences (the diagonal from the same seven points, the off-diagonal from
// one more point each), computed once at the start: its accuracy (~1%) sets only the rate of
// convergence, not the point reached. Each step shrinks the distance to the zero of g by that
// rate, so the steps stop when one is below 1e-10 · max(|x_i|, floor)
// or stops shrinking (g is at its rounding floor). A step that leaves the box
// max(|x_i|, floor) · maxStep around the start, or an H that is not positive definite, leaves x
// as it is, and a step that raises f by more than its rounding (estimated by the largest fourth
// difference of the stencils) ends the polishing: polishing never replaces the optimizer's
// answer by a point it cannot vouch for.

import { cholesky, solveLower, solveLowerTranspose } from "../linalg/dense.js";

/** Options of {@link newtonPolish}. */
export interface PolishOptions {
  /** Lower bounds (-Infinity for none); a coordinate within 4 steps of its bound is held. */
  readonly lower?: ArrayLike<number>;
  /** Difference step relative to max(|x_i|, floor). Default 1e-2. */
  readonly relStep?: number;
  /** Scale below which steps are not made smaller. Default 0.05. */
  readonly floor?: number;
  /** Largest Newton step accepted, relative to max(|x_i|, floor). Default 1e-3. */
  readonly maxStep?: number;
  /** Largest number of Newton steps. Default 6. */
  readonly maxIter?: number;
}

/** Result of {@link newtonPolish}. */
export interface PolishResult {
  /** The polished point (a copy of the start when no step was taken). */
  readonly x: Float64Array;
  /** f at x. */
  readonly fx: number;
  /** Newton steps taken. */
  readonly steps: number;
  /** Evaluations of f. */
  readonly evaluations: number;
}

/**
 * Polish a minimum of f by Newton steps with finite-difference derivatives (see the file
 * comment), holding the coordinates that lie on their lower bound.
 *
 * @param f - the function (finite near x).
 * @param x0 - the point found by the optimizer.
 * @param options - bounds, step sizes, limits.
 * @returns the polished point, f there, and the work done.
 * @example
 * ```ts
 * const f = (x: Float64Array) => Math.exp(x[0]) - 2 * x[0] + 10 * (x[1] - 1) ** 2;
 *
 * // from near the minimiser (log 2, 1)
 * const r = newtonPolish(f, Float64Array.of(0.6934, 0.9999));
 * [r.x[0].toFixed(12), r.x[1].toFixed(12)]; // ["0.693147180560", "1.000000000000"]
 * ```
 */
export function newtonPolish(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: PolishOptions = {}): PolishResult {
  const n = x0.length;
  const relStep = options.relStep ?? 1e-2;
  const floor = options.floor ?? 0.05;
  const maxStep = options.maxStep ?? 1e-3;
  const maxIter = options.maxIter ?? 6;
  const lower = options.lower;
  let evaluations = 0;
  const x = Float64Array.from(x0);
  const y = new Float64Array(n);
  const at = (v: Float64Array): number => {
    evaluations++;
    return f(v);
  };
  let fx = at(x);
  const unchanged = (): PolishResult => ({ x: Float64Array.from(x0), fx, steps: 0, evaluations });
  if (!Number.isFinite(fx)) return unchanged();
  const scale = Array.from(x, (v) => Math.max(Math.abs(v), floor));
  const h = scale.map((s) => relStep * s);
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (lower === undefined || !(x[i] - 4 * h[i] <= lower[i])) free.push(i);
  const m = free.length;
  if (m === 0) return unchanged();

  // f at x + Σ c_k h_k e_k for the free coordinates named in `moves`
  const shifted = (moves: readonly [number, number][]): number => {
    y.set(x);
    for (const [k, c] of moves) y[free[k]] += c * h[free[k]];
    return at(y);
  };
  // rounding noise of f, bounded by the largest fourth difference on the stencils (h⁴ f⁽⁴⁾ + noise)
  let noise = 1e-12 * Math.max(1, Math.abs(fx));
  const gradient = (g: Float64Array, diag?: Float64Array): boolean => {
    for (let k = 0; k < m; k++) {
      const fm3 = shifted([[k, -3]]);
      const fm2 = shifted([[k, -2]]);
      const fm1 = shifted([[k, -1]]);
      const fp1 = shifted([[k, 1]]);
      const fp2 = shifted([[k, 2]]);
      const fp3 = shifted([[k, 3]]);
      if (![fm3, fm2, fm1, fp1, fp2, fp3].every(Number.isFinite)) return false;
      const hk = h[free[k]];
      g[k] = (45 * (fp1 - fm1) - 9 * (fp2 - fm2) + (fp3 - fm3)) / (60 * hk);
      if (diag) {
        plus[k] = fp1;
        diag[k] = (270 * (fp1 + fm1) - 27 * (fp2 + fm2) + 2 * (fp3 + fm3) - 490 * fx) / (180 * hk * hk);
        noise = Math.max(noise, Math.abs(fm2 - 4 * fm1 + 6 * fx - 4 * fp1 + fp2));
      }
    }
    return true;
  };
  const g = new Float64Array(m);
  const diag = new Float64Array(m);
  const plus = new Float64Array(m);
  if (!gradient(g, diag)) return unchanged();
  const H = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    H[k + k * m] = diag[k];
    for (let l = 0; l < k; l++) {
      const v = (shifted([[k, 1], [l, 1]]) - plus[k] - plus[l] + fx) / (h[free[k]] * h[free[l]]);
      if (!Number.isFinite(v)) return unchanged();
      H[k + l * m] = v;
      H[l + k * m] = v;
    }
  }
  if (cholesky(H, m, m) >= 0) return unchanged();
  const d = new Float64Array(m);
  const start = Float64Array.from(x);
  let steps = 0;
  let previous = Infinity;
  for (let iter = 0; iter < maxIter; iter++) {
    if (iter > 0 && !gradient(g)) break;
    for (let k = 0; k < m; k++) d[k] = -g[k];
    solveLower(H, m, m, d, 0, 1);
    solveLowerTranspose(H, m, m, d, 0, 1);
    let largest = 0;
    y.set(x);
    for (let k = 0; k < m; k++) {
      const i = free[k];
      largest = Math.max(largest, Math.abs(d[k]) / scale[i]);
      y[i] = lower === undefined ? x[i] + d[k] : Math.max(lower[i], x[i] + d[k]);
      if (Math.abs(y[i] - start[i]) > maxStep * scale[i]) return unchanged();
    }
    const fy = at(y);
    // accept a step that does not raise f beyond its rounding
    if (!(fy <= fx + noise)) break;
    x.set(y);
    fx = fy;
    steps++;
    // done when the step is negligible, or no longer shrinks (g is at its rounding floor)
    if (largest <= 1e-10 || largest > 0.5 * previous) break;
    previous = largest;
  }
  return { x, fx, steps, evaluations };
}
