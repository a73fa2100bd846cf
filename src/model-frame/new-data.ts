/**
 * New data evaluated exactly as a fitted model frame was (for prediction): the same variables,
 * the transforms' fitted parameters (centres, scales, polynomial coefficients, group means), the
 * fit's factor levels and the columns of X that survived aliasing.
 */
import type { DataTable } from "../data/table.js";
import { MlmError } from "../errors.js";
import { columnsOf } from "../formula/columns.js";
import { completeRows } from "./complete-rows.js";
import { checkExpr, evaluateExpr, groupsOf, requireFinite, type EvalContext, type Value } from "./evaluate.js";
import { formulaParts, variableExpr } from "./formula-parts.js";
import { interactionGroups } from "./grouping-factor.js";
import { newLevelMessage } from "./messages.js";
import { evaluateOffsets } from "./offsets.js";
import { modelMatrix } from "./model-matrix.js";
import type { ModelFrame } from "./types.js";

/** The predictors of new data, laid out like a model frame's. */
export interface NewDataFrame {
  /** Fixed-effects matrix, n × frame.fixefNames.length, column-major. */
  readonly X: Float64Array;
  /** Summed offsets, or undefined when the formula has none. */
  readonly offset: Float64Array | undefined;
  /** Per random-effects term: each row's level in the fit (-1 for a level the fit did not see) and z. */
  readonly reterms: readonly { readonly refs: Int32Array; readonly z: Float64Array }[];
  /** Rows used. */
  readonly n: number;
  /** Index into the new data of each used row. */
  readonly rows: Int32Array;
  /** Rows dropped for a missing predictor. */
  readonly dropped: number;
}

/** A categorical (or numeric) value re-expressed on the fit's levels; -1 where a level is new. */
function onLevels(v: Value, levels: readonly string[]): Value {
  const { labels, codes } = groupsOf(v);
  const index = new Map(levels.map((l, k) => [l, k]));
  const map = labels.map((l) => index.get(l) ?? -1);
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : map[codes[i]];
  return { kind: "categorical", levels, codes: out };
}

/**
 * Evaluates new data with a model frame's formula, transforms and levels.
 *
 * Rows with a missing value in a predictor (fixed or random terms, grouping factors, offsets)
 * are dropped; the response and weights are not needed.
 *
 * @param frame - a frame from `modelFrame`.
 * @param data - the new data.
 * @returns X (the frame's columns), offsets, per-term refs and z, and the rows used.
 * @throws MlmError for a missing column, a fixed-effect factor level the fit did not see, or a
 *   non-finite value.
 * @example
 * ```ts
 * const frame = modelFrame(parseFormula("Reaction ~ scale(Days) + (1 | Subject)"), sleepstudy);
 * const nd = newDataFrame(frame, toDataTable({ Days: [0, 4.5, 9], Subject: ["308", "309", "999"] }));
 * nd.reterms[0].refs; // Int32Array [0, 1, -1] (-1: a subject the fit did not see)
 * nd.X; // Float64Array [1, 1, 1, -1.5623, 0, 1.5623] (Days scaled with the training mean and sd)
 * ```
 */
export function newDataFrame(frame: ModelFrame, data: DataTable): NewDataFrame {
  const formula = frame.formula;
  const transforms = frame.transforms;
  if (transforms === undefined) throw new Error("The model frame has no fitted transforms.");
  const parts = formulaParts(formula);
  const labels = [...new Set([...parts.fixed, ...parts.effects, ...parts.groups])];
  const used: string[] = [];
  for (const label of labels) {
    const e = variableExpr(formula, label);
    checkExpr(e, data, false);
    for (const c of columnsOf(e)) if (!used.includes(c)) used.push(c);
  }
  for (const e of formula.offsets) {
    checkExpr(e, data, false);
    for (const c of columnsOf(e)) if (!used.includes(c)) used.push(c);
  }
  const { rows } = completeRows(data, used);
  const n = rows.length;
  const ctx: EvalContext = { data, rows, mode: "predict", calls: new Map(transforms.calls) };

  const values = new Map<string, Value>();
  for (const label of labels) {
    let v = evaluateExpr(variableExpr(formula, label), ctx);
    const levels = transforms.xlevels.get(label);
    if (levels !== undefined) {
      v = onLevels(v, levels);
      if (v.kind === "categorical") {
        const bad = v.codes.indexOf(-1);
        if (bad >= 0) {
          const raw = groupsOf(evaluateExpr(variableExpr(formula, label), { ...ctx, rows: rows.subarray(bad, bad + 1) }));
          throw new MlmError(newLevelMessage(label, raw.labels[0], levels));
        }
      }
    } else if (v.kind === "numeric") {
      for (const c of v.columns) requireFinite(label, c, rows);
    }
    values.set(label, v);
  }

  const full = modelMatrix(formula.fixed, values, n);
  const position = new Map(full.names.map((name, j) => [name, j]));
  const X = new Float64Array(n * frame.fixefNames.length);
  frame.fixefNames.forEach((name, k) => {
    const j = position.get(name);
    if (j === undefined) throw new Error(`Column '${name}' of X could not be rebuilt for new data.`);
    X.set(full.matrix.subarray(j * n, (j + 1) * n), k * n);
  });

  const reterms = formula.random.map((r, t) => {
    const z = modelMatrix(r.effects, values, n).matrix;
    const { labels: groupLabels, codes } = interactionGroups(r.group.map((g) => values.get(g) as Value));
    const fitLevels = new Map(frame.reterms[t].group.levels.map((l, k) => [l, k]));
    const map = groupLabels.map((l) => fitLevels.get(l) ?? -1);
    const refs = new Int32Array(n);
    for (let i = 0; i < n; i++) refs[i] = map[codes[i]];
    return { refs, z };
  });

  return { X, offset: evaluateOffsets(formula.offsets, ctx), reterms, n, rows, dropped: data.nrows - n };
}
