// The covariance structures of src/terms/covariance: the Σ/σ² = ΛΛ' each builds has the
// structure's pattern, natural parameters round-trip through θ, and every θ gives a positive
// definite Σ (so the optimizer may move freely).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { covarianceStructure } from "../../../src/terms/covariance/index.js";

function sigmaOf(name: string, theta: number[], k: number): Float64Array {
  const s = covarianceStructure(name);
  const lam = new Float64Array(k * k);
  s.fillLambda(theta, 0, k, lam);
  const S = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let v = 0;
    for (let r = 0; r < k; r++) v += lam[i + r * k] * lam[j + r * k];
    S[i + j * k] = v;
  }
  return S;
}
const corr = (S: Float64Array, k: number, i: number, j: number): number => S[i + j * k] / Math.sqrt(S[i + i * k] * S[j + j * k]);

describe("covariance structures", () => {
  it("count their parameters as glmmTMB does", () => {
    assert.deepEqual((["us", "diag", "cs", "ar1", "toep"] as const).map((n) => covarianceStructure(n).ntheta(5)), [15, 5, 6, 2, 9]);
  });
  it("ar1: one variance τ², correlation ρ^|i−j|", () => {
    const k = 4;
    const S = sigmaOf("ar1", [1.5, Math.atanh(0.6)], k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      assert.ok(Math.abs(S[i + i * k] - 2.25) < 1e-12);
      assert.ok(Math.abs(corr(S, k, i, j) - 0.6 ** Math.abs(i - j)) < 1e-12, `${i} ${j}`);
    }
  });
  it("cs: a variance per effect and one correlation, down to −1/(k − 1)", () => {
    const k = 3;
    const s = covarianceStructure("cs");
    const theta = new Float64Array(4);
    assert.ok(s.fromNatural([1, 2, 3, -0.4], 0, k, 1, theta, 0));
    const S = sigmaOf("cs", Array.from(theta), k);
    assert.ok(Math.abs(S[0] - 1) < 1e-12 && Math.abs(S[4] - 4) < 1e-12 && Math.abs(S[8] - 9) < 1e-12);
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) assert.ok(Math.abs(corr(S, k, i, j) + 0.4) < 1e-12);
    assert.equal(s.fromNatural([1, 1, 1, -0.5], 0, k, 1, theta, 0), false); // ρ = −1/(k − 1) is not positive definite
  });
  it("toep: correlations depend on the lag only, and the partial autocorrelations keep Σ positive definite", () => {
    const k = 5;
    // arbitrary θ: every one gives a Toeplitz correlation with a Cholesky factor
    for (const x of [[0.3, -1.2, 2, 0.7], [3, 3, 3, 3], [-2, 0.1, -0.5, 1.5]]) {
      const S = sigmaOf("toep", [1, 2, 0.5, 1, 3, ...x], k);
      for (let lag = 1; lag < k; lag++) {
        const r = corr(S, k, lag, 0);
        for (let i = lag; i < k; i++) assert.ok(Math.abs(corr(S, k, i, i - lag) - r) < 1e-10, `lag ${lag}`);
      }
      assert.ok(Array.from(S).every(Number.isFinite));
    }
  });
  it("diag: no correlations", () => {
    const S = sigmaOf("diag", [1, 2, 3], 3);
    assert.deepEqual(Array.from(S), [1, 0, 0, 0, 4, 0, 0, 0, 9]);
  });
  for (const [name, nat, k] of [["us", [2, 0.3, -0.2, 1.5, 0.1, 0.7], 3], ["diag", [2, 1.5, 0.7], 3], ["cs", [2, 1.5, 0.7, 0.35], 3], ["ar1", [1.3, -0.45], 4], ["toep", [1, 2, 3, 0.5, 0.2], 3]] as const) {
    it(`${name}: natural parameters (σ × sd, correlations) round-trip through θ`, () => {
      const s = covarianceStructure(name);
      const theta = new Float64Array(s.ntheta(k));
      assert.ok(s.fromNatural(nat, 0, k, 2, theta, 0));
      const back = new Float64Array(theta.length);
      s.toNatural(theta, 0, k, 2, back, 0);
      for (let i = 0; i < nat.length; i++) assert.ok(Math.abs(back[i] - nat[i]) < 1e-10, `${name} ${i}: ${back[i]} vs ${nat[i]}`);
      assert.equal(s.naturalNames(Array.from({ length: k }, (_, i) => `t${i}`), "g").length, theta.length);
    });
  }
});
