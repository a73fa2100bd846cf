/**
 * Every user-facing message of the formula language, in one place so the wording stays
 * consistent and tests can match it.
 *
 * Syntax errors name the 1-based character position and show the formula with a caret under
 * that character; the other messages are one plain sentence saying what is wrong and what to do.
 */

/**
 * The formula text on one line (tabs and line breaks shown as spaces), followed by a caret line
 * pointing at `index` (0-based).
 */
function caret(text: string, index: number): string {
  const shown = text.replace(/[\t\r\n]/g, " ");
  return `${shown}\n${" ".repeat(Math.max(0, Math.min(index, shown.length)))}^`;
}

/**
 * A syntax error at a 0-based `index` of `text`: the reason, then the formula and a caret line.
 *
 * @param text - the whole formula.
 * @param index - 0-based index of the offending character (reported 1-based).
 * @param reason - what is wrong there, without a final full stop.
 * @returns the message: `Formula syntax error at character N: reason.`, the formula, the caret.
 * @example
 * ```ts
 * syntaxError("y ~ (x))", 7, "unexpected ')'");
 * // "Formula syntax error at character 8: unexpected ')'.\ny ~ (x))\n       ^"
 * ```
 */
export function syntaxError(text: string, index: number, reason: string): string {
  return `Formula syntax error at character ${index + 1}: ${reason}.\n${caret(text, index)}`;
}

/**
 * Reasons used inside {@link syntaxError}.
 *
 * @example
 * ```ts
 * reasons.unexpected("')'"); // "unexpected ')'"
 * ```
 */
export const reasons = {
  unexpected: (what: string) => `unexpected ${what}`,
  unexpectedEnd: "the formula ends too early; something is missing after the last operator",
  unclosed: "this '(' is never closed; add a matching ')'",
  unknownOperator: (op: string) =>
    `'${op}' is not an operator of model formulas (use + - * / : ^ %in% and | inside random-effects terms)`,
  unknownCharacter: (ch: string) => `unexpected character '${ch}'`,
  unclosedBacktick: "this backtick is never closed; add a matching '`'",
  emptyBacktick: "a backtick-quoted name cannot be empty",
  strings: "quoted strings are not supported in model formulas; name columns directly or with backticks",
  secondTilde: "a formula has only one '~'",
  tildeInside: "'~' can only separate the response from the terms, not appear inside parentheses",
  reservedWord: (word: string) => `'${word}' is a reserved word of R; quote it with backticks to use it as a column name`,
} as const;

/**
 * Messages for formulas that parse but do not describe a model (one sentence each).
 *
 * @example
 * ```ts
 * messages.noGroup("(x | 1)");
 * // "The random-effects term '(x | 1)' has no grouping factor after the bar; write it as
 * //  '(effects | group)', for example '(1 | subject)'."
 * ```
 */
export const messages = {
  empty: "The formula is empty; write it as 'response ~ terms', for example 'y ~ x + (1 | g)'.",
  missingTilde: (text: string) =>
    `The formula '${text}' has no '~'; write it as 'response ~ terms', for example 'y ~ x + (1 | g)'.`,
  emptyRight: (text: string) =>
    `The formula '${text}' has nothing to the right of '~'; write '~ 1' for an intercept-only model.`,
  dot: "The '.' shorthand for all other columns is not supported; name the columns in the formula.",
  barOutsideParens: (bar: string) =>
    `The random-effects term '${bar}' must be in parentheses, as in '(${bar})'.`,
  logicalOutsideCall: (text: string) =>
    `'${text}' compares or combines values, which formula algebra does not do; write I(${text}) to make it a variable (a TRUE/FALSE factor, as in R).`,
  barNotAdded: (bar: string) =>
    `The random-effects term '${bar}' can only be added to the formula with '+' (it cannot be combined by other operators or used inside a function).`,
  barFirstThenMinus: (bar: string) =>
    `The random-effects term '${bar}' cannot be followed by '-'; move it to the end, or write '0 +' at the start of the formula to drop the intercept.`,
  barInResponse: "The response (left of '~') cannot contain a random-effects bar '|'.",
  barInEffects: (bar: string) =>
    `The random-effects term '${bar}' has another '|' on the left of its bar; random-effects terms cannot be nested.`,
  noGroup: (bar: string) =>
    `The random-effects term '${bar}' has no grouping factor after the bar; write it as '(effects | group)', for example '(1 | subject)'.`,
  badGroup: (bar: string) =>
    `The grouping factor of '${bar}' must be a variable, an interaction 'g1:g2' or a nesting 'g1/g2'.`,
  noEffects: (bar: string) =>
    `The random-effects term '${bar}' has no effects left of the bar; use '(1 | group)' for a random intercept.`,
  offsetInRandom: (bar: string) =>
    `The random-effects term '${bar}' contains offset(); put offsets in the fixed part of the formula.`,
  offsetArity: (text: string) => `'${text}' must have exactly one argument, as in 'offset(log(exposure))'.`,
  badNumber: (num: string) =>
    `The number ${num} cannot be a model term; only 1 (keep the intercept) and 0 or -1 (drop it) may appear, and other arithmetic belongs inside I(), as in 'I(2 * x)'.`,
  badPower: (text: string) =>
    `The power in '${text}' must be a whole number of at least 1, as in '(a + b + c)^2'.`,
  tooManyTerms:
    "The formula expands into too many terms (more than 200,000 interactions); use fewer variables in '*' or '^'.",
  tooDeep: (max: number) =>
    `The formula is nested too deeply (more than ${max} levels of operators or parentheses); write it more simply.`,
} as const;
