// The optimum of a linear mixed model's profiled criterion polished beyond the fit's own
// stopping rule (BOBYQA restarted at θ̂ with rhoEnd 1e-12), and the estimates there. fitLmm stops
// at rhoEnd 1e-6, so its θ̂ moves by up to ~1e-6 relative when the same data are summed in
// another order (reversing sleepstudy's rows moves θ₂ by 6e-7): agreement to 1e-8 between two
// ways of computing A is a statement about the polished optimum.
import { bobyqa } from "../../src/optim/index.js";
import { CrossProducts, type CrossProductBlocks } from "../../src/lmm/cross-products.js";
import { LmmWorkspace } from "../../src/lmm/workspace.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import type { ModelFrame } from "../../src/model-frame/types.js";

export interface Polished {
  theta: Float64Array;
  beta: Float64Array;
  se: number[];
  logLik: number;
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

/** Minimise the criterion of A from θ start with a tight tolerance; estimates at the optimum. */
export function polishedOptimum(A: CrossProductBlocks, start: ArrayLike<number>, reml: boolean): Polished {
  const ws = new LmmWorkspace(A, false, false);
  const lower = new RandomEffects(A.terms.map((t) => t.frame)).lower();
  const r = bobyqa((th) => ws.objective(th, reml), Float64Array.from(start), { lower, rhoBeg: 1e-3, rhoEnd: 1e-12, maxEval: 50000 });
  const crit = ws.objective(r.x, reml);
  const beta = ws.beta();
  const n = A.n;
  const p = A.p;
  const sigma = Math.sqrt(ws.pwrss() / (reml ? n - p : n));
  const V = ws.unscaledVcov();
  const se = Array.from({ length: p }, (_, j) => sigma * Math.sqrt(V[j + j * p]));
  return { theta: r.x, beta, se, logLik: -crit / 2 };
}
