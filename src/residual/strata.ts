/**
 * Strata of a variance function (`| s`): one code per row, with the strata in nlme's order, the
 * order in which they first appear in the data as nlme sorts it (by the model's groups).
 */

/** Codes and names of the strata. */
export interface Strata {
  /** Stratum of each model-frame row, 0-based in `names` order. */
  readonly codes: Int32Array;
  /** Stratum names in order of first appearance. */
  readonly names: readonly string[];
}

/**
 * Order strata by first appearance along `order`.
 *
 * @param codes - a factor's codes per model-frame row.
 * @param levels - its levels.
 * @param order - the model-frame rows in nlme's sorted order.
 * @returns the strata renumbered by first appearance.
 * @example
 * ```ts
 * strataInOrder(Int32Array.of(1, 0, 1), ["F", "M"], Int32Array.of(0, 1, 2)).names; // ["M", "F"]
 * ```
 */
export function strataInOrder(codes: Int32Array, levels: readonly string[], order: Int32Array): Strata {
  const map = new Int32Array(levels.length).fill(-1);
  const names: string[] = [];
  for (const i of order) {
    const c = codes[i];
    if (map[c] < 0) {
      map[c] = names.length;
      names.push(levels[c]);
    }
  }
  return { codes: codes.map((c) => map[c]), names };
}
