/**
 * A linear mixed model's cross products with one fixed effect held at a value, formed from A
 * itself (no rows): what profiling a fixed effect needs when the model has no rows.
 */
import type { CrossProductBlocks } from "./cross-products.js";

/**
 * The cross products of the model with fixed effect j held at a value v, for profiling β_j
 * without rows: the response becomes y − x_j v and X loses column j, so
 *
 *     Z'(y − x_j v) = Z'y − v Z'x_j,   X₋ⱼ'(y − x_j v) = X₋ⱼ'y − v X₋ⱼ'x_j,
 *     (y − x_j v)'(y − x_j v) = y'y − 2v x_j'y + v² x_j'x_j.
 *
 * @param A - the model's cross products (p fixed effects).
 * @returns blocks with p − 1 fixed effects (same sparsity), and `set(j, v)` to refill them.
 * @example
 * ```ts
 * import { CrossProducts } from "./cross-products.js";
 * import { LmmWorkspace } from "./workspace.js";
 * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
 * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
 * const held = heldFixedEffect(A);
 * held.A.p; // 1
 *
 * // β_Days held at 10 and at its estimate: the ML deviance at θ̂, profiled over the intercept
 * held.set(1, 10);
 * new LmmWorkspace(held.A).objective(sleepstudyFit.theta, false); // 1752.0782
 * held.set(1, sleepstudyFit.beta[1]);
 * new LmmWorkspace(held.A).objective(sleepstudyFit.theta, false); // 1751.9859
 *
 * // the same as the full model's ML deviance at θ̂
 * new LmmWorkspace(A).objective(sleepstudyFit.theta, false); // 1751.9859
 * ```
 */
export function heldFixedEffect(A: CrossProductBlocks): { A: CrossProductBlocks; set(j: number, v: number): void } {
  const { p, D, qRest, k1 } = A;
  const p1 = p - 1;
  const D1 = D - 1;
  const nb = A.blkRow.length;
  const blkSize = Int32Array.from(A.blkSize, (s, b) => (A.blkTerm[b] < 0 ? p1 + 1 : s));
  const valPtr = new Int32Array(nb + 1);
  for (let b = 0; b < nb; b++) valPtr[b + 1] = valPtr[b] + blkSize[b] * k1;
  const A21 = new Float64Array(valPtr[nb]);
  const A22 = new Float64Array(D1 * D1);
  const out: CrossProductBlocks = { ...A, p: p1, D: D1, blkSize, valPtr, A21, A22 };
  const get = (i: number, k: number): number => (i >= k ? A.A22[i + k * D] : A.A22[k + i * D]);
  const set = (j: number, v: number): void => {
    const xj = qRest + j;
    const y = D - 1;
    // old index of each new index
    const old = new Int32Array(D1);
    for (let i = 0; i < D1; i++) old[i] = i < xj ? i : i === D1 - 1 ? y : i + 1;
    for (let b = 0; b < nb; b++) {
      const s0 = A.blkSize[b];
      const s1 = blkSize[b];
      for (let c = 0; c < k1; c++) {
        const src = A.valPtr[b] + c * s0;
        const dst = valPtr[b] + c * s1;
        if (A.blkTerm[b] >= 0) {
          for (let i = 0; i < s0; i++) A21[dst + i] = A.A21[src + i];
        } else {
          for (let i = 0, o = 0; i < p; i++) if (i !== j) A21[dst + o++] = A.A21[src + i];
          A21[dst + p1] = A.A21[src + p] - v * A.A21[src + j];
        }
      }
    }
    for (let k = 0; k < D1; k++) {
      for (let i = k; i < D1; i++) {
        const oi = old[i];
        const ok = old[k];
        let val = get(oi, ok);
        if (i === D1 - 1 && k === D1 - 1) val = get(y, y) - 2 * v * get(y, xj) + v * v * get(xj, xj);
        else if (i === D1 - 1) val -= v * get(xj, ok);
        A22[i + k * D1] = val;
      }
    }
  };
  return { A: out, set };
}
