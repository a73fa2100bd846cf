/**
 * What every residual structure knows (nlme's corStruct and varFunc): its parameters on an
 * unconstrained scale for the optimizer and on nlme's constrained scale for the user
 * (`coef(x, unconstrained = FALSE)`), and how to whiten a group's rows.
 *
 * The residual covariance of group g is σ² Λ_g with Λ_g = D_g C_g D_g: D_g the diagonal of the
 * variance function's multipliers vᵢ (sd of row i is σ vᵢ) and C_g the correlation matrix. With
 * C_g = L_g L_gᵀ, the whitened rows W_g = L_g⁻¹ D_g⁻¹ [Z X y]_g have independent unit-variance
 * errors, and log|Λ_g| = 2 Σᵢ log vᵢ + log|C_g| enters the likelihood (Pinheiro and Bates 2000,
 * Mixed-Effects Models in S and S-PLUS, section 5.1).
 */
import type { CorrelationName, VarianceName } from "./parse-structure.js";
import type { Strata } from "./strata.js";

/** A structure's fitted parameters as reported: nlme's class, form and constrained values. */
export interface StructureResult {
  /** nlme's class name, e.g. `corAR1` or `varIdent`. */
  readonly structure: string;
  /** The one-sided form, e.g. `~ Days | Subject`. */
  readonly form: string;
  /** nlme's summary heading, e.g. `AR(1)`. */
  readonly label: string;
  /** Parameters by nlme's names on nlme's constrained scale, e.g. `{ Phi: 0.80 }`. */
  readonly parameters: Readonly<Record<string, number>>;
  /**
   * Every coefficient, the fixed ones included, as nlme's `coef(x, unconstrained = FALSE,
   * allCoef = TRUE)` gives them and its summary prints them: for varIdent the reference stratum
   * at 1 first, e.g. `{ Female: 1, Male: 1.72 }`. Absent where it equals `parameters`.
   */
  readonly allCoef?: Readonly<Record<string, number>>;
}

/** A correlation structure bound to the rows of one data set (rows sorted by group, then position). */
export interface CorrelationStructure {
  readonly structure: CorrelationName;
  /** nlme's summary heading ("AR(1)", "Compound symmetry", …). */
  readonly label: string;
  readonly form: string;
  /** Number of parameters. */
  readonly npar: number;
  /** nlme's parameter names. */
  readonly names: readonly string[];
  /**
   * True when (1 − φ²) C_g(φ)⁻¹ is a quadratic polynomial in the one parameter φ with
   * log|C_g| = (m_g − 1) log(1 − φ²) (corAR1 on positions without gaps; the fit checks it).
   */
  readonly quadraticPrecision?: boolean;
  /**
   * Write the optimizer's start (unconstrained scale) at out[off..].
   * @param out - destination.
   * @param off - first position.
   */
  start(out: Float64Array, off: number): void;
  /**
   * nlme's constrained parameters from the unconstrained ones at u[off..].
   * @param u - unconstrained parameters.
   * @param off - first position.
   * @returns the constrained values, in `names` order.
   */
  natural(u: ArrayLike<number>, off: number): number[];
  /**
   * Set the parameters for the following {@link whiten} calls.
   * @param u - unconstrained parameters.
   * @param off - first position.
   * @returns false where the parameters give no valid correlation matrix.
   */
  set(u: ArrayLike<number>, off: number): boolean;
  /**
   * Replace the rows of group g, held row-major at buf[off..] (m rows of c values), by
   * L_g⁻¹ times them.
   * @param g - group.
   * @param buf - rows, row-major.
   * @param off - first value of the group's first row.
   * @param c - values per row.
   * @returns log|C_g|, or NaN where C_g is not positive definite.
   */
  whiten(g: number, buf: Float64Array, off: number, c: number): number;
}

/** A variance function bound to the rows of one data set. */
export interface VarianceFunction {
  readonly structure: VarianceName;
  readonly label: string;
  readonly form: string;
  readonly npar: number;
  readonly names: readonly string[];
  /** True for varPower() and friends on the fitted values. */
  readonly usesFitted: boolean;
  /** The stratum whose multiplier is fixed at 1 (varIdent's reference), which nlme prints first. */
  readonly reference?: string;
  /** True when vᵢ depends on the row's stratum only (varIdent): one multiplier per stratum. */
  readonly byStratumOnly?: boolean;
  /**
   * Write the optimizer's start at out[off..].
   * @param out - destination.
   * @param off - first position.
   */
  start(out: Float64Array, off: number): void;
  /**
   * nlme's constrained parameters.
   * @param u - unconstrained parameters.
   * @param off - first position.
   * @returns values in `names` order.
   */
  natural(u: ArrayLike<number>, off: number): number[];
  /** The strata of the rows bound, in nlme's order; undefined without `| s` (varIdent always has them). */
  readonly strata?: Strata;
  /**
   * The standard-deviation multipliers vᵢ of other rows (new data, for prediction intervals),
   * from their covariate values and strata.
   * @param u - unconstrained parameters.
   * @param off - first position.
   * @param x - covariate (or fitted values) per row; not read by varIdent.
   * @param codes - stratum per row in `strata.names` order (−1 where missing: vᵢ is NaN), or undefined without strata.
   * @param out - vᵢ, one per row.
   */
  multipliers(u: ArrayLike<number>, off: number, x: ArrayLike<number> | undefined, codes: Int32Array | undefined, out: Float64Array): void;
  /**
   * The standard-deviation multipliers vᵢ of every row (model-frame order).
   * @param u - unconstrained parameters.
   * @param off - first position.
   * @param fitted - fitted values (for `fitted(.)` covariates).
   * @param out - vᵢ, length n.
   * @returns false where some vᵢ is not finite and positive.
   */
  fill(u: ArrayLike<number>, off: number, fitted: Float64Array | undefined, out: Float64Array): boolean;
}

/**
 * Parameters of a structure in the form results report them.
 *
 * @param s - the structure.
 * @param u - unconstrained parameters.
 * @param off - its first parameter.
 * @returns `{ structure, form, label, parameters }`.
 * @example
 * ```ts
 * import { CorAR1 } from "./cor-ar1.js";
 * import { groupLayout } from "./residual-groups.js";
 * const ar1 = new CorAR1(groupLayout(2, Int32Array.of(0, 0), 1, Float64Array.of(0, 1), "corAR1", "Days"), "~ Days | Subject");
 * structureResult(ar1, Float64Array.of(Math.log(9)), 0); // { structure: "corAR1", form: "~ Days | Subject", label: "AR(1)", parameters: { Phi: 0.8 } }
 * ```
 */
export function structureResult(s: CorrelationStructure | VarianceFunction, u: ArrayLike<number>, off: number): StructureResult {
  const values = s.natural(u, off);
  const parameters: Record<string, number> = {};
  s.names.forEach((nm, i) => (parameters[nm] = values[i]));
  const reference = "reference" in s ? s.reference : undefined;
  const result = { structure: s.structure, form: s.form, label: s.label, parameters: Object.freeze(parameters) };
  return Object.freeze(reference === undefined ? result : { ...result, allCoef: Object.freeze({ [reference]: 1, ...parameters }) });
}
