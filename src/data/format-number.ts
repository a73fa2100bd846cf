/**
 * Numbers as R prints them (`as.character`, `deparse`, factor levels made from numbers): at most
 * 15 significant digits, fixed or scientific notation, whichever is narrower (fixed on ties), as
 * R's `formatReal` does with `scipen = 0`.
 */

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
  const exact = shortDecimal(Math.abs(value)) ?? exactDecimal(Math.abs(value));
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
 * The shortest decimal that reads back as x (JavaScript's own printing), when it has at most 15
 * significant digits and 2⁻¹⁰²² ≤ x < 10¹⁵: then rounding x's exact expansion to 15 digits, or
 * to any place R prints, gives these digits (a normal double is within 1.2e-16 relative of them,
 * and integers below 10¹⁵ are exact), without the big-integer expansion. Undefined otherwise
 * (a subnormal such as 5e-324 is 4.94065645841247e-324 to 15 digits).
 */
function shortDecimal(x: number): { digits: string; exponent: number } | undefined {
  if (x < 2 ** -1022) return undefined;
  const text = x.toExponential(); // "d.ddde±x", as few digits as read back as x
  const e = text.indexOf("e");
  const exponent = Number(text.slice(e + 1));
  const digits = e === 1 ? text[0] : text[0] + text.slice(2, e);
  return digits.length <= 15 && exponent < 15 ? { digits, exponent } : undefined;
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
