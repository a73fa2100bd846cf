/**
 * The response of a model on the used rows: a numeric expression, a two-level categorical
 * (0 for the first level, 1 for the second, as R's `glm` codes a factor response), or
 * `cbind(successes, failures)`, giving y = s / (s + f) (0 where s + f = 0, as R does) and trials
 * s + f.
 */
import type { Expr } from "../formula/ast.js";
import { MlmError } from "../errors.js";
import { deparse } from "../formula/deparse.js";
import { evaluateExpr, requireFinite, type EvalContext } from "./evaluate.js";
import { categoricalLinearResponseMessage, negativeCountsMessage, responseLevelsMessage } from "./messages.js";
import type { ResponseFrame } from "./types.js";

/**
 * Evaluates the response.
 *
 * @param e - the left-hand side of the formula.
 * @param ctx - data and used rows (fit mode).
 * @returns the response frame.
 * @throws MlmError for a categorical response with more than two levels, negative counts, or
 *   non-finite values.
 * @example
 * ```ts
 * import { parseExpression } from "../formula/parser.js";
 * // cbind(incidence, size - incidence) on cbpp's first two rows (2 of 14, 3 of 12)
 * const ctx = { data: cbpp, rows: Int32Array.of(0, 1), mode: "fit" as const, calls: new Map() };
 * evaluateResponse(parseExpression("cbind(incidence, size - incidence)"), ctx); // { y: Float64Array [0.142857, 0.25], trials: Float64Array [14, 12] }
 * ```
 */
export function evaluateResponse(
  e: Expr,
  ctx: EvalContext,
): ResponseFrame {
  const label = deparse(e);
  let inner: Expr = e;
  while (inner.kind === "paren") inner = inner.inner;
  if (inner.kind === "call" && inner.fn === "cbind") {
    const v = evaluateExpr(inner, ctx);
    if (v.kind !== "numeric") throw new Error("cbind gave a categorical value.");
    const [s, f] = v.columns;
    requireFinite(deparse(inner.args[0]), s, ctx.rows);
    requireFinite(deparse(inner.args[1]), f, ctx.rows);
    const y = new Float64Array(s.length);
    const trials = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) {
      if (s[i] < 0 || f[i] < 0) throw new MlmError(negativeCountsMessage(label));
      trials[i] = s[i] + f[i];
      y[i] = trials[i] === 0 ? 0 : s[i] / trials[i];
    }
    return { label, y, trials, levels: undefined };
  }
  const v = evaluateExpr(e, ctx);
  if (v.kind === "numeric") {
    if (v.columns.length !== 1) {
      throw new MlmError(`The response '${label}' has ${v.columns.length} columns; use one column or cbind(successes, failures).`);
    }
    requireFinite(label, v.columns[0], ctx.rows);
    return { label, y: v.columns[0], trials: undefined, levels: undefined };
  }
  const seen = new Set<number>(v.codes);
  const observed = v.levels.filter((_, k) => seen.has(k));
  // unused levels are dropped (as R's model.frame does), but a two-level column keeps both
  const levels = v.levels.length === 2 ? v.levels : observed;
  if (levels.length > 2) throw new MlmError(responseLevelsMessage(label, levels));
  const success = levels.length === 2 ? v.levels.indexOf(levels[1]) : -1;
  const y = new Float64Array(v.codes.length);
  for (let i = 0; i < y.length; i++) y[i] = v.codes[i] === success ? 1 : 0;
  return { label, y, trials: undefined, levels };
}


/**
 * Refuses a categorical response for a linear model (lme4's `lmer` stops on a factor response;
 * coding it 0/1 silently would fit a linear probability model nobody asked for).
 *
 * @param response - the evaluated response.
 * @throws MlmError suggesting `--family binomial` when the response has levels.
 * @example
 * ```ts
 * requireNumericResponse({ label: "passed", y: Float64Array.of(0, 1), trials: undefined, levels: ["no", "yes"] });
 * // throws MlmError: The response 'passed' is categorical (levels no, yes), so a linear model cannot fit it; …
 * requireNumericResponse({ label: "Reaction", y: Float64Array.of(249.56, 258.7), trials: undefined, levels: undefined }); // undefined
 * ```
 */
export function requireNumericResponse(response: ResponseFrame): void {
  if (response.levels !== undefined) throw new MlmError(categoricalLinearResponseMessage(response.label, response.levels));
}
