/**
 * Likelihood-ratio tests between fits with and without residual structures, as nlme's
 * `anova(m0, m1, …)`: for consecutive models, L.Ratio = 2 (ℓ₁ − ℓ₀) on |npar₁ − npar₀| degrees
 * of freedom, p = P(χ² > L.Ratio). REML fits are comparable only with the same fixed effects
 * (their restricted likelihoods refer to different data otherwise), as nlme insists.
 */
import { MlmError } from "../errors.js";
import { chiSquareUpper } from "./chi-square.js";
import type { ResidualModel } from "../residual/residual-model.js";

/** One model's row of the table. */
export interface ResidualLrtRow {
  readonly formula: string;
  readonly correlation: string | undefined;
  readonly variance: string | undefined;
  readonly df: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly logLik: number;
  /** 2 (ℓ_i − ℓ_{i−1}) in absolute value, from the second row on. */
  readonly lRatio: number | undefined;
  readonly p: number | undefined;
}

/**
 * nlme's anova table of fits with residual structures.
 *
 * @param models - two or more fits (gls or lme) to the same rows, by the same method.
 * @returns one row per model, with the test against the previous one.
 * @throws MlmError when the fits are not comparable.
 * @example
 * ```ts
 * const f = "Reaction ~ Days + (1 | Subject)";
 * const rows = anovaResidual([fitLmmResidual(f, sleepstudy), fitLmmResidual(f, sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" })]);
 * rows[1]; // { df: 5, logLik: -868.0955, lRatio: 50.274, p: 1.3e-12 }
 * anovaResidual(rows.length > 0 ? [fitLmmResidual(f, sleepstudy)] : []); // throws MlmError: A likelihood-ratio test needs at least two models.
 * ```
 */
export function anovaResidual(models: readonly ResidualModel[]): ResidualLrtRow[] {
  if (models.length < 2) throw new MlmError("A likelihood-ratio test needs at least two models.");
  const m0 = models[0];
  for (const m of models) {
    if (m.nobs !== m0.nobs) throw new MlmError(`The models were fitted to different numbers of rows (${m0.nobs} and ${m.nobs}); compare models fitted to the same rows.`);
    if (m.method !== m0.method) throw new MlmError("The models were fitted by different methods (REML and ML); fit them all by the same one.");
    if (m.method === "REML" && m.fixefNames.join("\u0000") !== m0.fixefNames.join("\u0000")) {
      throw new MlmError("REML fits with different fixed effects cannot be compared by their likelihoods; fit them by maximum likelihood (--ml).");
    }
  }
  return models.map((m, i) => {
    const prev = i > 0 ? models[i - 1] : undefined;
    const lRatio = prev ? Math.abs(2 * (m.logLik - prev.logLik)) : undefined;
    const ddf = prev ? Math.abs(m.npar - prev.npar) : 0;
    const str = (s: ResidualModel["correlation"]): string | undefined => (s ? `${s.structure}(form = ${s.form})` : undefined);
    return {
      formula: m.formula,
      correlation: str(m.correlation),
      variance: str(m.variance),
      df: m.npar,
      AIC: m.AIC,
      BIC: m.BIC,
      logLik: m.logLik,
      lRatio,
      p: lRatio === undefined ? undefined : chiSquareUpper(lRatio, ddf),
    };
  });
}
