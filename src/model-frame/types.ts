/**
 * What the model frame hands the fitting engines: the response, the fixed-effects matrix X and
 * one grouping factor plus per-row model matrix for each random-effects term, all on the rows
 * that survive missing-value removal.
 */
import type { Formula } from "../formula/ast.js";
import type { Message } from "../messages.js";

/** A grouping factor: its levels and the 0-based level of each used row. */
export interface GroupingFactor {
  /** lme4's name, e.g. `Subject` or `cask:batch`. */
  readonly name: string;
  readonly levels: readonly string[];
  readonly refs: Int32Array;
}

/** One random-effects term evaluated on the data (lme4's `reTrms` entry for it). */
export interface ReTermFrame {
  readonly group: GroupingFactor;
  /** Names of the term's columns, lme4's `cnms`, e.g. `["(Intercept)", "Days"]`. */
  readonly cnms: readonly string[];
  /** The per-row model matrix of the term: n × cnms.length, column-major. */
  readonly z: Float64Array;
  /** False for the terms that `||` split apart. */
  readonly correlated: boolean;
  /** The covariance structure of the term's random effects (`us` when absent; see terms/covariance). */
  readonly structure?: string;
}

/** The response: a numeric vector, or successes and trials for binomial data. */
export interface ResponseFrame {
  /** The response as written, e.g. `Reaction` or `cbind(incidence, size - incidence)`. */
  readonly label: string;
  /** The response values (for `cbind(s, f)` the proportion s / (s + f)). */
  readonly y: Float64Array;
  /** Binomial trials per row for `cbind(s, f)` responses; undefined otherwise. */
  readonly trials: Float64Array | undefined;
  /** For a two-level categorical response: its levels (the second is success, coded 1). */
  readonly levels: readonly string[] | undefined;
}

/** The model frame: everything a fit needs, on the used rows only. */
export interface ModelFrame {
  readonly formula: Formula;
  /** Number of rows used. */
  readonly n: number;
  /** Rows of the input dropped because a variable the formula uses was missing there. */
  readonly dropped: number;
  /** Index into the input of each used row. */
  readonly rows: Int32Array;
  readonly response: ResponseFrame;
  /** Fixed-effects model matrix, n × fixefNames.length, column-major; aliased columns removed. */
  readonly X: Float64Array;
  readonly fixefNames: readonly string[];
  /** Columns of the full X dropped because they were linear combinations of earlier ones. */
  readonly aliased: readonly string[];
  /** Sum of the `offset(...)` terms per row, or undefined when there are none. */
  readonly offset: Float64Array | undefined;
  /** Random-effects terms in the order the formula gives them (`||` terms split). */
  readonly reterms: readonly ReTermFrame[];
  /** Warnings for the user (rows dropped, columns aliased). */
  readonly messages: readonly Message[];
  /** Prior weights per used row (the `weights` option), or undefined when none were given. */
  readonly weights?: Float64Array | undefined;
  /** What the data-dependent parts of the frame learnt from the fitted rows, for new data. */
  readonly transforms?: FrameTransforms;
}

/**
 * The parameters a data-dependent call learnt from the rows of the fit, so that new data are
 * evaluated with the same numbers (R keeps these as `predvars`).
 */
export type FittedTransform =
  /** `scale(x)`: (x - center) / scale. */
  | { readonly kind: "scale"; readonly center: number; readonly scale: number }
  /** `center(x)`: x - center. */
  | { readonly kind: "center"; readonly center: number }
  /**
   * `poly(x, degree)`: the three-term recurrence of R's `poly` on x - xbar: p0 = 1,
   * p1 = (x - xbar) - alpha[0], p(k+1) = ((x - xbar) - alpha[k]) p(k) - (norm2[k] / norm2[k-1]) p(k-1),
   * column k = p(k) / sqrt(norm2[k]); norm2[0] = n.
   */
  | {
      readonly kind: "poly";
      readonly degree: number;
      readonly xbar: number;
      readonly alpha: readonly number[];
      readonly norm2: readonly number[];
    }
  /** `center(x, g)` and `groupmean(x, g)`: the mean of x in each level of g seen in the fit. */
  | {
      readonly kind: "groupmean";
      readonly levels: readonly string[];
      readonly means: readonly number[];
    };

/** Everything {@link ModelFrame} learnt from the data that new data must reuse. */
export interface FrameTransforms {
  /** Fitted data-dependent calls, keyed by the call as R deparses it, e.g. `scale(x)`. */
  readonly calls: ReadonlyMap<string, FittedTransform>;
  /** Levels of each categorical variable of X and of the random-effects terms, by label. */
  readonly xlevels: ReadonlyMap<string, readonly string[]>;
  /** Names of every column of X before aliased columns were dropped. */
  readonly fullFixefNames: readonly string[];
}
