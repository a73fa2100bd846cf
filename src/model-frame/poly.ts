/**
 * Orthogonal polynomials, as R's `poly(x, degree)` makes them.
 *
 * With u = x - mean(x), column k (k = 1..degree) is p_k(u) / ||p_k||, where p_k is the monic
 * polynomial of degree k orthogonal (over the fitted points) to all polynomials of lower degree:
 * the residual of u^k after projection on 1, u, ..., u^(k-1), which is what R gets from the QR
 * decomposition of [1, u, ..., u^degree]. The p_k satisfy the three-term recurrence
 *
 *   p_0 = 1,  p_1 = u - a_0,  p_(k+1) = (u - a_k) p_k - (n_k / n_(k-1)) p_(k-1),
 *   a_k = sum(u p_k^2) / n_k,  n_k = sum(p_k^2),
 *
 * which evaluates them at new points (R's `predict.poly`). Source: R's `stats::poly` definition;
 * Kennedy & Gentle (1980), Statistical Computing, section 8.7.
 */
import { MlmError } from "../errors.js";
import type { FittedTransform } from "./types.js";

type PolyTransform = Extract<FittedTransform, { kind: "poly" }>;

/**
 * Orthogonal polynomial columns of x and the recurrence coefficients that reproduce them.
 *
 * The columns are built by Gram-Schmidt against all lower-degree columns (twice, for accuracy),
 * then the coefficients a_k and n_k are read off them.
 *
 * @param x - the values (finite).
 * @param degree - the number of columns, below the number of distinct values of x.
 * @param label - the call as written, e.g. `poly(Days, 2)`, for messages.
 * @returns the `degree` columns (each of length x.length) and the fitted transform.
 * @throws MlmError when degree is not a positive integer below the number of distinct values.
 * @example
 * ```ts
 * const { columns } = polyFit(Float64Array.of(1, 2, 3), 2, "poly(x, 2)");
 * columns[0]; // Float64Array [-0.7071068, 0, 0.7071068]
 * columns[1]; // Float64Array [0.4082483, -0.8164966, 0.4082483]
 * ```
 */
export function polyFit(
  x: Float64Array,
  degree: number,
  label: string,
): { columns: Float64Array[]; transform: PolyTransform } {
  const n = x.length;
  if (!Number.isInteger(degree) || degree < 1) {
    throw new MlmError(`The degree in ${label} must be a whole number of at least 1.`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < n && seen.size <= degree; i++) seen.add(x[i]);
  const distinct = seen.size;
  if (degree >= distinct) {
    throw new MlmError(
      `The degree in ${label} must be less than the number of distinct values (${distinct}) in the rows used.`,
    );
  }
  let xbar = 0;
  for (let i = 0; i < n; i++) xbar += x[i];
  xbar /= n;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = x[i] - xbar;

  // p[0] = 1; p[k] = residual of u * p[k-1] on p[0..k-1] (monic, orthogonal).
  const p: Float64Array[] = [new Float64Array(n).fill(1)];
  const norm2: number[] = [n];
  const alpha: number[] = [];
  for (let k = 1; k <= degree; k++) {
    const prev = p[k - 1];
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = u[i] * prev[i];
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        const q = p[j];
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i] * q[i];
        const c = dot / norm2[j];
        for (let i = 0; i < n; i++) v[i] -= c * q[i];
      }
    }
    let nk = 0;
    for (let i = 0; i < n; i++) nk += v[i] * v[i];
    p.push(v);
    norm2.push(nk);
  }
  for (let k = 0; k < degree; k++) {
    const q = p[k];
    let s = 0;
    for (let i = 0; i < n; i++) s += u[i] * q[i] * q[i];
    alpha.push(s / norm2[k]);
  }
  const columns: Float64Array[] = [];
  for (let k = 1; k <= degree; k++) {
    const scale = 1 / Math.sqrt(norm2[k]);
    const col = p[k];
    for (let i = 0; i < n; i++) col[i] *= scale;
    columns.push(col);
  }
  return { columns, transform: { kind: "poly", degree, xbar, alpha, norm2 } };
}

/**
 * Orthogonal polynomial columns of new values, with the coefficients of a fit (R's `predict.poly`).
 *
 * @param x - the new values.
 * @param t - the transform {@link polyFit} returned.
 * @returns `t.degree` columns of length x.length.
 * @example
 * ```ts
 * const { transform } = polyFit(Float64Array.of(1, 2, 3), 2, "poly(x, 2)");
 * polyPredict(Float64Array.of(2, 4), transform)[0]; // Float64Array [0, 1.4142136]
 * ```
 */
export function polyPredict(x: Float64Array, t: PolyTransform): Float64Array[] {
  const n = x.length;
  const columns: Float64Array[] = [];
  let pPrev = new Float64Array(n).fill(1);
  let pCur = new Float64Array(n);
  for (let i = 0; i < n; i++) pCur[i] = x[i] - t.xbar - t.alpha[0];
  for (let k = 1; k <= t.degree; k++) {
    if (k > 1) {
      const next = new Float64Array(n);
      const a = t.alpha[k - 1];
      const r = t.norm2[k - 1] / t.norm2[k - 2];
      for (let i = 0; i < n; i++) next[i] = (x[i] - t.xbar - a) * pCur[i] - r * pPrev[i];
      pPrev = pCur;
      pCur = next;
    }
    const scale = 1 / Math.sqrt(t.norm2[k]);
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = pCur[i] * scale;
    columns.push(col);
  }
  return columns;
}
