/**
 * What the families with a dispersion parameter (glmmTMB's nbinom2, nbinom1 and Gamma) add to a
 * {@link Family}: the log-density log p(y | μ, σ) in full, its first two derivatives in μ, the
 * variance function and a starting σ, all with σ explicit.
 *
 * σ is the dispersion as glmmTMB's `sigma()` reports it (θ for nbinom2, α for nbinom1, 1/√shape
 * for Gamma); the optimizer works on log σ. The derivatives in η follow by the chain rule,
 *
 *     ∂ℓ/∂η = ℓ_μ μ',   −∂²ℓ/∂η² = −(ℓ_μμ μ'² + ℓ_μ μ''),
 *
 * with μ' = dμ/dη and μ'' = d²μ/dη² of the link: the second is the observed information, the
 * weight of the Laplace approximation's log-determinant (glmmTMB's, through TMB's exact Hessian).
 */
import { MlmError } from "../errors.js";
import type { Message } from "../messages.js";
import type { ResponseFrame } from "../model-frame/types.js";
import type { Family } from "./family.js";
import type { Link } from "./link.js";

/** The σ-dependent functions of a family with a dispersion parameter σ (glmmTMB's `sigma()`). */
export interface DispersionFunctions {
  /** The symbol of σ in the summary line ("θ", "α", "σ"). */
  readonly dispersionSymbol: string;
  /** What σ means, for messages. */
  readonly dispersionMeaning: string;
  /** Var(y) at μ and σ. */
  variance(mu: number, sigma: number): number;
  /** log p(y | μ, σ), in full: {@link logDensityKernel} + {@link logDensityConstant}. */
  logDensity(y: number, mu: number, sigma: number): number;
  /** The part of log p(y | μ, σ) that depends on μ. */
  logDensityKernel(y: number, mu: number, sigma: number): number;
  /** The part of log p(y | μ, σ) that does not depend on μ (once per σ in Newton's method). */
  logDensityConstant(y: number, sigma: number): number;
  /** ∂ log p / ∂μ. */
  dLogDensity(y: number, mu: number, sigma: number): number;
  /** ∂² log p / ∂μ². */
  d2LogDensity(y: number, mu: number, sigma: number): number;
  /** A starting μ for the observation. */
  muStart(y: number): number;
  /** A starting σ for the response (moments of y). */
  sigmaStart(y: Float64Array): number;
}

/**
 * A {@link Family} of a dispersion family: the σ-free functions of Family throw (they need σ),
 * the σ-dependent ones are in `dispersion`.
 *
 * @param name - the family's name.
 * @param link - its link.
 * @param dispersion - the σ-dependent functions.
 * @param check - throws for a response outside the support.
 * @param draw - a draw of y given μ and σ.
 * @param limitOf - the family this one tends to at the bound of σ (poisson for the negative binomials).
 * @returns the family.
 * @example
 * ```ts
 * dispersionFamily("nbinom2", getLink("log"), makeFamily("nbinom2").dispersion!, checkCounts, (rng, mu) => mu, "poisson").hasDispersion; // true
 * ```
 */
export function dispersionFamily(
  name: string,
  link: Link,
  dispersion: DispersionFunctions,
  check: (y: Float64Array, label: string, rows: Int32Array) => void,
  draw: Family["draw"],
  limitOf?: string,
): Family {
  const needsSigma = (): never => {
    throw new MlmError(`The ${name} family's variance and likelihood depend on its dispersion parameter; this computation is not available for ${name} models.`);
  };
  return {
    name,
    link,
    hasScale: false,
    hasDispersion: true,
    allowsQuadrature: false,
    separable: false,
    dispersion,
    ...(limitOf ? { limitOf } : {}),
    prepareResponse: (response: ResponseFrame, _w: Float64Array, rows: Int32Array): Message[] => {
      const { y, label, levels, trials } = response;
      if (levels || trials) throw new MlmError(`The response ${label} is ${levels ? "categorical" : "a cbind() of counts"}; a ${name} model needs ${name === "Gamma" ? "positive values" : "counts"}.`);
      check(y, label, rows);
      return [];
    },
    variance: needsSigma,
    minus2LogLik: needsSigma,
    minus2LogLikConstant: needsSigma,
    devResid: needsSigma,
    muStart: (y) => dispersion.muStart(y),
    responseName: "response",
    // Nakagawa's distribution-specific variance of these families depends on σ: not given here
    distributionVariance: () => undefined,
    draw,
  };
}

/**
 * d²μ/dη² of the links the dispersion families use.
 *
 * - log: μ = e^η, μ'' = μ;
 * - inverse: μ = 1/η, μ' = −1/η², μ'' = 2/η³.
 *
 * @param link - the link.
 * @param eta - the linear predictor.
 * @param mu - g⁻¹(η).
 * @returns μ''.
 * @example
 * ```ts
 * muEta2(getLink("log"), 0, 1); // 1
 * ```
 */
export function muEta2(link: Link, eta: number, mu: number): number {
  if (link.name === "log") return mu;
  if (link.name === "inverse") return 2 / (eta * eta * eta);
  throw new MlmError(`The ${link.name} link is not available for a family with a dispersion parameter; use log or inverse.`);
}

/**
 * Count checks shared by the negative binomial families.
 *
 * @param family - the family name, for the message.
 * @param y - the response.
 * @param label - the response's name.
 * @param rows - data row of each model row.
 * @throws MlmError for negative or non-integer values.
 * @example
 * ```ts
 * checkCounts("nbinom2", Float64Array.of(0, 2, -1), "y", [0, 1, 2]); // throws: negative value -1 (row 3)
 * ```
 */
export function checkCounts(family: string, y: Float64Array, label: string, rows: Int32Array | readonly number[]): void {
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0)) throw new MlmError(`The response ${label} has the negative value ${y[i]} (row ${rows[i] + 1}); a ${family} model needs counts of zero or more.`);
    if (y[i] !== Math.round(y[i])) throw new MlmError(`The response ${label} has the value ${y[i]} (row ${rows[i] + 1}), not a whole number; a ${family} model needs counts (for rates, model the counts with offset(log(exposure))).`);
  }
}
