/**
 * The data columns an expression reads.
 */
import type { Expr } from "./ast.js";

/** Names R parses as constants rather than variables. */
const CONSTANTS = new Set(["TRUE", "FALSE", "NA", "NULL", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_"]);

/**
 * The names of the data columns an expression reads, in order of first appearance.
 *
 * Function names, argument names (`raw` in `poly(x, 2, raw = TRUE)`), numbers and R's constants
 * (`TRUE`, `FALSE`, `NA`, `NULL`) are not columns; every other name is.
 *
 * @param expr - an expression, e.g. a variable of a formula.
 * @returns the column names, each once.
 * @example
 * ```ts
 * import { parseExpression } from "./parser.js";
 * columnsOf(parseExpression("cbind(incidence, size - incidence)")); // ["incidence", "size"]
 * columnsOf(parseExpression("poly(x, 2, raw = TRUE)"));              // ["x"]
 * ```
 */
export function columnsOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const walk = (node: Expr): void => {
    switch (node.kind) {
      case "name":
        if (!CONSTANTS.has(node.name)) seen.add(node.name);
        return;
      case "number":
        return;
      case "call":
        node.args.forEach(walk);
        return;
      case "binary":
        walk(node.left);
        walk(node.right);
        return;
      case "unary":
        walk(node.arg);
        return;
      case "paren":
        walk(node.inner);
        return;
    }
  };
  walk(expr);
  return [...seen];
}
