/**
 * Responses simulated from a fitted mixed model, as lme4's `simulate(fit, nsim, seed)` with new
 * random effects (`use.u = FALSE`): b* ~ N(0, σ² Λ Λ'), η* = o + X β̂ + Z b*, then a normal
 * residual (linear models) or a draw from the family (GLMMs). Each vector is one call of
 * `simulateResponse` (src/inference/simulate.ts, shared with the parametric bootstrap) on a seeded
 * stream (`createRng`), so a seed reproduces the draws exactly (they are not R's numbers).
 * Binomial `cbind(successes, failures)` responses are returned as counts of successes; binary
 * responses as 0/1 and proportions with weights as proportions, as the model was fitted.
 */
import { MlmError } from "../errors.js";
import { createRng } from "../numerics/random.js";
import { simulateResponse } from "../inference/simulate.js";
import type { MixedModel } from "../model/mixed-model.js";
import { nsimMessage, simulationSizeMessage } from "./messages.js";

/** The most simulated values {@link simulate} returns at once (2 GB of doubles). */
export const MAX_SIMULATED_VALUES = 2 ** 28;

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Number of response vectors (default 1). */
  readonly nsim?: number;
  /** Seed of the random stream; a fresh random seed when omitted. */
  readonly seed?: number;
  /** The most values (nsim × rows) to simulate at once (default {@link MAX_SIMULATED_VALUES}). */
  readonly maxValues?: number;
}

/**
 * Simulate responses from a fitted model with new random effects.
 *
 * @param m - a fitted linear or generalized linear mixed model.
 * @param options - `nsim` and `seed`.
 * @returns nsim vectors, each with one simulated response per row of the fit (counts of successes
 *   for `cbind(s, f)` binomial responses).
 * @throws MlmError when nsim is not a whole number of at least 1.
 * @example
 * ```ts
 * const m = sleepstudyFit;
 * const ys = simulate(m, { nsim: 2, seed: 1 });
 * ys.length;    // 2
 * ys[0].length; // 180
 * simulate(m, { nsim: 2, seed: 1 })[1][0] === ys[1][0]; // true
 * ```
 */
export function simulate(m: MixedModel, options: SimulateOptions = {}): Float64Array[] {
  const nsim = options.nsim ?? 1;
  if (!(Number.isInteger(nsim) && nsim >= 1)) throw new MlmError(nsimMessage(nsim));
  const limit = options.maxValues ?? MAX_SIMULATED_VALUES;
  if (nsim * m.nobs > limit) throw new MlmError(simulationSizeMessage(nsim, m.nobs, limit));
  const rng = createRng(options.seed ?? Math.floor(Math.random() * 4294967296));
  const { trials } = m.frame.response;
  const weights = m.frame.weights;
  const out: Float64Array[] = [];
  for (let s = 0; s < nsim; s++) {
    const y = simulateResponse(m, rng);
    // simulateResponse gives binomial proportions; cbind() responses become counts of successes
    if (trials && m.kind === "glmm") {
      for (let i = 0; i < y.length; i++) y[i] = Math.round(y[i] * trials[i] * (weights?.[i] ?? 1));
    }
    out.push(y);
  }
  return out;
}
