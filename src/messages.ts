/**
 * Warnings and notes that fitted models attach to their results (`model.messages`), collected
 * in one place so their wording stays consistent. Each is data: a stable code, a severity and
 * the sentence for the user; the CLI and the studio decide how to show them. Errors are thrown
 * as `MlmError` at their source.
 */

/** The stable codes of the messages a result can carry. */
export type MessageCode =
  | "rows-dropped"
  | "aliased-columns"
  | "singular-fit"
  | "not-converged"
  | "hessian-not-positive-definite"
  | "separation"
  | "non-integer-successes"
  | "new-levels"
  | "missing-predictor"
  | "no-pooling-estimates"
  | "duplicated-term"
  | "boundary"
  | "no-rows"
  | "dispersion-at-bound";

/** How much a message matters: a warning may make results wrong; a note is information. */
export type MessageSeverity = "warning" | "note";

/** A warning or note attached to a result. */
export interface Message {
  readonly code: MessageCode;
  readonly severity: MessageSeverity;
  readonly text: string;
}

/**
 * A message as data.
 *
 * @param code - its stable code.
 * @param text - the sentence for the user.
 * @param severity - "warning" (default) or "note".
 * @returns a frozen message.
 * @example
 * ```ts
 * message("rows-dropped", "2 rows were dropped.", "note"); // { code: "rows-dropped", severity: "note", text: "2 rows were dropped." }
 * ```
 */
export function message(code: MessageCode, text: string, severity: MessageSeverity = "warning"): Message {
  return Object.freeze({ code, severity, text });
}

/**
 * The singular-fit warning.
 *
 * @param terms - the random-effects terms whose variance (or correlation) reached its boundary.
 * @returns the warning.
 * @example
 * ```ts
 * singularFitMessage(["Batch"]).text;
 * // "Singular fit: the variance of the random effects for Batch is estimated as zero (or a correlation as ±1), …"
 * ```
 */
export function singularFitMessage(terms: readonly string[]): Message {
  return message(
    "singular-fit",
    `Singular fit: the variance of the random effects for ${terms.join(", ")} is estimated as zero ` +
    `(or a correlation as ±1), so the data do not support that part of the model; ` +
    `consider simplifying the random effects (lme4 would report isSingular = TRUE).`,
  );
}

/**
 * The warning for an optimizer that stopped before converging.
 *
 * @param evaluations - evaluations used.
 * @returns the warning.
 * @example
 * ```ts
 * notConvergedMessage(1000).text; // "The optimizer stopped after 1000 evaluations without converging; …"
 * ```
 */
export function notConvergedMessage(evaluations: number): Message {
  return message(
    "not-converged",
    `The optimizer stopped after ${evaluations} evaluations without converging; the estimates may not be ` +
    `the maximum likelihood: simplify the model, rescale predictors, or raise the evaluation limit.`,
  );
}

/**
 * The warning for a GLMM whose deviance Hessian is not positive definite at the optimum.
 *
 * @returns the warning.
 * @example
 * ```ts
 * hessianMessage().code; // "hessian-not-positive-definite"
 * ```
 */
export function hessianMessage(): Message {
  return message(
    "hessian-not-positive-definite",
    "The Hessian of the deviance is not positive definite at the optimum, so standard errors come from the conditional covariance (R_X) instead; treat them with caution.",
  );
}

/**
 * The warning for fixed effects that look like complete separation.
 *
 * @returns the warning.
 * @example
 * ```ts
 * separationMessage().code; // "separation"
 * ```
 */
export function separationMessage(): Message {
  return message(
    "separation",
    "Some fixed effects are very large with enormous standard errors: the data are probably completely separated by a predictor (every group or level has all successes or all failures); their estimates and tests are not meaningful.",
  );
}
