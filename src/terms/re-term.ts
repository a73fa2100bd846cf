/**
 * A random-effects term and its relative covariance factor Λ(θ).
 *
 * For a term with k columns, the random effects of one level are b_j = Λ_t u_j with Λ_t the
 * k × k lower-triangular matrix whose non-zero elements, taken column by column, are the term's
 * slice of θ (Bates et al. 2015, JSS 67(1), section 2.2). The diagonal of Λ_t is bounded below by
 * zero; off-diagonal elements are free. θ starts at the identity: 1 on the diagonal, 0 elsewhere.
 * A term written with a covariance structure (`diag`, `cs`, `ar1`, `toep`) takes its θ layout,
 * bounds, start and Λ from that structure instead (src/terms/covariance).
 */
import { MlmError } from "../errors.js";
import type { ReTermFrame } from "../model-frame/types.js";
import { covarianceStructure, type CovarianceStructure } from "./covariance/index.js";

/** A random-effects term ready for fitting: its frame plus the θ ↔ Λ bookkeeping. */
export class ReTerm {
  /** Number of columns (random effects per level). */
  readonly k: number;
  /** Number of levels of the grouping factor. */
  readonly nlev: number;
  /** Number of random effects, nlev × k. */
  readonly q: number;
  /** Number of θ elements: k (k + 1) / 2 unstructured, fewer for a structure (terms/covariance). */
  readonly ntheta: number;
  /** The covariance structure (us unless the formula wraps the term in diag(), cs(), ar1(), toep()). */
  readonly structure: CovarianceStructure;

  /**
   * @param frame - the evaluated term from the model frame.
   * @example
   * ```ts
   * const t = new ReTerm(frame); // frame of (Days | Subject): t.k = 2, t.nlev = 18, t.ntheta = 3
   * ```
   */
  constructor(readonly frame: ReTermFrame) {
    this.k = frame.cnms.length;
    this.nlev = frame.group.levels.length;
    this.q = this.k * this.nlev;
    this.structure = covarianceStructure(frame.structure ?? "us");
    const name = this.structure.name;
    if ((name === "ar1" || name === "toep" || name === "cs") && this.k < 2) {
      throw new MlmError(`${name}(… | ${frame.group.name}) has a single random effect (${frame.cnms.join(", ")}); a ${name} structure needs a factor with two or more levels, as in ${name}(0 + time | ${frame.group.name}).`);
    }
    if ((name === "ar1" || name === "toep") && frame.cnms[0] === "(Intercept)") {
      throw new MlmError(`${name}(… | ${frame.group.name}) has an intercept, so its effects are not one per time; write ${name}(0 + time | ${frame.group.name}) with time a factor.`);
    }
    this.ntheta = this.structure.ntheta(this.k);
  }

  /**
   * Lower bounds of this term's θ: 0 on the diagonal of Λ, −∞ below it.
   *
   * @param out - where to write them.
   * @param off - position of the term's first θ element in `out`.
   * @example
   * ```ts
   * // for k = 2: out[off..off+3] = [0, -Infinity, 0]
   * ```
   */
  lowerBounds(out: Float64Array, off: number): void {
    this.structure.lowerBounds(this.k, out, off);
  }

  /**
   * Initial θ: the identity Λ.
   *
   * @param out - where to write it.
   * @param off - position of the term's first θ element.
   * @example
   * ```ts
   * // for k = 2: out[off..off+3] = [1, 0, 1]
   * ```
   */
  initialTheta(out: Float64Array, off: number): void {
    this.structure.initialTheta(this.k, out, off);
  }

  /**
   * Fill Λ (k × k, column-major, zero above the diagonal) from this term's slice of θ.
   *
   * @param theta - the full θ vector.
   * @param off - position of the term's first θ element.
   * @param lambda - output, length k².
   * @example
   * ```ts
   * // k = 2, θ slice [0.97, 0.015, 0.23] → Λ = [[0.97, 0], [0.015, 0.23]]
   * ```
   */
  fillLambda(theta: ArrayLike<number>, off: number, lambda: Float64Array): void {
    this.structure.fillLambda(theta, off, this.k, lambda);
  }
}

/**
 * Order random-effects terms as lme4 does: when some term has more levels than the one before
 * it, the terms are put in decreasing order of their number of levels (R's `rev(order(nl))`).
 *
 * @param nlevels - levels per term, in formula order.
 * @returns the permutation: position i of the fitted model holds formula term `perm[i]`.
 * @example
 * ```ts
 * reTermOrder([6, 24]); // [1, 0]
 * reTermOrder([24, 6]); // [0, 1]
 * ```
 */
export function reTermOrder(nlevels: readonly number[]): number[] {
  const idx = nlevels.map((_, i) => i);
  const increases = nlevels.some((v, i) => i > 0 && v > nlevels[i - 1]);
  if (!increases) return idx;
  return idx.sort((a, b) => nlevels[a] - nlevels[b] || a - b).reverse();
}
