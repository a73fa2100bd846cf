/**
 * Response distributions of generalized linear mixed models: binomial and Poisson.
 *
 * Each family gives the variance function V(μ), the unit deviance, and −2 log p(y | μ) (R's
 * `family()$aic` contribution), which the Laplace approximation needs in full (not relative to
 * the saturated model) so that log-likelihoods agree with lme4's.
 *
 * - binomial with m trials, y the proportion: V(μ) = μ(1 − μ);
 *   −2 log p = −2 [log C(m, my) + my log μ + m(1 − y) log(1 − μ)]
 * - Poisson: V(μ) = μ; −2 log p = −2 [y log μ − μ − log y!]
 */
import { MlmError } from "../errors.js";
import { getLink, type Link, type LinkName } from "./link.js";

/** The supported families. */
export type FamilyName = "binomial" | "poisson";

/** A GLM family with its link. */
export interface Family {
  readonly name: FamilyName;
  readonly link: Link;
  /** V(μ). */
  variance(mu: number): number;
  /** The part of −2 log p(y | μ) that depends on μ, for one observation with prior weight (binomial trials) w. */
  minus2LogLik(y: number, mu: number, w: number): number;
  /** The rest of −2 log p(y | μ): a constant of the data (−2 log C(m, s), or 2 log y!). */
  minus2LogLikConstant(y: number, w: number): number;
  /** A starting value of μ for the observation (R's `mustart`). */
  muStart(y: number, w: number): number;
}

/**
 * log Γ(x) for x > 0 (Lanczos approximation, g = 7), used for the constants of the binomial and
 * Poisson log-likelihoods.
 *
 * @param x - the argument.
 * @returns log Γ(x).
 * @example
 * ```ts
 * logGamma(5); // 3.178053830347944 (log 24 = 3.1780538303479458)
 * ```
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** x log y with 0 log 0 = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

const binomialBase = {
  name: "binomial" as const,
  variance: (mu: number) => mu * (1 - mu),
  minus2LogLik: (y: number, mu: number, w: number) => {
    const s = Math.round(y * w);
    const m = Math.round(w);
    return -2 * (xlogy(s, mu) + xlogy(m - s, 1 - mu));
  },
  minus2LogLikConstant: (y: number, w: number) => {
    const s = Math.round(y * w);
    const m = Math.round(w);
    return m === 0 ? 0 : -2 * (logGamma(m + 1) - logGamma(s + 1) - logGamma(m - s + 1));
  },
  muStart: (y: number, w: number) => (w * y + 0.5) / (w + 1),
};

const poissonBase = {
  name: "poisson" as const,
  variance: (mu: number) => mu,
  minus2LogLik: (y: number, mu: number, w: number) => -2 * w * (xlogy(y, mu) - mu),
  minus2LogLikConstant: (y: number, w: number) => 2 * w * logGamma(y + 1),
  muStart: (y: number) => y + 0.1,
};

/**
 * Build a family with a link (default: logit for binomial, log for Poisson).
 *
 * @param name - binomial or poisson.
 * @param link - the link name.
 * @returns the family.
 * @throws MlmError for a link the family does not support.
 * @example
 * ```ts
 * makeFamily("binomial", "probit").link.linkinv(0); // 0.5
 * ```
 */
export function makeFamily(name: FamilyName, link?: LinkName): Family {
  if (name === "binomial") {
    const l = link ?? "logit";
    if (l === "log") throw new MlmError("The binomial family supports the logit, probit and cloglog links; choose one of those.");
    return { ...binomialBase, link: getLink(l) };
  }
  if (name === "poisson") {
    const l = link ?? "log";
    if (l !== "log") throw new MlmError(`The Poisson family supports the log link only, not ${l}.`);
    return { ...poissonBase, link: getLink(l) };
  }
  throw new MlmError(`Unknown family '${String(name)}'; use binomial or poisson (or omit --family for a linear mixed model).`);
}
