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
import { dispersionFamily, type DispersionFunctions } from "./dispersion.js";
import { registerFamily } from "./family.js";
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
export const gammaDispersion: DispersionFunctions = {
  dispersionSymbol: "σ",
  dispersionMeaning: "the Gamma coefficient of variation σ = 1/√shape",
  variance: (mu, sigma) => sigma * sigma * mu * mu,
  logDensity: (y, mu, sigma) => kernel(y, mu, sigma) + constant(y, sigma),
  logDensityKernel: kernel,
  logDensityConstant: constant,
  dLogDensity: (y, mu, sigma) => (y - mu) / (sigma * sigma * mu * mu),
  d2LogDensity: (y, mu, sigma) => (1 - (2 * y) / mu) / (sigma * sigma * mu * mu),
  muStart: (y) => y,
  sigmaStart: (y) => {
    let m = 0;
    for (let i = 0; i < y.length; i++) m += y[i];
    m /= y.length;
    let v = 0;
    for (let i = 0; i < y.length; i++) v += (y[i] - m) * (y[i] - m);
    v /= Math.max(1, y.length - 1);
    return Math.min(Math.max(Math.sqrt(v) / m, 0.01), 10);
  },
};

/**
 * The Gamma family (log or inverse link), registered as `Gamma`.
 *
 * @example
 * ```ts
 * makeFamily("Gamma", "inverse").dispersion?.variance(2, 0.5); // 1 (= 0.5² × 2²)
 * ```
 */
registerFamily({
  name: "Gamma",
  links: ["log", "inverse"],
  build: (link) =>
    dispersionFamily(
      "Gamma",
      link,
      gammaDispersion,
      (y, label, rows) => {
        for (let i = 0; i < y.length; i++) {
          if (!(y[i] > 0)) throw new MlmError(`The response ${label} has the value ${y[i]} (row ${rows[i] + 1}); a Gamma model needs values above zero (for zeros, consider a count or hurdle model).`);
        }
      },
      (rng, mu, _w, sigma) => {
        const k = 1 / (sigma * sigma);
        return rgamma(rng, k, mu / k);
      },
    ),
});
