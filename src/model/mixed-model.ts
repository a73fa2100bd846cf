/**
 * The fitted mixed model: one type for linear and generalized models, discriminated by `kind`,
 * with lme4's vocabulary (fixef, vcov, VarCorr, ranef, sigma, logLik, REMLcrit, isSingular).
 * Every field is computed once at the optimum and never changes: arrays are frozen copies and
 * the methods that evaluate the criterion elsewhere do not disturb what the model returns.
 */
import type { Family } from "../family/index.js";
import type { Message } from "../messages.js";
import type { ModelFrame } from "../model-frame/types.js";
import type { RandomEffects, RanefRow } from "../terms/random-effects.js";
import type { VarCorrRow } from "../terms/varcorr.js";

export type { RanefRow } from "../terms/random-effects.js";

/** One fixed effect: estimate, standard error and Wald statistic. */
export interface FixefRow {
  readonly term: string;
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
}

/** A progress callback of a fit: the evaluations of the criterion so far and the latest value. */
export type FitProgress = (progress: { readonly evaluations: number; readonly criterion: number }) => void;

/** What the optimizer did. */
export interface OptimizerSummary {
  readonly name: string;
  readonly evaluations: number;
  /** The criterion at the optimum. */
  readonly criterion: number;
  readonly converged: boolean;
}

/**
 * What every fitted mixed model has, linear or generalized. Array fields hand out a fresh copy
 * on each read (hoist them out of loops).
 */
export interface MixedModelBase {
  /** "lmm" for linear mixed models, "glmm" for generalized ones. */
  readonly kind: "lmm" | "glmm";
  readonly formula: string;
  /** The response distribution and link (Gaussian with identity link for linear models). */
  readonly family: Family;
  /** "REML" or "ML" for linear models; "Laplace", "AGQ" or "nAGQ=0" for GLMMs. */
  readonly method: string;
  readonly frame: ModelFrame;
  /** The random-effects layer: terms in fitted order, θ's layout, Λ(θ), VarCorr. */
  readonly randomEffects: RandomEffects;
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
  /** Residual standard deviation (1 for families without a scale). */
  readonly sigma: number;
  readonly varcorr: readonly VarCorrRow[];
  /** Number of parameters: p + length(θ) (+ 1 for σ). */
  readonly npar: number;
  readonly logLik: number;
  readonly AIC: number;
  readonly BIC: number;
  /** The REML criterion (REML fits) or the deviance (ML and GLMM fits) at the optimum. */
  readonly criterion: { readonly name: "REML" | "deviance"; readonly value: number };
  readonly singular: boolean;
  readonly converged: boolean;
  readonly optimizer: OptimizerSummary;
  /** Intraclass correlation per grouping factor, for random-intercept linear models (else empty). */
  readonly icc: Readonly<Record<string, number>>;
  /** Fitted values on the response scale (μ). */
  readonly fitted: Float64Array;
  /** Response residuals y − μ. */
  readonly residuals: Float64Array;
  /** Warnings and notes: dropped rows, aliased columns, singular fit, convergence. */
  readonly messages: readonly Message[];
  /** Seconds from the data in memory to the fitted model. */
  readonly fitSeconds: number;
  /** Conditional modes of the random effects with conditional standard deviations (computed on first use). */
  ranef(): readonly RanefRow[];
}

/** The cross products of a linear model's random effects and fixed effects, dense and column-major. */
export interface DenseCrossProducts {
  /** Number of random effects. */
  readonly q: number;
  /** Z'Z, q × q (random effects in fitted order). */
  readonly C: Float64Array;
  /** Z'X, q × p. */
  readonly ZX: Float64Array;
  /** X'X, p × p. */
  readonly XX: Float64Array;
}

/** A fitted linear mixed model (Gaussian family, identity link). */
export interface LinearMixedModel extends MixedModelBase {
  readonly kind: "lmm";
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
  /**
   * The pieces of the criterion at another θ from one factorisation: log|L_θ|², log|R_X|², the
   * penalised residual sum of squares r²_θ and R_X⁻¹R_X⁻ᵀ; undefined where L cannot be formed.
   * The deviance at (θ, σ) is log|L_θ|² + r²_θ/σ² + n log(2πσ²) − Σ log wᵢ (REML adds
   * log|R_X|² − p log(2πσ²)), so derivatives in σ are analytic (Satterthwaite's df use this).
   */
  criterionPartsAt(theta: ArrayLike<number>): CriterionParts | undefined;
  /** Z'Z, Z'X and X'X (of the weighted rows) as new dense matrices, from the fit's cross products. */
  crossProducts(): DenseCrossProducts;
}

/** The θ-dependent pieces of a linear mixed model's criterion (see `criterionPartsAt`). */
export interface CriterionParts {
  /** log|L_θ|². */
  readonly logdetL: number;
  /** log|R_X|². */
  readonly logdetRX: number;
  /** The penalised residual sum of squares r²_θ. */
  readonly pwrss: number;
  /** (X'V⁻¹X)⁻¹ up to σ²: R_X⁻¹R_X⁻ᵀ (p × p, column-major). */
  readonly unscaledVcov: Float64Array;
}

/** A fitted generalized linear mixed model. */
export interface GeneralizedLinearMixedModel extends MixedModelBase {
  readonly kind: "glmm";
  readonly method: "Laplace" | "AGQ" | "nAGQ=0";
  /** Quadrature points: 1 for the Laplace approximation, 0 for lme4's nAGQ = 0. */
  readonly nAGQ: number;
  /** The linear predictor η = offset + Xβ + Zb per row. */
  readonly eta: Float64Array;
  /**
   * The approximate deviance at (θ, β) (the optimisation criterion of the second stage); for a
   * family with a dispersion parameter also at (θ, β, log σ), σ̂ when log σ is left out.
   */
  devfun(thetaBeta: ArrayLike<number>): number;
  /** The estimated dispersion of a family that has one (nbinom2, nbinom1, Gamma). */
  readonly dispersion?: DispersionEstimate;
}

/** The estimated dispersion of a fit, as glmmTMB's sigma() reports it. */
export interface DispersionEstimate {
  /** "θ" (nbinom2), "α" (nbinom1) or "σ" (Gamma). */
  readonly symbol: string;
  /** σ̂ (also the model's `sigma`). */
  readonly value: number;
  /** Standard error of log σ̂ (from the same Hessian as vcov(β̂)), or NaN when not available. */
  readonly seLog: number;
}

/** A fitted mixed model of any kind. */
export type MixedModel = LinearMixedModel | GeneralizedLinearMixedModel;

/**
 * Fixed-effect rows from β̂ and vcov.
 *
 * @param names - fixed-effect names.
 * @param beta - β̂.
 * @param vcov - p × p column-major.
 * @returns estimate, standard error and t (or z) statistic per effect, each row frozen.
 * @example
 * ```ts
 * fixefRows(["(Intercept)"], Float64Array.of(2), Float64Array.of(0.25)); // [{ term: "(Intercept)", estimate: 2, se: 0.5, statistic: 4 }]
 * ```
 */
export function fixefRows(names: readonly string[], beta: Float64Array, vcov: Float64Array): FixefRow[] {
  const p = beta.length;
  return names.map((term, j) => {
    const se = Math.sqrt(vcov[j + j * p]);
    return Object.freeze({ term, estimate: beta[j], se, statistic: beta[j] / se });
  });
}

/** A base whose constructor returns the object it is given, so that a subclass adds its private fields to that object. */
class Stamp {
  constructor(target: object) {
    return target as Stamp;
  }
}

/**
 * The private arrays of a sealed model, in a private field stamped onto the model (a WeakMap
 * from models to arrays cost a third of sealing a small fit, and more in garbage collection).
 */
class SealedArrays extends Stamp {
  readonly #arrays: Readonly<Record<string, Float64Array>>;

  constructor(model: object, arrays: Readonly<Record<string, Float64Array>>) {
    super(model);
    this.#arrays = arrays;
  }

  /** The arrays of a sealed model (a TypeError for any other object). */
  static of(model: object): Readonly<Record<string, Float64Array>> {
    return (model as SealedArrays).#arrays;
  }
}
/**
 * A function that seals models with the given array fields, so that nothing a user reaches can
 * change what a model later returns: each array field is a getter that hands out a fresh copy of
 * a private array (typed arrays cannot be frozen), and the model is frozen. Built once per kind of
 * model: its getters are shared by every model it seals, so that those models share one hidden
 * class in V8 (fast reads of every field, and a cheap freeze).
 *
 * The fields object itself becomes the model, so that nothing is copied: pass a fresh object
 * that only the fit holds, built as one literal and extended by assignments (copying 30 fields
 * by key onto a new object leaves V8 a slow dictionary-mode object, which also slows every later
 * read of a field; a prototype of getters would give every frozen model a hidden class of its own).
 *
 * @param keys - the names of the array fields.
 * @returns `seal(fields, arrays)`: freezes `fields` (none of its own fields named as an array field) in place, with an own getter per array field
 *   that hands out a fresh copy of the array; the model takes the arrays over (nothing else may
 *   write them afterwards: pass arrays that only the fit holds).
 * @example
 * ```ts
 * const seal = modelSealer(["beta"]);
 * const m = seal({ n: 2 }, { beta: Float64Array.of(1, 2) });
 * m.beta[0] = 9;
 * m.beta[0]; // 1
 * [Object.keys(m), Object.isFrozen(m)]; // [["n", "beta"], true]
 * ```
 */
export function modelSealer<K extends string>(keys: readonly K[]): <F extends object>(fields: F, arrays: Readonly<Record<K, Float64Array>>) => F & Readonly<Record<K, Float64Array>> {
  const getters = keys.map(
    (key): PropertyDescriptor => ({
      get(this: object): Float64Array {
        return SealedArrays.of(this)[key].slice();
      },
      enumerable: true,
    }),
  );
  return <F extends object>(fields: F, arrays: Readonly<Record<K, Float64Array>>) => {
    new SealedArrays(fields, arrays);
    // one defineProperty per key: a third faster than defineProperties with the same descriptors
    for (let i = 0; i < keys.length; i++) Object.defineProperty(fields, keys[i], getters[i]);
    return Object.freeze(fields) as F & Readonly<Record<K, Float64Array>>;
  };
}
