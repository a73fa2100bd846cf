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
