// Chi-square and chi-bar-square upper tails against R's pchisq(x, df, lower.tail = FALSE).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chiBarSquareUpper, chiSquareUpper } from "../../src/inference/chi-square.js";

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("chiSquareUpper", () => {
  it("matches R's pchisq(..., lower.tail = FALSE)", () => {
    assert.ok(rel(chiSquareUpper(42.1392985420252, 2), 7.07241254719882e-10) < 1e-10);
    assert.ok(rel(chiSquareUpper(3.841458820694124, 1), 0.05) < 1e-10);
    assert.ok(rel(chiSquareUpper(0.5, 3), 0.918891411654676) < 1e-12);
    // far in the tail, where 1 - cdf would be 0: R gives 9.9395744665603e-63
    assert.ok(rel(chiSquareUpper(279.441204469876, 1), 9.9395744665603e-63) < 1e-9);
  });

  it("gives 1 at and below zero, 0 for df 0 above zero, NaN for NaN", () => {
    assert.equal(chiSquareUpper(0, 2), 1);
    assert.equal(chiSquareUpper(-0.3, 2), 1);
    assert.equal(chiSquareUpper(1, 0), 0);
    assert.ok(Number.isNaN(chiSquareUpper(NaN, 1)));
    assert.ok(Number.isNaN(chiSquareUpper(1, -1)));
  });
});

describe("chiBarSquareUpper", () => {
  it("mixes the tails with the weights", () => {
    // R: 0.5 * pchisq(x, 1, lower = FALSE) + 0.5 * pchisq(x, 2, lower = FALSE) = 3.961195307936e-10
    const p = chiBarSquareUpper(42.1392985420252, [{ df: 1, weight: 0.5 }, { df: 2, weight: 0.5 }]);
    assert.ok(rel(p, 3.961195307936e-10) < 1e-9);
    // ½χ²₀ + ½χ²₁ halves the χ²₁ p-value
    assert.ok(rel(chiBarSquareUpper(3.841458820694124, [{ df: 0, weight: 0.5 }, { df: 1, weight: 0.5 }]), 0.025) < 1e-10);
  });
});
