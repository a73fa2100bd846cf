// Links against R's binomial()/poisson() link functions (values from R 4.2.2 quoted inline).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { getLink } from "../../src/family/link.js";

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe("links", () => {
  it("probit: binomial('probit')$linkinv(c(-1, 0.3)), $linkfun(c(0.2, 0.975))", () => {
    const l = getLink("probit");
    close(l.linkinv(-1), 0.158655253931457);
    close(l.linkinv(0.3), 0.617911422188953);
    close(l.linkfun(0.2), -0.841621233572914);
    close(l.linkfun(0.975), 1.959963984540054);
  });
  it("cloglog: binomial('cloglog')$linkinv and $mu.eta at c(-1, 0.3)", () => {
    const l = getLink("cloglog");
    close(l.linkinv(-1), 0.307799372444654);
    close(l.linkinv(0.3), 0.740723134009172);
    close(l.muEta(-1), 0.254646380043583);
    close(l.muEta(0.3), 0.349987161158422);
  });
  it("logit: binomial()$mu.eta(c(-1, 0.3)); evaluate() agrees with the scalar functions", () => {
    const l = getLink("logit");
    close(l.muEta(-1), 0.196611933241482);
    close(l.muEta(0.3), 0.244458311690746);
    for (const name of ["logit", "probit", "cloglog", "log"] as const) {
      const k = getLink(name);
      const eta = Float64Array.of(-800, -40, -3, -0.5, 0, 0.7, 4, 35, 705, 800);
      const mu = new Float64Array(eta.length);
      const dmu = new Float64Array(eta.length);
      k.evaluate(eta, mu, dmu);
      eta.forEach((e, i) => {
        // the same numbers, bit for bit but for logit's rounding (e^800 is Infinity in the log link)
        const same = name === "logit" ? close : (a: number, b: number) => assert.equal(a, b, `${name} at ${e}`);
        same(mu[i], k.linkinv(e));
        same(dmu[i], k.muEta(e));
      });
    }
  });
});
