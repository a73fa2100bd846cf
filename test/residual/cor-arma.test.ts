// ARMA autocorrelations and the partial-autocorrelation parametrization; values from R:
// ARMAacf(ar = 0.5, lag.max = 3), ARMAacf(ar = c(0.6, 0.2), ma = -0.3, lag.max = 3).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { armaAcf, coefToPacf, pacfToCoef } from "../../src/residual/cor-arma.js";
import { markovWhiten } from "../../src/residual/cor-ar1.js";
import { denseWhiten } from "../../src/residual/dense-whiten.js";

const near = (a: ArrayLike<number>, b: readonly number[], tol = 1e-10): void => b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < tol, `${a[i]} vs ${v}`));

describe("armaAcf", () => {
  it("agrees with R's ARMAacf", () => {
    near(armaAcf([0.5], [], 3), [1, 0.5, 0.25, 0.125]);
    near(armaAcf([], [0.5], 2), [1, 0.4, 0]);
    // ARMAacf(ar = c(0.6, 0.2), ma = -0.3, lag.max = 3)
    near(armaAcf([0.6, 0.2], [-0.3], 3), [1, 0.50390625, 0.50234375, 0.4021875], 1e-9);
  });
});

describe("partial autocorrelations", () => {
  it("round-trip through the Durbin-Levinson recursion", () => {
    near(pacfToCoef([0.5, 0.2]), [0.4, 0.2]);
    near(coefToPacf(pacfToCoef([0.3, -0.6, 0.8])), [0.3, -0.6, 0.8]);
  });
});

describe("AR(1) whitening", () => {
  it("equals the dense Cholesky whitening, with gaps in the positions", () => {
    const pos = Float64Array.of(1, 2, 4, 7);
    const phi = 0.7;
    const rows = Float64Array.of(1, 2, -1, 0.5, 3, 1, 2, 2); // 4 rows × 2 values
    const banded = Float64Array.from(rows);
    const ldB = markovWhiten(banded, 0, 2, pos, 0, 4, phi);
    const C = new Float64Array(16);
    for (let j = 0; j < 4; j++) for (let i = j; i < 4; i++) C[i + j * 4] = phi ** (pos[i] - pos[j]);
    const dense = Float64Array.from(rows);
    const ldD = denseWhiten(C, 4, dense, 0, 2);
    assert.ok(Math.abs(ldB - ldD) < 1e-12);
    near(banded, Array.from(dense), 1e-12);
  });
});
