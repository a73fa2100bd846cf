/**
 * The columns of X and of each random-effects term's Z as linear combinations of a plan's bases
 * within each cell, named and ordered as R's `model.matrix` names and orders them (treatment
 * contrasts; R's rule for when a factor is coded by contrasts or by all its indicators).
 *
 * A column is cond × Σ_b coef_b · base_b, where cond says which level each of its categorical
 * variables must take (an indicator), and the sum runs over bases (products of atoms). The
 * data-dependent calls are formed from the unweighted moments block (sums about the sample mean
 * m̄ over the complete rows):
 *
 *     center(x) = x − x̄,   scale(x) = (x − c) / s,   s = √(Σ(x − c)² / (n − 1)),
 *     poly(x, d)_k = Σ_j G_kj (x^j − m̄_j),  G = L⁻¹ with L L' = C the covariance matrix of
 *     (x, x², …, x^d): orthonormal polynomials of degrees 1..d, as R's poly() (its monic
 *     orthogonal polynomials divided by their norms).
 */
import { MlmError } from "../errors.js";
import { compareCodePoints } from "../data/code-point-order.js";
import type { TermList } from "../formula/ast.js";
import { cholesky, invertLower } from "../linalg/dense.js";
import { singleLevelFactorMessage } from "../model-frame/messages.js";
import { planCoding, type PlanVariable, type StatisticsPlan } from "./statistics-plan.js";
import { packedIndex, type LmmStatistics } from "./statistics.js";

/** One column of X or Z. */
export interface ModelColumn {
  readonly name: string;
  /** (cell, level) pairs the row must match for the column to be non-zero. */
  readonly cond: readonly (readonly [number, string])[];
  /** (base, coefficient) pairs. */
  readonly lin: readonly (readonly [number, number])[];
}

/** A variable's contribution before multiplication into terms. */
interface Piece {
  readonly name: string;
  readonly cond: readonly (readonly [number, string])[];
  /** monomial key (atoms joined by ",") → coefficient */
  readonly lin: ReadonlyMap<string, number>;
}

/**
 * The levels of each cell variable seen in the statistics, sorted as R sorts them.
 *
 * @param stats - the statistics.
 * @returns per cell variable, its levels.
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const { stats } = await duckdbStatistics(dataFile("Machines.csv"), "score ~ Machine + (1 | Worker)");
 * cellLevels(stats); // [["A", "B", "C"]]
 * ```
 */
export function cellLevels(stats: LmmStatistics): string[][] {
  const { plan } = stats;
  const sets = plan.cells.map(() => new Set<string>());
  for (const spec of plan.blocks) {
    const blk = stats.blocks[spec.name];
    const g = spec.groupKeys.length;
    spec.cellKeys.forEach((c, k) => {
      for (const key of blk.keys) sets[c].add(key[g + k]);
    });
  }
  return plan.cells.map((c, i) => {
    const levels = [...sets[i]];
    return c.numericLevels ? levels.sort((a, b) => Number(a) - Number(b)) : levels.sort(compareCodePoints);
  });
}

/** The fitted constants of each data-dependent call, keyed by variable label. */
type Transforms = Map<string, { coef: Float64Array; constant: Float64Array }>;

function fitTransforms(stats: LmmStatistics): Transforms {
  const { plan } = stats;
  const out: Transforms = new Map();
  const spec = plan.blocks.find((b) => b.kind === "moments");
  if (spec === undefined) return out;
  const blk = stats.blocks[spec.name];
  const nb = spec.bases.length;
  const s = blk.sums;
  const n = s[0];
  const at = (base: number): number => {
    const i = spec.bases.indexOf(base);
    if (i < 0) throw new Error("moments block lacks a base");
    return i;
  };
  const baseOf = (atom: number, power: number): number => plan.bases.findIndex((b) => b.length === power && b.every((a) => a === atom));
  // mean and covariance about the sample mean of bases i, j
  const mean = (i: number): number => stats.shift[spec.bases[i]] + s[packedIndex(i, 0, nb)] / n;
  const cov = (i: number, j: number): number => {
    const [a, b] = i >= j ? [i, j] : [j, i];
    return s[packedIndex(a, b, nb)] - (s[packedIndex(i, 0, nb)] * s[packedIndex(j, 0, nb)]) / n;
  };
  for (const [label, v] of Object.entries(plan.variables)) {
    if (v.kind !== "transform") continue;
    if (v.call === "poly") {
      const d = v.degree;
      const idx = Array.from({ length: d }, (_, k) => at(baseOf(v.atom, k + 1)));
      const L = new Float64Array(d * d);
      for (let j = 0; j < d; j++) for (let i = j; i < d; i++) L[i + j * d] = cov(idx[i], idx[j]);
      if (cholesky(L, d, d) >= 0) throw new MlmError(`'${label}' needs at least ${d + 1} distinct values of its variable in the rows used.`);
      invertLower(L, d, d);
      const constant = new Float64Array(d);
      for (let k = 0; k < d; k++) for (let j = 0; j <= k; j++) constant[k] -= L[k + j * d] * mean(idx[j]);
      out.set(label, { coef: L, constant });
    } else {
      const i = at(baseOf(v.atom, 1));
      const xbar = mean(i);
      const c = v.center === true ? xbar : v.center === false ? 0 : v.center;
      let sd = 1;
      if (v.call === "scale" && v.scale !== false) {
        sd = v.scale === true ? Math.sqrt((cov(i, i) + n * (xbar - c) * (xbar - c)) / (n - 1)) : v.scale;
        if (!(sd > 0)) throw new MlmError(`'${label}' divides by a scale of ${sd}: its variable is constant in the rows used; remove the term.`);
      }
      out.set(label, { coef: Float64Array.of(1 / sd), constant: Float64Array.of(-c / sd) });
    }
  }
  return out;
}

/** The columns of a term list (X, or one term's Z), in R's order. */
function listColumns(list: TermList, plan: StatisticsPlan, levels: readonly string[][], transforms: Transforms): ModelColumn[] {
  const coding = planCoding(list, plan);
  const pieces: Piece[] = [];
  const monoKey = (atoms: readonly number[]): string => atoms.join(",");
  const variablePieces = (label: string, v: PlanVariable, code: number): Piece[] => {
    if (v.kind === "atom") return [{ name: label, cond: [], lin: new Map([[monoKey([v.atom]), 1]]) }];
    if (v.kind === "categorical") {
      const lv = levels[v.cell];
      if (lv.length < 2) throw new MlmError(singleLevelFactorMessage(label, lv[0] ?? ""));
      return lv.slice(code === 2 ? 0 : 1).map((l) => ({ name: label + l, cond: [[v.cell, l] as const], lin: new Map([["", 1]]) }));
    }
    const t = transforms.get(label);
    if (t === undefined) throw new Error(`no fitted transform for ${label}`);
    const d = v.degree;
    const out: Piece[] = [];
    for (let k = 0; k < d; k++) {
      const lin = new Map<string, number>([["", t.constant[k]]]);
      for (let j = 0; j <= k; j++) lin.set(monoKey(new Array<number>(j + 1).fill(v.atom)), v.call === "poly" ? t.coef[k + j * d] : t.coef[0]);
      out.push({ name: v.call === "poly" ? label + String(k + 1) : label, cond: [], lin });
    }
    return out;
  };
  if (list.intercept) pieces.push({ name: "(Intercept)", cond: [], lin: new Map([["", 1]]) });
  list.terms.forEach((term, j) => {
    let acc: Piece[] = [{ name: "", cond: [], lin: new Map([["", 1]]) }];
    term.variables.forEach((label, k) => {
      const own = variablePieces(label, plan.variables[label], coding[j][k]);
      const next: Piece[] = [];
      for (const b of own) {
        for (const a of acc) {
          const lin = new Map<string, number>();
          for (const [ka, ca] of a.lin) {
            for (const [kb, cb] of b.lin) {
              const atoms = [...(ka ? ka.split(",") : []), ...(kb ? kb.split(",") : [])].map(Number).sort((x, y) => x - y);
              const key = monoKey(atoms);
              lin.set(key, (lin.get(key) ?? 0) + ca * cb);
            }
          }
          next.push({ name: a.name === "" ? b.name : a.name + ":" + b.name, cond: [...a.cond, ...b.cond], lin });
        }
      }
      acc = next;
    });
    pieces.push(...acc);
  });
  const baseIndex = new Map(plan.bases.map((b, i) => [monoKey(b), i]));
  return pieces.map((p) => ({
    name: p.name,
    cond: p.cond,
    lin: [...p.lin].map(([k, c]) => {
      const b = baseIndex.get(k);
      if (b === undefined) throw new Error(`the plan lacks the base ${k}`);
      return [b, c] as const;
    }),
  }));
}

/** The model's columns: X (before aliased columns are dropped), each term's Z, and y. */
export interface ModelColumns {
  readonly X: readonly ModelColumn[];
  readonly Z: readonly (readonly ModelColumn[])[];
  readonly y: ModelColumn;
  readonly levels: readonly string[][];
}

/**
 * X, Z and y of a model as combinations of the plan's bases.
 *
 * @param stats - the statistics (for the levels and the moments of data-dependent calls).
 * @param fixed - the formula's fixed-effects term list.
 * @param effects - each random-effects term's effects, in formula order.
 * @returns the columns, named as R names them.
 * @throws MlmError for a single-level factor or a degenerate scale() or poly().
 * @example
 * ```ts
 * import { duckdbStatistics } from "../io/duckdb.js";
 * const f = parseFormula("Reaction ~ poly(Days, 2) + (Days | Subject)");
 * const { stats } = await duckdbStatistics(dataFile("sleepstudy.csv"), f.text);
 * const cols = modelColumns(stats, f.fixed, f.random.map((r) => r.effects));
 * cols.X.map((c) => c.name); // ["(Intercept)", "poly(Days, 2)1", "poly(Days, 2)2"]
 * cols.Z[0].map((c) => c.name); // ["(Intercept)", "Days"]
 * ```
 */
export function modelColumns(stats: LmmStatistics, fixed: TermList, effects: readonly TermList[]): ModelColumns {
  const levels = cellLevels(stats);
  const transforms = fitTransforms(stats);
  const X = listColumns(fixed, stats.plan, levels, transforms);
  const Z = effects.map((e) => listColumns(e, stats.plan, levels, transforms));
  const y: ModelColumn = { name: stats.plan.responseLabel, cond: [], lin: [[stats.plan.response, 1]] };
  return { X, Z, y, levels };
}
