/**
 * The JSON form of a fitted model, as printed by `mlm fit --json`: plain data with lme4's names.
 */
import type { CoefTable } from "../inference/coef-table.js";
import type { MixedModel } from "../model/mixed-model.js";
import { r2Nakagawa, safeR2 } from "../inference/r2.js";

/**
 * Convert a fitted model to the `mlm fit --json` object.
 *
 * @param m - the fitted model.
 * @param coef - the coefficient table whose tests (df, p, and Kenward-Roger's standard errors) the
 *   fixed-effect rows carry.
 * @returns a plain object ready for `JSON.stringify`.
 * @example
 * ```ts
 * fitJson(dyestuffFit).criterion; // { name: "REML", value: 319.65 }
 * ```
 */
export function fitJson(m: MixedModel, coef?: CoefTable): Record<string, unknown> {
  const structures = m.randomEffects.structureParameters(m.theta);
  return {
    formula: m.formula,
    family: m.family.name,
    link: m.family.link.name,
    method: m.kind === "glmm" && m.method === "AGQ" ? `AGQ(${m.nAGQ})` : m.method,
    nobs: m.nobs,
    dropped: m.frame.dropped,
    ngroups: m.ngroups,
    ...(coef ? { ddf: coef.name } : {}),
    fixef: m.fixef.map((f, j) => {
      const row = coef?.rows[j];
      if (!row) return f;
      return { term: f.term, estimate: f.estimate, se: row.se, statistic: row.statistic, ...(row.df !== null ? { df: row.df } : {}), p: row.p, lower: row.lower, upper: row.upper };
    }),
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
    r2: safeR2(m, r2Nakagawa) ?? null,
    ranef: m.ranef(),
    optimizer: { name: m.optimizer.name, evaluations: m.optimizer.evaluations },
    ...(structures.length > 0 ? { structures } : {}),
    messages: m.messages,
    timing: { fitSeconds: m.fitSeconds },
  };
}

