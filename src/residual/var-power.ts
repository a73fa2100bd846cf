/**
 * varPower: sd(εᵢ) = σ |xᵢ|^δ for a covariate x, by default the fitted values
 * (`varPower()` = `varPower(form = ~ fitted(.))`), optionally one δ per stratum (nlme's varPower,
 * parameter `power`; the optimizer works on δ itself).
 */
import { MlmError } from "../errors.js";
import { CovariateFunction } from "./covariate-function.js";
import type { Strata } from "./strata.js";

/** varPower bound to a data set. */
export class VarPower extends CovariateFunction {
  readonly structure = "varPower" as const;
  readonly label: string;
  protected readonly perStratum = 1;

  /**
   * @param covariate - x per row, or undefined for the fitted values.
   * @param strata - strata, or undefined.
   * @param form - the form as written.
   * @param name - the covariate's name, for messages.
   * @throws MlmError when x is 0 in some row, where |x|^δ would be 0 or infinite.
   * @example
   * ```ts
   * const vp = new VarPower(Float64Array.of(1, 2, 4), undefined, "~ pressure", "pressure");
   * const v = new Float64Array(3);
   * vp.fill(Float64Array.of(0.5), 0, undefined, v); // true
   * v; // Float64Array [1, 1.4142, 2] (|pressure|^0.5)
   * new VarPower(Float64Array.of(0, 1), undefined, "~ pressure", "pressure"); // throws MlmError: The varPower covariate pressure is 0…
   * ```
   */
  constructor(covariate: Float64Array | undefined, strata: Strata | undefined, form: string, name = "fitted(.)") {
    super(covariate, strata, form, ["power"]);
    if (covariate?.some((x) => x === 0)) {
      throw new MlmError(`The varPower covariate ${name} is 0 in some rows, where |${name}|^power is 0 or infinite; shift the covariate away from 0 or use varConstPower.`);
    }
    this.label = this.strataLabel("Power of variance covariate");
  }

  protected override transform(x: number): number {
    return Math.log(Math.abs(x));
  }

  /** |x|^δ = exp(δ log |x|) (and 0⁰ = 1, at nlme's start δ = 0). */
  protected value(logAbsX: number, par: ArrayLike<number>, at: number): number {
    const d = par[at];
    return d === 0 ? 1 : Math.exp(d * logAbsX);
  }
}
