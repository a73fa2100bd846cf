/**
 * corCAR1: continuous-time first-order autoregressive correlation within groups,
 * cor(εᵢ, εⱼ) = φ^|tᵢ − tⱼ| for real positions t, 0 ≤ φ < 1 (nlme's corCAR1). The optimizer
 * works on log(φ / (1 − φ)), nlme's unconstrained scale. Whitening is the banded recursion of
 * cor-ar1.ts with real distances, O(m) per group.
 */
import { MlmError } from "../errors.js";
import { MarkovCorrelation } from "./cor-ar1.js";
import type { GroupLayout } from "./residual-groups.js";
import type { CorrelationStructure } from "./structure.js";

/** corCAR1 bound to a data set's groups. */
export class CorCAR1 extends MarkovCorrelation implements CorrelationStructure {
  readonly structure = "corCAR1" as const;
  readonly label = "Continuous AR(1)";

  /**
   * @param layout - rows grouped and sorted by time.
   * @param form - the form as written.
   * @param value - nlme's starting φ (default 0.2, as nlme).
   * @example
   * ```ts
   * import { groupLayout } from "./residual-groups.js";
   * const car1 = new CorCAR1(groupLayout(2, Int32Array.of(0, 0), 1, Float64Array.of(1, 8), "corCAR1", "Time"), "~ Time | Rat");
   * car1.natural(Float64Array.of(0), 0); // [0.5]
   * ```
   */
  constructor(
    layout: GroupLayout,
    form: string,
    private readonly value = 0.2,
  ) {
    super(layout, form);
    if (!(value > 0 && value < 1)) throw new MlmError("The starting value of corCAR1 must lie strictly between 0 and 1.");
  }

  start(out: Float64Array, off: number): void {
    out[off] = Math.log(this.value / (1 - this.value));
  }

  /** φ = 1/(1 + e^(−u)): u = log(φ/(1 − φ)). */
  protected phiOf(u: number): number {
    return 1 / (1 + Math.exp(-u));
  }
}
