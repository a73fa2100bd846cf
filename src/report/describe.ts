/**
 * What a user checks before fitting: the rows a formula uses, its response and fixed-effect
 * columns, and the shape of each grouping factor (levels, rows per level, nesting).
 *
 * Nesting: grouping factor A is nested in B when every level of A occurs (on the used rows)
 * with exactly one level of B, as `cask:batch` is nested in `batch` in lme4's Pastes data.
 */
import type { Message } from "../messages.js";
import type { GroupingFactor, ModelFrame } from "../model-frame/types.js";

/** Rows per level of a grouping factor: smallest, median and largest count. */
export interface LevelSizes {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** One distinct grouping factor of a model frame. */
export interface GroupDescription {
  /** lme4's name, e.g. `Subject` or `cask:batch`. */
  readonly name: string;
  /** Number of levels. */
  readonly levels: number;
  /** Rows per level. */
  readonly sizes: LevelSizes;
  /** The other grouping factors of the formula this one is nested in, in formula order. */
  readonly nestedIn: readonly string[];
}

/** The summary `mlm describe` prints. */
export interface Description {
  /** Rows used. */
  readonly nobs: number;
  /** Rows dropped for missing values. */
  readonly dropped: number;
  /** The response as written in the formula. */
  readonly response: string;
  /** Fixed-effects column names (R's model.matrix names). */
  readonly fixef: readonly string[];
  /** Distinct grouping factors, in order of first appearance in the formula. */
  readonly groups: readonly GroupDescription[];
  /** The model frame's warnings. */
  readonly messages: readonly Message[];
}

/** The median of a non-empty list of counts (mean of the middle two for an even length). */
function median(sorted: readonly number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Rows per level of a factor, over the levels that occur. */
function levelSizes(group: GroupingFactor): LevelSizes {
  const counts = new Array<number>(group.levels.length).fill(0);
  for (const r of group.refs) counts[r]++;
  const sorted = counts.filter((c) => c > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return { min: 0, median: 0, max: 0 };
  return { min: sorted[0], median: median(sorted), max: sorted[sorted.length - 1] };
}

/**
 * Whether every level of `inner` that occurs goes with exactly one level of `outer`.
 *
 * @param inner - the candidate nested factor.
 * @param outer - the candidate enclosing factor (same rows).
 * @returns true when `inner` is nested in `outer`.
 * @example
 * ```ts
 * // cask:batch levels a:A, b:A, a:B over rows; batch levels A, B.
 * isNestedIn({ name: "cask:batch", levels: ["a:A", "b:A", "a:B"], refs: Int32Array.of(0, 1, 2) },
 *            { name: "batch", levels: ["A", "B"], refs: Int32Array.of(0, 0, 1) }); // true
 * ```
 */
export function isNestedIn(inner: GroupingFactor, outer: GroupingFactor): boolean {
  const partner = new Int32Array(inner.levels.length).fill(-1);
  const n = inner.refs.length;
  for (let i = 0; i < n; i++) {
    const a = inner.refs[i];
    const b = outer.refs[i];
    if (partner[a] === -1) partner[a] = b;
    else if (partner[a] !== b) return false;
  }
  return true;
}

/**
 * Summarises a model frame for checking before a fit.
 *
 * For each distinct grouping factor (terms sharing a factor, as `(1 | g) + (0 + x | g)`, count
 * once): its number of levels; the minimum, median and maximum rows per level; and the other
 * grouping factors it is nested in.
 *
 * @param frame - the model frame.
 * @returns the description.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("strength ~ 1 + (1 | batch/cask)"), pastes);
 * describeFrame(frame);
 * // { nobs: 60, dropped: 0, response: "strength", fixef: ["(Intercept)"],
 * //   groups: [{ name: "cask:batch", levels: 30, sizes: { min: 2, median: 2, max: 2 }, nestedIn: ["batch"] },
 * //            { name: "batch", levels: 10, sizes: { min: 6, median: 6, max: 6 }, nestedIn: [] }],
 * //   messages: [] }
 * ```
 */
export function describeFrame(frame: ModelFrame): Description {
  const factors: GroupingFactor[] = [];
  for (const term of frame.reterms) {
    if (!factors.some((f) => f.name === term.group.name)) factors.push(term.group);
  }
  const groups = factors.map((g) => ({
    name: g.name,
    levels: g.levels.length,
    sizes: levelSizes(g),
    nestedIn: factors.filter((h) => h !== g && isNestedIn(g, h)).map((h) => h.name),
  }));
  return {
    nobs: frame.n,
    dropped: frame.dropped,
    response: frame.response.label,
    fixef: [...frame.fixefNames],
    groups,
    messages: [...frame.messages],
  };
}
