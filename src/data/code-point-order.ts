/**
 * Code-point order of strings: the order R uses in the C locale and the order mlm sorts factor
 * levels in, so the first level (the reference level of treatment contrasts) matches lme4's.
 *
 * JavaScript's default string comparison orders UTF-16 code units, which differs from code-point
 * order only when a character outside the Basic Multilingual Plane (stored as a surrogate pair,
 * units 0xD800-0xDFFF) meets a character from 0xE000-0xFFFF. Remapping those two unit ranges
 * restores code-point order without decoding the strings.
 */

/** Moves surrogate units above 0xE000-0xFFFF so that unit order equals code-point order. */
function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * Compares two strings by Unicode code points.
 *
 * @param a - first string.
 * @param b - second string.
 * @returns a negative number when `a` sorts first, 0 when equal, positive when `b` sorts first.
 * @example
 * ```ts
 * ["b", "B", "a", "10", "2"].sort(compareCodePoints); // ["10", "2", "B", "a", "b"]
 * compareCodePoints("\u{1F600}", "\uFF61") > 0;        // true (U+1F600 after U+FF61)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}
