/**
 * The JSON form of a fitted model, as printed by `mlm fit --json`: plain data with lme4's names.
 */
import type { MixedModelBase } from "../lmm/linear-mixed-model.js";

/** Extra per-coefficient columns (degrees of freedom and p-values) from inference. */
export interface FixefTests {
  readonly df?: readonly number[];
  readonly p: readonly number[];
  /**
   * Standard errors that replace the model's (Kenward-Roger's adjusted ones); the statistic is
   * then estimate / se.
   */
  readonly se?: readonly number[];
}

/**
 * Convert a fitted model to the `mlm fit --json` object.
 *
 * @param m - the fitted model.
 * @param tests - optional df and p-values per fixed effect, and standard errors replacing the
 *   model's (then the statistic is recomputed from them).
 * @returns a plain object ready for `JSON.stringify`.
 * @example
 * ```ts
 * fitJson(fitLmm("Yield ~ 1 + (1 | Batch)", dyestuff)).criterion; // { name: "REML", value: 319.65 }
 * ```
 */
export function fitJson(m: MixedModelBase, tests?: FixefTests): Record<string, unknown> {
  return {
    formula: m.formula,
    family: m.family,
    link: m.link,
    method: m.method,
    nobs: m.nobs,
    dropped: m.frame.dropped,
    ngroups: m.ngroups,
    fixef: m.fixef.map((f, j) => ({
      ...f,
      ...(tests?.se ? { se: tests.se[j], statistic: f.estimate / tests.se[j] } : {}),
      ...(tests?.df ? { df: tests.df[j] } : {}),
      ...(tests ? { p: tests.p[j] } : {}),
    })),
    varcorr: m.varcorr,
    theta: Array.from(m.theta),
    sigma: m.sigma,
    ...("dispersion" in m && m.dispersion ? { dispersion: m.dispersion } : {}),
    logLik: m.logLik,
    AIC: m.AIC,
    BIC: m.BIC,
    criterion: m.criterion,
    singular: m.singular,
    converged: m.converged,
    icc: m.icc,
    ranef: m.ranef(),
    optimizer: { name: m.optimizer.name, evaluations: m.optimizer.evaluations },
    messages: m.messages,
    timing: { fitSeconds: m.fitSeconds },
  };
}
