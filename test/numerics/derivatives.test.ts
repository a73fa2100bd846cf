// Numerical derivatives on functions with known derivatives, and the small symmetric inverse.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hessian, jacobian } from "../../src/numerics/derivatives.js";
import { invertSymmetric } from "../../src/linalg/dense.js";

describe("derivatives", () => {
  it("hessian of x²y + sin(x)·exp(y) at (1, 2)", () => {
    const f = (v: Float64Array): number => v[0] * v[0] * v[1] + Math.sin(v[0]) * Math.exp(v[1]);
    const [x, y] = [1, 2];
    const exact = [2 * y - Math.sin(x) * Math.exp(y), 2 * x + Math.cos(x) * Math.exp(y), 2 * x + Math.cos(x) * Math.exp(y), Math.sin(x) * Math.exp(y)];
    const h = hessian(f, [x, y]);
    exact.forEach((e, i) => assert.ok(Math.abs(h[i] - e) < 1e-6 * Math.max(1, Math.abs(e)), `${h[i]} vs ${e}`));
    const h2 = hessian(f, [x, y], 1e-4, false);
    exact.forEach((e, i) => assert.ok(Math.abs(h2[i] - e) < 1e-4 * Math.max(1, Math.abs(e))));
  });
  it("jacobian of (xy, x + y²) at (2, 3)", () => {
    const J = jacobian((v) => Float64Array.of(v[0] * v[1], v[0] + v[1] * v[1]), [2, 3]);
    assert.ok(Math.abs(J[0][0] - 3) < 1e-8 && Math.abs(J[0][1] - 1) < 1e-8);
    assert.ok(Math.abs(J[1][0] - 2) < 1e-8 && Math.abs(J[1][1] - 6) < 1e-8);
  });
  it("invertSymmetric inverts, and says undefined for a singular matrix", () => {
    const a = Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2);
    const inv = invertSymmetric(a, 3)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += a[i + k * 3] * inv[k + j * 3];
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12);
      }
    }
    assert.equal(invertSymmetric(Float64Array.of(1, 2, 2, 4), 2), undefined);
  });
});
