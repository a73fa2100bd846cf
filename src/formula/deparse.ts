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
  const exact = exactDecimal(Math.abs(value));
  // Significant digits and decimal exponent of the value rounded to 15 digits.
  const rounded = roundDigits(exact.digits, 15);
  const exponent = exact.exponent + rounded.carry;
  const digits = rounded.digits.replace(/0+$/, "");
  const nsig = Math.max(1, digits.length);
  const rgt = Math.max(0, nsig - exponent - 1);
  const left = exponent >= 0 ? exponent + 1 : 1;
  const fixedWidth = left + (rgt > 0 ? rgt + 1 : 0);
  const sciWidth = (nsig > 1 ? nsig + 1 : 1) + (Math.abs(exponent) >= 100 ? 5 : 4);
  let text: string;
  if (fixedWidth <= sciWidth) {
    text = fixedText(exact, rgt);
  } else {
    const m = nsig > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent);
    text = `${m}e${exponent < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * The exact decimal expansion of a positive finite double: its significant digits (no leading
 * or trailing zeros) and the decimal exponent of the first digit.
 */
function exactDecimal(x: number): { digits: string; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // x = mantissa * 2^power exactly.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075;
  let text: string;
  let scale: number; // x = text * 10^-scale
  if (power >= 0) {
    text = (mantissa << BigInt(power)).toString();
    scale = 0;
  } else {
    text = (mantissa * 5n ** BigInt(-power)).toString();
    scale = -power;
  }
  const trimmed = text.replace(/0+$/, "");
  return { digits: trimmed, exponent: text.length - 1 - scale };
}

/**
 * Round a digit string to `n` significant digits, half to even (as C's printf on exact values).
 * `carry` is 1 when rounding added a digit in front (999.5 to 1000).
 */
function roundDigits(digits: string, n: number): { digits: string; carry: number } {
  if (digits.length <= n) return { digits, carry: 0 };
  const head = digits.slice(0, n);
  const next = digits.charCodeAt(n) - 48;
  const rest = digits.slice(n + 1);
  const tie = next === 5 && !/[1-9]/.test(rest);
  const up = next > 5 || (next === 5 && !tie) || (tie && (head.charCodeAt(n - 1) - 48) % 2 === 1);
  if (!up) return { digits: head, carry: 0 };
  const increased = (BigInt(head) + 1n).toString();
  return increased.length > n ? { digits: increased.slice(0, n), carry: 1 } : { digits: increased, carry: 0 };
}

/** Fixed notation with `decimals` digits after the point, rounded half to even. */
function fixedText(exact: { digits: string; exponent: number }, decimals: number): string {
  // Number of significant digits kept: those down to the 10^-decimals place.
  const keep = exact.exponent + 1 + decimals;
  let intDigits: string; // the value times 10^decimals, as an integer string
  if (keep <= 0) {
    // Everything is below the last kept place: rounds to 0 (or 1 unit above 0.5 units).
    const half = keep === 0 && (exact.digits[0] > "5" || (exact.digits[0] === "5" && exact.digits.length > 1));
    intDigits = half ? "1" : "0";
  } else {
    const rounded = roundDigits(exact.digits, keep);
    const padded = rounded.digits.padEnd(keep + rounded.carry, "0");
    intDigits = padded;
  }
  if (decimals === 0) return intDigits;
  const whole = intDigits.padStart(decimals + 1, "0");
  return `${whole.slice(0, whole.length - decimals)}.${whole.slice(whole.length - decimals)}`;
}
