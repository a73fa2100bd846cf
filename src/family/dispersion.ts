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
import type { Rng } from "../numerics/random.js";
import { registerFamily, type Family } from "./family.js";
import type { Link, LinkName } from "./link.js";

/**
 * How the single-level regression of the family (the model without random effects, as R users
 * fit it) reports vcov(β̂): `fisher`, (X'WX)⁻¹ with the Fisher weights at σ̂ (MASS::glm.nb);
 * `pearson`, the same scaled so that σ² is the Pearson estimate Σ(y − μ)²/V(μ)·σ²/(n − p)
 * (R's glm() and summary.glm for Gamma); `observed`, the β block of the inverse observed
 * information in (β, log σ) (glmmTMB without random effects).
 */
export type SingleLevelVcov = "fisher" | "pearson" | "observed";

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
  /** Both at once (one pass over the sums of the negative binomials): `out[0]` = ∂ log p / ∂μ, `out[1]` = ∂² log p / ∂μ². */
  logDensityDerivatives(y: number, mu: number, sigma: number, out: Float64Array): void;
  /** A starting μ for the observation. */
  muStart(y: number): number;
  /** A starting σ for the response (moments of y). */
  sigmaStart(y: Float64Array): number;
  /** How the family's single-level regression in R reports vcov(β̂) (the OLS comparison). */
  readonly singleLevelVcov: SingleLevelVcov;
}

/** What a dispersion family's file defines; {@link dispersionFunctions} completes it. */
export interface DispersionParts {
  readonly dispersionSymbol: string;
  readonly dispersionMeaning: string;
  readonly singleLevelVcov: SingleLevelVcov;
  variance(mu: number, sigma: number): number;
  /** The μ-dependent part of log p(y | μ, σ). */
  kernel(y: number, mu: number, sigma: number): number;
  /** The rest of log p(y | μ, σ). */
  constant(y: number, sigma: number): number;
  /** ℓ_μ into out[0], ℓ_μμ into out[1]. */
  derivatives(y: number, mu: number, sigma: number, out: Float64Array): void;
  muStart(y: number): number;
  /** A starting σ from the mean and variance of the response. */
  sigmaFromMoments(mean: number, variance: number): number;
}

/**
 * The σ-dependent functions of a family from its parts: the log-density as kernel + constant,
 * ℓ_μ and ℓ_μμ one at a time from the joint derivatives, the starting σ from the sample mean and
 * variance (divisor n − 1).
 *
 * @param parts - what the family's file defines.
 * @returns the functions.
 * @example
 * ```ts
 * const f = dispersionFunctions({ dispersionSymbol: "σ", dispersionMeaning: "a scale", singleLevelVcov: "fisher",
 *   variance: (mu, s) => s * s, kernel: (y, mu, s) => -((y - mu) ** 2) / (2 * s * s), constant: (y, s) => -Math.log(s),
 *   derivatives: (y, mu, s, out) => { out[0] = (y - mu) / (s * s); out[1] = -1 / (s * s); }, muStart: (y) => y,
 *   sigmaFromMoments: (m, v) => Math.sqrt(v) });
 * f.sigmaStart(Float64Array.of(1, 2, 3)); // 1
 * f.dLogDensity(3, 1, 2); // 0.5
 * ```
 */
export function dispersionFunctions(parts: DispersionParts): DispersionFunctions {
  const { kernel, constant, derivatives } = parts;
  const scratch = new Float64Array(2);
  return {
    dispersionSymbol: parts.dispersionSymbol,
    dispersionMeaning: parts.dispersionMeaning,
    singleLevelVcov: parts.singleLevelVcov,
    variance: parts.variance,
    logDensity: (y, mu, sigma) => kernel(y, mu, sigma) + constant(y, sigma),
    logDensityKernel: kernel,
    logDensityConstant: constant,
    dLogDensity: (y, mu, sigma) => {
      derivatives(y, mu, sigma, scratch);
      return scratch[0];
    },
    d2LogDensity: (y, mu, sigma) => {
      derivatives(y, mu, sigma, scratch);
      return scratch[1];
    },
    logDensityDerivatives: derivatives,
    muStart: parts.muStart,
    sigmaStart: (y) => {
      let m = 0;
      for (let i = 0; i < y.length; i++) m += y[i];
      m /= y.length;
      let v = 0;
      for (let i = 0; i < y.length; i++) v += (y[i] - m) * (y[i] - m);
      v /= Math.max(1, y.length - 1);
      return parts.sigmaFromMoments(m, v);
    },
  };
}

/** What a dispersion family registers beside its σ-dependent functions. */
export interface DispersionFamilyDefinition {
  readonly name: string;
  /** The links the family supports; the first is the default. */
  readonly links: readonly LinkName[];
  readonly functions: DispersionFunctions;
  /** Throws for a response outside the support (naming the row). */
  readonly check: (y: Float64Array, label: string, rows: Int32Array) => void;
  /** A draw of y given μ and σ. */
  readonly draw: (rng: Rng, mu: number, sigma: number) => number;
  /** The family this one tends to at the bound of σ (poisson for the negative binomials). */
  readonly limitOf?: string;
}

/**
 * Register a family with a dispersion parameter (each of nbinom2.ts, nbinom1.ts, gamma.ts calls
 * this once).
 *
 * @param def - the family's name, links, functions, support check, draw and limit.
 * @example
 * ```ts
 * // nbinom2.ts's registration, written out again from the registered family's parts
 * const nb2 = makeFamily("nbinom2");
 * registerDispersionFamily({ name: "nbinom2", links: ["log"], functions: nb2.dispersion!,
 *   check: (y, label, rows) => checkCounts("negative binomial (nbinom2)", y, label, rows),
 *   draw: (rng, mu, theta) => nb2.draw(rng, mu, 1, theta), limitOf: "poisson" });
 * makeFamily("nbinom2").limitOf; // "poisson"
 * ```
 */
export function registerDispersionFamily(def: DispersionFamilyDefinition): void {
  registerFamily({
    name: def.name,
    links: def.links,
    build: (link) => dispersionFamily(def.name, link, def.functions, def.check, (rng, mu, _w, sigma) => def.draw(rng, mu, sigma), def.limitOf),
  });
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
