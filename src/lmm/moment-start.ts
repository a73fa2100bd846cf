/**
 * Starting values of θ for scalar random intercepts by the method of moments, from the cross
 * products alone (so that fits from rows and from summary statistics start alike).
 */
import { cholesky, solveLowerTranspose } from "../linalg/dense.js";
import type { ReTerm } from "../terms/re-term.js";
import type { CrossProductBlocks } from "./cross-products.js";

/**
 * The (weighted) least-squares fit of y on X from the [X y] block M of the cross products:
 * with chol(M) = [L_XX 0; l' l_yy], β̂ = L_XXᵀ⁻¹ l and RSS = l_yy².
 *
 * @param A - the filled cross products.
 * @returns β̂ and the residual sum of squares, or undefined when [X y]'[X y] is not positive
 *   definite (aliased columns, or a perfect fit).
 * @example
 * ```ts
 * import { CrossProducts } from "./cross-products.js";
 * const A = new CrossProducts(RandomEffects.of(sleepstudyFrame).terms, sleepstudyFrame.n, 2);
 * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
 *
 * // R: lm(Reaction ~ Days, sleepstudy), whose σ̂ = 47.71 on 178 df
 * const { beta, rss } = olsFit(A)!;
 * [beta[0], beta[1], rss]; // [251.405, 10.467, 405251.6]
 * ```
 */
export function olsFit(A: CrossProductBlocks): { beta: Float64Array; rss: number } | undefined {
  const { D, p, qRest } = A;
  const p1 = p + 1;
  const m = new Float64Array(p1 * p1);
  for (let j = 0; j < p1; j++) for (let i = j; i < p1; i++) m[i + j * p1] = A.A22[qRest + i + (qRest + j) * D];
  if (cholesky(m, p1, p1) >= 0) return undefined;
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) beta[j] = m[p + j * p1];
  solveLowerTranspose(m, p, p1, beta);
  return { beta, rss: m[p1 * p1 - 1] ** 2 };
}

/**
 * Write into θ₀ a start closer to the optimum than lme4's identity for each scalar random
 * intercept: with the OLS residuals r and σ̂² = RSS / (n − p), the term's between-group variance
 * is estimated by τ̂² = mean_g(r̄_g²) − σ̂² mean_g(1 / n_g) (group sums and sizes, weighted when
 * A is, read from A), and θ_t = τ̂ / σ̂, kept within [0.05, 5]. The optimum does not depend on
 * the start; fewer evaluations reach it. Other terms keep their entries.
 *
 * @param A - the filled cross products.
 * @param terms - the random-effects terms, in fitted order (A's).
 * @param theta0 - the start, overwritten where a moment estimate exists.
 * @example
 * ```ts
 * import { CrossProducts } from "./cross-products.js";
 * const frame = dyestuffFit.frame;
 * const re = RandomEffects.of(frame);
 * const A = new CrossProducts(re.terms, frame.n, 1);
 * A.fill(frame.X, frame.response.y);
 * const theta0 = re.start(); // Float64Array [1]
 * momentStart(A, re.terms, theta0);
 * theta0; // Float64Array [0.5225] (the optimum: 0.7526)
 * ```
 */
export function momentStart(A: CrossProductBlocks, terms: readonly ReTerm[], theta0: Float64Array): void {
  const { n, p, D, qRest: q } = A;
  const ols = olsFit(A);
  if (!ols) return;
  const sigma2 = ols.rss / (n - p);
  if (!(sigma2 > 0)) return;
  const beta = ols.beta;
  let off = 0;
  terms.forEach((t, pos) => {
    if (t.k === 1 && t.frame.cnms[0] === "(Intercept)") {
      let m2 = 0;
      let inv = 0;
      for (let g = 0; g < t.nlev; g++) {
        // the level's size and residual sum: A11 and A21 for the first term, A22 for the others
        let cnt: number;
        let sum: number;
        if (pos === 0) {
          cnt = A.A11[g];
          const o = A.valPtr[A.colPtr[g + 1] - 1];
          sum = A.A21[o + p];
          for (let j = 0; j < p; j++) sum -= A.A21[o + j] * beta[j];
        } else {
          const r0 = A.restOffset[pos - 1] + g;
          cnt = A.A22[r0 + r0 * D];
          sum = A.A22[D - 1 + r0 * D];
          for (let j = 0; j < p; j++) sum -= A.A22[q + j + r0 * D] * beta[j];
        }
        m2 += (sum / cnt) ** 2;
        inv += 1 / cnt;
      }
      const tau2 = m2 / t.nlev - (sigma2 * inv) / t.nlev;
      theta0[off] = Math.min(5, Math.max(0.05, Math.sqrt(Math.max(tau2, 0) / sigma2)));
    }
    off += t.ntheta;
  });
}
