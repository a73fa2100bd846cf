/**
 * Simulating a new response from a fitted model (lme4's `simulate(fit)` with new random effects),
 * the draw of the parametric bootstrap:
 *
 *     b* ~ N(0, σ² Λ Λ'),   η* = offset + X β̂ + Z b*,
 *     linear models:  y* = η* + ε,  ε ~ N(0, σ² I);
 *     binomial:       m y* ~ Binomial(m, g⁻¹(η*)), m the trials of the row;
 *     Poisson:        y* ~ Poisson(g⁻¹(η*));
 *     nbinom2, nbinom1, Gamma: y* drawn from the family at μ* = g⁻¹(η*) and σ̂ (glmmTMB's sigma()).
 *
 * b* = σ Λ u* with u* ~ N(0, I), drawn term by term and level by level, then one residual or count
 * per row in row order, so that a seed fixes the whole response.
 */
import type { MixedModelBase } from "../lmm/linear-mixed-model.js";
import type { GeneralizedLinearMixedModel } from "../glmm/fit-glmm.js";
import { getLink, type LinkName } from "../glmm/link.js";
import { dispersionFamily, isDispersionFamily } from "../glmm/fit-dispersion.js";
import { addZb } from "../terms/random-effects.js";
import type { Rng } from "./random.js";
import { reTermsOf } from "./sdcor.js";

/**
 * Draw a new response from the fitted model with new random effects.
 *
 * @param m - a fitted model.
 * @param rng - the random stream (see `createRng`).
 * @returns y*, one value per used row, on the scale of `m.frame.response.y` (proportions for
 *   binomial responses with trials).
 * @example
 * ```ts
 * const y = simulateResponse(fitLmm("Yield ~ 1 + (1 | Batch)", dyestuff), createRng(1));
 * y.length; // 30
 * ```
 */
export function simulateResponse(m: MixedModelBase, rng: Rng): Float64Array {
  const frame = m.frame;
  const n = frame.n;
  const p = frame.fixefNames.length;
  const terms = reTermsOf(frame);
  const scale = m.family === "gaussian" ? m.sigma : 1;

  // b* = σ Λ u*, term by term
  const q = terms.reduce((s, t) => s + t.q, 0);
  const b = new Float64Array(q);
  let o = 0;
  let off = 0;
  for (const t of terms) {
    const k = t.k;
    const lam = new Float64Array(k * k);
    t.fillLambda(m.theta, off, lam);
    const u = new Float64Array(k);
    for (let h = 0; h < t.nlev; h++) {
      for (let i = 0; i < k; i++) u[i] = rng.normal();
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let r = 0; r <= i; r++) s += lam[i + r * k] * u[r];
        b[o + h * k + i] = scale * s;
      }
    }
    o += t.q;
    off += t.ntheta;
  }

  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = frame.offset?.[i] ?? 0;
    for (let j = 0; j < p; j++) s += frame.X[i + j * n] * m.beta[j];
    eta[i] = s;
  }
  addZb(terms, b, eta);

  const y = new Float64Array(n);
  if (m.family === "gaussian") {
    for (let i = 0; i < n; i++) y[i] = eta[i] + m.sigma * rng.normal();
    return y;
  }
  const link = getLink((m as GeneralizedLinearMixedModel).link as LinkName);
  if (isDispersionFamily(m.family)) {
    const family = dispersionFamily(m.family, m.link as LinkName);
    for (let i = 0; i < n; i++) y[i] = family.draw(rng, link.linkinv(eta[i]), m.sigma);
    return y;
  }
  if (m.family === "poisson") {
    for (let i = 0; i < n; i++) y[i] = rng.poisson(link.linkinv(eta[i]));
    return y;
  }
  const trials = frame.response.trials;
  const weights = frame.weights;
  for (let i = 0; i < n; i++) {
    const size = Math.round((trials?.[i] ?? 1) * (weights?.[i] ?? 1));
    const mu = Math.min(1, Math.max(0, link.linkinv(eta[i])));
    y[i] = size > 0 ? rng.binomial(size, mu) / size : 0;
  }
  return y;
}
