/**
 * The covariance structure of one random-effects term: how its slice of θ fills the relative
 * covariance factor Λ_t, so that the covariance of one level's k random effects is
 *
 *     Σ_t = σ² Λ_t Λ_t'        (σ = 1 for families without a scale parameter),
 *
 * and how θ maps to the parameters a user reads (standard deviations, correlations, and a
 * structure's own parameters such as ρ). Each structure is one file of this folder: unstructured
 * (`us`, lme4's default) and diagonal (`diag`, lme4's `||`) here; structured ones (compound
 * symmetry, AR(1), Toeplitz) follow glmmTMB's parameterisations.
 */
import { MlmError } from "../../errors.js";

/** What a parameter on the natural (sd/cor) scale is. */
export type NaturalKind = "sd" | "cor" | "sigma" | "rho";

/** The name and kind of one natural-scale parameter. */
export interface NaturalParameter {
  readonly name: string;
  readonly kind: NaturalKind;
}

/** A covariance structure for a term with k random effects per level. */
export interface CovarianceStructure {
  /** glmmTMB's and lme4 2.0's name: `us`, `diag`, `cs`, `ar1`, `toep`. */
  readonly name: string;
  /** Number of θ elements for k random effects. */
  ntheta(k: number): number;
  /** Lower bounds of the term's θ, written at `out[off…]`. */
  lower(k: number, out: Float64Array, off: number): void;
  /** lme4's starting θ (identity Λ), written at `out[off…]`. */
  start(k: number, out: Float64Array, off: number): void;
  /** Λ_t (k × k, column-major, zero above the diagonal) from θ[off…]. */
  fillLambda(theta: ArrayLike<number>, off: number, k: number, lambda: Float64Array): void;
  /** Names of the natural-scale parameters, one per θ element, as lme4's `confint(oldNames = FALSE)`. */
  naturalNames(cnms: readonly string[], group: string): NaturalParameter[];
  /** θ[off…] and σ to the natural scale, written at `out[outOff…]` (as many values as θ elements). */
  toNatural(theta: ArrayLike<number>, off: number, k: number, sigma: number, out: Float64Array, outOff: number): void;
  /** The natural scale back to θ; false when the values describe no valid covariance matrix. */
  fromNatural(natural: ArrayLike<number>, natOff: number, k: number, sigma: number, theta: Float64Array, off: number): boolean;
  /** Whether θ sits on the boundary (a zero variance, or a correlation of ±1): lme4's `isSingular`. */
  singular(theta: ArrayLike<number>, off: number, k: number, tol: number): boolean;
  /** The structure's own parameters to report (ρ for cs and ar1); empty for us and diag. */
  parameters(theta: ArrayLike<number>, off: number, k: number): Readonly<Record<string, number>>;
  /** Throw an MlmError when the term's effects do not suit the structure (e.g. ar1 with one effect). */
  validate?(cnms: readonly string[], group: string): void;
}

/**
 * Σ_t / σ² = Λ_t Λ_t' for a lower-triangular k × k Λ_t (column-major), into `out`.
 *
 * @param lambda - Λ_t.
 * @param k - its order.
 * @param out - k × k output, column-major.
 * @returns `out`.
 * @example
 * ```ts
 * lambdaCrossprod(Float64Array.of(2, 1, 0, 3), 2, new Float64Array(4)); // Float64Array [4, 2, 2, 10]
 * ```
 */
export function lambdaCrossprod(lambda: ArrayLike<number>, k: number, out: Float64Array): Float64Array {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let r = 0; r <= j; r++) s += lambda[i + r * k] * lambda[j + r * k];
      out[i + j * k] = s;
      out[j + i * k] = s;
    }
  }
  return out;
}

/**
 * The lower Cholesky factor of a k × k positive semi-definite matrix in place, with a zero column
 * for a zero pivot (a zero variance or a correlation of ±1).
 *
 * @param S - the matrix (column-major), overwritten by its factor (zero above the diagonal).
 * @param k - its order.
 * @returns false when the matrix is not positive semi-definite.
 * @example
 * ```ts
 * const S = Float64Array.of(4, 2, 2, 10);
 * semidefiniteCholesky(S, 2); // true
 * S; // Float64Array [2, 1, 0, 3]
 * ```
 */
export function semidefiniteCholesky(S: Float64Array, k: number): boolean {
  const diag = new Float64Array(k);
  for (let j = 0; j < k; j++) diag[j] = S[j + j * k];
  for (let j = 0; j < k; j++) {
    let d = S[j + j * k];
    for (let r = 0; r < j; r++) d -= S[j + r * k] ** 2;
    const tol = 1e-12 * (diag[j] + 1e-300);
    if (d < -tol * 1e4) return false;
    const ljj = d > tol ? Math.sqrt(d) : 0;
    S[j + j * k] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = S[i + j * k];
      for (let r = 0; r < j; r++) s -= S[i + r * k] * S[j + r * k];
      if (ljj === 0) {
        if (Math.abs(s) > 1e-8 * Math.sqrt(diag[i] * diag[j]) + 1e-300) return false;
        S[i + j * k] = 0;
      } else S[i + j * k] = s / ljj;
    }
    for (let i = 0; i < j; i++) S[i + j * k] = 0;
  }
  return true;
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
 * const lam = new Float64Array(4);
 * scaledCholesky(Float64Array.of(1, 0.5, 0.5, 1), [2, 1], 2, lam); // true
 * lam; // Float64Array [2, 0.5, 0, 0.866]
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

/**
 * A check that a structured term has two or more effects (cs, ar1, toep).
 *
 * @param name - the structure's name, for the message.
 * @returns the check.
 * @example
 * ```ts
 * twoOrMoreEffects("cs")(["(Intercept)"], "g"); // throws: needs a factor with two or more levels
 * ```
 */
export function twoOrMoreEffects(name: string): (cnms: readonly string[], group: string) => void {
  return (cnms, group) => {
    if (cnms.length < 2) throw new MlmError(`${name}(… | ${group}) has a single random effect (${cnms.join(", ")}); the ${name} structure needs a factor with two or more levels, as in ${name}(0 + time | ${group}).`);
  };
}

/**
 * A check that a structured term has one effect per level of a time factor and no intercept
 * (ar1, toep), and at least two of them.
 *
 * @param name - the structure's name, for the message.
 * @returns the check.
 * @example
 * ```ts
 * timeEffects("ar1")(["(Intercept)", "timet2"], "g"); // throws: has an intercept
 * ```
 */
export function timeEffects(name: string): (cnms: readonly string[], group: string) => void {
  const two = twoOrMoreEffects(name);
  return (cnms, group) => {
    two(cnms, group);
    if (cnms[0] === "(Intercept)") throw new MlmError(`${name}(… | ${group}) has an intercept, so its effects are not one per time; write ${name}(0 + time | ${group}) with time a factor.`);
  };
}
