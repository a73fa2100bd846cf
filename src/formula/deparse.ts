/**
 * R's `deparse()` of formula expressions, on one line, as R's `terms()` uses it for variable
 * labels and `model.matrix()` for coefficient names.
 *
 * Rules (R 4.x): `+ - * | || ~ %in%` are written with a space on each side, `/ ^ :` without;
 * unary operators attach to their operand (`-x`, `--x`); calls are `f(a, b, name = c)`; names
 * that are not syntactic (or are reserved words) are quoted in backticks; numbers are printed
 * with up to 15 significant digits, in fixed or scientific notation, whichever is narrower
 * (fixed on ties), as R's `formatReal` does with `scipen = 0`.
 */
import type { BinaryOp, Expr } from "./ast.js";

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

/**
 * A number as R deparses it: at most 15 significant digits, fixed or scientific notation
 * (whichever is narrower, fixed on ties), exponents with a sign and at least two digits.
 *
 * @param value - the number (non-negative in parsed formulas; negative values get a `-`).
 * @returns R's text, e.g. `2.5`, `1e+05`, `0.001`, `1e-04`, `123456`, `Inf`.
 * @example
 * ```ts
 * formatNumber(100000); // "1e+05"
 * formatNumber(0.001);  // "0.001"
 * formatNumber(1 / 3);  // "0.333333333333333"
 * ```
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Inf" : "-Inf";
  if (value === 0) return "0";
  const negative = value < 0;
  const abs = Math.abs(value);
  // Significant digits and decimal exponent of the value rounded to 15 digits.
  const [mantissa, exponentText] = abs.toExponential(14).split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  const nsig = Math.max(1, digits.length);
  const exponent = Number(exponentText);
  const rgt = Math.max(0, nsig - exponent - 1);
  const left = exponent >= 0 ? exponent + 1 : 1;
  const fixedWidth = left + (rgt > 0 ? rgt + 1 : 0);
  const sciWidth = (nsig > 1 ? nsig + 1 : 1) + (Math.abs(exponent) >= 100 ? 5 : 4);
  let text: string;
  if (fixedWidth <= sciWidth) {
    text = abs.toFixed(rgt);
  } else {
    const m = nsig > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent);
    text = `${m}e${exponent < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return negative ? `-${text}` : text;
}
