/**
 * The fitted linear mixed model: immutable results in lme4's vocabulary (fixef, vcov, VarCorr,
 * ranef, sigma, logLik, REMLcrit, isSingular), computed once from the optimum of the profiled
 * criterion.
 */
import type { ModelFrame } from "../model-frame/types.js";
import type { VarCorrRow } from "../inference/varcorr.js";

/** One fixed effect: estimate, standard error and Wald t statistic. */
export interface FixefRow {
  readonly term: string;
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
}

/** The conditional mode of one random effect and its conditional standard deviation. */
export interface RanefRow {
  readonly group: string;
  readonly term: string;
  readonly level: string;
  readonly condval: number;
  readonly condsd: number;
}

/** What the optimizer did. */
export interface OptimizerSummary {
  readonly name: string;
  readonly evaluations: number;
  /** The criterion at the optimum. */
  readonly criterion: number;
  readonly converged: boolean;
}

/** What every fitted mixed model has, linear or generalized. */
export interface MixedModelBase {
  readonly formula: string;
  /** gaussian (linear), binomial, poisson, or a family with a dispersion parameter: nbinom2, nbinom1, Gamma. */
  readonly family: "gaussian" | "binomial" | "poisson" | "nbinom2" | "nbinom1" | "Gamma";
  /** The link function: identity for linear models. */
  readonly link: string;
  /** "REML" or "ML" for linear models, "Laplace" or "AGQ(n)" for GLMMs. */
  readonly method: string;
  readonly frame: ModelFrame;
  readonly nobs: number;
  /** Levels per grouping factor, by lme4's names. */
  readonly ngroups: Readonly<Record<string, number>>;
  readonly fixefNames: readonly string[];
  /** β̂. */
  readonly beta: Float64Array;
  /** vcov(β̂), p × p column-major. */
  readonly vcov: Float64Array;
  readonly fixef: readonly FixefRow[];
  /** θ̂ in lme4's order. */
  readonly theta: Float64Array;
  /** Lower bounds of θ. */
  readonly lower: Float64Array;
  readonly sigma: number;
  readonly varcorr: readonly VarCorrRow[];
  /** Number of parameters: p + length(θ) + 1. */
  readonly npar: number;
  readonly logLik: number;
  readonly AIC: number;
  readonly BIC: number;
  /** The REML criterion (REML fits) or the deviance (ML and GLMM fits) at the optimum. */
  readonly criterion: { readonly name: "REML" | "deviance"; readonly value: number };
  readonly singular: boolean;
  readonly converged: boolean;
  readonly optimizer: OptimizerSummary;
  /** Intraclass correlation per grouping factor, for random-intercept models (else empty). */
  readonly icc: Readonly<Record<string, number>>;
  /** Fitted values on the response scale (μ). */
  readonly fitted: Float64Array;
  /** Response residuals y − μ. */
  readonly residuals: Float64Array;
  /** Warnings for the user: dropped rows, aliased columns, singular fit, convergence. */
  readonly messages: readonly string[];
  /** Seconds from the data in memory to the fitted model. */
  readonly fitSeconds: number;
  /** Conditional modes of the random effects with conditional standard deviations (computed on first use). */
  ranef(): readonly RanefRow[];
}

/** A fitted linear mixed model (family gaussian). */
export interface LinearMixedModel extends MixedModelBase {
  readonly family: "gaussian";
  readonly method: "REML" | "ML";
  /**
   * The profiled criterion (REML or deviance, as fitted, unless `reml` says otherwise) at another θ,
   * for profiling and inference.
   */
  devfun(theta: ArrayLike<number>, reml?: boolean): number;
  /**
   * The criterion at θ and σ without profiling σ out (lmerTest's `devfun_vp`):
   * log|L_θ|² + r²_θ/σ² + n log(2πσ²), plus log|R_X|² − p log(2πσ²) for REML.
   */
  devianceAt(theta: ArrayLike<number>, sigma: number, reml?: boolean): number;
  /** (X'V⁻¹X)⁻¹ up to σ² at another θ: R_X⁻¹R_X⁻ᵀ. */
  unscaledVcovAt(theta: ArrayLike<number>): Float64Array;
}
