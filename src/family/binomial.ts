/**
 * The binomial family with m trials and y the proportion of successes: V(μ) = μ(1 − μ);
 * −2 log p = −2 [log C(m, my) + my log μ + m(1 − y) log(1 − μ)]. Links logit (default),
 * probit and cloglog.
 */
import { MlmError } from "../errors.js";
import { nonIntegerSuccessesMessage, type Message } from "../messages.js";
import { logGamma } from "../numerics/log-gamma.js";
import { registerFamily, xlogy, type Family } from "./family.js";

/** R's `round()`: halves go to the even neighbour (round(0.5) = 0, round(2.5) = 2), as R's binomial()$aic rounds y·w. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Whole up to the rounding of a proportion times its trials (3/7 · 7 is 2.9999999999999996). */
function isWhole(x: number): boolean {
  return Math.abs(x - Math.round(x)) < 1e-9;
}

/**
 * The binomial family.
 *
 * @example
 * ```ts
 * const f = makeFamily("binomial");
 * f.minus2LogLik(0.3, 0.25, 10) + f.minus2LogLikConstant(0.3, 10); // 2.77033169548018 (R: -2 * dbinom(3, 10, 0.25, log = TRUE))
 * ```
 */
registerFamily({
  name: "binomial",
  links: ["logit", "probit", "cloglog"],
  build: (link): Family => ({
    name: "binomial",
    link,
    hasScale: false,
    hasDispersion: false,
    allowsQuadrature: true,
    separable: true,
    responseName: "prob",
    distributionVariance: () => (link.name === "probit" ? 1 : link.name === "logit" ? (Math.PI * Math.PI) / 3 : link.name === "cloglog" ? (Math.PI * Math.PI) / 6 : undefined),
    prepareResponse: (response, w, rows): Message[] => {
      const { y, trials, label } = response;
      const n = y.length;
      if (trials) {
        for (let i = 0; i < n; i++) {
          if (trials[i] < 0 || y[i] < 0 || y[i] > 1) throw new MlmError(`Row ${rows[i] + 1}: the successes in ${label} exceed the trials or are negative; cbind() takes (successes, failures), both counts of zero or more.`);
          w[i] *= trials[i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          if (!(y[i] >= 0 && y[i] <= 1)) throw new MlmError(`The response ${label} has the value ${y[i]} (row ${rows[i] + 1}); a binomial response must be 0/1, a two-level category, a proportion with weights, or cbind(successes, failures).`);
        }
      }
      let first = -1;
      for (let i = 0; i < n && first < 0; i++) if (Math.abs(y[i] * w[i] - Math.round(y[i] * w[i])) > 1e-7) first = i;
      return first >= 0 ? [nonIntegerSuccessesMessage(label, y[first], w[first], rows[first], trials !== undefined || w.some((v) => v !== 1))] : [];
    },
    variance: (mu) => mu * (1 - mu),
    minus2LogLik: (y, mu, w) => {
      const s = roundHalfEven(y * w);
      const m = roundHalfEven(w);
      return -2 * (xlogy(s, mu) + xlogy(m - s, 1 - mu));
    },
    minus2LogLikConstant: (y, w) => {
      const s = roundHalfEven(y * w);
      const m = roundHalfEven(w);
      return m === 0 ? 0 : -2 * (logGamma(m + 1) - logGamma(s + 1) - logGamma(m - s + 1));
    },
    // 2w [y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))], R's binomial()$dev.resids
    // a 0/1 response (one trial per row, the common case) needs one logarithm
    devResid: (y, mu, w) => (y === 0 ? -2 * w * Math.log(1 - mu) : y === 1 ? -2 * w * Math.log(mu) : 2 * w * (xlogy(y, y / mu) + xlogy(1 - y, (1 - y) / (1 - mu)))),
    // s·log(y) and (m − s)·log(1 − y) of the saturated model are the rounded successes' only when y·w and w are whole
    devianceIsLogLik: (y, w) => isWhole(w) && isWhole(y * w),
    muStart: (y, w) => (w * y + 0.5) / (w + 1),
    draw: (rng, mu, w) => {
      const size = Math.round(w);
      return size > 0 ? rng.binomial(size, Math.min(1, Math.max(0, mu))) / size : 0;
    },
  }),
});
