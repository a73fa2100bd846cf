/**
 * The syntax tree of an lme4-style model formula, and the expanded terms R's `terms()` makes of it.
 *
 * A formula `y ~ x * f + (x | g)` is parsed into an {@link Expr} tree, then expanded into a
 * {@link Formula}: the response, the fixed-effects {@link TermList} (intercept flag plus terms in
 * R's order: by interaction order, then by first appearance) and the random-effects terms.
 */

/** Binary operators of the formula language. `||` is lme4's uncorrelated random-effects bar. */
export type BinaryOp = "+" | "-" | "*" | "/" | ":" | "^" | "|" | "||" | "%in%";

/** One node of a parsed formula expression. */
export type Expr =
  /** A column name (written plainly or in backticks). */
  | { readonly kind: "name"; readonly name: string }
  /**
   * A numeric literal such as `1`, `0`, `2.5`, `Inf`. `integer` marks R's integer literals
   * written with an `L` suffix (`2L`), which R deparses with the suffix.
   */
  | { readonly kind: "number"; readonly value: number; readonly integer?: boolean }
  /**
   * A function call such as `log(x)`, `I(x^2)`, `poly(x, 2)`, `cbind(s, n - s)`. `names`, when
   * present, gives each argument's name (`raw` in `poly(x, 2, raw = TRUE)`) or undefined for a
   * positional argument; it has the same length as `args`.
   */
  | {
      readonly kind: "call";
      readonly fn: string;
      readonly args: readonly Expr[];
      readonly names?: readonly (string | undefined)[];
    }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "unary"; readonly op: "+" | "-"; readonly arg: Expr }
  | { readonly kind: "paren"; readonly inner: Expr };

/**
 * A variable of the model: one evaluable expression, such as a column `x`, `log(x)`, `I(age^2)`,
 * `poly(x, 2)` or `factor(YEAR)`. Its `label` is R's deparsed text, used in coefficient names.
 */
export interface Variable {
  readonly expr: Expr;
  readonly label: string;
}

/** A term: the interaction of one or more variables, labelled as R labels it (`a:b`). */
export interface Term {
  /** The labels of the variables in the term, in the order R's `terms()` lists them. */
  readonly variables: readonly string[];
  /** R's term label, e.g. `sex`, `I(age^2)`, `meanses:cses`. */
  readonly label: string;
  /** The number of variables (R's `order` attribute). */
  readonly order: number;
}

/** A right-hand side expanded into terms: whether it has an intercept, and its terms in R's order. */
export interface TermList {
  readonly intercept: boolean;
  readonly terms: readonly Term[];
}

/**
 * One random-effects term `(effects | group)` after expansion. `g1/g2` yields two terms (`g1` and
 * `g2:g1`) and `(a + b || g)` yields one uncorrelated term per effect, as lme4 does.
 */
export interface RandomTerm {
  /** The effects on the left of the bar. */
  readonly effects: TermList;
  /** The labels of the variables whose interaction is the grouping factor (one for a plain `g`). */
  readonly group: readonly string[];
  /** The grouping factor's name as lme4 prints it, e.g. `Subject`, `cask:batch`. */
  readonly groupLabel: string;
  /** False for the terms that `||` produced. */
  readonly correlated: boolean;
  /** The covariance structure written around the bar, e.g. `ar1` for `ar1(0 + time | g)`; unstructured when absent. */
  readonly structure?: CovStructureName;
}

/** Covariance structures a random-effects term may be written with (glmmTMB's names). */
export type CovStructureName = "us" | "diag" | "cs" | "ar1" | "toep";

/** A parsed and expanded model formula. */
export interface Formula {
  /** The formula text as the user gave it. */
  readonly text: string;
  /** The left-hand side, or undefined for a one-sided formula. */
  readonly response: Expr | undefined;
  /** The fixed-effects part. */
  readonly fixed: TermList;
  /** The random-effects terms, in the order written. */
  readonly random: readonly RandomTerm[];
  /** `offset(...)` expressions of the fixed part (their arguments). */
  readonly offsets: readonly Expr[];
  /** Every variable the formula uses, by label. */
  readonly variables: ReadonlyMap<string, Variable>;
}
