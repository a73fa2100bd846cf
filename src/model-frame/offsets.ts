/**
 * Offsets: the `offset(...)` terms of a formula, evaluated and summed per row. An offset enters
 * the linear predictor with coefficient 1: eta = X beta + Z b + offset.
 */
import type { Expr } from "../formula/ast.js";
import { deparse } from "../formula/deparse.js";
import { MlmError } from "../errors.js";
import { evaluateExpr, requireFinite, type EvalContext } from "./evaluate.js";
import { notNumericMessage } from "./messages.js";

/**
 * The sum of the offset expressions on the context's rows.
 *
 * @param offsets - the arguments of the formula's `offset(...)` terms.
 * @param ctx - data and rows.
 * @returns one value per row, or undefined when there are no offsets.
 * @throws MlmError when an offset is categorical, has several columns or is not finite.
 * @example
 * ```ts
 * import { parseExpression } from "../formula/parser.js";
 * // offset(log(exposure)) with exposure = [1, e]
 * const ctx = { data: toDataTable({ exposure: [1, Math.E] }), rows: Int32Array.of(0, 1), mode: "fit" as const, calls: new Map() };
 * evaluateOffsets([parseExpression("log(exposure)")], ctx); // Float64Array [0, 1]
 * ```
 */
export function evaluateOffsets(offsets: readonly Expr[], ctx: EvalContext): Float64Array | undefined {
  if (offsets.length === 0) return undefined;
  const total = new Float64Array(ctx.rows.length);
  for (const e of offsets) {
    const label = `offset(${deparse(e)})`;
    const v = evaluateExpr(e, ctx);
    if (v.kind !== "numeric") throw new MlmError(notNumericMessage(deparse(e), "an offset"));
    if (v.columns.length !== 1) throw new MlmError(`${label} has ${v.columns.length} columns; an offset needs one.`);
    requireFinite(label, v.columns[0], ctx.rows);
    const x = v.columns[0];
    for (let i = 0; i < total.length; i++) total[i] += x[i];
  }
  return total;
}
