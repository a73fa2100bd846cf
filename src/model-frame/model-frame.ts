/**
 * The model frame: a parsed formula evaluated on a data table, as R's `model.frame` +
 * `model.matrix` and lme4's `lFormula` make it.
 *
 * Steps: check every column and function the formula names; drop rows with a missing value in
 * any column it uses (response, fixed and random terms, grouping factors, offsets, weights);
 * evaluate the variables on the remaining rows (data-dependent transforms learn from those rows
 * only); build X with treatment contrasts and drop aliased columns (pivoted QR, tolerance 1e-7);
 * build each random-effects term's grouping factor and model matrix z.
 */
import type { Expr, Formula } from "../formula/ast.js";
import type { DataTable } from "../data/table.js";
import { MlmError } from "../errors.js";
import { message, type Message } from "../messages.js";
import { columnsOf } from "../formula/columns.js";
import { aliasedColumns } from "./aliased-columns.js";
import { completeRows } from "./complete-rows.js";
import { checkExpr, evaluateExpr, requireFinite, requireUsableColumn, type EvalContext, type Value } from "./evaluate.js";
import { evaluateOffsets } from "./offsets.js";
import { formulaParts, requireEffects, variableExpr } from "./formula-parts.js";
import { groupingFactor } from "./grouping-factor.js";
import {
  aliasedMessage,
  droppedRowsMessage,
  duplicatedTermMessage,
  noResponseMessage,
  noRowsMessage,
  unknownColumnMessage,
  weightsMessage,
  structureLevelsMessage,
} from "./messages.js";
import { modelMatrix } from "./model-matrix.js";
import { evaluateResponse, requireNumericResponse } from "./response.js";
import type { FittedTransform, ModelFrame, ReTermFrame } from "./types.js";

/** Options of {@link modelFrame}. */
export interface ModelFrameOptions {
  /** Name of a numeric column of non-negative prior weights. */
  readonly weights?: string;
  /**
   * The model is linear (gaussian): a categorical response is refused, with the suggestion of a
   * binomial model for two levels, as lme4's `lmer` refuses a factor response.
   */
  readonly numericResponse?: boolean;
}

/**
 * Drops levels no row uses, keeping the order of the others (R's `drop.unused.levels`).
 *
 * @param v - a value.
 * @returns the value with only used levels (numeric values unchanged).
 * @example
 * ```ts
 * dropUnusedLevels({ kind: "categorical", levels: ["a", "b", "c"], codes: Int32Array.of(2, 0) });
 * // { kind: "categorical", levels: ["a", "c"], codes: Int32Array [1, 0] }
 * ```
 */
export function dropUnusedLevels(v: Value): Value {
  if (v.kind === "numeric") return v;
  const used = new Uint8Array(v.levels.length);
  for (const c of v.codes) if (c >= 0) used[c] = 1;
  if (used.every((u) => u === 1)) return v;
  const map = new Int32Array(v.levels.length).fill(-1);
  const levels: string[] = [];
  v.levels.forEach((l, k) => {
    if (used[k]) {
      map[k] = levels.length;
      levels.push(l);
    }
  });
  const codes = new Int32Array(v.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = v.codes[i] < 0 ? -1 : map[v.codes[i]];
  return { kind: "categorical", levels, codes };
}

/** Adds each name to `out` once, keeping first-appearance order. */
function addAll(out: string[], names: readonly string[]): void {
  for (const name of names) if (!out.includes(name)) out.push(name);
}

/**
 * Evaluates a formula on a data table: response, fixed-effects matrix X, random-effects terms.
 *
 * @param formula - the parsed formula (from `parseFormula`).
 * @param data - the data table.
 * @param options - `weights`: name of a column of prior weights.
 * @returns the model frame on the rows without missing values.
 * @throws MlmError for unknown columns or functions, a missing response, no complete rows,
 *   non-finite evaluated values, categorical values where numbers are needed, a categorical
 *   response with more than two levels, single-level factors or grouping factors, and invalid
 *   weights.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("Reaction ~ Days + (Days | Subject)"), sleepstudy);
 * frame.fixefNames;              // ["(Intercept)", "Days"]
 * frame.reterms[0].cnms;         // ["(Intercept)", "Days"]
 * frame.reterms[0].group.levels.length; // 18
 * ```
 */
export function modelFrame(formula: Formula, data: DataTable, options: ModelFrameOptions = {}): ModelFrame {
  if (formula.response === undefined) throw new MlmError(noResponseMessage(formula.text));
  const parts = formulaParts(formula);
  const exprOf = (label: string): Expr => variableExpr(formula, label);

  // 1. check columns and functions
  checkExpr(formula.response, data, true);
  for (const label of [...parts.fixed, ...parts.effects, ...parts.groups]) checkExpr(exprOf(label), data, false);
  for (const e of formula.offsets) checkExpr(e, data, false);
  const used: string[] = [];
  addAll(used, columnsOf(formula.response));
  for (const label of [...parts.fixed, ...parts.effects, ...parts.groups]) addAll(used, columnsOf(exprOf(label)));
  for (const e of formula.offsets) addAll(used, columnsOf(e));
  for (const v of formula.variables.values()) addAll(used, columnsOf(v.expr));
  for (const name of used) requireUsableColumn(data, name);
  const weightsName = options.weights;
  if (weightsName !== undefined) {
    if (data.columns.has(weightsName)) requireUsableColumn(data, weightsName);
    const w = data.columns.get(weightsName);
    if (w === undefined) throw new MlmError(unknownColumnMessage(weightsName, data.names));
    if (w.kind !== "numeric") throw new MlmError(weightsMessage(weightsName, "is categorical"));
    addAll(used, [weightsName]);
  }

  // 2. missing values
  const { rows, missingIn } = completeRows(data, used);
  const n = rows.length;
  const dropped = data.nrows - n;
  if (n === 0) throw new MlmError(noRowsMessage(data.nrows, missingIn));
  const messages: Message[] = [];
  if (dropped > 0) messages.push(message("rows-dropped", droppedRowsMessage(dropped, data.nrows, missingIn)));

  // 3. variables, learnt on the used rows
  const calls = new Map<string, FittedTransform>();
  const ctx: EvalContext = { data, rows, mode: "fit", calls };
  const values = new Map<string, Value>();
  const xlevels = new Map<string, readonly string[]>();
  for (const label of [...parts.fixed, ...parts.effects, ...parts.groups]) {
    if (values.has(label)) continue;
    const v = dropUnusedLevels(evaluateExpr(exprOf(label), ctx));
    if (v.kind === "numeric") for (const c of v.columns) requireFinite(label, c, rows);
    values.set(label, v);
  }
  for (const label of [...parts.fixed, ...parts.effects]) {
    const v = values.get(label) as Value;
    if (v.kind === "categorical") xlevels.set(label, v.levels);
  }
  const response = evaluateResponse(formula.response, ctx);
  if (options.numericResponse === true) requireNumericResponse(response);

  // 4. fixed effects
  const full = modelMatrix(formula.fixed, values, n);
  const pFull = full.names.length;
  const aliasedIdx = aliasedColumns(full.matrix, n, pFull);
  let X = full.matrix;
  let fixefNames = full.names;
  const aliased = aliasedIdx.map((j) => full.names[j]);
  if (aliasedIdx.length > 0) {
    const drop = new Set(aliasedIdx);
    const keep = [...full.names.keys()].filter((j) => !drop.has(j));
    X = new Float64Array(n * keep.length);
    keep.forEach((j, k) => X.set(full.matrix.subarray(j * n, (j + 1) * n), k * n));
    fixefNames = keep.map((j) => full.names[j]);
    messages.push(message("aliased-columns", aliasedMessage(aliased)));
  }

  // 5. random effects
  const reterms: ReTermFrame[] = formula.random.map((r) => {
    requireEffects(r.effects, r.groupLabel);
    if (r.structure) {
      // a structure over the levels of a factor (ar1(0 + time | g)) needs two levels or more
      for (const t of r.effects.terms) {
        for (const label of t.variables) {
          const v = values.get(label) as Value;
          if (v.kind === "categorical" && v.levels.length < 2) throw new MlmError(structureLevelsMessage(r.structure, label, v.levels[0] ?? "", r.groupLabel));
        }
      }
    }
    const zm = modelMatrix(r.effects, values, n);
    const group = groupingFactor(r.groupLabel, r.group.map((g) => values.get(g) as Value));
    const term: { -readonly [K in keyof ReTermFrame]: ReTermFrame[K] } = { group, cnms: zm.names, z: zm.matrix, correlated: r.correlated };
    if (r.structure) term.structure = r.structure; // assigned, not spread: a spread literal takes V8's slow path
    return term;
  });

  // a term written twice: its variance cannot be split between the copies
  const seen = new Set<string>();
  reterms.forEach((t, k) => {
    const key = `${t.group.name}\u0000${t.cnms.join("\u0000")}`;
    if (seen.has(key)) messages.push(message("duplicated-term", duplicatedTermMessage(t.cnms, formula.random[k].groupLabel)));
    seen.add(key);
  });

  // 6. offsets and weights
  const offset = evaluateOffsets(formula.offsets, ctx);
  let weights: Float64Array | undefined;
  if (weightsName !== undefined) {
    const col = data.columns.get(weightsName);
    if (col?.kind !== "numeric") throw new Error("weights column vanished");
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = col.values[rows[i]];
      if (!Number.isFinite(w)) throw new MlmError(weightsMessage(weightsName, `is not finite in row ${rows[i] + 1}`));
      if (w < 0) throw new MlmError(weightsMessage(weightsName, `is negative in row ${rows[i] + 1}`));
      weights[i] = w;
    }
  }

  return {
    formula,
    n,
    dropped,
    rows,
    response,
    X,
    fixefNames,
    aliased,
    offset,
    reterms,
    messages,
    weights,
    transforms: { calls, xlevels, fullFixefNames: full.names },
  };
}
