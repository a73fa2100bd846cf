// The seeded generator: the published xoshiro128** sequence, reproducibility, and the moments and
// probabilities of its uniform, normal, Poisson and binomial draws.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRng, xoshiro128StarStar } from "../../src/numerics/random.js";

const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
const variance = (x: number[]): number => {
  const m = mean(x);
  return x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
};

describe("xoshiro128StarStar", () => {
  it("gives the reference sequence for the state (1, 2, 3, 4)", () => {
    // the first outputs of the authors' xoshiro128starstar.c from s = {1, 2, 3, 4}
    const next = xoshiro128StarStar(Uint32Array.of(1, 2, 3, 4));
    assert.deepEqual([next(), next(), next(), next()], [11520, 0, 5927040, 70819200]);
  });
});

describe("createRng", () => {
  it("reproduces a stream for a seed and differs between seeds", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 20 }, () => a.uniform());
    assert.deepEqual(xa, Array.from({ length: 20 }, () => b.uniform()));
    assert.notDeepEqual(xa, Array.from({ length: 20 }, () => c.uniform()));
    assert.equal(createRng(42).uniform(), 0.6606157208001621);
  });

  it("rejects a seed that is not finite", () => {
    assert.throws(() => createRng(NaN), RangeError);
  });

  it("draws uniforms in [0, 1) with mean 1/2 and variance 1/12", () => {
    const r = createRng(1);
    const x = Array.from({ length: 40000 }, () => r.uniform());
    assert.ok(x.every((v) => v >= 0 && v < 1));
    assert.ok(Math.abs(mean(x) - 0.5) < 0.006);
    assert.ok(Math.abs(variance(x) - 1 / 12) < 0.002);
  });

  it("draws standard normals (mean 0, variance 1, P(|Z| > 1.96) ≈ 0.05)", () => {
    const r = createRng(2);
    const x = Array.from({ length: 40000 }, () => r.normal());
    assert.ok(Math.abs(mean(x)) < 0.015);
    assert.ok(Math.abs(variance(x) - 1) < 0.025);
    const tail = x.filter((v) => Math.abs(v) > 1.959964).length / x.length;
    assert.ok(Math.abs(tail - 0.05) < 0.005, `tail ${tail}`);
  });

  it("draws Poisson counts with the right mean, variance and P(0)", () => {
    const r = createRng(3);
    for (const lambda of [0.3, 4, 250]) {
      const x = Array.from({ length: 20000 }, () => r.poisson(lambda));
      assert.ok(x.every((v) => Number.isInteger(v) && v >= 0));
      assert.ok(Math.abs(mean(x) - lambda) < 0.05 * Math.sqrt(lambda) + 0.01, `mean ${mean(x)} for ${lambda}`);
      assert.ok(Math.abs(variance(x) / lambda - 1) < 0.05, `variance ${variance(x)} for ${lambda}`);
    }
    const x = Array.from({ length: 20000 }, () => r.poisson(0.3));
    // P(X = 0) = exp(-0.3) = 0.7408
    assert.ok(Math.abs(x.filter((v) => v === 0).length / x.length - Math.exp(-0.3)) < 0.01);
    assert.equal(r.poisson(0), 0);
    assert.throws(() => r.poisson(-1), RangeError);
  });

  it("draws binomial counts with the right mean, variance and P(size)", () => {
    const r = createRng(4);
    for (const [size, prob] of [[1, 0.2], [25, 0.1], [400, 0.65]]) {
      const x = Array.from({ length: 20000 }, () => r.binomial(size, prob));
      assert.ok(x.every((v) => Number.isInteger(v) && v >= 0 && v <= size));
      const mu = size * prob;
      const v = size * prob * (1 - prob);
      assert.ok(Math.abs(mean(x) - mu) < 0.05 * Math.sqrt(v) + 0.005, `mean ${mean(x)} for ${size}, ${prob}`);
      assert.ok(Math.abs(variance(x) / v - 1) < 0.05, `variance ${variance(x)} for ${size}, ${prob}`);
    }
    // P(X = 3) for Binomial(3, 0.9) = 0.729
    const x = Array.from({ length: 20000 }, () => r.binomial(3, 0.9));
    assert.ok(Math.abs(x.filter((v) => v === 3).length / x.length - 0.729) < 0.01);
    assert.equal(r.binomial(7, 1), 7);
    assert.equal(r.binomial(7, 0), 0);
    assert.equal(r.binomial(0, 0.5), 0);
    assert.throws(() => r.binomial(2.5, 0.5), RangeError);
    assert.throws(() => r.binomial(3, 1.5), RangeError);
  });
});
