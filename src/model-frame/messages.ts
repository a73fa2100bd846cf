/**
 * Every sentence the model frame says to the user, in one place so the wording stays consistent.
 * Each function returns one plain sentence: what is wrong (or what was done) and what to do.
 */
import { closestName } from "../data/closest-name.js";

/** Lists names as `a, b and c`. */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
}

/**
 * The sentence for a column the data do not have, suggesting the nearest name.
 *
 * @param name - the name in the formula.
 * @param available - the data's column names.
 * @returns the message.
 * @example
 * ```ts
 * unknownColumnMessage("Yeild", ["Batch", "Yield"]);
 * // "Column 'Yeild' is not in the data; did you mean 'Yield'?"
 * ```
 */
export function unknownColumnMessage(name: string, available: readonly string[]): string {
  const near = closestName(name, available);
  if (near !== undefined) return `Column '${name}' is not in the data; did you mean '${near}'?`;
  if (available.length === 0) return `Column '${name}' is not in the data, which has no columns.`;
  const shown = available.slice(0, 8).map((a) => `'${a}'`);
  const more = available.length > 8 ? `, ... (${available.length} in all)` : "";
  return `Column '${name}' is not in the data; its columns are ${shown.join(", ")}${more}.`;
}

/** An unknown function, with the list of supported ones. */
export function unknownFunctionMessage(fn: string, supported: readonly string[]): string {
  return `Function '${fn}' is not supported in formulas; use one of ${supported.join(", ")}.`;
}

/** A call with the wrong number of arguments. */
export function argumentCountMessage(call: string, expected: string): string {
  return `${call} has the wrong number of arguments; ${expected}.`;
}

/** An operator used where only arithmetic is allowed. */
export function operatorMessage(op: string, where: string): string {
  return `The operator '${op}' cannot be used inside ${where}; only + - * / ^ are arithmetic there (wrap them in I() in a formula term).`;
}

/** A categorical value where numbers are needed. */
export function notNumericMessage(what: string, where: string): string {
  return `'${what}' is categorical but ${where} needs numbers; use a numeric column or as.numeric().`;
}

/** `cbind` outside the response. */
export function cbindPlacementMessage(): string {
  return "cbind(successes, failures) may only be the response (left of ~) of a binomial model.";
}

/** A value that is not a finite number on some used rows. */
export function nonFiniteMessage(label: string, count: number, firstRow: number, value: number): string {
  const v = Number.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
  const rows = count === 1 ? "1 row" : `${count} rows`;
  return `'${label}' is ${v} (not a finite number) in ${rows}, first in row ${firstRow}; transform or remove those rows.`;
}

/** The note about rows dropped for missing values. */
export function droppedRowsMessage(dropped: number, total: number, columns: readonly string[]): string {
  return `Dropped ${dropped} of ${total} rows with missing values in ${columns.join(", ")}.`;
}

/** No rows left after removing missing values. */
export function noRowsMessage(total: number, columns: readonly string[]): string {
  if (total === 0) return "The data have no rows.";
  return `No rows are left: every one of the ${total} rows has a missing value in ${listNames(columns)}.`;
}

/** The note about aliased (linearly dependent) columns of X. */
export function aliasedMessage(names: readonly string[]): string {
  return `Fixed-effect model matrix is rank deficient: dropped column(s) ${names.join(", ")}.`;
}

/** A grouping factor with one level. */
export function singleLevelGroupMessage(name: string, level: string): string {
  return `Grouping factor '${name}' has only one level ('${level}') in the rows used; a random effect needs at least two groups.`;
}

/** A categorical variable with one level where contrasts are needed. */
export function singleLevelFactorMessage(label: string, level: string): string {
  return `'${label}' has only one level ('${level}') in the rows used; a categorical predictor needs at least two levels.`;
}

/**
 * A factor with one level inside a structured random-effects term.
 *
 * @param structure - the structure's name (`ar1`, `cs`, `toep`, ...).
 * @param label - the factor.
 * @param level - its one level.
 * @param group - the grouping factor of the term.
 * @returns the message.
 * @example
 * ```ts
 * structureLevelsMessage("ar1", "time", "t1", "g");
 * // "'time' has only one level ('t1') in the rows used; ar1(… | g) needs a factor with two or more levels (such as the times of a repeated measure)."
 * ```
 */
export function structureLevelsMessage(structure: string, label: string, level: string, group: string): string {
  return `'${label}' has only one level ('${level}') in the rows used; ${structure}(… | ${group}) needs a factor with two or more levels (such as the times of a repeated measure).`;
}

/** A categorical response with more than two levels. */
export function responseLevelsMessage(label: string, levels: readonly string[]): string {
  return `The response '${label}' is categorical with ${levels.length} levels (${levels.slice(0, 5).join(", ")}${levels.length > 5 ? ", ..." : ""}); mlm needs a numeric response or one with two levels.`;
}

/**
 * A categorical response in a linear model.
 *
 * @param label - the response.
 * @param levels - its levels.
 * @returns one sentence.
 * @example
 * ```ts
 * categoricalLinearResponseMessage("passed", ["no", "yes"]);
 * // "The response 'passed' is categorical (levels no, yes), so a linear model cannot fit it; for two levels fit a logistic model with --family binomial (family \"binomial\" in the library)."
 * ```
 */
export function categoricalLinearResponseMessage(label: string, levels: readonly string[]): string {
  const what = levels.length === 2 ? "for two levels fit a logistic model with --family binomial (family \"binomial\" in the library)" : "give a numeric response";
  return `The response '${label}' is categorical (levels ${levels.join(", ")}), so a linear model cannot fit it; ${what}.`;
}

/**
 * A random-effects term that appears twice (same effects, same grouping factor).
 *
 * @param cnms - the term's columns.
 * @param group - its grouping factor.
 * @returns one sentence.
 * @example
 * ```ts
 * duplicatedTermMessage(["(Intercept)"], "g");
 * // "The random-effects term (1 | g) appears more than once; the copies share one variance that cannot be split between them (lme4 fails to converge on such a model); remove the repeated term."
 * ```
 */
export function duplicatedTermMessage(cnms: readonly string[], group: string): string {
  const lhs = (cnms.includes("(Intercept)") ? [] : ["0"]).concat(cnms.map((c) => (c === "(Intercept)" ? "1" : c))).join(" + ");
  return (
    `The random-effects term (${lhs} | ${group}) appears more than once; the copies share one variance that cannot be split between them ` +
    `(lme4 fails to converge on such a model); remove the repeated term.`
  );
}

/**
 * A value used as a condition that is neither logical nor numeric.
 *
 * @param what - the value.
 * @param where - the expression using it.
 * @returns one sentence.
 * @example
 * ```ts
 * notLogicalMessage("g", "ifelse(g, 1, 0)");
 * // "'g' is categorical, but ifelse(g, 1, 0) needs TRUE/FALSE values; compare it, e.g. g == 2."
 * ```
 */
export function notLogicalMessage(what: string, where: string): string {
  return `'${what}' is categorical, but ${where} needs TRUE/FALSE values; compare it, e.g. ${what} == 2.`;
}

/**
 * A categorical operand of `|` inside a function, where `|` is R's logical or: perhaps a
 * random-effects term put inside a function.
 *
 * @param what - the categorical operand.
 * @param where - the or expression.
 * @returns one sentence.
 * @example
 * ```ts
 * orNotLogicalMessage("g", "1 | g");
 * // "'g' is categorical, but inside a function 1 | g is a logical or of TRUE/FALSE values; a random-effects term such as (1 | g) is added to the formula with '+', not put inside a function."
 * ```
 */
export function orNotLogicalMessage(what: string, where: string): string {
  return `'${what}' is categorical, but inside a function ${where} is a logical or of TRUE/FALSE values; a random-effects term such as (${where}) is added to the formula with '+', not put inside a function.`;
}

/** A one-sided formula. */
export function noResponseMessage(text: string): string {
  return `The formula '${text}' has no response; write it as 'response ~ predictors'.`;
}

/** Negative binomial counts. */
export function negativeCountsMessage(label: string): string {
  return `The response ${label} has negative counts; successes and failures must be 0 or more.`;
}

/** Invalid weights. */
export function weightsMessage(name: string, problem: string): string {
  return `Weights column '${name}' ${problem}; weights must be non-negative numbers.`;
}

/** A constant where scale() needs spread. */
export function constantScaleMessage(label: string): string {
  return `${label} cannot be computed: the values have no spread (standard deviation 0) in the rows used.`;
}

/** A fixed-effect factor level in new data that the fit never saw. */
export function newLevelMessage(label: string, level: string, known: readonly string[]): string {
  return `'${label}' has level '${level}' in the new data, which the fit did not see; its levels are ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", ..." : ""}.`;
}

/** An argument that must be a number literal. */
export function literalArgumentMessage(call: string, what: string): string {
  return `${call}: ${what} must be written as a number.`;
}

/** A random-effects term without effects, such as `(0 | g)`. */
export function noEffectsMessage(groupLabel: string): string {
  return `The random-effects term for '${groupLabel}' has no effects; write (1 | ${groupLabel}) for a random intercept.`;
}
