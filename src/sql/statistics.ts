/**
 * The statistics of a linear mixed model: the result of the query of statistics-sql.ts, as one
 * JSON-serialisable object that can be written to a file, added across partitions of a table,
 * and fitted (src/lmm/fit-from-stats.ts).
 *
 * Each block row holds, for one combination of its keys (grouping levels and cells), the packed
 * lower triangle of S[i, j] = Σ w (b_i − m_i)(b_j − m_j) over the block's bases, centred at the
 * shifts m (m_0 = 0 for the constant base). A change of centre to m' is exact:
 *
 *     S'[i, j] = S[i, j] + δ_i S[0, j] + δ_j S[i, 0] + δ_i δ_j S[0, 0],   δ = m − m',
 *
 * which is how shards with different centres are added, and how the raw sums (m' = 0) are
 * recovered when the model is fitted.
 */
import { MlmError } from "../errors.js";
import { formatNumber } from "../formula/deparse.js";
import type { PlanBlock, StatisticsPlan } from "./statistics-plan.js";

/** One block's rows: the keys of each row and its centred sums (row-major, packed). */
export interface StatisticsBlock {
  /** Per row, the key values (group keys, then cell keys), as text. */
  readonly keys: string[][];
  /** Per row, the packed lower triangle of the centred sums over the block's bases. */
  readonly sums: number[];
}

/** The statistics of a linear mixed model on one table (or the sum of several). */
export interface LmmStatistics {
  readonly format: "mlm-lmm-statistics";
  readonly version: 1;
  readonly plan: StatisticsPlan;
  /** Rows used (without a missing value). */
  readonly n: number;
  /** Rows dropped because a column the model uses was missing there. */
  readonly dropped: number;
  /** Σ log wᵢ over the rows used (0 without weights). */
  readonly logW: number;
  /** The centre of each base (0 for the constant base 0). */
  readonly shift: number[];
  /** Blocks by name, as in `plan.blocks`. */
  readonly blocks: Readonly<Record<string, StatisticsBlock>>;
}

/** One row of the statistics query's result. */
export interface StatisticsRow {
  readonly block: string;
  readonly keys: readonly (string | null)[];
  readonly values: readonly (number | null)[];
}

/**
 * Position of S[i, j] (i ≥ j) in a packed lower triangle of order nb, column by column.
 *
 * @param i - row (≥ j).
 * @param j - column.
 * @param nb - order.
 * @returns the index.
 * @example
 * ```ts
 * packedIndex(2, 1, 3); // 4 (order: 00 10 20 11 21 22)
 * ```
 */
export function packedIndex(i: number, j: number, nb: number): number {
  return j * nb - (j * (j - 1)) / 2 + (i - j);
}

/**
 * Read the rows of the statistics query into a statistics object.
 *
 * @param plan - the plan the query was generated from.
 * @param rows - the result rows, in any order.
 * @returns the statistics.
 * @throws MlmError when the rows come from another plan's query or a block is missing.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats: s } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 *
 * // the rows of the query's result (here: rebuilt from statistics) read back
 * const stats = statisticsFromRows(s.plan, statisticsRows(s));
 * [stats.n, stats.dropped]; // [180, 0]
 * stats.blocks.term1.keys.length; // 18
 * ```
 */
export function statisticsFromRows(plan: StatisticsPlan, rows: Iterable<StatisticsRow>): LmmStatistics {
  const blocks: Record<string, StatisticsBlock> = {};
  const specs = new Map(plan.blocks.map((b) => [b.name, b]));
  for (const b of plan.blocks) blocks[b.name] = { keys: [], sums: [] };
  let constRow: StatisticsRow | undefined;
  let shiftRow: StatisticsRow | undefined;
  for (const r of rows) {
    if (r.block === "const") constRow = r;
    else if (r.block === "shift") shiftRow = r;
    else {
      const spec = specs.get(r.block);
      const out = blocks[r.block];
      if (spec === undefined || out === undefined) throw new MlmError(`The statistics hold a block '${r.block}' that the formula '${plan.formula}' does not make; they were computed for another formula.`);
      out.keys.push(normaliseKeys(plan, spec, r.keys));
      const m = (spec.bases.length * (spec.bases.length + 1)) / 2;
      for (let v = 0; v < m; v++) out.sums.push(Number(r.values[v] ?? 0));
    }
  }
  if (constRow === undefined || shiftRow === undefined) throw new MlmError("The statistics have no 'const' or 'shift' row; give the complete result of the query that `mlm sql` prints.");
  if (constRow.keys[0] !== plan.id) {
    throw new MlmError(`These statistics were computed for another formula or table layout (plan ${String(constRow.keys[0])}, expected ${plan.id} for '${plan.formula}'); compute them again with the same formula, weights and factors.`);
  }
  const n = Number(constRow.values[0]);
  const nAll = Number(constRow.values[1]);
  if (!(n > 0)) throw new MlmError(`No row of the table is complete for the formula '${plan.formula}' (${nAll} rows, all with a missing value in ${plan.columns.join(", ")}).`);
  const shift = [0];
  for (let b = 1; b < plan.bases.length; b++) shift.push(Number(shiftRow.values[b - 1]));
  return { format: "mlm-lmm-statistics", version: 1, plan, n, dropped: nAll - n, logW: Number(constRow.values[2] ?? 0), shift, blocks };
}

/**
 * The rows of the statistics query that a statistics object holds: the inverse of
 * {@link statisticsFromRows}, so that statistics can be written as the query's result table
 * (block, k1…, v1…) and read back exactly.
 *
 * @param stats - the statistics.
 * @returns the rows: 'const', 'shift', then each block's rows.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * const rows = statisticsRows(stats);
 * rows.length; // 20
 * rows.map((r) => r.block).slice(0, 3); // ["const", "shift", "term1"]
 * rows[0].values.slice(0, 3); // [180, 180, 0]
 * rows[1].values.slice(0, 2); // [4.5, 298.51]
 * ```
 */
export function statisticsRows(stats: LmmStatistics): StatisticsRow[] {
  const { plan } = stats;
  const pad = <T>(xs: T[], k: number): (T | null)[] => [...xs, ...Array.from({ length: k - xs.length }, () => null)];
  const rows: StatisticsRow[] = [
    { block: "const", keys: pad([plan.id], plan.nkeys), values: pad([stats.n, stats.n + stats.dropped, stats.logW], plan.nvalues) },
    { block: "shift", keys: pad([], plan.nkeys), values: pad(stats.shift.slice(1), plan.nvalues) },
  ];
  for (const spec of plan.blocks) {
    const blk = stats.blocks[spec.name];
    const m = (spec.bases.length * (spec.bases.length + 1)) / 2;
    blk.keys.forEach((key, r) => rows.push({ block: spec.name, keys: pad([...key], plan.nkeys), values: pad(blk.sums.slice(r * m, (r + 1) * m), plan.nvalues) }));
  }
  return rows;
}

/** Keys as text, numbers written as R writes them (the engine may write 1 as "1.0"). */
function normaliseKeys(plan: StatisticsPlan, spec: PlanBlock, keys: readonly (string | null)[]): string[] {
  const out: string[] = [];
  const numeric = [...spec.groupKeys.map((g) => plan.groups[g].numeric), ...spec.cellKeys.map((c) => plan.cells[c].numeric)];
  for (let k = 0; k < numeric.length; k++) {
    const v = keys[k];
    if (v === null || v === undefined) throw new MlmError(`A key of block '${spec.name}' is missing; the rows with a missing value should have been dropped by the query.`);
    const s = String(v);
    // integers as engines write them are already as R writes them (up to 15 digits)
    out.push(numeric[k] && !/^(0|-?[1-9]\d{0,14})$/.test(s) && s.trim() !== "" && Number.isFinite(Number(s)) ? formatNumber(Number(s)) : s);
  }
  return out;
}

/**
 * Move one packed row of sums to another centre, in place (see the file comment).
 *
 * @param s - the packed sums, nb(nb + 1)/2 values from `off`.
 * @param off - offset of the row.
 * @param delta - δ_i = old − new centre of each of the block's bases (δ_0 = 0).
 * @example
 * ```ts
 * // two rows, x = 0 and 2, centred at m = 1: Σ 1, Σ (x−1), Σ (x−1)²
 * const s = [2, 0, 2];
 *
 * // to the centre 0: Σ 1, Σ x, Σ x²
 * recentre(s, 0, [0, 1]);
 * s; // [2, 2, 4]
 * ```
 */
export function recentre(s: number[] | Float64Array, off: number, delta: readonly number[]): void {
  const nb = delta.length;
  const s00 = s[off];
  const col0 = new Float64Array(nb);
  for (let i = 0; i < nb; i++) col0[i] = s[off + i];
  for (let j = 0; j < nb; j++) {
    for (let i = j; i < nb; i++) {
      const p = off + packedIndex(i, j, nb);
      s[p] += delta[i] * col0[j] + delta[j] * col0[i] + delta[i] * delta[j] * s00;
    }
  }
}

/**
 * Add the statistics of partitions of one table (shards): the levels are unioned and the sums
 * of equal keys added, after moving every shard to a common centre.
 *
 * @param parts - statistics computed with the same formula, weights and factors.
 * @returns their sum.
 * @throws MlmError when the parts come from different formulas or plans, or when the formula
 *   uses a group mean and a group lies in more than one part (see {@link checkGroupMeans}).
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 *
 * // a table and a copy of it: every sum doubles
 * const both = mergeStatistics([stats, stats]);
 * [stats.n, both.n]; // [180, 360]
 * [stats.blocks.term1.sums[0], both.blocks.term1.sums[0]]; // [10, 20]
 * ```
 */
export function mergeStatistics(parts: readonly LmmStatistics[]): LmmStatistics {
  if (parts.length === 0) throw new MlmError("Give at least one statistics file to merge.");
  const first = parts[0];
  for (const p of parts) {
    if (p.format !== "mlm-lmm-statistics") throw new MlmError("One of the files is not an mlm statistics file (written by `mlm stats`).");
    if (p.plan.id !== first.plan.id) {
      const why = p.plan.formula !== first.plan.formula ? `'${first.plan.formula}' and '${p.plan.formula}'` : "the same formula with different weights, factors or column types";
      throw new MlmError(`The statistics files belong to different models (${why}); merge only files computed with the same formula and options.`);
    }
  }
  if (parts.length > 1) checkGroupMeans(parts);
  const plan = first.plan;
  const n = parts.reduce((s, p) => s + p.n, 0);
  const shift = plan.bases.map((_, b) => (b === 0 ? 0 : parts.reduce((s, p) => s + p.n * p.shift[b], 0) / n));
  const blocks: Record<string, StatisticsBlock> = {};
  for (const spec of plan.blocks) {
    const nb = spec.bases.length;
    const m = (nb * (nb + 1)) / 2;
    const index = new Map<string, number>();
    const keys: string[][] = [];
    const sums: number[] = [];
    for (const p of parts) {
      const blk = p.blocks[spec.name];
      const delta = spec.bases.map((b) => p.shift[b] - shift[b]);
      const row = new Float64Array(m);
      blk.keys.forEach((key, r) => {
        for (let v = 0; v < m; v++) row[v] = blk.sums[r * m + v];
        recentre(row, 0, delta);
        const id = key.join("\u0000");
        let at = index.get(id);
        if (at === undefined) {
          at = keys.length;
          index.set(id, at);
          keys.push(key);
          for (let v = 0; v < m; v++) sums.push(0);
        }
        for (let v = 0; v < m; v++) sums[at * m + v] += row[v];
      });
    }
    blocks[spec.name] = { keys, sums };
  }
  return {
    format: "mlm-lmm-statistics",
    version: 1,
    plan,
    n,
    dropped: parts.reduce((s, p) => s + p.dropped, 0),
    logW: parts.reduce((s, p) => s + p.logW, 0),
    shift,
    blocks,
  };
}

/**
 * Group means (`groupmean(x, g)`, `center(x, g)`) are computed by each shard over its own rows,
 * so shards add up to the statistics of the whole table exactly when every group of g lies in
 * one shard (a table partitioned by g). This checks that, from the levels of g in the blocks of
 * the random-effects terms grouped by g; when g groups no random-effects term the levels are not
 * in the statistics, and the merge is refused.
 *
 * @param parts - statistics of one plan, two or more.
 * @throws MlmError naming the group found in two parts, and the way out.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("model_frame_synth.csv"), "y ~ groupmean(x, grp) + (1 | grp)");
 *
 * // the same groups in two parts: the means of each part are not the table's
 * checkGroupMeans([stats, stats]); // throws MlmError: Statistics that use groupmean(x, grp) cannot be merged: group 'g01' of grp is in partitions 1 and 2…
 * ```
 */
export function checkGroupMeans(parts: readonly LmmStatistics[]): void {
  const plan = parts[0].plan;
  // the first atom that takes a mean by each key, and the key
  const keys = new Map<string, { label: string; key: unknown }>();
  const visit = (node: unknown, label: string): void => {
    if (node === null || typeof node !== "object") return;
    const n = node as { op?: string; by?: readonly unknown[] };
    if (n.op === "winmean" && n.by) for (const k of n.by) if (!keys.has(JSON.stringify(k))) keys.set(JSON.stringify(k), { label, key: k });
    for (const v of Object.values(n)) visit(v, label);
  };
  for (const a of plan.atoms) visit(a.node, a.label);
  for (const [id, { label, key }] of keys) {
    const g = plan.groups.findIndex((x) => JSON.stringify(x.key) === id);
    const block = g < 0 ? undefined : plan.blocks.find((b) => b.kind === "term" && b.groupKeys.length === 1 && b.groupKeys[0] === g);
    const k = key as { op: string; name?: string };
    const by = g >= 0 ? plan.groups[g].label : k.op === "key" && k.name !== undefined ? k.name : "its grouping variable";
    if (block === undefined) {
      throw new MlmError(`Statistics that use ${label} cannot be merged: each partition computed the means over its own rows, and as ${by} groups no random-effects term the statistics do not show whether a group was split over partitions; compute the statistics on the whole table.`);
    }
    // the first part of each level, and the levels found in two parts (the first, in sorted order, is named)
    const seen = new Map<string, number>();
    const split: [string, number, number][] = [];
    parts.forEach((p, i) => {
      for (const level of new Set(p.blocks[block.name].keys.map((k) => k[0]))) {
        const j = seen.get(level);
        if (j === undefined) seen.set(level, i);
        else split.push([level, j, i]);
      }
    });
    if (split.length > 0) {
      const [level, j, i] = split.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]))[0];
      throw new MlmError(`Statistics that use ${label} cannot be merged: group '${level}' of ${by} is in partitions ${j + 1} and ${i + 1}, which computed different means for it; partition the table by ${by} (each group in one partition), or compute the statistics on the whole table.`);
    }
  }
}

/**
 * Check that a parsed JSON value is a statistics object, and return it typed.
 *
 * @param value - the parsed JSON.
 * @param source - where it came from, for the message.
 * @returns the statistics.
 * @throws MlmError when it is not one.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)");
 * asStatistics(JSON.parse(JSON.stringify(stats)), "stats.json").plan.formula; // "Reaction ~ Days + (Days | Subject)"
 * asStatistics({ format: "csv" }, "'x.json'"); // throws MlmError: 'x.json' is not an mlm statistics file…
 * ```
 */
export function asStatistics(value: unknown, source: string): LmmStatistics {
  const v = value as Partial<LmmStatistics> | null;
  if (v === null || typeof v !== "object" || v.format !== "mlm-lmm-statistics" || v.plan === undefined || v.blocks === undefined) {
    throw new MlmError(`${source} is not an mlm statistics file; write one with \`mlm stats DATA "FORMULA" --out FILE\`.`);
  }
  if (v.version !== 1) throw new MlmError(`${source} is a statistics file of version ${String(v.version)}, which this mlm does not read; compute it again.`);
  return v as LmmStatistics;
}
