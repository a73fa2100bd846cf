/**
 * The common shape of nlme's variance functions of a covariate (varPower, varExp,
 * varConstPower): per row a covariate xᵢ (a column or the fitted values) and optional strata,
 * each stratum with its own parameters.
 */
import { MlmError } from "../errors.js";
import type { VarianceName } from "./parse-structure.js";
import type { Strata } from "./strata.js";
import type { VarianceFunction } from "./structure.js";

/** A variance function vᵢ = f(xᵢ; parameters of stratum s(i)). */
export abstract class CovariateFunction implements VarianceFunction {
  abstract readonly structure: VarianceName;
  abstract readonly label: string;
  readonly npar: number;
  readonly names: readonly string[];
  readonly usesFitted: boolean;
  /** Parameters per stratum. */
  protected abstract readonly perStratum: number;

  /**
   * @param covariate - xᵢ per model-frame row, or undefined for the fitted values.
   * @param strata - the strata, or undefined.
   * @param form - the form as written.
   * @param baseNames - the parameter names without strata.
   */
  constructor(
    readonly covariate: Float64Array | undefined,
    readonly strata: Strata | undefined,
    readonly form: string,
    baseNames: readonly string[],
  ) {
    this.usesFitted = covariate === undefined;
    const ns = strata?.names.length ?? 1;
    this.npar = baseNames.length * ns;
    if (!strata) this.names = baseNames;
    else if (baseNames.length === 1) this.names = strata.names;
    else this.names = baseNames.flatMap((b) => strata.names.map((s) => `${b}.${s}`));
  }

  /** Label suffix nlme adds with strata. */
  protected strataLabel(base: string): string {
    return this.strata ? `${base}, different strata` : base;
  }

  /** nlme's start: every parameter 0 on the optimizer's scale (power 0, expon 0, const 1). */
  start(out: Float64Array, off: number): void {
    for (let i = 0; i < this.npar; i++) out[off + i] = 0;
  }

  /** nlme's constrained values, base parameter by base parameter (k-th at k·strata + s). */
  natural(u: ArrayLike<number>, off: number): number[] {
    const ns = this.strata?.names.length ?? 1;
    return Array.from({ length: this.npar }, (_, i) => this.toNatural(u[off + i], Math.floor(i / ns)));
  }

  /**
   * vᵢ from tᵢ = {@link transform}(xᵢ) and the parameters of its stratum (k-th base parameter
   * at par[at + k]).
   */
  protected abstract value(t: number, par: ArrayLike<number>, at: number): number;

  /** What {@link value} reads of x (log |x| for the powers, so that |x|^δ is one exponential); x by default. */
  protected transform(x: number): number {
    return x;
  }

  /** The covariate column transformed, once. */
  private covariateT: Float64Array | undefined;
  /** The fitted values transformed, per call. */
  private scratch: Float64Array | undefined;

  /** Unconstrained → constrained for base parameter k (the identity unless a subclass says otherwise). */
  protected toNatural(u: number, _k: number): number {
    return u;
  }

  multipliers(u: ArrayLike<number>, off: number, x: ArrayLike<number> | undefined, codes: Int32Array | undefined, out: Float64Array): void {
    if (!x) throw new MlmError(`${this.structure}(form = ${this.form}) needs fitted values that are not available yet.`);
    const ns = this.strata?.names.length ?? 1;
    const nb = this.npar / ns;
    const par = new Float64Array(nb * ns);
    for (let k = 0; k < nb; k++) for (let s = 0; s < ns; s++) par[s * nb + k] = this.toNatural(u[off + k * ns + s], k);
    const t = this.transformed(x);
    for (let i = 0; i < out.length; i++) {
      const s = codes ? codes[i] : 0;
      out[i] = s < 0 ? NaN : this.value(t[i], par, s * nb);
    }
  }

  /** {@link transform} of every x: cached for the covariate column, into a scratch array otherwise. */
  private transformed(x: ArrayLike<number>): ArrayLike<number> {
    if (x === this.covariate && this.covariateT) return this.covariateT;
    let t = x === this.covariate ? undefined : this.scratch;
    if (!t || t.length !== x.length) t = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) t[i] = this.transform(x[i]);
    if (x === this.covariate) this.covariateT = t;
    else this.scratch = t;
    return t;
  }

  fill(u: ArrayLike<number>, off: number, fitted: Float64Array | undefined, out: Float64Array): boolean {
    this.multipliers(u, off, this.covariate ?? fitted, this.strata?.codes, out);
    return out.every((v) => v > 0 && Number.isFinite(v));
  }
}
