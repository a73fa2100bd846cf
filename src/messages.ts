/**
 * Warnings and notes that fitted models attach to their results (`model.messages`), collected
 * in one place so their wording stays consistent. Errors are thrown as `MlmError` at their source.
 */

/**
 * The singular-fit warning.
 *
 * @param terms - the random-effects terms whose variance (or correlation) reached its boundary.
 * @returns one sentence for the user.
 * @example
 * ```ts
 * singularFitMessage(["Batch"]);
 * // "Singular fit: the variance of the random effects for Batch is estimated as zero (or a correlation as ±1), …"
 * ```
 */
export function singularFitMessage(terms: readonly string[]): string {
  return (
    `Singular fit: the variance of the random effects for ${terms.join(", ")} is estimated as zero ` +
    `(or a correlation as ±1), so the data do not support that part of the model; ` +
    `consider simplifying the random effects (lme4 would report isSingular = TRUE).`
  );
}

/**
 * The warning for an optimizer that stopped before converging.
 *
 * @param evaluations - evaluations used.
 * @returns one sentence.
 * @example
 * ```ts
 * notConvergedMessage(1000); // "The optimizer stopped after 1000 evaluations without converging; …"
 * ```
 */
export function notConvergedMessage(evaluations: number): string {
  return (
    `The optimizer stopped after ${evaluations} evaluations without converging; the estimates may not be ` +
    `the maximum likelihood: simplify the model, rescale predictors, or raise the evaluation limit.`
  );
}
