/**
 * The formula language of mlm: parsing lme4-style model formulas, R's term expansion, and
 * printing expressions and formulas back as R would.
 */
export type { BinaryOp, Expr, Formula, RandomTerm, Term, TermList, Variable } from "./ast.js";
export { columnsOf } from "./columns.js";
export { deparse, deparseName, formatNumber } from "./deparse.js";
export { formatFormula } from "./format-formula.js";
export { parseFormula } from "./formula.js";
export { parseExpression } from "./parser.js";
