/**
 * The Gaussian family of linear mixed models: V(μ) = 1, identity link, a residual scale σ;
 * −2 log p(y | μ) = (y − μ)² (the scale and 2π terms live in the profiled criterion).
 */
import { registerFamily, type Family } from "./family.js";

/**
 * The Gaussian family with the identity link.
 *
 * @example
 * ```ts
 * makeFamily("gaussian").hasScale; // true
 * ```
 */
registerFamily({
  name: "gaussian",
  links: ["identity"],
  build: (link): Family => ({
    name: "gaussian",
    link,
    hasScale: true,
    hasDispersion: false,
    allowsQuadrature: false,
    separable: false,
    prepareResponse: () => [],
    responseName: "response",
    distributionVariance: () => undefined,
    variance: () => 1,
    minus2LogLik: (y, mu, w) => w * (y - mu) * (y - mu),
    minus2LogLikConstant: () => 0,
    devResid: (y, mu, w) => w * (y - mu) * (y - mu),
    muStart: (y) => y,
    draw: (rng, mu, _w, scale) => mu + scale * rng.normal(),
  }),
});
