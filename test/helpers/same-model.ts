// Two computations of one linear mixed model, from rows and from statistics (or from two
// engines' statistics), compared:
// - at the same θ (the reference θ̂), the criterion, β, vcov and r² are functions of A alone and
//   agree to rounding (tolerance `atTheta`, default 1e-10 relative);
// - at the two optima, θ̂, β̂, the standard errors, σ̂ and logLik agree within `atOptimum`
//   (default 1e-8 relative): the fit polishes BOBYQA's θ̂ by Newton steps to the zero of the
//   criterion's gradient (src/lmm/lmm-optimum.ts), so θ̂ is a property of A, not of the
//   optimizer's path. θ is compared relative to max |θ̂|, β̂ relative to max(|β̂|, se); logLik
//   is held to `atTheta` (the criterion is flat at the optimum).
import assert from "node:assert/strict";
import { CrossProducts, type CrossProductBlocks } from "../../src/lmm/cross-products.js";
import type { ModelFrame } from "../../src/model-frame/types.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import { LmmWorkspace } from "../../src/lmm/workspace.js";
import type { LinearMixedModel } from "../../src/model/mixed-model.js";

/** Largest relative differences found, for the test's diagnostics. */
export interface Differences {
  atTheta: number;
  logLik: number;
  theta: number;
  fixef: number;
  se: number;
  sigma: number;
}

const rel = (a: number, b: number, floor = 0): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor, 1e-300);

export function assertSameModel(m: LinearMixedModel, ref: LinearMixedModel, A: CrossProductBlocks, refA: CrossProductBlocks, tol: { atTheta?: number; atOptimum?: number } = {}): Differences {
  const tolTheta = tol.atTheta ?? 1e-10;
  const tolOpt = tol.atOptimum ?? 1e-8;
  assert.deepEqual(m.fixefNames, ref.fixefNames);
  assert.equal(m.nobs, ref.nobs);
  assert.deepEqual(Object.entries(m.ngroups), Object.entries(ref.ngroups));
  const reml = ref.method === "REML";
  const ws = new LmmWorkspace(A, false, false);
  const ws0 = new LmmWorkspace(refA, false, false);
  const d: Differences = { atTheta: 0, logLik: 0, theta: 0, fixef: 0, se: 0, sigma: 0 };
  const check = (a: number, b: number, floor: number, what: string, key: keyof Differences, t: number): void => {
    const r = rel(a, b, floor);
    d[key] = Math.max(d[key], r);
    assert.ok(r <= t, `${what}: ${a} vs ${b} (relative ${r.toExponential(2)})`);
  };
  check(ws.objective(ref.theta, reml), ws0.objective(ref.theta, reml), 0, "criterion at θ̂", "atTheta", tolTheta);
  check(ws.pwrss(), ws0.pwrss(), 0, "r² at θ̂", "atTheta", tolTheta);
  const b = ws.beta();
  const b0 = ws0.beta();
  const V = ws.unscaledVcov();
  const V0 = ws0.unscaledVcov();
  const p = b.length;
  for (let j = 0; j < p; j++) {
    check(b[j], b0[j], Math.sqrt(V0[j + j * p] * ws0.pwrss() / A.n), `β at θ̂ ${j}`, "atTheta", tolTheta);
    for (let i = 0; i < p; i++) check(V[i + j * p], V0[i + j * p], Math.sqrt(V0[i + i * p] * V0[j + j * p]), `vcov at θ̂ ${i},${j}`, "atTheta", tolTheta);
  }
  check(m.logLik, ref.logLik, 0, "logLik", "logLik", tolTheta);
  check(m.sigma, ref.sigma, 0, "σ", "sigma", tolOpt);
  const thetaScale = Math.max(...Array.from(ref.theta, Math.abs), 1e-3);
  m.theta.forEach((t, i) => check(t, ref.theta[i], thetaScale, `θ[${i}]`, "theta", tolOpt));
  m.fixef.forEach((f, j) => {
    check(f.estimate, ref.fixef[j].estimate, ref.fixef[j].se, `fixef ${f.term}`, "fixef", tolOpt);
    check(f.se, ref.fixef[j].se, 0, `se ${f.term}`, "se", tolOpt);
  });
  return d;
}

/** A from the rows of a model frame, as fitLmmFrame forms it. */
export function frameCrossProducts(frame: ModelFrame): CrossProducts {
  const terms = RandomEffects.of(frame).terms;
  const A = new CrossProducts(terms, frame.n, frame.fixefNames.length);
  const off = frame.offset;
  const y = frame.response.y;
  A.fill(frame.X, off ? y.map((v, i) => v - off[i]) : y, frame.weights?.map(Math.sqrt));
  return A;
}
