/**
 * Covariance structures of a random-effects term (glmmTMB's and lme4 2.0's `us`, `diag`, `cs`,
 * `ar1`, `toep`): how the term's slice of θ gives the k × k lower-triangular Λ_t with
 *
 *     Σ_t = σ² Λ_t Λ_t'   (σ = 1 for GLMMs without a scale parameter),
 *
 * its bounds and start for the optimizer, and its natural parameters (standard deviations on
 * the scale of y, correlations) for VarCorr, intervals and the report. The structured forms
 * build Σ_t/σ² = D R D from relative standard deviations D = diag(τ) and a correlation matrix
 * R(ρ), and take Λ_t = D chol(R).
 */

/** The covariance structures, by glmmTMB's names. */
export type CovStructureName = "us" | "diag" | "cs" | "ar1" | "toep";

/** One natural parameter of a structure: a standard deviation, a correlation or a structure's ρ. */
export interface NaturalParameter {
  readonly name: string;
  readonly kind: "sd" | "cor";
}

/** A covariance structure for a term with k random effects per level. */
export interface CovarianceStructure {
  readonly name: CovStructureName;
  /** Number of θ elements for k effects. */
  ntheta(k: number): number;
  /** Lower bounds of the slice (0 for relative standard deviations, −∞ otherwise). */
  lowerBounds(k: number, out: Float64Array, off: number): void;
  /** The start: unit relative standard deviations, no correlation. */
  initialTheta(k: number, out: Float64Array, off: number): void;
  /** Λ_t (k × k, column-major, zero above the diagonal) from θ[off …]. */
  fillLambda(theta: ArrayLike<number>, off: number, k: number, lambda: Float64Array): void;
  /** The natural parameters' names, in the order of {@link toNatural}. */
  naturalNames(cnms: readonly string[], group: string): NaturalParameter[];
  /** Standard deviations (times σ) and correlations from θ; as many values as θ elements. */
  toNatural(theta: ArrayLike<number>, off: number, k: number, sigma: number, out: Float64Array, m: number): void;
  /** θ from natural parameters; false where they are out of range. */
  fromNatural(natural: ArrayLike<number>, m: number, k: number, sigma: number, theta: Float64Array, off: number): boolean;
  /** The structure's correlation parameters for the report: ρ (ar1, cs) or ρ₁ … ρ_{k−1} (toep). */
  rho(theta: ArrayLike<number>, off: number, k: number): number | number[] | undefined;
}

/**
 * Λ = D chol(R) for relative standard deviations d and a k × k correlation matrix R.
 *
 * @param r - R, column-major, k × k (overwritten by its Cholesky factor).
 * @param d - the k relative standard deviations.
 * @param k - the dimension.
 * @param lambda - output, k × k column-major, zero above the diagonal.
 * @returns false when R is not positive definite.
 * @example
 * ```ts
 * scaledCholesky(Float64Array.of(1, 0.5, 0.5, 1), [2, 1], 2, lam); // lam = [2, 0.5, 0, 0.866]
 * ```
 */
export function scaledCholesky(r: Float64Array, d: ArrayLike<number>, k: number, lambda: Float64Array): boolean {
  for (let j = 0; j < k; j++) {
    let s = r[j + j * k];
    for (let c = 0; c < j; c++) s -= r[j + c * k] * r[j + c * k];
    if (!(s > 0)) return false;
    const l = Math.sqrt(s);
    r[j + j * k] = l;
    for (let i = j + 1; i < k; i++) {
      let t = r[i + j * k];
      for (let c = 0; c < j; c++) t -= r[i + c * k] * r[j + c * k];
      r[i + j * k] = t / l;
    }
  }
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) lambda[i + j * k] = i < j ? 0 : d[i] * r[i + j * k];
  }
  return true;
}
