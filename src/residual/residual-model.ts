/**
 * Options and results shared by the fits with residual structures (generalized least squares
 * and linear mixed models with correlated or heteroscedastic residuals, as nlme's gls and lme).
 */
import type { FixefRow, OptimizerSummary, RanefRow } from "../model/mixed-model.js";
import type { DataTable } from "../data/table.js";
import type { Message } from "../messages.js";
import type { ModelFrame } from "../model-frame/types.js";
import type { VarCorrRow } from "../terms/varcorr.js";
import type { CorrelationInput, VarianceInput } from "./parse-structure.js";
import type { StructureResult } from "./structure.js";

/** Options of fitGls and fitLmmResidual. */
export interface ResidualFitOptions {
  /** REML (default true) or ML. */
  readonly reml?: boolean;
  /** Columns to treat as categorical although they hold numbers. */
  readonly factors?: readonly string[];
  /** nlme correlation structure, e.g. `"corAR1(form = ~ Days | Subject)"`. */
  readonly correlation?: CorrelationInput;
  /** nlme variance function, e.g. `"varIdent(form = ~ 1 | Sex)"`. */
  readonly variance?: VarianceInput;
  /** Largest number of criterion evaluations (default 20000). */
  readonly maxEval?: number;
}

/** A fitted model with a residual structure: what gls and lme report. */
export interface ResidualModel {
  /** `"gls"` without random effects, `"lme"` with them. */
  readonly kind: "gls" | "lme";
  readonly formula: string;
  readonly method: "REML" | "ML";
  readonly frame: ModelFrame;
  readonly nobs: number;
  /** Levels per grouping factor (empty for gls). */
  readonly ngroups: Readonly<Record<string, number>>;
  readonly fixefNames: readonly string[];
  readonly beta: Float64Array;
  /** vcov(β̂), p × p column-major: σ² (X'V⁻¹X)⁻¹. */
  readonly vcov: Float64Array;
  readonly fixef: readonly FixefRow[];
  /** Residual standard deviation σ (of the reference stratum / unit covariate). */
  readonly sigma: number;
  /** lme4's θ (empty for gls). */
  readonly theta: Float64Array;
  /** b̂ per random-effects term of `frame.reterms` (empty for gls): level h's k values at h·k, in response units. */
  readonly ranef: readonly Float64Array[];
  /** VarCorr rows of the random effects and the residual (empty for gls). */
  readonly varcorr: readonly VarCorrRow[];
  readonly correlation: StructureResult | undefined;
  readonly variance: StructureResult | undefined;
  /** The structure parameters on the optimizer's unconstrained scale. */
  readonly structureParameters: Float64Array;
  /** Number of parameters: p + length(θ) + structure parameters + 1. */
  readonly npar: number;
  readonly logLik: number;
  /** −2 logLik + 2 npar. */
  readonly AIC: number;
  /** −2 logLik + npar log(N) for ML, log(N − p) for REML, as nlme. */
  readonly BIC: number;
  readonly converged: boolean;
  readonly optimizer: OptimizerSummary;
  /** Fitted values (for lme, at the innermost level: Xβ̂ + Zb̂). */
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  readonly messages: readonly Message[];
  readonly fitSeconds: number;
  /** The optimizer's parameters at the optimum: θ (on the optimizer's scale, lme only), then the structure's unconstrained parameters. */
  readonly optimum: Float64Array;
  /** Number of θ elements at the start of `optimum`. */
  readonly nthetaOptimum: number;
  /** The profiled criterion (−2 log-likelihood or REML criterion) at other optimizer parameters (fitted values held for `fitted(.)` covariates). */
  criterionAt(x: ArrayLike<number>): number;
  /**
   * The pieces of the covariance of β̂ at other optimizer parameters x (fitted values held as in
   * `criterionAt`): r² (the penalized residual sum of squares of the whitened response) and
   * (X'V⁻¹X)⁻¹ on the optimizer's scale, so that vcov(β̂) = σ² (X'V⁻¹X)⁻¹ with σ² on that scale;
   * and the scale g of the variance multipliers there (σ of the model = σ on the optimizer's
   * scale / g); undefined where the structure is not valid.
   */
  covarianceAt(x: ArrayLike<number>): { r2: number; unscaledVcov: Float64Array; scale: number } | undefined;
  /**
   * VarCorr rows of the random effects (no residual row) at other optimizer parameters x, with σ
   * on the optimizer's scale (σ² = r²/ν there); empty for gls. The random effects' covariance
   * σ² Λ(θ)Λ(θ)' does not depend on the scale g, so these are in response units.
   */
  varcorrAt(x: ArrayLike<number>, sigma: number): readonly VarCorrRow[];
  /** Covariance of each term's random effects (k × k column-major), per term of `frame.reterms` (empty for gls). */
  readonly ranefCovariance: readonly Float64Array[];
  /**
   * Conditional covariance of each term's random effects given the data (with β at β̂):
   * Var(b_t | y) = Σ_t − Σ_t Z_t' V⁻¹ Z_t Σ_t for one grouping factor, in general
   * σ² Λ (Λ'Z'Λ(ϱ)⁻¹ZΛ + I)⁻¹ Λ' read per level; per term of `frame.reterms`, k × k
   * column-major blocks level after level (level h at h·k²), in response units (empty for gls).
   * Computed on first call.
   */
  condVar(): readonly Float64Array[];
  /**
   * b̂ with its conditional standard deviations (√diag of condVar), one row per term, column
   * and level in lme4's `as.data.frame(ranef(fit, condVar = TRUE))` order, as the LMM's ranef();
   * empty for gls. Computed on first call.
   */
  ranefRows(): readonly RanefRow[];
  /**
   * The variance function's standard-deviation multipliers wᵢ of other rows (sd = σ wᵢ), for
   * table rows `rows` of new data, with `fitted` the rows' predicted means (for `fitted(.)`);
   * 1 without a variance function, NaN where the row's covariate or stratum is missing.
   */
  varianceMultipliers(table: DataTable, rows: Int32Array, fitted: Float64Array): Float64Array;
  /** Replace independent standard normal draws e (one per model-frame row) by residuals with the fitted covariance σ²Λ(ϱ̂). */
  colourResiduals(e: Float64Array): void;
  /** nlme's constrained values of unconstrained structure parameters u. */
  natural(u: Float64Array): { correlation: number[]; variance: number[] };
}
