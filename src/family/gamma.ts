/**
 * The Gamma family (glmmTMB's and R's `Gamma`) with shape k = 1/σ² and mean μ, so that σ is the
 * coefficient of variation (glmmTMB's sigma(), 1/√shape) and V(μ) = σ²μ²:
 *
 *     log p(y | μ, σ) = k log(k y / μ) − k y / μ − log y − log Γ(k),
 *
 * ℓ_μ = k (y − μ) / μ² and ℓ_μμ = k / μ² − 2 k y / μ³.
 */
import { MlmError } from "../errors.js";
import { logGamma } from "../numerics/log-gamma.js";
import { dispersionFunctions, registerDispersionFamily, type DispersionFunctions } from "./dispersion.js";
import { rgamma } from "../numerics/special.js";

/** −k (log μ + y/μ), k = 1/σ². */
function kernel(y: number, mu: number, sigma: number): number {
  return -(Math.log(mu) + y / mu) / (sigma * sigma);
}

/** k log(k y) − log y − log Γ(k). */
function constant(y: number, sigma: number): number {
  const k = 1 / (sigma * sigma);
  return k * Math.log(k * y) - Math.log(y) - logGamma(k);
}

/** σ-dependent functions of the Gamma family (σ = 1/√shape). */
export const gammaDispersion: DispersionFunctions = dispersionFunctions({
  dispersionSymbol: "σ",
  dispersionMeaning: "the Gamma coefficient of variation σ = 1/√shape",
  // R's glm(family = Gamma): (X'WX)⁻¹ scaled by the Pearson dispersion
  singleLevelVcov: "pearson",
  variance: (mu, sigma) => sigma * sigma * mu * mu,
  kernel,
  constant,
  derivatives: (y, mu, sigma, out) => {
    const k = 1 / (sigma * sigma * mu * mu);
    out[0] = (y - mu) * k;
    out[1] = (1 - (2 * y) / mu) * k;
  },
  muStart: (y) => y,
  // the coefficient of variation of y
  sigmaFromMoments: (m, v) => Math.min(Math.max(Math.sqrt(v) / m, 0.01), 10),
});

/**
 * The Gamma family (log or inverse link), registered as `Gamma`.
 *
 * @example
 * ```ts
 * makeFamily("Gamma", "inverse").dispersion?.variance(2, 0.5); // 1 (= 0.5² × 2²)
 * ```
 */
registerDispersionFamily({
  name: "Gamma",
  links: ["log", "inverse"],
  functions: gammaDispersion,
  check: (y, label, rows) => {
    for (let i = 0; i < y.length; i++) {
      if (!(y[i] > 0)) throw new MlmError(`The response ${label} has the value ${y[i]} (row ${rows[i] + 1}); a Gamma model needs values above zero (for zeros, consider a count or hurdle model).`);
    }
  },
  draw: (rng, mu, sigma) => {
    const k = 1 / (sigma * sigma);
    return rgamma(rng, k, mu / k);
  },
});
