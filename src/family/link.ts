/**
 * Link functions g(μ) = η of generalized linear models, with their inverses and dμ/dη.
 *
 * - logit:   η = log(μ / (1 − μ)),  μ = 1 / (1 + e^−η)
 * - probit:  η = Φ⁻¹(μ),            μ = Φ(η)
 * - cloglog: η = log(−log(1 − μ)),  μ = 1 − exp(−e^η)
 * - log:     η = log μ,             μ = e^η
 * - identity: η = μ
 * - inverse: η = 1 / μ,             μ = 1 / η
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/** A link function. */
export interface Link {
  readonly name: LinkName;
  /** η = g(μ). */
  linkfun(mu: number): number;
  /** μ = g⁻¹(η). */
  linkinv(eta: number): number;
  /** dμ/dη at η. */
  muEta(eta: number): number;
  /** μ and dμ/dη for every element of η at once (one exponential per element for logit). */
  evaluate(eta: Float64Array, mu: Float64Array, dmu: Float64Array): void;
}

/** The element-wise {@link Link.evaluate} of a link given by its scalar functions. */
function evaluateBy(linkinv: (eta: number) => number, muEta: (eta: number) => number): Link["evaluate"] {
  return (eta, mu, dmu) => {
    for (let i = 0; i < eta.length; i++) {
      mu[i] = linkinv(eta[i]);
      dmu[i] = muEta(eta[i]);
    }
  };
}

/** The supported links. */
export type LinkName = "logit" | "probit" | "cloglog" | "log" | "identity" | "inverse";

const EPS = 2.220446049250313e-16;
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / EPS;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Inverse of the standard normal cdf (Acklam's rational approximation refined by one Newton–Halley step). */
function qnorm(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normalCdf(x, 0, 1) - p;
  const u = e * SQRT2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

const logit: Link = {
  name: "logit",
  evaluate: (eta, mu, dmu) => {
    for (let i = 0; i < eta.length; i++) {
      const x = eta[i];
      const a = Math.abs(x);
      if (a > THRESH) {
        mu[i] = x > 0 ? INVEPS / (1 + INVEPS) : EPS / (1 + EPS);
        dmu[i] = EPS;
      } else {
        // μ = 1 / (1 + e^−η) and dμ/dη = μ (1 − μ), from e = e^−|η|
        const e = Math.exp(-a);
        const r = 1 / (1 + e);
        mu[i] = x >= 0 ? r : e * r;
        dmu[i] = e * r * r;
      }
    }
  },
  linkfun: (mu) => Math.log(mu / (1 - mu)),
  linkinv: (eta) => {
    const e = eta < MTHRESH ? EPS : eta > THRESH ? INVEPS : Math.exp(eta);
    return e / (1 + e);
  },
  muEta: (eta) => {
    const a = Math.abs(eta);
    if (a > THRESH) return EPS;
    const e = Math.exp(-a);
    return e / ((1 + e) * (1 + e));
  },
};

const probitInv = (eta: number): number => {
  const t = -qnorm(EPS);
  return normalCdf(Math.min(Math.max(eta, -t), t), 0, 1);
};
const probitMuEta = (eta: number): number => Math.max(Math.exp(-0.5 * eta * eta) / SQRT2PI, EPS);
const probit: Link = {
  name: "probit",
  linkfun: qnorm,
  linkinv: probitInv,
  muEta: probitMuEta,
  evaluate: evaluateBy(probitInv, probitMuEta),
};

const cloglogInv = (eta: number): number => Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1 - EPS), EPS);
const cloglogMuEta = (eta: number): number => {
  const e = Math.min(eta, 700);
  return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), EPS);
};
const cloglog: Link = {
  name: "cloglog",
  linkfun: (mu) => Math.log(-Math.log(1 - mu)),
  linkinv: cloglogInv,
  muEta: cloglogMuEta,
  evaluate: (eta, mu, dmu) => {
    for (let i = 0; i < eta.length; i++) {
      // one e^η for μ = 1 − exp(−e^η) and dμ/dη = e^η exp(−e^η), as the scalar functions give them
      const e = Math.exp(Math.min(eta[i], 700));
      mu[i] = Math.max(Math.min(-Math.expm1(-e), 1 - EPS), EPS);
      dmu[i] = Math.max(e * Math.exp(-e), EPS);
    }
  },
};

const logLink: Link = {
  name: "log",
  linkfun: (mu) => Math.log(mu),
  linkinv: (eta) => Math.max(Math.exp(eta), EPS),
  muEta: (eta) => Math.max(Math.exp(eta), EPS),
  evaluate: (eta, mu, dmu) => {
    for (let i = 0; i < eta.length; i++) {
      const v = Math.max(Math.exp(eta[i]), EPS);
      mu[i] = v;
      dmu[i] = v;
    }
  },
};

const identity: Link = {
  name: "identity",
  linkfun: (mu) => mu,
  linkinv: (eta) => eta,
  muEta: () => 1,
  evaluate: (eta, mu, dmu) => {
    mu.set(eta);
    dmu.fill(1);
  },
};

const inverse: Link = {
  name: "inverse",
  linkfun: (mu) => 1 / mu,
  linkinv: (eta) => 1 / eta,
  muEta: (eta) => -1 / (eta * eta),
  evaluate: evaluateBy(
    (eta) => 1 / eta,
    (eta) => -1 / (eta * eta),
  ),
};

const LINKS: Readonly<Record<LinkName, Link>> = Object.freeze({ logit, probit, cloglog, log: logLink, identity, inverse });

/**
 * Look up a link by name.
 *
 * @param name - logit, probit, cloglog, log, identity or inverse.
 * @returns the link.
 * @example
 * ```ts
 * getLink("logit").linkinv(0); // 0.5
 * ```
 */
export function getLink(name: LinkName): Link {
  return LINKS[name];
}
