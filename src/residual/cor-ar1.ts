/**
 * corAR1: first-order autoregressive correlation within groups, cor(εᵢ, εⱼ) = φ^|tᵢ − tⱼ| for
 * integer positions t (nlme's corAR1; with gaps in the positions nlme switches to corARMA(1, 0),
 * which is the same model). |φ| < 1; the optimizer works on log((1 + φ) / (1 − φ)), nlme's
 * unconstrained scale.
 *
 * Whitening is banded (Prais–Winsten): with rows sorted by position and dₖ = tₖ − tₖ₋₁,
 *
 *     w₁ = e₁,   wₖ = (eₖ − φ^dₖ eₖ₋₁) / √(1 − φ^(2dₖ)),   log|C| = Σₖ log(1 − φ^(2dₖ)),
 *
 * O(m) per group of m rows (Pinheiro and Bates 2000, section 5.3.1).
 */
import { MlmError } from "../errors.js";
import type { GroupLayout } from "./residual-groups.js";
import type { CorrelationStructure } from "./structure.js";

/**
 * In place: the Markov whitening of rows a..b−1 of a group (row-major, c values per row) for
 * correlation φ^(distance).
 *
 * @param buf - the rows.
 * @param off - first value of the group's first row.
 * @param c - values per row.
 * @param pos - positions of the layout's sorted rows.
 * @param a - first sorted row of the group.
 * @param b - one past its last sorted row.
 * @param phi - the correlation at distance 1.
 * @returns log|C_g|, or NaN when some lag's correlation is ±1.
 * @example
 * ```ts
 * // two rows of one column, at positions 1 and 2
 * const rows = Float64Array.of(1, 2);
 * markovWhiten(rows, 0, 1, Float64Array.of(1, 2), 0, 2, 0.6); // -0.4463 (log 0.64)
 * rows; // Float64Array [1, 1.75]
 * ```
 */
export function markovWhiten(buf: Float64Array, off: number, c: number, pos: Float64Array, a: number, b: number, phi: number): number {
  let logdet = 0;
  for (let r = b - 1; r > a; r--) {
    const d = pos[r] - pos[r - 1];
    const rho = d === 1 ? phi : Math.pow(phi, d);
    const one = 1 - rho * rho;
    if (!(one > 0)) return NaN;
    const s = 1 / Math.sqrt(one);
    const cur = off + (r - a) * c;
    const prev = cur - c;
    for (let j = 0; j < c; j++) buf[cur + j] = (buf[cur + j] - rho * buf[prev + j]) * s;
    logdet += Math.log(one);
  }
  return logdet;
}

/**
 * What corAR1 and corCAR1 share: one parameter Phi, φ^distance correlations, the Markov
 * whitening; they differ in their positions and in the map from the optimizer's scale to φ.
 *
 * @example
 * ```ts
 * import { CorCAR1 } from "./cor-car1.js";
 * import { groupLayout } from "./residual-groups.js";
 * const layout = groupLayout(2, Int32Array.of(0, 0), 1, Float64Array.of(0, 1), "corAR1", "t");
 * [new CorAR1(layout, "~ t | g"), new CorCAR1(layout, "~ t | g")].map((s) => s instanceof MarkovCorrelation && s.natural(Float64Array.of(0), 0)[0]);
 * // [0, 0.5]
 * ```
 */
export abstract class MarkovCorrelation {
  readonly npar = 1;
  readonly names = ["Phi"] as const;
  private phi = 0;

  /**
   * @param layout - rows grouped and sorted by position.
   * @param form - the form as written.
   */
  constructor(
    readonly layout: GroupLayout,
    readonly form: string,
  ) {}

  /** φ from the optimizer's unconstrained parameter. */
  protected abstract phiOf(u: number): number;

  natural(u: ArrayLike<number>, off: number): number[] {
    return [this.phiOf(u[off])];
  }

  set(u: ArrayLike<number>, off: number): boolean {
    this.phi = this.phiOf(u[off]);
    return Math.abs(this.phi) < 1;
  }

  whiten(g: number, buf: Float64Array, off: number, c: number): number {
    const { start, pos } = this.layout;
    return markovWhiten(buf, off, c, pos, start[g], start[g + 1], this.phi);
  }
}

/** corAR1 bound to a data set's groups. */
export class CorAR1 extends MarkovCorrelation implements CorrelationStructure {
  readonly structure = "corAR1" as const;
  readonly quadraticPrecision = true;
  readonly label = "AR(1)";

  /**
   * @param layout - rows grouped and sorted by position.
   * @param form - the form as written.
   * @param value - nlme's starting φ, or undefined for 0.
   * @example
   * ```ts
   * import { groupLayout } from "./residual-groups.js";
   * const ar1 = new CorAR1(groupLayout(4, Int32Array.of(0, 0, 1, 1), 2, Float64Array.of(0, 1, 0, 1), "corAR1", "t"), "~ t | g");
   * ar1.names; // ["Phi"]
   * ar1.natural(Float64Array.of(Math.log(9)), 0); // [0.8]
   * ```
   */
  constructor(
    layout: GroupLayout,
    form: string,
    private readonly value?: number,
  ) {
    super(layout, form);
    for (const t of layout.pos) {
      if (!Number.isInteger(t)) throw new MlmError(`corAR1 needs whole-number positions, but ${form} has the value ${t}; use corCAR1 for continuous times.`);
    }
    if (value !== undefined && !(Math.abs(value) < 1)) throw new MlmError("The starting value of corAR1 must lie strictly between -1 and 1.");
  }

  start(out: Float64Array, off: number): void {
    out[off] = this.value === undefined ? 0 : 2 * Math.atanh(this.value);
  }

  /** φ = tanh(u/2): u = log((1 + φ)/(1 − φ)). */
  protected phiOf(u: number): number {
    return Math.tanh(u / 2);
  }
}
