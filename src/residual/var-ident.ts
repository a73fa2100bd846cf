/**
 * varIdent: a residual standard deviation per stratum, sd(εᵢ) = σ δ_{s(i)} with δ = 1 for the
 * reference stratum (the first in nlme's order) (nlme's varIdent). The parameters are the ratios
 * δ of the other strata, named by stratum; the optimizer works on log δ.
 */
import { MlmError } from "../errors.js";
import type { Strata } from "./strata.js";
import type { VarianceFunction } from "./structure.js";

/** varIdent bound to a data set's strata. */
export class VarIdent implements VarianceFunction {
  readonly structure = "varIdent" as const;
  readonly label = "Different standard deviations per stratum";
  readonly npar: number;
  readonly names: readonly string[];
  readonly usesFitted = false;
  readonly byStratumOnly = true;
  readonly reference: string;

  /**
   * @param strata - the strata in nlme's order.
   * @param form - the form as written.
   * @example
   * ```ts
   * import { strataInOrder } from "./strata.js";
   * // Sex per row: Male, Female, Male, in the data's order
   * const vi = new VarIdent(strataInOrder(Int32Array.of(1, 0, 1), ["Female", "Male"], Int32Array.of(0, 1, 2)), "~ 1 | Sex");
   * vi.names; // ["Female"]
   * vi.reference; // "Male"
   * ```
   */
  constructor(
    readonly strata: Strata,
    readonly form: string,
  ) {
    if (strata.names.length < 2) throw new MlmError(`varIdent(form = ${form}) needs at least two strata with observations, but the data used have ${strata.names.length}.`);
    this.npar = strata.names.length - 1;
    this.names = strata.names.slice(1);
    this.reference = strata.names[0];
  }

  start(out: Float64Array, off: number): void {
    for (let i = 0; i < this.npar; i++) out[off + i] = 0;
  }

  natural(u: ArrayLike<number>, off: number): number[] {
    return Array.from({ length: this.npar }, (_, i) => Math.exp(u[off + i]));
  }

  multipliers(u: ArrayLike<number>, off: number, _x: ArrayLike<number> | undefined, codes: Int32Array | undefined, out: Float64Array): void {
    const c = codes ?? this.strata.codes;
    for (let i = 0; i < out.length; i++) {
      const s = c[i];
      out[i] = s < 0 ? NaN : s === 0 ? 1 : Math.exp(u[off + s - 1]);
    }
  }

  fill(u: ArrayLike<number>, off: number, _fitted: Float64Array | undefined, out: Float64Array): boolean {
    this.multipliers(u, off, undefined, this.strata.codes, out);
    return out.every((v) => v > 0 && Number.isFinite(v));
  }
}
