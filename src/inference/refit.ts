/**
 * Refitting a fitted model: by maximum likelihood instead of REML (lme4's `refitML`), or to a new
 * response on the same rows (lme4's `refit(object, newresp)`), as likelihood-ratio tests, profiles
 * and the parametric bootstrap need.
 */
import { MlmError } from "../errors.js";
import { fitLmmFrame } from "../lmm/fit-lmm.js";
import { fitGlmmFrame, type GeneralizedLinearMixedModel } from "../glmm/fit-glmm.js";
import type { LinkName } from "../glmm/link.js";
import type { LinearMixedModel, MixedModelBase } from "../lmm/linear-mixed-model.js";

/**
 * The model fitted by maximum likelihood: a REML linear model is refitted with `reml: false`;
 * ML fits and GLMMs are returned as they are.
 *
 * @param m - a fitted model.
 * @returns the ML fit.
 * @throws MlmError when the refit fails.
 * @example
 * ```ts
 * refitMl(fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy)).logLik; // -875.97
 * ```
 */
export function refitMl<M extends MixedModelBase>(m: M): M {
  if (m.family !== "gaussian" || m.method !== "REML") return m;
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
 * refit(m, simulateResponse(m, createRng(1))).theta; // θ̂ of the simulated data
 * ```
 */
export function refit<M extends MixedModelBase>(m: M, y: Float64Array): M {
  const frame = m.frame;
  if (y.length !== frame.n) throw new MlmError(`The new response has ${y.length} values but the model has ${frame.n} rows; give one value per row.`);
  const next = { ...frame, response: { ...frame.response, y } };
  if (m.family === "gaussian") {
    const lmm = m as unknown as LinearMixedModel;
    return fitLmmFrame(next, { reml: lmm.method === "REML" }) as unknown as M;
  }
  const g = m as unknown as GeneralizedLinearMixedModel;
  return fitGlmmFrame(next, { family: g.family, link: g.link as LinkName, nAGQ: g.nAGQ }) as unknown as M;
}
