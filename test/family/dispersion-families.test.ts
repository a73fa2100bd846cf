// The dispersion families' densities, derivatives and draws (src/family/{nbinom2,nbinom1,gamma}.ts): log-densities
// against R's dnbinom/dgamma, ℓ_μ and ℓ_μμ against central differences, digamma/trigamma against
// known values, and simulated means and variances against the variance functions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { makeFamily } from "../../src/family/index.js";
import { nbinom2Dispersion } from "../../src/family/nbinom2.js";
import { nbinom1Dispersion } from "../../src/family/nbinom1.js";
import { gammaDispersion } from "../../src/family/gamma.js";
import { digamma, trigamma, rgamma } from "../../src/numerics/special.js";
import { createRng } from "../../src/numerics/random.js";

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe("digamma and trigamma", () => {
  it("match known values (R: digamma(c(1, 0.5, 7.3, 100)), trigamma(...))", () => {
    close(digamma(1), -0.5772156649015329, 1e-13, "digamma(1)");
    close(digamma(0.5), -1.9635100260214235, 1e-13, "digamma(0.5)");
    close(digamma(7.3), 1.917820335637986, 1e-13, "digamma(7.3)");
    close(digamma(100), 4.600161852738087, 1e-13, "digamma(100)");
    close(trigamma(1), Math.PI ** 2 / 6, 1e-13, "trigamma(1)");
    close(trigamma(0.5), Math.PI ** 2 / 2, 1e-13, "trigamma(0.5)");
    close(trigamma(7.3), 0.14679576813142711, 1e-12, "trigamma(7.3)");
  });
});

describe("log-densities", () => {
  it("nbinom2 = R's dnbinom(y, size = θ, mu = μ, log = TRUE)", () => {
    // dnbinom(c(0, 3, 25), size = 1.7, mu = 2.5, log = TRUE)
    const f = nbinom2Dispersion;
    close(f.logDensity(0, 2.5, 1.7), -1.537575666186159, 1e-12, "y=0");
    close(f.logDensity(3, 2.5, 1.7), -2.0535036719370843, 1e-12, "y=3");
    close(f.logDensity(25, 2.5, 1.7), -12.134973127542873, 1e-12, "y=25");
  });
  it("nbinom1 = R's dnbinom(y, size = μ/α, prob = 1/(1 + α), log = TRUE)", () => {
    // dnbinom(c(0, 3, 25), size = 2.5/0.8, prob = 1/1.8, log = TRUE)
    const f = nbinom1Dispersion;
    close(f.logDensity(0, 2.5, 0.8), -1.8368333278191218, 1e-12, "y=0");
    close(f.logDensity(3, 2.5, 0.8), -1.8707526176966827, 1e-12, "y=3");
    close(f.logDensity(25, 2.5, 0.8), -15.953123216769269, 1e-12, "y=25");
  });
  it("Gamma = R's dgamma(y, shape = 1/σ², rate = 1/(σ² μ), log = TRUE)", () => {
    // dgamma(c(0.3, 2, 9), shape = 1/0.6^2, rate = 1/(0.6^2 * 2.5), log = TRUE)
    const f = gammaDispersion;
    close(f.logDensity(0.3, 2.5, 0.6), -2.6791913943654033, 1e-12, "y=0.3");
    close(f.logDensity(2, 2.5, 0.6), -1.1954225323460588, 1e-12, "y=2");
    close(f.logDensity(9, 2.5, 0.6), -6.299284938077128, 1e-12, "y=9");
  });
  it("the kernel and constant add up to the density, and ℓ_μ, ℓ_μμ match central differences", () => {
    for (const [name, f, sigma, ys] of [["nbinom2", nbinom2Dispersion, 1.7, [0, 3, 25]], ["nbinom1", nbinom1Dispersion, 0.8, [0, 3, 25]], ["Gamma", gammaDispersion, 0.6, [0.3, 2, 9]]] as const) {
      for (const y of ys) {
        const mu = 2.5;
        close(f.logDensityKernel(y, mu, sigma) + f.logDensityConstant(y, sigma), f.logDensity(y, mu, sigma), 1e-13, `${name} split`);
        const h = 1e-4;
        const d1 = (f.logDensity(y, mu + h, sigma) - f.logDensity(y, mu - h, sigma)) / (2 * h);
        const d2 = (f.logDensity(y, mu + h, sigma) - 2 * f.logDensity(y, mu, sigma) + f.logDensity(y, mu - h, sigma)) / (h * h);
        close(f.dLogDensity(y, mu, sigma), d1, 1e-7, `${name} l_mu y=${y}`);
        close(f.d2LogDensity(y, mu, sigma), d2, 1e-5, `${name} l_mumu y=${y}`);
      }
    }
  });
});

describe("simulation draws", () => {
  const n = 20000;
  const moments = (draw: () => number): [number, number] => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = draw();
      s += v;
      s2 += v * v;
    }
    const m = s / n;
    return [m, s2 / n - m * m];
  };
  it("rgamma has mean shape × scale and variance shape × scale², also for shape < 1", () => {
    const rng = createRng(3);
    for (const [shape, scale] of [[0.4, 2], [3, 0.5]]) {
      const [m, v] = moments(() => rgamma(rng, shape, scale));
      close(m, shape * scale, 0.05, `mean ${shape}`);
      close(v, shape * scale * scale, 0.1, `variance ${shape}`);
    }
  });
  it("each family's draws have mean μ and variance V(μ, σ)", () => {
    const rng = createRng(4);
    for (const [name, sigma] of [["nbinom2", 1.7], ["nbinom1", 0.8], ["Gamma", 0.6]] as const) {
      const f = makeFamily(name);
      assert.ok(f.hasDispersion && !f.allowsQuadrature);
      const [m, v] = moments(() => f.draw(rng, 2.5, 1, sigma));
      close(m, 2.5, 0.03, `${name} mean`);
      close(v, f.dispersion!.variance(2.5, sigma), 0.08, `${name} variance`);
    }
  });
});
