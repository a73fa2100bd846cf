/**
 * Responses simulated from a fitted mixed model, as lme4's `simulate(fit, nsim, seed)` with new
 * random effects (`use.u = FALSE`):
 *   b* = σ Λ(θ̂) u*,  u* ~ N(0, I)   (so b* ~ N(0, σ² Λ Λ'); σ = 1 for GLMMs)
 *   η* = o + X β̂ + Z b*
 *   linear models: y* = η* + σ ε, ε ~ N(0, I)
 *   binomial:      successes ~ Binomial(m_i, μ*_i), μ* = g⁻¹(η*), m_i the trials; returned as
 *                  counts for cbind(successes, failures), 0/1 for a binary response, and
 *                  proportions (successes / weight) for a proportion with weights
 *   Poisson:       y* ~ Poisson(μ*_i)
 * The draws come from a seeded stream (`createRng` of src/inference/random.ts), so a seed
 * reproduces them exactly (they are not the same numbers as R's).
 */
import { MlmError } from "../errors.js";
import { getLink } from "../glmm/link.js";
import type { LinkName } from "../glmm/link.js";
import type { MixedModelBase } from "../lmm/linear-mixed-model.js";
import { nsimMessage } from "./messages.js";
import { createRng, type Rng } from "../inference/random.js";
import { termLambdas } from "./term-effects.js";

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Number of response vectors (default 1). */
  readonly nsim?: number;
  /** Seed of the random stream; a fresh random seed when omitted. */
  readonly seed?: number;
}

/**
 * Simulate responses from a fitted model with new random effects.
 *
 * @param m - a fitted linear or generalized linear mixed model.
 * @param options - `nsim` and `seed`.
 * @returns nsim vectors, each with one simulated response per row of the fit.
 * @throws MlmError when nsim is not a whole number of at least 1.
 * @example
 * ```ts
 * const m = fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * const ys = simulate(m, { nsim: 2, seed: 1 });
 * ys.length;    // 2
 * ys[0].length; // 180
 * simulate(m, { nsim: 2, seed: 1 })[1][0] === ys[1][0]; // true
 * ```
 */
export function simulate(m: MixedModelBase, options: SimulateOptions = {}): Float64Array[] {
  const nsim = options.nsim ?? 1;
  if (!(Number.isInteger(nsim) && nsim >= 1)) throw new MlmError(nsimMessage(nsim));
  const rng = createRng(options.seed ?? Math.floor(Math.random() * 4294967296));
  const draw = responseSampler(m);
  const out: Float64Array[] = [];
  for (let s = 0; s < nsim; s++) out.push(draw(rng));
  return out;
}

/**
 * A function drawing one simulated response vector from a fitted model (see {@link simulate}).
 *
 * @param m - a fitted model.
 * @returns a sampler taking the random stream to draw from.
 * @example
 * ```ts
 * const draw = responseSampler(m);
 * draw(createRng(5)); // Float64Array of length m.nobs
 * ```
 */
export function responseSampler(m: MixedModelBase): (rng: Rng) => Float64Array {
  const frame = m.frame;
  const n = frame.n;
  const p = m.beta.length;
  const sigma = m.sigma;
  const lambdas = termLambdas(m);
  // η without random effects: o + X β̂
  const eta0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = frame.offset ? frame.offset[i] : 0;
    for (let j = 0; j < p; j++) s += frame.X[i + j * n] * m.beta[j];
    eta0[i] = s;
  }
  const bs = frame.reterms.map((t) => new Float64Array(t.cnms.length * t.group.levels.length));
  const u = new Float64Array(Math.max(...frame.reterms.map((t) => t.cnms.length)));
  const respond = responseDraw(m);

  return (rng: Rng): Float64Array => {
    const eta = Float64Array.from(eta0);
    frame.reterms.forEach((term, t) => {
      const k = term.cnms.length;
      const nlev = term.group.levels.length;
      const lam = lambdas[t];
      const b = bs[t];
      for (let h = 0; h < nlev; h++) {
        for (let j = 0; j < k; j++) u[j] = rng.normal();
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let r = 0; r <= j; r++) s += lam[j + r * k] * u[r];
          b[h * k + j] = sigma * s;
        }
      }
      const { refs } = term.group;
      const z = term.z;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += z[i + j * n] * b[refs[i] * k + j];
        eta[i] += s;
      }
    });
    for (let i = 0; i < n; i++) eta[i] = respond(eta[i], i, rng);
    return eta;
  };
}

/** Draw row i's response given its linear predictor, for the model's family. */
function responseDraw(m: MixedModelBase): (eta: number, i: number, rng: Rng) => number {
  const sigma = m.sigma;
  if (m.family === "gaussian") return (eta, _i, rng) => eta + sigma * rng.normal();
  const linkinv = getLink(m.link as LinkName).linkinv;
  if (m.family === "poisson") return (eta, _i, rng) => rng.poisson(linkinv(eta));
  const { trials } = m.frame.response;
  if (trials) return (eta, i, rng) => rng.binomial(Math.round(trials[i]), linkinv(eta));
  const w = m.frame.weights;
  if (w) return (eta, i, rng) => rng.binomial(Math.round(w[i]), linkinv(eta)) / w[i];
  return (eta, _i, rng) => rng.binomial(1, linkinv(eta));
}
