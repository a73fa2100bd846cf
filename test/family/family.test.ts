// −2 log-likelihood contributions against R: -2 * dbinom(3, 10, 0.25, log = TRUE) = 2.77033169548018
// and -2 * dpois(4, 2.5, log = TRUE) = 4.02578180570265.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { makeFamily } from "../../src/family/index.js";
import { logGamma } from "../../src/numerics/log-gamma.js";
import { MlmError } from "../../src/errors.js";

describe("families", () => {
  it("binomial: kernel + constant = −2 log dbinom", () => {
    const f = makeFamily("binomial");
    const v = f.minus2LogLik(0.3, 0.25, 10) + f.minus2LogLikConstant(0.3, 10);
    assert.ok(Math.abs(v - 2.77033169548018) < 1e-10);
  });
  it("poisson: kernel + constant = −2 log dpois", () => {
    const f = makeFamily("poisson");
    const v = f.minus2LogLik(4, 2.5, 1) + f.minus2LogLikConstant(4, 1);
    assert.ok(Math.abs(v - 4.02578180570265) < 1e-10);
  });
  it("binomial and Poisson deviance residuals are R's dev.resids, also for proportions that are not whole successes", () => {
    // R: binomial()$dev.resids(c(0.3, 0.5, 1), c(0.25, 0.4, 0.9), c(1, 1, 10))
    const b = makeFamily("binomial");
    const rb = [0.0128029139946406, 0.0408219945202552, 2.1072103131565272];
    [[0.3, 0.25, 1], [0.5, 0.4, 1], [1, 0.9, 10]].forEach(([y, mu, w], i) => assert.ok(Math.abs(b.devResid(y, mu, w) - rb[i]) < 1e-12, `${i}`));
    // 0/1 responses (their own shorter path). R: binomial()$dev.resids(c(0, 1, 0), c(0.3, 0.8, 0.999), c(1, 2, 3))
    const r01 = [0.71334988787746478, 0.89257420525683906, 41.44653167389281379];
    [[0, 0.3, 1], [1, 0.8, 2], [0, 0.999, 3]].forEach(([y, mu, w], i) => assert.ok(Math.abs(b.devResid(y, mu, w) - r01[i]) < 1e-12 * r01[i], `0/1 ${i}`));
    // R: poisson()$dev.resids(c(0, 4), c(1.5, 2.5), c(1, 2))
    const p = makeFamily("poisson");
    assert.ok(Math.abs(p.devResid(0, 1.5, 1) - 3) < 1e-12 && Math.abs(p.devResid(4, 2.5, 2) - 1.52005806793177) < 1e-12);
  });
  it("binomial −2 log p rounds successes as R's binomial()$aic does, halves to even", () => {
    // R: binomial()$aic(c(0.5, 2.5/3), 1, c(0.3, 0.3), c(1, 3), 0) = 4.04536641572245
    // (round(0.5) = 0 and round(2.5) = 2 successes)
    const b = makeFamily("binomial");
    const v = [[0.5, 1], [2.5 / 3, 3]].reduce((s, [y, w]) => s + b.minus2LogLik(y, 0.3, w) + b.minus2LogLikConstant(y, w), 0);
    assert.ok(Math.abs(v - 4.04536641572245) < 1e-10, `${v}`);
  });
  it("logGamma (R: lgamma(c(0.5, 5, 100)))", () => {
    assert.ok(Math.abs(logGamma(0.5) - 0.5723649429247) < 1e-12);
    assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-12);
    assert.ok(Math.abs(logGamma(100) - 359.134205369575) < 1e-9);
  });
  it("rejects links a family does not support", () => {
    assert.throws(() => makeFamily("poisson", "logit"), MlmError);
    assert.throws(() => makeFamily("binomial", "log"), MlmError);
  });
});
