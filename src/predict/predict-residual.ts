/**
 * Predictions of gls and lme fits with residual structures on new data, as nlme's predict():
 *
 *     level 0 (population):  ŷ_i = o_i + x_i'β̂                          (gls: the only level)
 *     level 1 (the groups):  ŷ_i = o_i + x_i'β̂ + Σ_t z_ti' b̂_t[g_t(i)]
 *
 * The residual correlation does not enter: like nlme, these are the conditional means of new
 * observations given the random effects, not predictions that borrow from the observed
 * residuals of the same group. A level the fit did not see gets its random effect's mean, zero
 * (nlme gives NA there; mlm's predict() gives the population value, with a note).
 */
import type { DataInput } from "../data/data-input.js";
import { toDataTable } from "../data/to-data-table.js";
import { newDataFrame } from "../model-frame/index.js";
import { message, type Message } from "../messages.js";
import type { ResidualModel } from "../residual/residual-model.js";
import { newLevelsMessage } from "./messages.js";

/** Options of {@link predictResidual}. */
export interface PredictResidualOptions {
  /** `"none"`: population predictions (nlme's level = 0). Default: with the groups' random effects (level 1). */
  readonly reForm?: "none";
  /** Columns of the new data to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
}

/**
 * Predict a gls or lme fit with residual structures on new data.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param newdata - predictors and grouping factors (not the response).
 * @param options - `reForm: "none"` for the population level.
 * @returns the prediction per new-data row (NaN where a predictor is missing) and notes.
 * @throws MlmError for a missing column or a fixed-effect factor level the fit did not see.
 * @example
 * ```ts
 * const m = fitLmmResidual("Reaction ~ Days + (1 | Subject)", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * predictResidual(m, { Days: [0, 7], Subject: ["308", "372"] }).fit; // [284.11, 337.97]
 * predictResidual(m, { Days: [0, 7], Subject: ["308", "372"] }, { reForm: "none" }).fit; // [252.84, 326.11]
 * ```
 */
export function predictResidual(m: ResidualModel, newdata: DataInput, options: PredictResidualOptions = {}): { fit: number[]; messages: Message[] } {
  const raw = toDataTable(newdata);
  const table = toDataTable(raw, { factors: (options.factors ?? []).filter((f) => raw.names.includes(f)) });
  const nd = newDataFrame(m.frame, table);
  const n = nd.n;
  const p = m.beta.length;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = nd.offset ? nd.offset[i] : 0;
    for (let j = 0; j < p; j++) s += nd.X[i + j * n] * m.beta[j];
    eta[i] = s;
  }
  const messages: Message[] = [];
  if (options.reForm !== "none") {
    m.frame.reterms.forEach((term, t) => {
      const k = term.cnms.length;
      const { refs, z } = nd.reterms[t];
      const b = m.ranef[t];
      let unseen = 0;
      for (let i = 0; i < n; i++) {
        const h = refs[i];
        if (h < 0) {
          unseen++;
          continue;
        }
        for (let j = 0; j < k; j++) eta[i] += z[i + j * n] * b[h * k + j];
      }
      if (unseen > 0) messages.push(message("new-levels", newLevelsMessage(term.group.name, unseen), "note"));
    });
  }
  const fit = new Array<number>(table.nrows).fill(NaN);
  for (let i = 0; i < n; i++) fit[nd.rows[i]] = eta[i];
  return { fit, messages };
}
