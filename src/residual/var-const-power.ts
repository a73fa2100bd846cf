/**
 * varConstPower: sd(εᵢ) = σ (c + |xᵢ|^δ), c > 0, for a covariate x (or the fitted values),
 * optionally per stratum (nlme's varConstPower, parameters `const` and `power`, with strata
 * `const.s` and `power.s`). The optimizer works on log c and δ.
 */
import { CovariateFunction } from "./covariate-function.js";
import type { Strata } from "./strata.js";

/** varConstPower bound to a data set. */
export class VarConstPower extends CovariateFunction {
  readonly structure = "varConstPower" as const;
  readonly label: string;
  protected readonly perStratum = 2;

  /**
   * @param covariate - x per row, or undefined for the fitted values.
   * @param strata - strata, or undefined.
   * @param form - the form as written.
   * @example
   * ```ts
   * const vc = new VarConstPower(Float64Array.of(1, 4), undefined, "~ pressure");
   * vc.names; // ["const", "power"]
   * ```
   */
  constructor(covariate: Float64Array | undefined, strata: Strata | undefined, form: string) {
    super(covariate, strata, form, ["const", "power"]);
    this.label = this.strataLabel("Constant plus power of variance covariate");
  }

  /** const on the log scale (nlme starts it at 1), power as is. */
  protected override toNatural(u: number, k: number): number {
    return k === 0 ? Math.exp(u) : u;
  }

  protected override transform(x: number): number {
    return Math.log(Math.abs(x));
  }

  /** const + |x|^power = const + exp(power · log |x|) (and 0⁰ = 1, at nlme's start power = 0). */
  protected value(logAbsX: number, par: ArrayLike<number>, at: number): number {
    const d = par[at + 1];
    return par[at] + (d === 0 ? 1 : Math.exp(d * logAbsX));
  }
}
