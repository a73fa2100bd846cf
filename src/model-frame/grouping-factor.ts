/**
 * Grouping factors of random-effects terms: a categorical value, a numeric one converted to text
 * (as R's `as.character` writes numbers), or the interaction `g2:g1` of several, whose level
 * for a row is `${l2}:${l1}`. Only observed levels appear, sorted in code-point order.
 */
import { compareCodePoints } from "../data/code-point-order.js";
import { MlmError } from "../errors.js";
import { groupsOf, type Value } from "./evaluate.js";
import { singleLevelGroupMessage } from "./messages.js";
import type { GroupingFactor } from "./types.js";

/**
 * Each row's level label of the interaction of grouping values (first-appearance order).
 *
 * @param parts - the values of the grouping variables, in the order of the interaction.
 * @returns labels of the observed combinations and each row's index into them.
 * @example
 * ```ts
 * const cask = { kind: "categorical" as const, levels: ["a", "b"], codes: Int32Array.of(0, 1, 0) };
 * const batch = { kind: "categorical" as const, levels: ["A", "B"], codes: Int32Array.of(0, 0, 1) };
 * interactionGroups([cask, batch]); // { labels: ["a:A", "b:A", "a:B"], codes: Int32Array [0, 1, 2] }
 * ```
 */
export function interactionGroups(parts: readonly Value[]): { labels: string[]; codes: Int32Array } {
  const groups = parts.map(groupsOf);
  if (groups.length === 1) return groups[0];
  const n = groups[0].codes.length;
  // a row's combination is the number Σ_k (code_k + 1) R_k in the mixed radix R_0 = 1,
  // R_k+1 = R_k (levels_k + 1) (0 for a missing part) while that is an exact integer, else text
  let radix = 1;
  const place = groups.map((g) => {
    const r = radix;
    radix *= g.labels.length + 1;
    return r;
  });
  const exact = radix <= Number.MAX_SAFE_INTEGER;
  const index = new Map<number | string, number>();
  const labels: string[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let key: number | string = 0;
    if (exact) for (let k = 0; k < groups.length; k++) key += (groups[k].codes[i] + 1) * place[k];
    else for (let k = 0; k < groups.length; k++) key = `${key}:${groups[k].codes[i]}`;
    let c = index.get(key);
    if (c === undefined) {
      c = labels.length;
      labels.push(groups.map((g) => g.labels[g.codes[i]]).join(":"));
      index.set(key, c);
    }
    codes[i] = c;
  }
  return { labels, codes };
}

/**
 * The grouping factor of a random-effects term on the used rows.
 *
 * @param name - lme4's name for it, e.g. `Subject` or `cask:batch`.
 * @param parts - the values of its grouping variables (one for a plain factor).
 * @returns levels (observed, code-point order) and the 0-based level of each row.
 * @throws MlmError when there is only one level.
 * @example
 * ```ts
 * // herd as the numbers 1..15: levels sort as text, as R's factor() of the strings does
 * const herd = { kind: "numeric" as const, columns: [Float64Array.from({ length: 15 }, (_, i) => i + 1)], colnames: undefined };
 * groupingFactor("herd", [herd]).levels; // ["1", "10", "11", "12", "13", "14", "15", "2", "3", …]
 * ```
 */
export function groupingFactor(name: string, parts: readonly Value[]): GroupingFactor {
  const { labels, codes } = interactionGroups(parts);
  const order = [...labels.keys()].sort((a, b) => compareCodePoints(labels[a], labels[b]));
  const rank = new Int32Array(labels.length);
  order.forEach((old, k) => (rank[old] = k));
  const refs = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) refs[i] = rank[codes[i]];
  const levels = order.map((k) => labels[k]);
  if (levels.length === 1) throw new MlmError(singleLevelGroupMessage(name, levels[0]));
  return { name, levels, refs };
}
