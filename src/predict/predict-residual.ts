/**
 * Predictions of gls and lme fits with residual structures on new data, as nlme's predict(),
 * with optional normal-approximation intervals:
 *
 *     level 0 (population):  ŷ_i = o_i + x_i'β̂                          (gls: the only level)
 *     level 1 (the groups):  ŷ_i = o_i + x_i'β̂ + Σ_t z_ti' b̂_t[g_t(i)]
 *
 * The residual correlation does not enter: like nlme, these are the conditional means of new
 * observations given the random effects, not predictions that borrow from the observed
 * residuals of the same group. A level the fit did not see gets its random effect's mean, zero
 * (nlme gives NA there; mlm's predict() gives the population value, with a note).
 *
 * Intervals (nlme has none; the plug-in approximation of predict.ts) are ŷ_i ± z_{(1+level)/2} √v_i:
 *
 *   confidence: v_i = x_i' V x_i + Σ_{t: level seen} z_ti' Var(b_t[g] | y) z_ti
 *   prediction: the confidence v_i + Σ_{t: level new} z_ti' Σ_t z_ti + σ² w_i²
 *
 * with V = vcov(β̂) (nlme's vcov), Var(b_t[g] | y) = Σ_t − Σ_t Z_g' V_g⁻¹ Z_g Σ_t the conditional
 * covariance of the level's random effects given the data with β at β̂ (lme4's condVar, here
 * under the residual structure: V_g = Z_g Σ Z_g' + σ² Λ_g(ϱ̂) is the group's marginal
 * covariance; the uncertainty of β̂ enters through x_i' V x_i only), Σ_t the between-group
 * covariance of term t (nlme's getVarCov), σ the residual standard deviation and w_i the
 * variance function's multiplier for the new row (sd = σ w_i: varIdent's ratio of the row's
 * stratum, varPower, varExp or varConstPower of the row's covariate, and of the row's predicted
 * value ŷ_i for `fitted(.)`; 1 without a variance function). The prediction interval is for a new
 * observation's marginal distribution given the random effects: its correlation with the
 * group's observed residuals is not used. With `reForm: "none"` the confidence interval is for
 * x_i'β alone and the prediction interval treats every term's level as new. The approximation
 * ignores the uncertainty in θ̂, ϱ̂ and σ̂ and the covariances between β̂ and b̂ and between terms.
 */
import type { DataInput } from "../data/data-input.js";
import { message, type Message } from "../messages.js";
import type { ResidualModel } from "../residual/residual-model.js";
import { newLevelsMessage } from "./messages.js";
import { fixedVariance, newRows, prediction, type Prediction } from "./predict.js";

/** Options of {@link predictResidual}. */
export interface PredictResidualOptions {
  /** `"none"`: population predictions (nlme's level = 0). Default: with the groups' random effects (level 1). */
  readonly reForm?: "none";
  /** Add a confidence interval (for the mean) or a prediction interval (for a new observation). */
  readonly interval?: "confidence" | "prediction";
  /** The intervals' coverage (default 0.95). */
  readonly level?: number;
  /** Columns of the new data to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
}

/**
 * Predict a gls or lme fit with residual structures on new data.
 *
 * See the file comment for the formulas of the intervals.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param newdata - predictors and grouping factors (not the response); for prediction intervals
 *   also the variance function's covariate or stratum.
 * @param options - `reForm: "none"` for the population level, `interval`, `level`, `factors`.
 * @returns the prediction (and lower/upper) per new-data row (NaN where a predictor is missing) and notes.
 * @throws MlmError for a missing column, a fixed-effect factor level or variance stratum the fit
 *   did not see, or a level outside (0, 1).
 * @example
 * ```ts
 * const m = fitLmmResidual("Reaction ~ Days + (1 | Subject)", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * predictResidual(m, { Days: [0, 7], Subject: ["308", "372"] }).fit; // [284.11, 337.97]
 * predictResidual(m, { Days: [0, 7], Subject: ["308", "372"] }, { reForm: "none" }).fit; // [252.84, 326.11]
 * predictResidual(m, { Days: [7], Subject: ["372"] }, { interval: "prediction" });
 * // { fit: [337.97], lower: [253.88], upper: [422.05], messages: [] }
 * ```
 */
export function predictResidual(m: ResidualModel, newdata: DataInput, options: PredictResidualOptions = {}): Prediction {
  const { level, table, nd, eta } = newRows(m.frame, m.beta, newdata, options);
  const n = nd.n;
  const withRe = options.reForm !== "none";
  const interval = options.interval;
  const v = new Float64Array(n);
  if (interval) fixedVariance(nd.X, n, m.vcov, m.beta.length, v);
  const condVar = withRe && interval ? m.condVar() : [];
  const messages: Message[] = [];
  m.frame.reterms.forEach((term, t) => {
    const k = term.cnms.length;
    const { refs, z } = nd.reterms[t];
    const b = m.ranef[t];
    let unseen = 0;
    for (let i = 0; i < n; i++) {
      const h = refs[i];
      if (withRe && h >= 0) {
        for (let j = 0; j < k; j++) eta[i] += z[i + j * n] * b[h * k + j];
        if (interval) v[i] += quadraticForm(condVar[t], h * k * k, k, z, i, n);
      } else {
        if (withRe) unseen++;
        if (interval === "prediction") v[i] += quadraticForm(m.ranefCovariance[t], 0, k, z, i, n);
      }
    }
    if (unseen > 0) messages.push(message("new-levels", newLevelsMessage(term.group.name, unseen), "note"));
  });
  if (interval === "prediction") {
    const w = m.varianceMultipliers(table, nd.rows, eta);
    const sigma2 = m.sigma * m.sigma;
    for (let i = 0; i < n; i++) v[i] += sigma2 * w[i] * w[i];
  }
  return prediction(table.nrows, nd, eta, interval ? v : undefined, level, (x: number) => x, messages);
}

/** z_i' M z_i for row i of a term's z (n × k, column-major) and the symmetric k × k M at c[o..]. */
function quadraticForm(c: Float64Array, o: number, k: number, z: Float64Array, i: number, n: number): number {
  let s = 0;
  for (let a = 0; a < k; a++) {
    const za = z[i + a * n];
    if (za === 0) continue;
    for (let d = 0; d < k; d++) s += za * c[o + a + d * k] * z[i + d * n];
  }
  return s;
}
