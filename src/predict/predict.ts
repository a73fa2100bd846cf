/**
 * Predictions of a fitted mixed model on new data, with optional normal-approximation intervals.
 *
 * The linear predictor of new row i is
 *   η_i = o_i + x_i'β̂ + Σ_t z_ti' b̂_t[g_t(i)],
 * with b̂_t the conditional modes of term t and the sum dropped for `reForm: "none"` (lme4's
 * `re.form = NA`) and, term by term, for levels the fit did not see (lme4's
 * `allow.new.levels = TRUE`: a new level's random effect is its mean, zero).
 *
 * Intervals (lme4 has none; this is the usual plug-in approximation) are η̂_i ± z_{(1+level)/2} √v_i
 * on the link scale, mapped through the inverse link for GLMMs on the response scale, with
 *   confidence: v_i = x_i' V x_i + Σ_{t: level seen} Σ_j z_tij² sd_tj²
 *   prediction: the confidence v_i + Σ_{t: level new} z_ti' Σ_t z_ti + σ² (σ² for linear models only)
 * where V = vcov(β̂), sd_tj the conditional standard deviation of b_tj for the row's level
 * (`ranef()`'s condsd) and Σ_t = σ² Λ_t Λ_t' the between-group covariance of term t. With
 * `reForm: "none"` the confidence interval is for x_i'β alone and the prediction interval treats
 * every term's level as new. The approximation ignores the uncertainty in θ̂ and σ̂, the
 * covariances between β̂ and b̂, between terms and between the columns of a term, and
 * (for GLMMs) the response's own variation about its mean.
 */
import type { DataInput } from "../data/data-input.js";
import { toDataTable } from "../data/to-data-table.js";
import { MlmError } from "../errors.js";
import { getLink } from "../family/index.js";
import type { MixedModel } from "../model/mixed-model.js";
import { newDataFrame, type NewDataFrame } from "../model-frame/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import type { DataTable } from "../data/table.js";
import { levelMessage, missingPredictorMessage, newLevelsMessage } from "./messages.js";
import { message, type Message } from "../messages.js";
import { termLambdas, termModes } from "./term-effects.js";

/** Options of {@link predict}. */
export interface PredictOptions {
  /** `"none"` for population predictions x'β (lme4's `re.form = NA`); by default all random effects. */
  readonly reForm?: "none";
  /** Add a confidence interval (for the mean) or a prediction interval (for a new observation). */
  readonly interval?: "confidence" | "prediction";
  /** The intervals' coverage (default 0.95). */
  readonly level?: number;
  /** `"response"` (default: μ, the inverse link of η) or `"link"` (η). Linear models: the same. */
  readonly type?: "response" | "link";
  /** Columns of the new data to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
}

/** Predictions in the order of the new data's rows (NaN where a predictor is missing). */
export interface Prediction {
  readonly fit: number[];
  /** Lower interval bounds, when an interval was asked for. */
  readonly lower?: number[];
  /** Upper interval bounds, when an interval was asked for. */
  readonly upper?: number[];
  /** Notes: rows not predicted, groups the fit did not see. */
  readonly messages: Message[];
}

/** The standard normal quantile (the probit link function is Φ⁻¹). */
const qnorm = getLink("probit").linkfun;

/**
 * Predict a fitted model on new data.
 *
 * See the file comment for the formulas of the intervals.
 *
 * @param m - a fitted linear or generalized linear mixed model.
 * @param newdata - the new data: columns, rows, an Arrow-like table or a DataTable; it needs the
 *   predictors and grouping factors, not the response.
 * @param options - `reForm`, `interval`, `level`, `type`, `factors`.
 * @returns fit (and lower/upper) per new-data row, and notes.
 * @throws MlmError for a missing column, a fixed-effect factor level the fit did not see, or a
 *   level outside (0, 1).
 * @example
 * ```ts
 * const m = sleepstudyFit;
 * predict(m, { Days: [0, 5], Subject: ["308", "new"] }).fit;       // [253.66, 303.74]
 * predict(m, { Days: [0, 5], Subject: ["308", "new"] }, { reForm: "none" }).fit; // [251.41, 303.74]
 * predict(m, { Days: [2], Subject: ["308"] }, { interval: "prediction" });
 * // { fit: [292.996], lower: [235.11], upper: [350.88], messages: [] }
 * ```
 */
export function predict(m: MixedModel, newdata: DataInput, options: PredictOptions = {}): Prediction {
  const { level, table, nd, eta } = newRows(m.frame, m.beta, newdata, options);
  const n = nd.n;
  const withRe = options.reForm !== "none";
  const interval = options.interval;
  const messages: Message[] = [];

  // η = offset + Xβ (+ Zb); v = the interval's variance on the link scale
  const v = new Float64Array(n);
  if (interval) fixedVariance(nd.X, n, m.vcov, m.beta.length, v);

  const modes = withRe ? termModes(m) : [];
  const lambdas = interval === "prediction" ? termLambdas(m) : [];
  const sigma2 = m.sigma * m.sigma;
  m.frame.reterms.forEach((term, t) => {
    const k = term.cnms.length;
    const { refs, z } = nd.reterms[t];
    let unseen = 0;
    for (let i = 0; i < n; i++) {
      const h = refs[i];
      if (withRe && h >= 0) {
        const { b, condsd } = modes[t];
        for (let j = 0; j < k; j++) {
          const zij = z[i + j * n];
          eta[i] += zij * b[h * k + j];
          if (interval) v[i] += zij * zij * condsd[h * k + j] * condsd[h * k + j];
        }
      } else {
        if (withRe) unseen++;
        if (interval === "prediction") v[i] += sigma2 * betweenGroupVariance(lambdas[t], k, z, i, n);
      }
    }
    if (unseen > 0) messages.push(message("new-levels", newLevelsMessage(term.group.name, unseen), "note"));
  });
  if (interval === "prediction" && m.family.hasScale) for (let i = 0; i < n; i++) v[i] += sigma2;

  const linkinv = options.type === "link" ? (x: number) => x : m.family.link.linkinv;
  return prediction(table.nrows, nd, eta, interval ? v : undefined, level, linkinv, messages);
}

/**
 * The start shared by the predict functions: the level checked, the new data as a table and a
 * model frame of the fit's columns, and η = offset + Xβ̂ per usable row.
 *
 * @param frame - the fit's model frame.
 * @param beta - its fixed effects.
 * @param newdata - the new data.
 * @param options - `level` (default 0.95) and `factors`.
 * @returns the level, the table, the new rows' frame and η.
 * @throws MlmError for a level outside (0, 1) or new data the fit's columns cannot be read from.
 * @example
 * ```ts
 * newRows(sleepstudyFit.frame, sleepstudyFit.beta, { Days: [0, 5], Subject: ["308", "309"] }, {}).eta;
 * // Float64Array [251.41, 303.74]
 * ```
 */
export function newRows(frame: ModelFrame, beta: Float64Array, newdata: DataInput, options: { readonly level?: number; readonly factors?: readonly string[] }): { level: number; table: DataTable; nd: NewDataFrame; eta: Float64Array } {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new MlmError(levelMessage(level));
  const raw = toDataTable(newdata);
  const table = toDataTable(raw, { factors: (options.factors ?? []).filter((f) => raw.names.includes(f)) });
  const nd = newDataFrame(frame, table);
  const n = nd.n;
  const p = beta.length;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = nd.offset ? nd.offset[i] : 0;
    for (let j = 0; j < p; j++) s += nd.X[i + j * n] * beta[j];
    eta[i] = s;
  }
  return { level, table, nd, eta };
}

/**
 * The end shared by the predict functions: each usable row's prediction g⁻¹(η) put back at its
 * new-data row (NaN for rows dropped for missing predictors, with a note), and with variances v
 * the interval g⁻¹(η ± z_{(1+level)/2} √v).
 *
 * @param nrows - rows of the new data.
 * @param nd - the new rows' frame.
 * @param eta - the linear predictor per usable row.
 * @param v - its variance per usable row, or undefined for no interval.
 * @param level - the intervals' coverage.
 * @param linkinv - the inverse link (identity for the link scale).
 * @param messages - notes so far, to which the dropped-rows note is added first.
 * @returns the prediction.
 * @example
 * ```ts
 * const { nd, eta } = newRows(sleepstudyFit.frame, sleepstudyFit.beta, { Days: [0], Subject: ["308"] }, {});
 * prediction(1, nd, eta, Float64Array.of(100), 0.95, (x) => x, []);
 * // { fit: [251.41], lower: [231.81], upper: [271.01], messages: [] }
 * ```
 */
export function prediction(nrows: number, nd: NewDataFrame, eta: Float64Array, v: Float64Array | undefined, level: number, linkinv: (x: number) => number, messages: Message[]): Prediction {
  const q = qnorm((1 + level) / 2);
  const fit = new Array<number>(nrows).fill(NaN);
  const lower = v ? new Array<number>(nrows).fill(NaN) : undefined;
  const upper = v ? new Array<number>(nrows).fill(NaN) : undefined;
  for (let i = 0; i < nd.n; i++) {
    const row = nd.rows[i];
    fit[row] = linkinv(eta[i]);
    if (v && lower && upper) {
      const half = q * Math.sqrt(v[i]);
      lower[row] = linkinv(eta[i] - half);
      upper[row] = linkinv(eta[i] + half);
    }
  }
  if (nd.dropped > 0) {
    const used = new Uint8Array(nrows);
    for (const row of nd.rows) used[row] = 1;
    messages.unshift(message("missing-predictor", missingPredictorMessage(nd.dropped, used.indexOf(0) + 1)));
  }
  return v ? { fit, lower, upper, messages } : { fit, messages };
}

/**
 * Add the variance of each row's fixed-effects prediction, v_i += x_i' V x_i, for the rows of X
 * (n × p, column-major) and V = vcov(β̂) (p × p).
 *
 * @param X - the new rows' model matrix.
 * @param n - its rows.
 * @param V - the covariance of β̂.
 * @param p - its order.
 * @param v - the variances, added to.
 * @example
 * ```ts
 * const v = new Float64Array(2);
 * fixedVariance(Float64Array.of(1, 1, 0, 2), 2, Float64Array.of(4, 1, 1, 9), 2, v);
 * v; // Float64Array [4, 44]
 * ```
 */
export function fixedVariance(X: Float64Array, n: number, V: Float64Array, p: number, v: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < p; a++) {
      const xa = X[i + a * n];
      if (xa === 0) continue;
      let r = 0;
      for (let c = 0; c < p; c++) r += V[a + c * p] * X[i + c * n];
      s += xa * r;
    }
    v[i] += s;
  }
}

/** z_i' Λ Λ' z_i = |Λ' z_i|² for row i of a term's z (n × k) and its k × k lower-triangular Λ. */
function betweenGroupVariance(lambda: Float64Array, k: number, z: Float64Array, i: number, n: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) {
    // (Λ' z)_c = Σ_{r ≥ c} Λ[r, c] z_r
    let w = 0;
    for (let r = c; r < k; r++) w += lambda[r + c * k] * z[i + r * n];
    s += w * w;
  }
  return s;
}
