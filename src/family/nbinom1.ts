/**
 * The negative binomial family with linear variance (glmmTMB's `nbinom1`): a negative binomial
 * with size s = μ/α and probability 1/(1 + α), so V(μ) = μ(1 + α),
 *
 *     log p(y | μ, α) = log Γ(y + s) − log Γ(s) − log y! − s log(1 + α) + y log(α / (1 + α)),
 *
 * ℓ_μ = [ψ(y + s) − ψ(s) − log(1 + α)] / α and ℓ_μμ = [ψ'(y + s) − ψ'(s)] / α².
 * σ = α (glmmTMB's sigma()).
 */
import { logGamma } from "../numerics/log-gamma.js";
import { checkCounts, dispersionFamily, type DispersionFunctions } from "./dispersion.js";
import { registerFamily } from "./family.js";
import { digamma, rgamma, trigamma } from "../numerics/special.js";

/** log Γ(y + s) − log Γ(s) − s log(1 + α), s = μ/α (by a sum of logs for small counts). */
function kernel(y: number, mu: number, alpha: number): number {
  const s = mu / alpha;
  let g: number;
  if (y < 20) {
    g = 0;
    for (let j = 0; j < y; j++) g += Math.log(s + j);
  } else g = logGamma(y + s) - logGamma(s);
  return g - s * Math.log1p(alpha);
}

/** −log y! + y log(α / (1 + α)). */
function constant(y: number, alpha: number): number {
  return -logGamma(y + 1) + (y === 0 ? 0 : y * (Math.log(alpha) - Math.log1p(alpha)));
}

/** ψ(y + s) − ψ(s) and ψ'(y + s) − ψ'(s), by sums for small counts. */
function digammaDiff(y: number, s: number): number {
  if (y < 20) {
    let d = 0;
    for (let j = 0; j < y; j++) d += 1 / (s + j);
    return d;
  }
  return digamma(y + s) - digamma(s);
}
function trigammaDiff(y: number, s: number): number {
  if (y < 20) {
    let d = 0;
    for (let j = 0; j < y; j++) d -= 1 / ((s + j) * (s + j));
    return d;
  }
  return trigamma(y + s) - trigamma(s);
}

/** α-dependent functions of nbinom1 (σ = α). */
export const nbinom1Dispersion: DispersionFunctions = {
  dispersionSymbol: "α",
  dispersionMeaning: "the negative binomial overdispersion α (variance μ(1 + α))",
  variance: (mu, alpha) => mu * (1 + alpha),
  logDensity: (y, mu, alpha) => kernel(y, mu, alpha) + constant(y, alpha),
  logDensityKernel: kernel,
  logDensityConstant: constant,
  dLogDensity: (y, mu, alpha) => (digammaDiff(y, mu / alpha) - Math.log1p(alpha)) / alpha,
  d2LogDensity: (y, mu, alpha) => trigammaDiff(y, mu / alpha) / (alpha * alpha),
  muStart: (y) => y + 0.1,
  sigmaStart: (y) => {
    // method of moments: Var(y) / E(y) − 1 = α
    let m = 0;
    for (let i = 0; i < y.length; i++) m += y[i];
    m /= y.length;
    let v = 0;
    for (let i = 0; i < y.length; i++) v += (y[i] - m) * (y[i] - m);
    v /= Math.max(1, y.length - 1);
    return Math.min(Math.max(v / Math.max(m, 1e-8) - 1, 0.05), 100);
  },
};

/**
 * The nbinom1 family (log link), registered as `nbinom1`.
 *
 * @example
 * ```ts
 * makeFamily("nbinom1").dispersion?.variance(2, 0.5); // 3 (= 2 × 1.5)
 * ```
 */
registerFamily({
  name: "nbinom1",
  links: ["log"],
  build: (link) => dispersionFamily("nbinom1", link, nbinom1Dispersion, (y, label, rows) => checkCounts("negative binomial (nbinom1)", y, label, rows), (rng, mu, _w, alpha) => rng.poisson(rgamma(rng, mu / alpha, alpha)), "poisson"),
});
