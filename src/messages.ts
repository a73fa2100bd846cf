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
  | "hessian-unreliable"
  | "separation"
  | "non-integer-successes"
  | "new-levels"
  | "missing-predictor"
  | "no-pooling-estimates"
  | "duplicated-term"
  | "boundary"
  | "no-rows"
  | "dispersion-at-bound"
  | "delimiter-detected";

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
 * The note of a delimited-text reader that chose the delimiter from the content: another than
 * the file's extension implies (a `.csv` file split by `;`), or one of several that would split
 * every line evenly.
 *
 * @param source - the file's name as the user gave it.
 * @param choice - what was chosen, as {@link chooseDelimiter} words it ("with ';' as the delimiter, …").
 * @returns the note.
 * @example
 * ```ts
 * delimiterMessage("e.csv", "with ';' as the delimiter, which splits every line into 2 fields; use --delimiter to choose another.");
 * // { code: "delimiter-detected", severity: "note", text: "Read 'e.csv' with ';' as the delimiter, which splits every line into 2 fields; use --delimiter to choose another." }
 * ```
 */
export function delimiterMessage(source: string, choice: string): Message {
  return message("delimiter-detected", `Read '${source}' ${choice}`, "note");
}

/**
 * The warning for a binomial response whose successes (proportion × trials) are not whole
 * numbers, R's "non-integer #successes in a binomial glm!": the model is fitted as glmer fits it
 * (PIRLS on the deviance residuals of the proportions; the binomial log-density at the rounded
 * successes in the log-likelihood), but that log-likelihood is not one of the data.
 *
 * @param label - the response as written in the formula.
 * @param y - the first such proportion.
 * @param trials - its trials (prior weight).
 * @param row - its 0-based data row.
 * @param weighted - whether the trials came from weights or cbind() (otherwise each row is one trial).
 * @returns the warning.
 * @example
 * ```ts
 * nonIntegerSuccessesMessage("prop", 0.25, 1, 3, false).text;
 * // "The binomial response prop is not a whole number of successes (row 4: 0.25 of 1 trial); lme4 warns \"non-integer #successes in a binomial glm!\" and so do we: …"
 * ```
 */
export function nonIntegerSuccessesMessage(label: string, y: number, trials: number, row: number, weighted: boolean): Message {
  const advice = weighted
    ? "check that the weights are the numbers of trials."
    : "without weights each row counts as one trial, so give the numbers of trials with --weights (or weights in the library), or write the response as cbind(successes, failures).";
  return message(
    "non-integer-successes",
    `The binomial response ${label} is not a whole number of successes (row ${row + 1}: ${y} of ${trials} trial${trials === 1 ? "" : "s"}); ` +
    `lme4 warns "non-integer #successes in a binomial glm!" and so do we: the estimates are glmer's, but the log-likelihood, AIC and BIC ` +
    `use the rounded successes, and the standard errors assume binomial variation; ${advice}`,
  );
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
 * A message as one line of a report: its severity in words, then its text.
 *
 * @param m - the message.
 * @returns `Warning: …` or `Note: …`.
 * @example
 * ```ts
 * messageLine(message("rows-dropped", "2 rows were dropped.", "note")); // "Note: 2 rows were dropped."
 * ```
 */
export function messageLine(m: Message): string {
  return `${m.severity === "note" ? "Note" : "Warning"}: ${m.text}`;
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
 * The warning for a GLMM whose deviance Hessian gives standard errors more than five times
 * larger or smaller than the conditional covariance R_X does: the finite differences measured a
 * jump of the approximate deviance, not its curvature.
 *
 * @returns the warning.
 * @example
 * ```ts
 * hessianUnreliableMessage().code; // "hessian-unreliable"
 * ```
 */
export function hessianUnreliableMessage(): Message {
  return message(
    "hessian-unreliable",
    "The finite-difference Hessian of the deviance gives standard errors far from those of the conditional covariance (R_X), so the deviance is not smooth at the optimum; the standard errors shown come from R_X. Treat them with caution, and compare with a refit using another link or centred predictors.",
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
