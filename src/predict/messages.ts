/**
 * The sentences that prediction, simulation and pooling attach to their results or throw, in one
 * place so their wording stays consistent.
 */

/**
 * The note for new-data rows that could not be predicted.
 *
 * @param count - rows with a missing predictor.
 * @param first - the first such row, 1-based.
 * @returns one sentence.
 * @example
 * ```ts
 * missingPredictorMessage(2, 5);
 * // "2 rows of the new data (first row 5) have a missing predictor, so their predictions are NaN."
 * ```
 */
export function missingPredictorMessage(count: number, first: number): string {
  return `${count} row${count === 1 ? "" : "s"} of the new data (first row ${first}) ${count === 1 ? "has" : "have"} a missing predictor, so ${count === 1 ? "its prediction is" : "their predictions are"} NaN.`;
}

/**
 * The note for new-data rows whose group the fit did not see.
 *
 * @param group - the grouping factor.
 * @param count - rows with a new level.
 * @returns one sentence.
 * @example
 * ```ts
 * newLevelsMessage("Subject", 2);
 * // "2 rows of the new data have a level of Subject that the fit did not see; they are predicted with a random effect of zero for Subject (lme4's allow.new.levels = TRUE)."
 * ```
 */
export function newLevelsMessage(group: string, count: number): string {
  return `${count} row${count === 1 ? "" : "s"} of the new data ${count === 1 ? "has" : "have"} a level of ${group} that the fit did not see; ${count === 1 ? "it is" : "they are"} predicted with a random effect of zero for ${group} (lme4's allow.new.levels = TRUE).`;
}

/**
 * The error for a confidence level outside (0, 1).
 *
 * @param level - the level given.
 * @returns one sentence.
 * @example
 * ```ts
 * levelMessage(95); // "The interval level must be between 0 and 1 (e.g. 0.95), not 95."
 * ```
 */
export function levelMessage(level: number): string {
  return `The interval level must be between 0 and 1 (e.g. 0.95), not ${level}.`;
}

/**
 * The error for a pooling request on a model that is not a one-factor linear mixed model.
 *
 * @param why - what is wrong with the model.
 * @returns one sentence.
 * @example
 * ```ts
 * poolingModelMessage("it has 2 grouping factors (plate, sample)");
 * // "Pooling compares estimates for one grouping factor of a linear mixed model such as y ~ x + (x | g), but it has 2 grouping factors (plate, sample)."
 * ```
 */
export function poolingModelMessage(why: string): string {
  return `Pooling compares estimates for one grouping factor of a linear mixed model such as y ~ x + (x | g), but ${why}.`;
}

/**
 * The note for groups too small (or too uniform) for their own regression.
 *
 * @param levels - the groups.
 * @param p - the number of coefficients of each group's regression.
 * @returns one sentence.
 * @example
 * ```ts
 * noPoolingMessage(["a", "b"], 2);
 * // "Groups a, b have too few observations (or too little variation in the predictors) for their own regression on 2 coefficients, so their no-pooling estimates are null."
 * ```
 */
export function noPoolingMessage(levels: readonly string[], p: number): string {
  const shown = levels.length > 10 ? `${levels.slice(0, 10).join(", ")} and ${levels.length - 10} more` : levels.join(", ");
  return `Group${levels.length === 1 ? "" : "s"} ${shown} ${levels.length === 1 ? "has" : "have"} too few observations (or too little variation in the predictors) for ${levels.length === 1 ? "its" : "their"} own regression on ${p} coefficient${p === 1 ? "" : "s"}, so ${levels.length === 1 ? "its" : "their"} no-pooling estimates are null.`;
}

/**
 * The error for a bad number of simulations.
 *
 * @param nsim - the value given.
 * @returns one sentence.
 * @example
 * ```ts
 * nsimMessage(0); // "The number of simulations must be a whole number of at least 1, not 0."
 * ```
 */
export function nsimMessage(nsim: number): string {
  return `The number of simulations must be a whole number of at least 1, not ${nsim}.`;
}

/**
 * The error for a simulation larger than can be held or printed at once.
 *
 * @param nsim - simulations asked for.
 * @param n - rows per simulation.
 * @param limit - the most values allowed.
 * @returns one sentence.
 * @example
 * ```ts
 * simulationSizeMessage(100000000, 180, 10000000);
 * // "100000000 simulations of 180 rows are 18000000000 values, more than the 10000000 that fit at once; ask for fewer simulations (at most 55555 here), or run several times with different seeds."
 * ```
 */
export function simulationSizeMessage(nsim: number, n: number, limit: number): string {
  return `${nsim} simulations of ${n} rows are ${nsim * n} values, more than the ${limit} that fit at once; ask for fewer simulations (at most ${Math.floor(limit / Math.max(n, 1))} here), or run several times with different seeds.`;
}
