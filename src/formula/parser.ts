/**
 * The parser of the formula language: turns formula text into {@link Expr} trees with R's
 * operator precedence.
 *
 * Precedence, loosest first, as in R's grammar (`?Syntax`): `~`; `|` and `||`; binary `+ -`;
 * `* /`; `%in%`; `:`; unary `+ -`; `^` (right-associative, and `a^-b` is `a^(-b)`). All binary
 * operators but `^` associate to the left. Function calls take positional and `name = value`
 * arguments.
 */
import { MlmError } from "../errors.js";
import type { BinaryOp, Expr } from "./ast.js";
import { tokenize, type Token } from "./lexer.js";
import { messages, reasons, syntaxError } from "./messages.js";

/** The two sides of a formula as written, before any expansion. */
export interface FormulaSyntax {
  /** The expression left of `~`, or undefined for a one-sided formula `~ x`. */
  readonly lhs: Expr | undefined;
  /** The expression right of `~`. */
  readonly rhs: Expr;
}

/** Binding power of each binary operator (higher binds tighter). */
const BINARY_POWER: ReadonlyMap<string, number> = new Map(Object.entries({
  "|": 20,
  "||": 20,
  "&": 25,
  "&&": 25,
  "==": 30,
  "!=": 30,
  "<": 30,
  ">": 30,
  "<=": 30,
  ">=": 30,
  "+": 40,
  "-": 40,
  "*": 50,
  "/": 50,
  "%in%": 60,
  ":": 70,
  "^": 90,
}));

/** Binding power of unary `!`: looser than comparisons, so `!x == 1` is `!(x == 1)`, as in R. */
const NOT_POWER = 27;

/** Binding power of unary `+` and `-`: above `:`, below `^`. */
const UNARY_POWER = 80;

/**
 * The deepest expression tree accepted (levels of nesting, including long chains such as
 * `a + b + ...`), so that no later recursive walk can exhaust the call stack.
 */
export const MAX_DEPTH = 500;

/** Words that R parses as constants; `Inf` and `NaN` become numbers, the others stay names. */
const NUMERIC_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["Inf", Infinity],
  ["NaN", NaN],
]);

/**
 * Parse the text of a formula into its left and right sides.
 *
 * @param text - the formula, e.g. `"y ~ x * f + (1 | g)"`.
 * @returns the syntax trees of both sides.
 * @throws MlmError for syntax errors (with position and caret), a missing `~`, an empty side.
 * @example
 * ```ts
 * parseFormulaSyntax("y ~ a:b").rhs;
 * // { kind: "binary", op: ":", left: { kind: "name", name: "a" }, right: { kind: "name", name: "b" } }
 * ```
 */
export function parseFormulaSyntax(text: string): FormulaSyntax {
  const tokens = tokenize(text);
  const parser = new Parser(text, tokens);
  if (tokens[0].kind === "end") throw new MlmError(messages.empty);
  let lhs: Expr | undefined;
  if (!parser.atOp("~")) {
    lhs = parser.expression(0);
    if (parser.peek().kind === "end") throw new MlmError(messages.missingTilde(text.trim()));
    if (!parser.atOp("~")) parser.unexpected(parser.peek());
  }
  parser.next(); // the "~"
  if (parser.peek().kind === "end") throw new MlmError(messages.emptyRight(text.trim()));
  const rhs = parser.expression(0);
  const after = parser.peek();
  if (after.kind !== "end") {
    if (after.kind === "op" && after.text === "~") {
      throw new MlmError(syntaxError(text, after.start, reasons.secondTilde));
    }
    parser.unexpected(after);
  }
  return { lhs, rhs };
}

/**
 * Parse one expression (no `~`), e.g. the argument of a call or a grouping factor.
 *
 * @param text - the expression.
 * @returns its syntax tree.
 * @throws MlmError for syntax errors.
 * @example
 * ```ts
 * parseExpression("log(x)"); // { kind: "call", fn: "log", args: [{ kind: "name", name: "x" }] }
 * ```
 */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  const parser = new Parser(text, tokens);
  if (tokens[0].kind === "end") throw new MlmError(syntaxError(text, 0, reasons.unexpectedEnd));
  const expr = parser.expression(0);
  if (parser.peek().kind !== "end") parser.unexpected(parser.peek());
  return expr;
}

/** A Pratt parser over the token list. */
class Parser {
  private position = 0;
  /** Current recursion depth of {@link Parser.expression}. */
  private nesting = 0;
  /** Depth of each node built (1 for leaves), to bound the depth of left-deep chains. */
  private readonly depths = new WeakMap<Expr, number>();

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  peek(): Token {
    return this.tokens[this.position];
  }

  next(): Token {
    const token = this.tokens[this.position];
    if (token.kind !== "end") this.position++;
    return token;
  }

  atOp(op: string): boolean {
    const token = this.peek();
    return token.kind === "op" && token.text === op;
  }

  unexpected(token: Token): never {
    if (token.kind === "end") throw new MlmError(syntaxError(this.text, token.start, reasons.unexpectedEnd));
    if (token.kind === "op" && token.text === "~") {
      throw new MlmError(syntaxError(this.text, token.start, reasons.tildeInside));
    }
    const what =
      token.kind === "name"
        ? `name '${token.text}'`
        : token.kind === "number"
          ? `number ${token.text}`
          : `'${token.text}'`;
    throw new MlmError(syntaxError(this.text, token.start, reasons.unexpected(what)));
  }

  /** Parse an expression whose binary operators all bind tighter than `minPower`. */
  expression(minPower: number): Expr {
    if (++this.nesting > MAX_DEPTH) this.tooDeep();
    try {
      let left = this.prefix();
      for (;;) {
        const token = this.peek();
        if (token.kind !== "op" || token.text === "~") return left;
        const power = BINARY_POWER.get(token.text);
        if (power === undefined || power <= minPower) return left;
        this.next();
        // `^` is right-associative; every other operator is left-associative.
        const right = this.expression(token.text === "^" ? power - 1 : power);
        left = this.node({ kind: "binary", op: token.text as BinaryOp, left, right }, [left, right]);
      }
    } finally {
      this.nesting--;
    }
  }

  /** Record a node's depth (one more than its deepest child) and fail beyond {@link MAX_DEPTH}. */
  private node(expr: Expr, children: readonly Expr[]): Expr {
    const depth = 1 + children.reduce((m, c) => Math.max(m, this.depths.get(c) ?? 1), 0);
    if (depth > MAX_DEPTH) this.tooDeep();
    this.depths.set(expr, depth);
    return expr;
  }

  private tooDeep(): never {
    throw new MlmError(messages.tooDeep(MAX_DEPTH));
  }

  /** Parse an operand: a name, call, number, parenthesised expression or unary operator. */
  private prefix(): Expr {
    const token = this.next();
    switch (token.kind) {
      case "number":
        return numberLiteral(token.text);
      case "name": {
        if (this.peek().kind === "(") return this.call(token);
        const constant = token.quoted ? undefined : NUMERIC_CONSTANTS.get(token.text);
        if (constant !== undefined) return { kind: "number", value: constant };
        if (!token.quoted && token.text === ".") throw new MlmError(messages.dot);
        return { kind: "name", name: token.text };
      }
      case "(": {
        const inner = this.expression(0);
        this.close(token);
        return this.node({ kind: "paren", inner }, [inner]);
      }
      case "op":
        if (token.text === "+" || token.text === "-") {
          const arg = this.expression(UNARY_POWER);
          return this.node({ kind: "unary", op: token.text, arg }, [arg]);
        }
        if (token.text === "!") {
          const arg = this.expression(NOT_POWER);
          return this.node({ kind: "unary", op: "!", arg }, [arg]);
        }
        return this.unexpected(token);
      default:
        return this.unexpected(token);
    }
  }

  /** Parse the arguments of a call to `fn`, whose `(` is the next token. */
  private call(fn: Token): Expr {
    const open = this.next();
    const args: Expr[] = [];
    const names: (string | undefined)[] = [];
    if (this.peek().kind === ")") {
      this.next();
      return { kind: "call", fn: fn.text, args };
    }
    for (;;) {
      let name: string | undefined;
      const first = this.peek();
      if (first.kind === "name" && this.tokens[this.position + 1]?.kind === "=") {
        name = first.text;
        this.next();
        this.next();
      }
      if (this.peek().kind === "end") this.close(open);
      args.push(this.expression(0));
      names.push(name);
      const sep = this.peek();
      if (sep.kind === ",") {
        this.next();
        continue;
      }
      this.close(open);
      break;
    }
    const call: Expr = names.some((n) => n !== undefined)
      ? { kind: "call", fn: fn.text, args, names }
      : { kind: "call", fn: fn.text, args };
    return this.node(call, args);
  }

  /** Consume the `)` that closes `open`, or fail naming the unclosed parenthesis. */
  private close(open: Token): void {
    const token = this.peek();
    if (token.kind === ")") {
      this.next();
      return;
    }
    if (token.kind === "end") throw new MlmError(syntaxError(this.text, open.start, reasons.unclosed));
    this.unexpected(token);
  }
}

/** A number token's value; `L` marks an R integer literal. */
function numberLiteral(text: string): Expr {
  if (text.endsWith("L")) return { kind: "number", value: Number(text.slice(0, -1)), integer: true };
  return { kind: "number", value: Number(text) };
}
