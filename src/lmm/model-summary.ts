/**
 * The results every fitted mixed model derives the same way from β̂, vcov(β̂), its criterion and
 * its number of parameters, whether linear or generalized:
 *
 *     se_j = √vcov_jj,  statistic_j = β̂_j / se_j,
 *     logLik = −crit / 2,  AIC = crit + 2 npar,  BIC = crit + npar log n,
 *
 * with crit the REML criterion or deviance (−2 log-likelihood) at the optimum, as lme4 reports.
 */
import type { ModelFrame } from "../model-frame/types.js";
import type { RandomEffects } from "../terms/random-effects.js";
import { fixefRows, type MixedModelBase } from "../model/mixed-model.js";

/** The fields of {@link MixedModelBase} that {@link modelSummary} fills. */
export type ModelSummary = Pick<MixedModelBase, "frame" | "nobs" | "ngroups" | "fixefNames" | "fixef" | "npar" | "logLik" | "AIC" | "BIC">;

/**
 * Fixed-effect rows, group counts and information criteria of a fit.
 *
 * @param frame - the model frame.
 * @param re - the random-effects layer.
 * @param beta - β̂.
 * @param vcov - vcov(β̂), p × p column-major.
 * @param crit - REML criterion or deviance at the optimum.
 * @param npar - number of parameters.
 * @returns the shared result fields.
 * @example
 * ```ts
 * const m = sleepstudyFit;
 * const s = modelSummary(m.frame, m.randomEffects, m.beta, m.vcov, m.criterion.value, m.npar);
 * [s.logLik, s.AIC, s.BIC]; // [-871.814, 1755.628, 1774.786]
 * s.fixef[1]; // { term: "Days", estimate: 10.467, se: 1.546, statistic: 6.771 }
 * ```
 */
export function modelSummary(frame: ModelFrame, re: RandomEffects, beta: Float64Array, vcov: Float64Array, crit: number, npar: number): ModelSummary {
  const fixef = fixefRows(frame.fixefNames, beta, vcov);
  return {
    frame,
    nobs: frame.n,
    ngroups: Object.freeze(re.ngroups()),
    fixefNames: frame.fixefNames,
    fixef: Object.freeze(fixef),
    npar,
    logLik: -crit / 2,
    AIC: crit + 2 * npar,
    BIC: crit + npar * Math.log(frame.n),
  };
}
