/**
 * Simulating a new response from a fitted model (lme4's `simulate(fit)` with new random effects),
 * the draw of the parametric bootstrap:
 *
 *     b* ~ N(0, σ² Λ Λ'),   η* = offset + X β̂ + Z b*,
 *     linear models:  y* = η* + ε,  ε ~ N(0, σ² I);
 *     binomial:       m y* ~ Binomial(m, g⁻¹(η*)), m the trials of the row;
 *     Poisson:        y* ~ Poisson(g⁻¹(η*)).
 *
 * b* = σ Λ u* with u* ~ N(0, I), drawn term by term and level by level, then one residual or count
 * per row in row order, so that a seed fixes the whole response.
 */
import type { MixedModel } from "../model/mixed-model.js";
import type { Rng } from "../numerics/random.js";

/**
 * Draw a new response from the fitted model with new random effects.
 *
 * @param m - a fitted model.
 * @param rng - the random stream (see `createRng`).
 * @returns y*, one value per used row, on the scale of `m.frame.response.y` (proportions for
 *   binomial responses with trials).
 * @example
 * ```ts
 * const y = simulateResponse(dyestuffFit, createRng(1));
 * y.length; // 30
 * ```
 */
export function simulateResponse(m: MixedModel, rng: Rng): Float64Array {
  const frame = m.frame;
  const n = frame.n;
  const p = frame.fixefNames.length;
  const re = m.randomEffects;
  const scale = m.family.hasScale ? m.sigma : 1;
  const beta = m.beta;

  // b* = σ Λ u*, term by term
  const lambdas = re.lambdas(m.theta);
  const b = new Float64Array(re.q);
  let o = 0;
  re.terms.forEach((t, s) => {
    const k = t.k;
    const lam = lambdas[s];
    const u = new Float64Array(k);
    for (let h = 0; h < t.nlev; h++) {
      for (let i = 0; i < k; i++) u[i] = rng.normal();
      for (let i = 0; i < k; i++) {
        let v = 0;
        for (let r = 0; r <= i; r++) v += lam[i + r * k] * u[r];
        b[o + h * k + i] = scale * v;
      }
    }
    o += t.q;
  });

  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = frame.offset?.[i] ?? 0;
    for (let j = 0; j < p; j++) s += frame.X[i + j * n] * beta[j];
    eta[i] = s;
  }
  re.addZb(b, eta);

  const y = new Float64Array(n);
  const { family } = m;
  const trials = frame.response.trials;
  const weights = frame.weights;
  for (let i = 0; i < n; i++) y[i] = family.draw(rng, family.link.linkinv(eta[i]), (trials?.[i] ?? 1) * (weights?.[i] ?? 1), m.sigma);
  return y;
}
