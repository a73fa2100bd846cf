/**
 * Response distributions as data (as glmmTMB's family objects): each family is one file of this
 * folder that registers a {@link FamilyDefinition}; a fitted model carries the {@link Family} it
 * was fitted with. Nothing outside this folder compares family names.
 *
 * A family gives the variance function V(μ), −2 log p(y | μ) in full (not relative to the
 * saturated model, so that log-likelihoods agree with lme4's), deviance residuals, a starting μ
 * and a simulation draw.
 */
import { MlmError } from "../errors.js";
import type { Message } from "../messages.js";
import type { ResponseFrame } from "../model-frame/types.js";
import type { Rng } from "../numerics/random.js";
import type { DispersionFunctions } from "./dispersion.js";
import { getLink, type Link, type LinkName } from "./link.js";

/** The name of a registered family (`gaussian`, `binomial`, `poisson`, …). */
export type FamilyName = string;

/** A response distribution with its link. */
export interface Family {
  readonly name: FamilyName;
  readonly link: Link;
  /** Whether the model has a residual scale σ estimated with it (the Gaussian family). */
  readonly hasScale: boolean;
  /** Whether the family has a dispersion parameter estimated jointly with θ (negative binomial, Gamma). */
  readonly hasDispersion: boolean;
  /** Whether adaptive Gauss–Hermite quadrature applies (families without a dispersion parameter). */
  readonly allowsQuadrature: boolean;
  /** Whether the mean is bounded so that a predictor can separate the outcomes (binomial). */
  readonly separable: boolean;
  /**
   * Check that the response lies in the family's support and fold binomial trials into the
   * prior weights `w` (updated in place); returns the warnings to attach to the fit.
   *
   * @throws MlmError for a response outside the support, naming the row.
   */
  prepareResponse(response: ResponseFrame, w: Float64Array, rows: Int32Array): Message[];
  /** V(μ). */
  variance(mu: number): number;
  /** The part of −2 log p(y | μ) that depends on μ, for one observation with prior weight (binomial trials) w. */
  minus2LogLik(y: number, mu: number, w: number): number;
  /** The rest of −2 log p(y | μ): a constant of the data (−2 log C(m, s), or 2 log y!). */
  minus2LogLikConstant(y: number, w: number): number;
  /**
   * The deviance residual d(y, μ) = 2 w [log p(y | μ = y) − log p(y | μ)] as R's
   * `family$dev.resids` writes it (a smooth function of y, also for a binomial proportion whose
   * successes y·w are not whole): the criterion PIRLS minimises, as lme4 does. For whole counts
   * it differs from {@link minus2LogLik} by a constant of the data.
   */
  devResid(y: number, mu: number, w: number): number;
  /**
   * Whether −2 log p(y | μ) − d(y, μ) is the same for every μ at this observation (whole
   * counts), so that Σᵢ −2 log p(yᵢ | μᵢ) = Σᵢ d(yᵢ, μᵢ) + Σᵢ −2 log p(yᵢ | μ = yᵢ) and PIRLS
   * sums only the deviance residuals. Absent: never.
   */
  devianceIsLogLik?(y: number, w: number): boolean;
  /** emmeans's name for the response scale: `prob` (binomial), `rate` (Poisson), `response`. */
  readonly responseName: string;
  /**
   * The distribution-specific variance on the link scale of Nakagawa, Johnson and Schielzeth
   * (2017) for R², as performance computes it (π²/3 for logit, log(1 + 1/μ₀) for the Poisson
   * log link with μ₀ the null model's mean); undefined where it is not defined.
   *
   * @param nullMean - μ₀, computed only when the family needs it.
   */
  distributionVariance(nullMean: () => number): number | undefined;
  /** A starting value of μ for the observation (R's `mustart`). */
  muStart(y: number, w: number): number;
  /**
   * One simulated response with mean μ: `w` is the number of trials (binomial) or the prior
   * weight, `scale` the residual standard deviation (Gaussian); on the scale of the response
   * (proportions for binomial data).
   */
  draw(rng: Rng, mu: number, w: number, scale: number): number;
  /** For a family with a dispersion parameter (nbinom2, nbinom1, Gamma): its σ-dependent functions (dispersion.ts). */
  readonly dispersion?: DispersionFunctions;
  /** The family this one tends to at the bound of its dispersion parameter (poisson for the negative binomials), for likelihood-ratio tests on that boundary. */
  readonly limitOf?: FamilyName;
}

/** What a family file registers. */
export interface FamilyDefinition {
  readonly name: FamilyName;
  /** The links the family supports; the first is the default. */
  readonly links: readonly LinkName[];
  /** The family with the given (supported) link. */
  build(link: Link): Family;
}

const FAMILIES = new Map<FamilyName, FamilyDefinition>();

/**
 * Add a family to the registry (each family file calls this once).
 *
 * @param def - the family's definition.
 * @example
 * ```ts
 * const poisson = makeFamily("poisson");
 * registerFamily({ name: "poisson", links: ["log"], build: (link) => ({ ...poisson, link }) });
 * makeFamily("poisson").variance(2.5); // 2.5
 * ```
 */
export function registerFamily(def: FamilyDefinition): void {
  FAMILIES.set(def.name, def);
}

/**
 * The names of the registered families.
 *
 * @returns the names, in registration order.
 * @example
 * ```ts
 * familyNames(); // ["gaussian", "binomial", "poisson", "nbinom2", "nbinom1", "Gamma"]
 * ```
 */
export function familyNames(): FamilyName[] {
  return [...FAMILIES.keys()];
}

/**
 * Build a family with a link (default: the family's first link: identity for gaussian, logit
 * for binomial, log for Poisson).
 *
 * @param name - the family's name.
 * @param link - the link name.
 * @returns the family.
 * @throws MlmError for an unknown family or a link the family does not support.
 * @example
 * ```ts
 * makeFamily("binomial", "probit").link.linkinv(0); // 0.5
 * ```
 */
export function makeFamily(name: FamilyName, link?: LinkName): Family {
  const def = FAMILIES.get(name);
  if (!def) throw new MlmError(`Unknown family '${String(name)}'; use one of ${familyNames().join(", ")}.`);
  const l = link ?? def.links[0];
  if (!def.links.includes(l)) {
    const supported = def.links.length === 1 ? `the ${def.links[0]} link only` : `the ${def.links.slice(0, -1).join(", ")} and ${def.links[def.links.length - 1]} links`;
    throw new MlmError(`The ${name} family supports ${supported}, not ${l}; choose one of those.`);
  }
  return def.build(getLink(l));
}

/**
 * x log y with 0 log 0 = 0.
 *
 * @param x - the factor.
 * @param y - the argument of the logarithm.
 * @returns x log y.
 * @example
 * ```ts
 * xlogy(0, 0); // 0
 * ```
 */
export function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}
