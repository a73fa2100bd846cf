/**
 * The random-effects quantities of a fitted model laid out per random-effects term in the model
 * frame's (formula) order, which is what new data from `newDataFrame` refer to: the relative
 * covariance factor Λ_t(θ̂) of each term, and the conditional modes b̂ with their conditional
 * standard deviations per level.
 *
 * A fitted model keeps θ and `ranef()` in lme4's fitting order (terms sorted by decreasing
 * number of levels); these helpers undo that permutation with `m.randomEffects.order`.
 */
import type { MixedModel } from "../model/mixed-model.js";

/** One term's conditional modes and their conditional standard deviations. */
export interface TermModes {
  /** b̂ of the term, level-major: element h·k + j is column j of level h. */
  readonly b: Float64Array;
  /** The conditional standard deviation of each element of `b` (same layout). */
  readonly condsd: Float64Array;
}

/**
 * Λ_t(θ̂) of each random-effects term, in the model frame's order: the k × k lower-triangular
 * factor (column-major) with Var(b_t per level) = σ² Λ_t Λ_t' (σ = 1 for GLMMs).
 *
 * @param m - a fitted model.
 * @returns one k_t × k_t matrix per term of `m.frame.reterms`.
 * @example
 * ```ts
 * termLambdas(sleepstudyFit)[0]; // Float64Array [0.9667, 0.0152, 0, 0.2309]
 * ```
 */
export function termLambdas(m: MixedModel): Float64Array[] {
  const re = m.randomEffects;
  const fitted = re.lambdas(m.theta);
  const out: Float64Array[] = new Array<Float64Array>(fitted.length);
  re.order.forEach((t, s) => (out[t] = fitted[s]));
  return out;
}

/**
 * The conditional modes b̂ and their conditional standard deviations, per term in the model
 * frame's order, read from `m.ranef()`.
 *
 * @param m - a fitted model.
 * @returns one {@link TermModes} per term of `m.frame.reterms`.
 * @example
 * ```ts
 * termModes(sleepstudyFit)[0].b.subarray(0, 2); // Float64Array [2.2586, 9.1990]  (Subject 308)
 * ```
 */
export function termModes(m: MixedModel): TermModes[] {
  const rows = m.ranef();
  const order = m.randomEffects.order;
  const out: TermModes[] = new Array<TermModes>(order.length);
  let r = 0;
  for (const t of order) {
    const frame = m.frame.reterms[t];
    const k = frame.cnms.length;
    const nlev = frame.group.levels.length;
    const b = new Float64Array(k * nlev);
    const condsd = new Float64Array(k * nlev);
    // ranef() lists a term column by column, each column level by level
    for (let j = 0; j < k; j++) {
      for (let h = 0; h < nlev; h++, r++) {
        b[h * k + j] = rows[r].condval;
        condsd[h * k + j] = rows[r].condsd;
      }
    }
    out[t] = { b, condsd };
  }
  return out;
}
