/**
 * varExp: sd(εᵢ) = σ exp(δ xᵢ) for a covariate x (or the fitted values), optionally one δ per
 * stratum (nlme's varExp, parameter `expon`; the optimizer works on δ itself).
 */
import { CovariateFunction } from "./covariate-function.js";
import type { Strata } from "./strata.js";

/** varExp bound to a data set. */
export class VarExp extends CovariateFunction {
  readonly structure = "varExp" as const;
  readonly label: string;
  protected readonly perStratum = 1;

  /**
   * @param covariate - x per row, or undefined for the fitted values.
   * @param strata - strata, or undefined.
   * @param form - the form as written.
   * @example
   * ```ts
   * const ve = new VarExp(Float64Array.of(0, 1, 2), undefined, "~ age");
   * const v = new Float64Array(3);
   * ve.fill(Float64Array.of(0.5), 0, undefined, v); // true
   * v; // Float64Array [1, 1.6487, 2.7183] (exp(0.5 age))
   * ```
   */
  constructor(covariate: Float64Array | undefined, strata: Strata | undefined, form: string) {
    super(covariate, strata, form, ["expon"]);
    this.label = this.strataLabel("Exponential of variance covariate");
  }

  protected value(x: number, par: ArrayLike<number>, at: number): number {
    return Math.exp(par[at] * x);
  }
}
