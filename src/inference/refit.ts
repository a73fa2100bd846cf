/**
 * Refitting a fitted model: by maximum likelihood instead of REML (lme4's `refitML`), or to a new
 * response on the same rows (lme4's `refit(object, newresp)`), as likelihood-ratio tests, profiles
 * and the parametric bootstrap need.
 */
import { MlmError } from "../errors.js";
import { fitLmmFrame } from "../lmm/fit-lmm.js";
import { fitGlmmFrame } from "../glmm/fit-glmm.js";
import { isRowlessModel } from "../lmm/rowless-model.js";
import type { MixedModel } from "../model/mixed-model.js";

/**
 * The model fitted by maximum likelihood: a REML linear model is refitted with `reml: false`;
 * ML fits and GLMMs are returned as they are.
 *
 * @param m - a fitted model.
 * @returns the ML fit.
 * @throws MlmError when the refit fails.
 * @example
 * ```ts
 * refitMl(sleepstudyFit).logLik; // -875.97
 * ```
 */
export function refitMl<M extends MixedModel>(m: M): M {
  if (m.kind !== "lmm" || m.method !== "REML") return m;
  // a model fitted from summary statistics is refitted from them (it has no rows)
  if (isRowlessModel(m)) return m.refitMl() as unknown as M;
  return fitLmmFrame(m.frame, { reml: false }) as unknown as M;
}

/**
 * The same model fitted to a new response on the same rows (same X, Z, weights and offset).
 *
 * @param m - a fitted model.
 * @param y - the new response, one value per used row, on the scale of `m.frame.response.y`
 *   (proportions for binomial responses with trials).
 * @returns the new fit, by the same method (REML/ML, Laplace/AGQ) as `m`.
 * @throws MlmError when y has the wrong length or the new fit fails.
 * @example
 * ```ts
 * const y = simulateResponse(dyestuffFit, createRng(1));
 * const m = refit(dyestuffFit, y);
 * [m.method, m.nobs, m.theta.length]; // ["REML", 30, 1]
 * m.fixef[0].estimate; // 1502.1
 * ```
 */
export function refit<M extends MixedModel>(m: M, y: Float64Array): M {
  const frame = m.frame;
  if (y.length !== frame.n) throw new MlmError(`The new response has ${y.length} values but the model has ${frame.n} rows; give one value per row.`);
  const next = { ...frame, response: { ...frame.response, y } };
  if (m.kind === "lmm") return fitLmmFrame(next, { reml: m.method === "REML" }) as M;
  return fitGlmmFrame(next, { family: m.family.name, link: m.family.link.name, nAGQ: m.nAGQ }) as M;
}
