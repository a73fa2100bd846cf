/**
 * The Poisson family: V(μ) = μ; −2 log p = −2 [y log μ − μ − log y!]; log link.
 */
import { MlmError } from "../errors.js";
import { logGamma } from "../numerics/log-gamma.js";
import { registerFamily, xlogy, type Family } from "./family.js";

/**
 * The Poisson family.
 *
 * @example
 * ```ts
 * const f = makeFamily("poisson");
 * f.minus2LogLik(4, 2.5, 1) + f.minus2LogLikConstant(4, 1); // 4.02578180570265 (R: -2 * dpois(4, 2.5, log = TRUE))
 * ```
 */
registerFamily({
  name: "poisson",
  links: ["log"],
  build: (link): Family => ({
    name: "poisson",
    link,
    hasScale: false,
    hasDispersion: false,
    allowsQuadrature: true,
    separable: false,
    responseName: "rate",
    // the lognormal approximation log(1 + 1/μ₀)
    distributionVariance: (nullMean) => Math.log1p(1 / nullMean()),
    prepareResponse: (response, _w, rows) => {
      const { y, label, levels } = response;
      if (levels) throw new MlmError(`The response ${label} is categorical; a Poisson model needs counts.`);
      for (let i = 0; i < y.length; i++) {
        if (!(y[i] >= 0)) throw new MlmError(`The response ${label} has the negative value ${y[i]} (row ${rows[i] + 1}); a Poisson model needs counts of zero or more.`);
      }
      if (Array.from(y).some((v) => v !== Math.round(v))) {
        throw new MlmError(`The response ${label} has values that are not whole numbers; a Poisson model needs counts (for rates, model the counts with offset(log(exposure))).`);
      }
      return [];
    },
    variance: (mu) => mu,
    minus2LogLik: (y, mu, w) => -2 * w * (xlogy(y, mu) - mu),
    minus2LogLikConstant: (y, w) => 2 * w * logGamma(y + 1),
    devResid: (y, mu, w) => 2 * w * (xlogy(y, y / mu) - (y - mu)),
    devianceIsLogLik: () => true,
    muStart: (y) => y + 0.1,
    draw: (rng, mu) => rng.poisson(mu),
  }),
});
