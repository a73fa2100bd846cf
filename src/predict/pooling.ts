/**
 * Complete, no and partial pooling of a one-factor linear mixed model (Gelman and Hill 2007,
 * Data Analysis Using Regression and Multilevel/Hierarchical Models, ch. 12).
 *
 * For a model y ~ x + (x | g), each group j gets three estimates of its intercept and slopes:
 * - complete pooling: one regression on all rows, β̂ = (X'X)⁻¹X'y, the same for every group;
 * - no pooling: a separate regression y ~ x on the group's rows alone (lm per group);
 * - partial pooling: the mixed model's coef(), β̂ + b̂_j, the no-pooling estimate shrunk towards
 *   the population one, the more so the fewer and noisier the group's rows.
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { noPoolingMessage, poolingModelMessage } from "./messages.js";
import { message, type Message } from "../messages.js";
import { leastSquares } from "../linalg/least-squares.js";
import { termModes } from "./term-effects.js";

/** The three estimates for one group. */
export interface PoolingGroup {
  /** The group's level. */
  readonly level: string;
  /** Rows of the fit in the group. */
  readonly n: number;
  /** Complete pooling: the regression on all rows (the same for every group). */
  readonly complete: readonly number[];
  /** No pooling: the regression on the group's rows, or null when they cannot support it. */
  readonly none: readonly number[] | null;
  /** Partial pooling: the mixed model's coefficients for the group, fixef + ranef. */
  readonly partial: readonly number[];
}

/** Pooling estimates for every group of a one-factor model. */
export interface Pooling {
  /** The grouping factor. */
  readonly group: string;
  /** Names of the coefficients, the model's fixed effects. */
  readonly coefficients: readonly string[];
  /** Complete pooling on all rows. */
  readonly complete: readonly number[];
  /** One entry per level of the grouping factor, in the fit's level order. */
  readonly groups: readonly PoolingGroup[];
  /** Notes, e.g. groups without a no-pooling estimate. */
  readonly messages: readonly Message[];
}

/**
 * Complete-, no- and partial-pooling estimates for each group of a linear mixed model with one
 * grouping factor, such as `y ~ x + (1 | g)` or `y ~ x + (x | g)`.
 *
 * No pooling regresses y on all the fixed-effect columns within each group (R's
 * `lm(y ~ x, subset = g == j)`); a group with fewer rows than coefficients, or whose predictors do
 * not vary, gets null and a note. Partial pooling is lme4's `coef(fit)`.
 *
 * @param m - a fitted linear mixed model with one grouping factor whose random-effect columns are
 *   all fixed effects too.
 * @returns the estimates per group.
 * @throws MlmError for a GLMM, several grouping factors, or a random effect that is not a fixed effect.
 * @example
 * ```ts
 * const pl = pooling(sleepstudyFit);
 * pl.complete;  // [251.405, 10.467]
 * pl.groups[0]; // { level: "308", n: 10, complete: [251.405, 10.467], none: [244.193, 21.765], partial: [253.664, 19.666] }
 * ```
 */
export function pooling(m: MixedModel): Pooling {
  const frame = m.frame;
  if (m.kind !== "lmm") throw new MlmError(poolingModelMessage(`it is a ${m.family.name} model`));
  const groups = [...new Set(frame.reterms.map((t) => t.group.name))];
  if (groups.length !== 1) throw new MlmError(poolingModelMessage(`it has ${groups.length} grouping factors (${groups.join(", ")})`));
  const names = frame.fixefNames;
  for (const t of frame.reterms) {
    const missing = t.cnms.find((c) => !names.includes(c));
    if (missing !== undefined) throw new MlmError(poolingModelMessage(`its random effect ${missing} is not among the fixed effects`));
  }
  const n = frame.n;
  const p = names.length;
  const y = frame.response.y;
  const refs = frame.reterms[0].group.refs;
  const levels = frame.reterms[0].group.levels;

  const complete = leastSquares(frame.X, n, p, y)?.beta ?? null;
  if (complete === null) throw new Error("The fixed-effects matrix of a fitted model is rank deficient.");
  const completeArr = Array.from(complete);

  const byLevel: number[][] = levels.map(() => []);
  for (let i = 0; i < n; i++) byLevel[refs[i]].push(i);

  // partial pooling: β̂ + b̂ of every term of the factor
  const partial = levels.map(() => Array.from(m.beta));
  const modes = termModes(m);
  frame.reterms.forEach((term, t) => {
    const k = term.cnms.length;
    const cols = term.cnms.map((c) => names.indexOf(c));
    for (let h = 0; h < levels.length; h++) for (let j = 0; j < k; j++) partial[h][cols[j]] += modes[t].b[h * k + j];
  });

  const small: string[] = [];
  const out: PoolingGroup[] = levels.map((level, h) => {
    const none = leastSquares(frame.X, n, p, y, { rows: byLevel[h] })?.beta ?? null;
    if (none === null) small.push(level);
    return { level, n: byLevel[h].length, complete: completeArr, none: none && Array.from(none), partial: partial[h] };
  });
  const messages = small.length > 0 ? [message("no-pooling-estimates", noPoolingMessage(small, p), "note")] : [];
  return { group: groups[0], coefficients: names, complete: completeArr, groups: out, messages };
}
