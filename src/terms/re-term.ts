/**
 * A random-effects term and its relative covariance factor Λ_t(θ).
 *
 * For a term with k columns, the random effects of one level are b_j = Λ_t u_j with Λ_t a k × k
 * lower-triangular matrix filled from the term's slice of θ by its covariance structure
 * (Bates et al. 2015, JSS 67(1), section 2.2; see covariance/). The term knows where its slice
 * starts (`offset`), so the layer's terms fill Λ from the whole θ vector.
 */
import type { ReTermFrame } from "../model-frame/types.js";
import { covarianceStructure, type CovarianceStructure } from "./covariance/index.js";

/** A random-effects term ready for fitting: its frame, covariance structure and θ slice. */
export class ReTerm {
  /** Number of columns (random effects per level). */
  readonly k: number;
  /** Number of levels of the grouping factor. */
  readonly nlev: number;
  /** Number of random effects, nlev × k. */
  readonly q: number;
  /** Number of θ elements of the term. */
  readonly ntheta: number;
  /** The covariance structure of the term's random effects. */
  readonly cov: CovarianceStructure;

  /**
   * @param frame - the evaluated term from the model frame.
   * @param offset - position of the term's first θ element in the model's θ.
   * @example
   * ```ts
   * // (Days | Subject)
   * const t = new ReTerm(sleepstudyFrame.reterms[0], 0);
   * [t.k, t.nlev, t.q, t.ntheta, t.cov.name]; // [2, 18, 36, 3, "us"]
   * ```
   */
  constructor(
    readonly frame: ReTermFrame,
    readonly offset = 0,
  ) {
    this.k = frame.cnms.length;
    this.nlev = frame.group.levels.length;
    this.q = this.k * this.nlev;
    this.cov = covarianceStructure(frame.structure);
    this.cov.validate?.(frame.cnms, frame.group.name);
    this.ntheta = this.cov.ntheta(this.k);
  }

  /**
   * Fill Λ_t (k × k, column-major, zero above the diagonal) from the term's slice of θ.
   *
   * @param theta - the full θ vector.
   * @param off - position of the term's first θ element (the term's `offset` unless given).
   * @param lambda - output, length k².
   * @example
   * ```ts
   * // (Days | Subject)
   * const t = new ReTerm(sleepstudyFrame.reterms[0], 0);
   * const lambda = new Float64Array(4);
   * t.fillLambda([0.97, 0.015, 0.23], 0, lambda);
   * lambda; // Float64Array [0.97, 0.015, 0, 0.23] (column-major, zero above the diagonal)
   * ```
   */
  fillLambda(theta: ArrayLike<number>, off: number, lambda: Float64Array): void {
    this.cov.fillLambda(theta, off, this.k, lambda);
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
