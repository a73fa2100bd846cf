/**
 * The negative binomial family with quadratic variance (glmmTMB's `nbinom2`, lme4's `glmer.nb`,
 * MASS's `negative.binomial`): a Poisson count whose mean is Gamma-distributed with shape θ,
 *
 *     p(y | μ, θ) = Γ(y + θ) / (Γ(θ) y!) · (θ / (μ + θ))^θ · (μ / (μ + θ))^y,   V(μ) = μ + μ²/θ,
 *
 * so ℓ_μ = y/μ − (y + θ)/(μ + θ) and ℓ_μμ = −y/μ² + (y + θ)/(μ + θ)². σ = θ (glmmTMB's sigma());
 * as θ → ∞ the family becomes the Poisson.
 */
import { logGamma } from "../numerics/log-gamma.js";
import { checkCounts, dispersionFunctions, registerDispersionFamily, type DispersionFunctions } from "./dispersion.js";
import { rgamma } from "../numerics/special.js";

/** −θ log(1 + μ/θ) + y log(μ / (μ + θ)). */
function kernel(y: number, mu: number, theta: number): number {
  return -theta * Math.log1p(mu / theta) + (y === 0 ? 0 : y * Math.log(mu / (mu + theta)));
}

/** log Γ(y + θ) − log Γ(θ) − log y!, by the sum Σ_{j<y} log((θ + j)/(j + 1)) for small counts. */
function constant(y: number, theta: number): number {
  if (y < 20) {
    let s = 0;
    for (let j = 0; j < y; j++) s += Math.log((theta + j) / (j + 1));
    return s;
  }
  return logGamma(y + theta) - logGamma(theta) - logGamma(y + 1);
}

/** θ-dependent functions of nbinom2 (σ = θ). */
export const nbinom2Dispersion: DispersionFunctions = dispersionFunctions({
  dispersionSymbol: "θ",
  dispersionMeaning: "the negative binomial shape θ (variance μ + μ²/θ)",
  // MASS::glm.nb: (X'WX)⁻¹ at θ̂ with W = μ'²/V(μ)
  singleLevelVcov: "fisher",
  variance: (mu, theta) => mu + (mu * mu) / theta,
  kernel,
  constant,
  derivatives: (y, mu, theta, out) => {
    const r = (y + theta) / (mu + theta);
    out[0] = y / mu - r;
    out[1] = -y / (mu * mu) + r / (mu + theta);
  },
  muStart: (y) => y + 0.1,
  // method of moments: Var(y) − E(y) = E(y)²/θ
  sigmaFromMoments: (m, v) => (v > m * 1.05 ? Math.min(Math.max((m * m) / (v - m), 0.05), 100) : 10),
});

/**
 * The nbinom2 family (log link), registered as `nbinom2`.
 *
 * @example
 * ```ts
 * makeFamily("nbinom2").dispersion?.variance(2, 4); // 3 (= 2 + 2²/4)
 * ```
 */
registerDispersionFamily({
  name: "nbinom2",
  links: ["log"],
  functions: nbinom2Dispersion,
  check: (y, label, rows) => checkCounts("negative binomial (nbinom2)", y, label, rows),
  draw: (rng, mu, theta) => rng.poisson(rgamma(rng, theta, mu / theta)),
  limitOf: "poisson",
});
