// Two computations of one linear mixed model, from rows and from statistics, compared where the
// comparison is well posed:
// - at the same θ (the in-memory θ̂), the criterion, β, vcov and r² are functions of A alone and
//   agree to rounding (tolerance `atTheta`, default 1e-10 relative);
// - the logLik at the two optima agrees to rounding too (the criterion is flat there);
// - θ̂, β̂ and se at the optima agree within the optimizer's stopping tolerance (rhoEnd 1e-6):
//   the criterion is so flat near the optimum that θ̂ is determined only to ~1e-6 relative by
//   the rounding of the criterion itself (fitLmm moves θ₂ of sleepstudy by 6e-7 when the rows
//   are reversed), so `atOptimum` (default 5e-5) bounds a stopping-rule difference, not an error.
import assert from "node:assert/strict";
import type { CrossProductBlocks } from "../../src/lmm/cross-products.js";
import { LmmWorkspace } from "../../src/lmm/workspace.js";
import type { LinearMixedModel } from "../../src/model/mixed-model.js";

/** Largest relative differences found, for the test's diagnostics. */
export interface Differences {
  atTheta: number;
  logLik: number;
  theta: number;
  fixef: number;
  se: number;
}

const rel = (a: number, b: number, floor = 0): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor, 1e-300);

export function assertSameModel(m: LinearMixedModel, ref: LinearMixedModel, A: CrossProductBlocks, refA: CrossProductBlocks, tol: { atTheta?: number; atOptimum?: number } = {}): Differences {
  const tolTheta = tol.atTheta ?? 1e-10;
  const tolOpt = tol.atOptimum ?? 5e-5;
  assert.deepEqual(m.fixefNames, ref.fixefNames);
  assert.equal(m.nobs, ref.nobs);
  assert.deepEqual(Object.entries(m.ngroups), Object.entries(ref.ngroups));
  const reml = ref.method === "REML";
  const ws = new LmmWorkspace(A, false, false);
  const ws0 = new LmmWorkspace(refA, false, false);
  const d: Differences = { atTheta: 0, logLik: 0, theta: 0, fixef: 0, se: 0 };
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
  const thetaScale = Math.max(...Array.from(ref.theta, Math.abs), 1e-3);
  m.theta.forEach((t, i) => check(t, ref.theta[i], thetaScale, `θ[${i}]`, "theta", tolOpt));
  m.fixef.forEach((f, j) => {
    check(f.estimate, ref.fixef[j].estimate, ref.fixef[j].se, `fixef ${f.term}`, "fixef", tolOpt);
    check(f.se, ref.fixef[j].se, 0, `se ${f.term}`, "se", tolOpt);
  });
  return d;
}
