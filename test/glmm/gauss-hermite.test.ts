// Gauss–Hermite rules against lme4's GHrule (R: lme4::GHrule(5)) and exactness on polynomials.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { gaussHermite } from "../../src/glmm/gauss-hermite.js";

describe("gaussHermite", () => {
  it("matches lme4::GHrule(5)", () => {
    const { z, w } = gaussHermite(5);
    const rz = [-2.85697001387281, -1.35562617997427, 0, 1.35562617997427, 2.85697001387281];
    const rw = [0.0112574113277207, 0.2220759220056126, 0.5333333333333333, 0.2220759220056126, 0.0112574113277207];
    rz.forEach((v, i) => assert.ok(Math.abs(z[i] - v) < 1e-12));
    rw.forEach((v, i) => assert.ok(Math.abs(w[i] - v) < 1e-12));
  });
  it("integrates E[z^2k] = (2k − 1)!! exactly up to degree 2n − 1 (n = 1 … 25)", () => {
    for (let n = 1; n <= 25; n++) {
      const { z, w } = gaussHermite(n);
      let moment = 1;
      for (let k = 0; 2 * k <= 2 * n - 1; k++) {
        if (k > 0) moment *= 2 * k - 1;
        const q = z.reduce((s, zi, i) => s + w[i] * zi ** (2 * k), 0);
        assert.ok(Math.abs(q - moment) <= 1e-9 * moment, `n ${n}, k ${k}: ${q} vs ${moment}`);
      }
    }
  });
});
