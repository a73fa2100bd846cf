/**
 * corCompSymm: compound symmetry (exchangeable correlation) within groups,
 * C = (1 − ρ) I + ρ 11ᵀ, nlme's `Rho`, with −1 / (M − 1) < ρ < 1 for groups of up to M rows. The
 * optimizer works on log((ρ + 1/(M − 1)) / (1 − ρ)), nlme's unconstrained scale.
 *
 * Whitening is analytic, O(m) per row: C's eigenvalues are λ₁ = 1 + (m − 1)ρ (along 1) and
 * 1 − ρ (the rest), so C^(−1/2) = (I − f 11ᵀ / m) / √(1 − ρ) with f = 1 − √((1 − ρ) / λ₁), and
 * log|C| = (m − 1) log(1 − ρ) + log λ₁.
 */
import { MlmError } from "../errors.js";
import type { GroupLayout } from "./residual-groups.js";
import type { CorrelationStructure } from "./structure.js";

/** corCompSymm bound to a data set's groups. */
export class CorCompSymm implements CorrelationStructure {
  readonly structure = "corCompSymm" as const;
  readonly label = "Compound symmetry";
  readonly npar = 1;
  readonly names = ["Rho"] as const;
  private rho = 0;
  private readonly lowerRho: number;

  /**
   * @param layout - rows grouped.
   * @param form - the form as written.
   * @param value - nlme's starting ρ, or undefined for 0.
   * @example
   * ```ts
   * import { groupLayout } from "./residual-groups.js";
   * const cs = new CorCompSymm(groupLayout(4, Int32Array.of(0, 0, 1, 1), 2, undefined, "corCompSymm", undefined), "~ 1 | Subject");
   * cs.names; // ["Rho"]
   * ```
   */
  constructor(
    readonly layout: GroupLayout,
    readonly form: string,
    private readonly value?: number,
  ) {
    const M = Math.max(layout.maxSize, 2);
    this.lowerRho = -1 / (M - 1);
    if (value !== undefined && !(value > this.lowerRho && value < 1)) throw new MlmError(`The starting value of corCompSymm must lie between ${this.lowerRho} and 1.`);
  }

  start(out: Float64Array, off: number): void {
    const r = this.value ?? 0;
    out[off] = Math.log((r - this.lowerRho) / (1 - r));
  }

  natural(u: ArrayLike<number>, off: number): number[] {
    const e = Math.exp(u[off]);
    return [(e + this.lowerRho) / (e + 1)];
  }

  set(u: ArrayLike<number>, off: number): boolean {
    this.rho = this.natural(u, off)[0];
    return this.rho > this.lowerRho && this.rho < 1;
  }

  whiten(g: number, buf: Float64Array, off: number, c: number): number {
    const m = this.layout.start[g + 1] - this.layout.start[g];
    const rho = this.rho;
    const lam1 = 1 + (m - 1) * rho;
    if (!(lam1 > 0) || !(rho < 1)) return NaN;
    const s = 1 / Math.sqrt(1 - rho);
    const f = (1 - Math.sqrt((1 - rho) / lam1)) / m;
    for (let j = 0; j < c; j++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += buf[off + i * c + j];
      const fs = f * sum;
      for (let i = 0; i < m; i++) buf[off + i * c + j] = (buf[off + i * c + j] - fs) * s;
    }
    return (m - 1) * Math.log(1 - rho) + Math.log(lam1);
  }
}
