/**
 * Confidence intervals for the parameters of a fitted model, as lme4's
 * `confint(fit, method = ..., oldNames = FALSE)`, in its order and with its names: the standard
 * deviations and correlations of the random effects (`sd_(Intercept)|Subject`,
 * `cor_Days.(Intercept)|Subject`, ...), `sigma` for linear models, then the fixed effects.
 *
 * - `profile` (default): likelihood-profile intervals (see profile.ts).
 * - `wald`: β̂_j ± z_{(1+level)/2} se_j for the fixed effects; none (null) for variance parameters.
 * - `bootstrap`: parametric-bootstrap percentile intervals (see bootstrap.ts).
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { bootMer, percentileIntervals } from "./bootstrap.js";
import { checkLevel, profileConfint, qnorm, type ConfintRow } from "./profile.js";

export type { ConfintRow } from "./profile.js";

/** How to compute the intervals. */
export type ConfintMethod = "profile" | "wald" | "bootstrap";

/** Options of {@link confint}. */
export interface ConfintOptions {
  /** Default `profile`. */
  readonly method?: ConfintMethod;
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /** Bootstrap simulations (default 1000). */
  readonly nsim?: number;
  /** Bootstrap seed (default 1). */
  readonly seed?: number;
  /** Progress: parameters profiled, or simulations done, out of the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Confidence intervals of every parameter of a fitted model.
 *
 * @param m - a fitted model.
 * @param options - method, level, bootstrap settings, progress.
 * @returns one row per parameter, in lme4's order.
 * @throws MlmError for a bad level or method, or when the bootstrap fails.
 * @example
 * ```ts
 * confint(dyestuffFit);
 * // [{ name: "sd_(Intercept)|Batch", lower: 12.20, upper: 84.06 },
 * //  { name: "sigma", lower: 38.23, upper: 67.66 }, { name: "(Intercept)", lower: 1486.5, upper: 1568.5 }]
 * confint(dyestuffFit, { method: "wald" })[2]; // { name: "(Intercept)", lower: 1489.5, upper: 1565.5 }
 * ```
 */
export function confint(m: MixedModel, options: ConfintOptions = {}): ConfintRow[] {
  const method = options.method ?? "profile";
  const level = checkLevel(options.level ?? 0.95);
  switch (method) {
    case "profile":
      return profileConfint(m, { level, onProgress: options.onProgress });
    case "wald":
      return waldConfint(m, level);
    case "bootstrap":
      return bootstrapConfint(m, { ...options, level });
    default:
      throw new MlmError(`Unknown confidence-interval method '${String(method)}'; use profile, wald or bootstrap.`);
  }
}

/**
 * The names of a model's parameters in lme4's `confint(oldNames = FALSE)` order.
 *
 * @param m - a fitted model.
 * @returns sds and correlations, `sigma` (linear models, and the dispersion of nbinom2, nbinom1 and Gamma models), then the fixed effects.
 * @example
 * ```ts
 * parameterNames(dyestuffFit); // ["sd_(Intercept)|Batch", "sigma", "(Intercept)"]
 * ```
 */
export function parameterNames(m: MixedModel): string[] {
  return [...m.randomEffects.naturalNames(m.family.hasScale).map((p) => p.name), ...(hasDispersion(m) ? ["sigma"] : []), ...m.fixefNames];
}

/** Whether the model has a dispersion parameter (nbinom2, nbinom1, Gamma), reported as `sigma` after the sds. */
function hasDispersion(m: MixedModel): boolean {
  return m.kind === "glmm" && m.dispersion !== undefined;
}

/**
 * The values of a model's parameters in the order of {@link parameterNames}.
 *
 * @param m - a fitted model.
 * @returns sds and correlations, σ (linear models and dispersion families), then β̂.
 * @example
 * ```ts
 * parameterValues(dyestuffFit); // [42.00, 49.51, 1527.5]
 * ```
 */
export function parameterValues(m: MixedModel): Float64Array {
  const useSc = m.family.hasScale;
  const sd = m.randomEffects.toNatural(m.theta, useSc ? m.sigma : 1, useSc);
  return Float64Array.of(...sd, ...(hasDispersion(m) ? [m.sigma] : []), ...m.beta);
}

/**
 * Wald intervals: β̂_j ± z se_j for fixed effects, null for variance parameters (as lme4); for the
 * dispersion of nbinom2, nbinom1 and Gamma models exp(log σ̂ ± z se(log σ̂)), as glmmTMB's
 * `confint(fit, method = "wald")` gives `sigma`.
 *
 * @param m - a fitted model.
 * @param level - the confidence level.
 * @returns one row per parameter.
 * @throws MlmError for a level outside (0, 1).
 * @example
 * ```ts
 * waldConfint(sleepstudyFit, 0.95)[5]; // { name: "Days", lower: 7.438, upper: 13.497 }
 * ```
 */
export function waldConfint(m: MixedModel, level = 0.95): ConfintRow[] {
  const z = qnorm((1 + checkLevel(level)) / 2);
  const vp: ConfintRow[] = m.randomEffects.naturalNames(m.family.hasScale).map((p) => ({ name: p.name, lower: null, upper: null }));
  if (m.kind === "glmm" && m.dispersion) {
    const { value, seLog } = m.dispersion;
    vp.push(Number.isFinite(seLog) ? { name: "sigma", lower: value * Math.exp(-z * seLog), upper: value * Math.exp(z * seLog) } : { name: "sigma", lower: null, upper: null });
  }
  return [...vp, ...m.fixef.map((f) => ({ name: f.term, lower: f.estimate - z * f.se, upper: f.estimate + z * f.se }))];
}

/**
 * Parametric-bootstrap percentile intervals of every parameter.
 *
 * @param m - a fitted model.
 * @param options - level, nsim (default 1000), seed (default 1), progress.
 * @returns one row per parameter.
 * @throws MlmError when more than half of the refits fail.
 * @example
 * ```ts
 * bootstrapConfint(dyestuffFit, { nsim: 50, seed: 3 })[1]; // { name: "sigma", lower: 39.65, upper: 60.23 }
 * ```
 */
export function bootstrapConfint(m: MixedModel, options: Omit<ConfintOptions, "method"> = {}): ConfintRow[] {
  const level = checkLevel(options.level ?? 0.95);
  const r = bootMer(m, parameterValues, options);
  const names = parameterNames(m);
  return percentileIntervals(r, level).map(([lower, upper], i) => ({ name: names[i], lower: nanToNull(lower), upper: nanToNull(upper) }));
}

function nanToNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
