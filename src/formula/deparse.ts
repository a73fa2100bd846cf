/**
 * R's `deparse(backtick = TRUE)` of formula expressions, on one line, as R's `terms()` uses it
 * for variable labels and `model.matrix()` for coefficient names (so a lone non-syntactic name
 * is quoted, `` `my col` ``, as in those labels).
 *
 * Rules (R 4.x): `+ - * | || ~ %in%` are written with a space on each side, `/ ^ :` without;
 * unary operators attach to their operand (`-x`, `--x`); calls are `f(a, b, name = c)`; names
 * that are not syntactic (or are reserved words) are quoted in backticks; numbers are printed
 * with up to 15 significant digits, in fixed or scientific notation, whichever is narrower
 * (fixed on ties), as R's `formatReal` does with `scipen = 0`.
 */
import type { BinaryOp, Expr } from "./ast.js";
import { formatNumber } from "../data/format-number.js";

export { formatNumber };

/** Operators R deparses without surrounding spaces. */
const TIGHT: ReadonlySet<BinaryOp> = new Set<BinaryOp>(["/", "^", ":"]);

/** Names R parses as constants, written without backticks. */
const CONSTANTS = new Set(["TRUE", "FALSE", "NA", "NULL", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_"]);

/** R's reserved words, which need backticks when used as names. */
const RESERVED = new Set(["if", "else", "repeat", "while", "function", "for", "next", "break", "in", "Inf", "NaN"]);

const SYNTACTIC = /^(?:[\p{L}][\p{L}\p{N}._]*|\.(?:[\p{L}._][\p{L}\p{N}._]*)?)$/u;

/**
 * R's deparsed text of an expression, on one line.
 *
 * @param expr - the expression.
 * @returns the text R's `deparse()` gives (`I(x/2)`, `poly(x, 2)`, `` `my col` ``).
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * deparse(parseExpression("I(x*2)"));               // "I(x * 2)"
 * deparse(parseExpression("cbind(s,n-s)"));         // "cbind(s, n - s)"
 * deparse(parseExpression("I(age ^ 2)"));           // "I(age^2)"
 * ```
 */
export function deparse(expr: Expr): string {
  switch (expr.kind) {
    case "name":
      return deparseName(expr.name);
    case "number":
      return formatNumber(expr.value) + (expr.integer === true && Number.isFinite(expr.value) ? "L" : "");
    case "call": {
      const args = expr.args.map((arg, i) => {
        const name = expr.names?.[i];
        return name === undefined ? deparse(arg) : `${deparseName(name)} = ${deparse(arg)}`;
      });
      return `${deparseName(expr.fn)}(${args.join(", ")})`;
    }
    case "binary": {
      const sep = TIGHT.has(expr.op) ? expr.op : ` ${expr.op} `;
      return deparse(expr.left) + sep + deparse(expr.right);
    }
    case "unary":
      return expr.op + deparse(expr.arg);
    case "paren":
      return `(${deparse(expr.inner)})`;
  }
}

/**
 * A name as R deparses it: bare when syntactic, otherwise in backticks.
 *
 * @param name - the name.
 * @returns `name` or `` `name` `` (backticks and backslashes inside escaped).
 * @example
 * ```ts
 * deparseName("Days");   // "Days"
 * deparseName("my col"); // "`my col`"
 * ```
 */
export function deparseName(name: string): string {
  if (CONSTANTS.has(name)) return name;
  if (SYNTACTIC.test(name) && !RESERVED.has(name)) return name;
  return "`" + name.replace(/\\/g, "\\\\").replace(/`/g, "\\`") + "`";
}
