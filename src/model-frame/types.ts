/**
 * What the model frame hands the fitting engines: the response, the fixed-effects matrix X and
 * one grouping factor plus per-row model matrix for each random-effects term, all on the rows
 * that survive missing-value removal.
 */
import type { Formula } from "../formula/ast.js";

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
  readonly messages: readonly string[];
}
