/**
 * The residual-structure branch of the library's `fit()`: nlme's gls without random-effects
 * terms, nlme's lme with them (see fit-gls.ts and fit-lmm-residual.ts).
 */
import { MlmError } from "../errors.js";
import type { DataTable } from "../data/table.js";
import type { ModelFrame } from "../model-frame/types.js";
import { fitGlsFrame } from "../residual/fit-gls.js";
import { fitLmmResidualFrame } from "../lmm/fit-lmm-residual.js";
import type { CorrelationInput, VarianceInput } from "../residual/parse-structure.js";
import type { ResidualModel } from "../residual/residual-model.js";

/** The options that make `fit()` fit a residual structure: at least one of the two. */
export type ResidualStructureOptions =
  | { readonly correlation: CorrelationInput; readonly variance?: VarianceInput }
  | { readonly correlation?: CorrelationInput; readonly variance: VarianceInput };

/**
 * Fit gls or lme with a residual structure to a model frame.
 *
 * @param frame - the model frame.
 * @param table - the data it was built from.
 * @param options - the structure, REML or ML, and the other options of `fit()` (which must not ask for a GLMM or prior weights).
 * @param t0 - when the fit started.
 * @returns the fitted model (`kind` "gls" or "lme").
 * @throws MlmError for options that do not combine with a residual structure.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("Reaction ~ Days + (1 | Subject)"), sleepstudy);
 * fitResidualFrame(frame, sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }).kind; // "lme"
 * fitResidualFrame(frame, sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)", family: "poisson" }); // throws MlmError: Residual correlation and variance structures apply to linear models; drop the family or the structure.
 * ```
 */
export function fitResidualFrame(
  frame: ModelFrame,
  table: DataTable,
  options: { correlation?: CorrelationInput; variance?: VarianceInput; reml?: boolean; family?: string; weights?: string; nAGQ?: number; maxEval?: number },
  t0 = performance.now(),
): ResidualModel {
  if (options.family !== undefined && options.family !== "gaussian") throw new MlmError("Residual correlation and variance structures apply to linear models; drop the family or the structure.");
  if (options.weights !== undefined) throw new MlmError("Prior weights do not combine with a residual structure; express unequal variances with a variance function such as varIdent.");
  if (options.nAGQ !== undefined && options.nAGQ !== 1) throw new MlmError("Quadrature points (nAGQ) apply to generalized models only; drop nAGQ.");
  const opts = { reml: options.reml, correlation: options.correlation, variance: options.variance, maxEval: options.maxEval };
  return frame.reterms.length === 0 ? fitGlsFrame(frame, table, opts, t0) : fitLmmResidualFrame(frame, table, opts, t0);
}
