/**
 * One entry for fitting: `fit(formula, data, options)` builds the model frame and fits a linear
 * mixed model (Gaussian family, REML by default) or a generalized one (any other family),
 * so that the CLI, the studio and library users choose a model by its options alone.
 */
import { MlmError } from "../errors.js";
import type { DataInput } from "../data/data-input.js";
import { toDataTable } from "../data/to-data-table.js";
import { makeFamily, type FamilyName, type LinkName } from "../family/index.js";
import type { Formula } from "../formula/ast.js";
import { parseFormula } from "../formula/index.js";
import { fitGlmmFrame } from "../glmm/fit-glmm.js";
import { fitLmmFrame } from "../lmm/fit-lmm.js";
import { modelFrame } from "../model-frame/index.js";
import type { ModelFrame } from "../model-frame/types.js";
import type { FitProgress, MixedModel } from "../model/mixed-model.js";
import { fitResidualFrame, type ResidualStructureOptions } from "./fit-residual.js";
import type { CorrelationInput, VarianceInput } from "../residual/parse-structure.js";
import type { ResidualModel } from "../residual/residual-model.js";

/** Options of {@link fit}. */
export interface FitOptions {
  /** The response distribution: `gaussian` (default, a linear mixed model), `binomial`, `poisson`, …. */
  readonly family?: FamilyName;
  /** The link function (default: the family's canonical one). */
  readonly link?: LinkName;
  /** Linear models: fit by REML (default true) or maximum likelihood (false). */
  readonly reml?: boolean;
  /** GLMMs: quadrature points, 1 (Laplace, default) up to 25 for one scalar random effect; 0 for lme4's nAGQ = 0. */
  readonly nAGQ?: number;
  /** Column of prior weights (binomial trials for proportions; σ² / w for linear models). */
  readonly weights?: string;
  /** Columns to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
  /** Largest number of criterion evaluations (per stage for GLMMs; default 10000). */
  readonly maxEval?: number;
  /** Called after each evaluation of the criterion (for progress displays of long fits). */
  readonly onProgress?: FitProgress;
}

/**
 * Fit a mixed model: linear (the default Gaussian family) or generalized.
 *
 * @param formula - an lme4 formula such as `"Reaction ~ Days + (Days | Subject)"`.
 * @param data - columns, rows, an Arrow-like table, or a DataTable.
 * @param options - family, link, REML/ML, nAGQ, weights, categorical columns.
 * @returns the fitted model; `kind` tells a linear ("lmm") from a generalized ("glmm") one.
 * @throws MlmError for bad formulas, data, options or models.
 * @example
 * ```ts
 * const m = fit("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * m.kind;                 // "lmm"
 * m.fixef[1].estimate;    // 10.467
 * fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, { family: "binomial", factors: ["period"] }).kind; // "glmm"
 * fit("Reaction ~ Days + (1 | Subject)", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }).kind; // "lme" (nlme's residual structures)
 * ```
 */
export function fit(formula: string | Formula, data: DataInput, options: FitOptions & ResidualStructureOptions): ResidualModel;
export function fit(formula: string | Formula, data: DataInput, options?: FitOptions): MixedModel;
export function fit(formula: string | Formula, data: DataInput, options: FitOptions & Partial<{ correlation: CorrelationInput; variance: VarianceInput }> = {}): MixedModel | ResidualModel {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const table = toDataTable(data, { factors: options.factors });
  // nlme's residual structures (correlation, variance): gls or lme, see src/residual
  if (options.correlation !== undefined || options.variance !== undefined) return fitResidualFrame(modelFrame(f, table), table, options, t0);
  return fitFrame(modelFrame(f, table, options.weights ? { weights: options.weights } : undefined), options, t0);
}

/**
 * Fit a mixed model to a model frame already built (see {@link fit}).
 *
 * @param frame - the model frame.
 * @param options - as {@link fit} (`factors` and `weights` were used building the frame).
 * @param t0 - `performance.now()` when the work started (the model's `fitSeconds` counts from it).
 * @returns the fitted model.
 * @throws MlmError for options that do not fit the family, or a model that cannot be fitted.
 * @example
 * ```ts
 * fitFrame(modelFrame(parseFormula("Yield ~ 1 + (1 | Batch)"), dyestuff), { reml: false }).method; // "ML"
 * ```
 */
export function fitFrame(frame: ModelFrame, options: FitOptions = {}, t0 = performance.now()): MixedModel {
  const family = makeFamily(options.family ?? "gaussian", options.link);
  if (family.hasScale) {
    if (options.nAGQ !== undefined && options.nAGQ !== 1) {
      throw new MlmError("Quadrature points (nAGQ) apply to generalized models only; a linear mixed model's likelihood is exact, so drop nAGQ or choose a family such as binomial.");
    }
    return fitLmmFrame(frame, { reml: options.reml, maxEval: options.maxEval, onProgress: options.onProgress }, t0);
  }
  if (options.reml === true) {
    throw new MlmError(`REML applies to linear mixed models only; a ${family.name} model is fitted by maximum likelihood, so drop the REML option.`);
  }
  return fitGlmmFrame(frame, { family: family.name, link: family.link.name, nAGQ: options.nAGQ, maxEval: options.maxEval, onProgress: options.onProgress }, t0);
}
