/**
 * The tokenizer of the formula language: R's lexical rules for names, backtick-quoted names,
 * numbers and the operators a model formula uses.
 */
import { MlmError } from "../errors.js";
import { reasons, syntaxError } from "./messages.js";

/** The kinds of token the formula language knows. */
export type TokenKind = "name" | "number" | "op" | "(" | ")" | "," | "=" | "end";

/** One token: its kind, its text (a name without backticks, an operator) and where it starts. */
export interface Token {
  readonly kind: TokenKind;
  /** The operator or name; for numbers the literal as written. */
  readonly text: string;
  /** 0-based index of the first character in the formula text. */
  readonly start: number;
  /** True for a name written in backticks (so `` `TRUE` `` is a name, not the constant). */
  readonly quoted?: boolean;
}

/** Operators of the formula language (formula algebra, bars, and arithmetic inside calls). */
const OPERATORS = new Set(["~", "+", "-", "*", "/", ":", "^", "|", "||", "%in%", "<", ">", "!", "&"]);

/** Two-character operators of the language (comparisons and R's logical and), matched first. */
const PAIRS = ["==", "!=", "<=", ">=", "&&"];

/** R operators the formula language does not support, longest first. */
const UNSUPPORTED = ["<<-", "->>", "%%", "<-", "->", "|>", "::", "$", "@", "[", "]", "{", "}", "?", ";", "\\"];

/** R's reserved words that may not be used as bare names (the constants among them are allowed). */
const RESERVED = new Set(["if", "else", "repeat", "while", "function", "for", "next", "break", "in"]);

const NAME_START = /[\p{L}.]/u;
const NAME_PART = /[\p{L}\p{N}._]/u;
const DIGIT = /[0-9]/;

/**
 * Split a formula into tokens.
 *
 * @param text - the formula.
 * @returns the tokens, ending with one `end` token.
 * @throws MlmError for characters and operators the formula language does not know, unclosed
 *   backticks and quoted strings.
 * @example
 * ```ts
 * tokenize("y ~ `my x`").map((t) => t.text); // ["y", "~", "my x", ""]
 * ```
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const fail = (index: number, reason: string): never => {
    throw new MlmError(syntaxError(text, index, reason));
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f") {
      i++;
      continue;
    }
    const start = i;
    if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch, text: ch, start });
      i++;
      continue;
    }
    if (ch === "`") {
      let name = "";
      i++;
      while (i < text.length && text[i] !== "`") {
        if (text[i] === "\\" && i + 1 < text.length) {
          name += text[i + 1];
          i += 2;
        } else {
          name += text[i];
          i++;
        }
      }
      if (i >= text.length) fail(start, reasons.unclosedBacktick);
      if (name === "") fail(start, reasons.emptyBacktick);
      i++;
      tokens.push({ kind: "name", text: name, start, quoted: true });
      continue;
    }
    if (ch === '"' || ch === "'") fail(start, reasons.strings);
    if (DIGIT.test(ch) || (ch === "." && i + 1 < text.length && DIGIT.test(text[i + 1]))) {
      i = scanNumber(text, i);
      if (i < text.length && text[i] === "L") i++;
      if (i < text.length && NAME_PART.test(text[i])) fail(i, reasons.unknownCharacter(text[i]));
      tokens.push({ kind: "number", text: text.slice(start, i), start });
      continue;
    }
    const cp = String.fromCodePoint(text.codePointAt(i) ?? 0);
    if (NAME_START.test(cp)) {
      i += cp.length;
      while (i < text.length) {
        const c = String.fromCodePoint(text.codePointAt(i) ?? 0);
        if (!NAME_PART.test(c)) break;
        i += c.length;
      }
      const name = text.slice(start, i);
      if (RESERVED.has(name)) fail(start, reasons.reservedWord(name));
      tokens.push({ kind: "name", text: name, start });
      continue;
    }
    if (ch === "%") {
      const end = text.indexOf("%", i + 1);
      if (end > i) {
        const op = text.slice(i, end + 1);
        if (op === "%in%") {
          tokens.push({ kind: "op", text: op, start });
          i = end + 1;
          continue;
        }
        if (!/[\s]/.test(op)) fail(start, reasons.unknownOperator(op));
      }
      fail(start, reasons.unknownCharacter("%"));
    }
    const unsupported = UNSUPPORTED.find((op) => text.startsWith(op, i));
    if (unsupported !== undefined) fail(start, reasons.unknownOperator(unsupported));
    const pair = PAIRS.find((op) => text.startsWith(op, i));
    if (pair !== undefined) {
      tokens.push({ kind: "op", text: pair, start });
      i += 2;
      continue;
    }
    if (ch === "|" && text[i + 1] === "|") {
      tokens.push({ kind: "op", text: "||", start });
      i += 2;
      continue;
    }
    if (ch === "=") {
      tokens.push({ kind: "=", text: "=", start });
      i++;
      continue;
    }
    if (OPERATORS.has(ch)) {
      tokens.push({ kind: "op", text: ch, start });
      i++;
      continue;
    }
    fail(start, reasons.unknownCharacter(cp));
  }
  tokens.push({ kind: "end", text: "", start: text.length });
  return tokens;
}

/** The index just after the decimal number starting at `i`: digits, a fraction, an exponent. */
function scanNumber(text: string, i: number): number {
  while (i < text.length && DIGIT.test(text[i])) i++;
  if (text[i] === ".") {
    i++;
    while (i < text.length && DIGIT.test(text[i])) i++;
  }
  if (text[i] === "e" || text[i] === "E") {
    let j = i + 1;
    if (text[j] === "+" || text[j] === "-") j++;
    if (j < text.length && DIGIT.test(text[j])) {
      while (j < text.length && DIGIT.test(text[j])) j++;
      i = j;
    }
  }
  return i;
}
