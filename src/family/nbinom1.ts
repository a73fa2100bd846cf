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
import { checkCounts, dispersionFunctions, registerDispersionFamily, type DispersionFunctions } from "./dispersion.js";
import { digamma, rgamma, trigamma } from "../numerics/special.js";

/** log Γ(y + s) − log Γ(s) − s log(1 + α), s = μ/α (by a sum of logs for counts below 8, where that is cheaper). */
function kernel(y: number, mu: number, alpha: number): number {
  const s = mu / alpha;
  let g: number;
  if (y < 8) {
    g = 0;
    for (let j = 0; j < y; j++) g += Math.log(s + j);
  } else g = logGamma(y + s) - logGamma(s);
  return g - s * Math.log1p(alpha);
}

/** −log y! + y log(α / (1 + α)). */
function constant(y: number, alpha: number): number {
  return -logGamma(y + 1) + (y === 0 ? 0 : y * (Math.log(alpha) - Math.log1p(alpha)));
}

/** ψ(y + s) − ψ(s) into out[0] and ψ'(y + s) − ψ'(s) into out[1], by sums for small counts. */
function polygammaDiffs(y: number, s: number, out: Float64Array): void {
  if (y < 20) {
    let d = 0;
    let t = 0;
    for (let j = 0; j < y; j++) {
      const r = 1 / (s + j);
      d += r;
      t -= r * r;
    }
    out[0] = d;
    out[1] = t;
    return;
  }
  out[0] = digamma(y + s) - digamma(s);
  out[1] = trigamma(y + s) - trigamma(s);
}

/** α-dependent functions of nbinom1 (σ = α). */
export const nbinom1Dispersion: DispersionFunctions = dispersionFunctions({
  dispersionSymbol: "α",
  dispersionMeaning: "the negative binomial overdispersion α (variance μ(1 + α))",
  // glmmTMB without random effects (R has no glm for nbinom1): the inverse Hessian in (β, log α)
  singleLevelVcov: "observed",
  variance: (mu, alpha) => mu * (1 + alpha),
  kernel,
  constant,
  derivatives: (y, mu, alpha, out) => {
    polygammaDiffs(y, mu / alpha, out);
    out[0] = (out[0] - Math.log1p(alpha)) / alpha;
    out[1] /= alpha * alpha;
  },
  muStart: (y) => y + 0.1,
  // method of moments: Var(y) / E(y) − 1 = α
  sigmaFromMoments: (m, v) => Math.min(Math.max(v / Math.max(m, 1e-8) - 1, 0.05), 100),
});

/**
 * The nbinom1 family (log link), registered as `nbinom1`.
 *
 * @example
 * ```ts
 * makeFamily("nbinom1").dispersion?.variance(2, 0.5); // 3 (= 2 × 1.5)
 * ```
 */
registerDispersionFamily({
  name: "nbinom1",
  links: ["log"],
  functions: nbinom1Dispersion,
  check: (y, label, rows) => checkCounts("negative binomial (nbinom1)", y, label, rows),
  draw: (rng, mu, alpha) => rng.poisson(rgamma(rng, mu / alpha, alpha)),
  limitOf: "poisson",
});
