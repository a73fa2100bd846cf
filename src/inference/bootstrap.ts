/**
 * The parametric bootstrap (lme4's `bootMer(type = "parametric", use.u = FALSE)`): simulate
 * `nsim` responses from the fitted model with new random effects, refit the model to each, and
 * keep a statistic of every refit. Percentile intervals take the (1 − level)/2 and (1 + level)/2
 * quantiles of the replicates (R's type-7 quantile: linear interpolation between order statistics).
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { createRng } from "../numerics/random.js";
import { refit } from "./refit.js";
import { simulateResponse } from "./simulate.js";

/** Options of {@link bootMer}. */
export interface BootstrapOptions {
  /** Number of simulations (default 1000). */
  readonly nsim?: number;
  /** Seed of the random stream (default 1): the same seed gives the same replicates. */
  readonly seed?: number;
  /** Called after each simulation with the number done and `nsim`. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The replicates of a statistic. */
export interface BootstrapReplicates {
  /** The statistic of the fitted model. */
  readonly t0: Float64Array;
  /** The statistic of each successful refit. */
  readonly t: readonly Float64Array[];
  /** Simulations whose refit failed (left out of `t`). */
  readonly failed: number;
}

/**
 * Parametric bootstrap of a statistic of the fitted model.
 *
 * @param m - a fitted model.
 * @param statistic - what to keep of each fit (a fixed number of values).
 * @param options - nsim, seed, progress.
 * @returns the statistic of the model and of each refit.
 * @throws MlmError for a bad nsim, or when more than half of the refits fail.
 * @example
 * ```ts
 * const r = bootMer(dyestuffFit, (f) => [f.sigma], { nsim: 20, seed: 7 });
 * r.t.length; // 20
 * ```
 */
export function bootMer(m: MixedModel, statistic: (fit: MixedModel) => ArrayLike<number>, options: BootstrapOptions = {}): BootstrapReplicates {
  const nsim = options.nsim ?? 1000;
  if (!Number.isInteger(nsim) || nsim < 1) throw new MlmError(`The number of simulations must be a whole number of at least 1, not ${nsim}.`);
  const rng = createRng(options.seed ?? 1);
  const t0 = Float64Array.from(statistic(m));
  const t: Float64Array[] = [];
  let failed = 0;
  for (let s = 0; s < nsim; s++) {
    const y = simulateResponse(m, rng);
    try {
      t.push(Float64Array.from(statistic(refit(m, y))));
    } catch (error) {
      if (!(error instanceof MlmError)) throw error;
      failed++;
    }
    options.onProgress?.(s + 1, nsim);
  }
  if (failed * 2 > nsim) throw new MlmError(`${failed} of ${nsim} bootstrap refits failed, so the bootstrap is not reliable for this model; simplify the model or use profile intervals.`);
  return { t0, t, failed };
}

/**
 * The type-7 quantile (R's default) of values, ignoring NaN.
 *
 * @param values - the values.
 * @param prob - the probability, in [0, 1].
 * @returns the quantile, NaN when there are no values.
 * @example
 * ```ts
 * quantile7([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile7(values: ArrayLike<number>, prob: number): number {
  const v = Array.from(values).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

/**
 * Percentile intervals of each component of bootstrap replicates.
 *
 * @param r - the replicates.
 * @param level - the confidence level.
 * @returns one [lower, upper] per component of the statistic.
 * @example
 * ```ts
 * percentileIntervals({ t0: Float64Array.of(0), t: [0, 1, 2, 3, 4].map((x) => Float64Array.of(x)), failed: 0 }, 0.5);
 * // [[1, 3]]
 * ```
 */
export function percentileIntervals(r: BootstrapReplicates, level: number): [number, number][] {
  const a = (1 - level) / 2;
  return Array.from(r.t0, (_, i) => {
    const col = r.t.map((row) => row[i]);
    return [quantile7(col, a), quantile7(col, 1 - a)];
  });
}
