/**
 * Simulated responses from a gls or lme fit with residual structures (as lme4's simulate(),
 * with nlme's residual covariance): for each draw,
 *
 *     y = o + Xβ̂ + Σ_t Z_t b_t + ε,   b_t ~ N(0, Σ̂_t) per level,   ε_g ~ N(0, σ̂² Λ_g(ϱ̂)),
 *
 * ε_g = σ̂ D_g L_g e_g with e_g independent standard normals (residual-structure.ts), so the
 * draws have the model's marginal covariance Z Σ̂ Z' + σ̂²Λ(ϱ̂) about Xβ̂.
 */
import { MlmError } from "../errors.js";
import { cholesky } from "../linalg/dense.js";
import { createRng } from "../numerics/random.js";
import type { ResidualModel } from "../residual/residual-model.js";
import { linearPredictor } from "../residual/fit-gls.js";
import { nsimMessage, simulationSizeMessage } from "./messages.js";
import { MAX_SIMULATED_VALUES, type SimulateOptions } from "./simulate.js";

/**
 * Simulate responses from a fit with residual structures.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param options - nsim, seed, maxValues.
 * @returns nsim response vectors, each in model-frame row order.
 * @throws MlmError for a bad nsim or too many values at once.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * const ys = simulateResidual(m, { nsim: 2, seed: 1 });
 * [ys.length, ys[0].length]; // [2, 180]
 * ```
 */
export function simulateResidual(m: ResidualModel, options: SimulateOptions = {}): Float64Array[] {
  const nsim = options.nsim ?? 1;
  if (!(Number.isInteger(nsim) && nsim >= 1)) throw new MlmError(nsimMessage(nsim));
  const n = m.nobs;
  const limit = options.maxValues ?? MAX_SIMULATED_VALUES;
  if (nsim * n > limit) throw new MlmError(simulationSizeMessage(nsim, n, limit));
  const rng = createRng(options.seed ?? Math.floor(Math.random() * 4294967296));
  const mean = linearPredictor(m.frame, m.beta);
  // Cholesky factors of the random effects' covariances (zero rows where singular)
  const factors = m.ranefCovariance.map((c) => {
    const k = Math.round(Math.sqrt(c.length));
    const f = Float64Array.from(c);
    for (let j = 0; j < k; j++) for (let i = 0; i < j; i++) f[i + j * k] = 0;
    if (cholesky(f, k, k) >= 0) {
      // singular: fall back to the standard deviations alone
      f.fill(0);
      for (let j = 0; j < k; j++) f[j + j * k] = Math.sqrt(Math.max(0, c[j + j * k]));
    }
    return { k, f };
  });
  const out: Float64Array[] = [];
  const e = new Float64Array(n);
  for (let s = 0; s < nsim; s++) {
    for (let i = 0; i < n; i++) e[i] = rng.normal();
    m.colourResiduals(e);
    const y = Float64Array.from(mean, (v, i) => v + e[i]);
    m.frame.reterms.forEach((term, t) => {
      const { k, f } = factors[t];
      const nlev = term.group.levels.length;
      const b = new Float64Array(nlev * k);
      const z = new Float64Array(k);
      for (let h = 0; h < nlev; h++) {
        for (let j = 0; j < k; j++) z[j] = rng.normal();
        for (let a = 0; a < k; a++) {
          let v = 0;
          for (let j = 0; j <= a; j++) v += f[a + j * k] * z[j];
          b[h * k + a] = v;
        }
      }
      const refs = term.group.refs;
      for (let i = 0; i < n; i++) {
        const h = refs[i];
        for (let j = 0; j < k; j++) y[i] += term.z[i + j * n] * b[h * k + j];
      }
    });
    out.push(y);
  }
  return out;
}
