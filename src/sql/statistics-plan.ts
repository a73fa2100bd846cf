/**
 * The plan of the statistics a linear mixed model needs from its data, worked out from the
 * formula and the names and kinds (numeric or categorical) of the table's columns alone.
 *
 * A linear mixed model sees the data only through A = [Z X y]'W[Z X y] (Bates et al. 2015,
 * JSS 67(1), section 3; see src/lmm/cross-products.ts): per level of each grouping factor the
 * sums Σ z z', Σ [X y] z'; per pair of co-occurring levels of two factors Σ z_s z_t'; and X'X,
 * X'y, y'y. Every column of X and Z is, on the rows of one *cell* (a combination of the levels of
 * the categorical variables), a linear combination of *bases*: products of numeric *atoms*
 * (column expressions such as `Days`, `log(x)`, `I(Days^2)`) with treatment-contrast indicators
 * depending only on the cell. So the queries need only
 *
 *     S_cell[b, b'] = Σ_{rows of the cell} w · b · b'
 *
 * over the bases b, b' of each block, grouped by the block's grouping levels and cells. That
 * needs no factor levels in advance (they come back as group keys), adds up across partitions
 * of the table, and leaves the contrasts, interactions, `center()`, `scale()` and `poly()` to
 * be formed from the sums afterwards (statistics.ts). `groupmean(x, g)` and `center(x, g)` are
 * atoms computed by a window AVG over the complete rows.
 *
 * Precision: each base is centred at its mean over the complete rows (a first aggregate, k),
 * so that the sums do not cancel; the shifts are returned and undone exactly afterwards.
 */
import { MlmError } from "../errors.js";
import type { Expr, Formula, TermList } from "../formula/ast.js";
import { columnsOf } from "../formula/columns.js";
import { deparse } from "../formula/deparse.js";
import { formulaParts, requireEffects, variableExpr } from "../model-frame/formula-parts.js";
import { matchArguments } from "../model-frame/evaluate.js";
import { termCoding, type VariableCoding } from "../model-frame/model-matrix.js";
import { closestName } from "../data/closest-name.js";

/** A column of the table: its name and whether it holds categories (text, boolean) or numbers. */
export interface TableColumn {
  readonly name: string;
  readonly categorical: boolean;
  /** True for a boolean column (its levels are FALSE and TRUE, as in R). */
  readonly boolean?: boolean;
}

/** A numeric per-row expression of the data, in dialect-neutral form (see {@link SqlNode}). */
export interface PlanAtom {
  /** R's label, for messages. */
  readonly label: string;
  readonly node: SqlNode;
}

/**
 * A dialect-neutral SQL expression tree: columns cast to double, literals, arithmetic, the
 * functions of the formula language, and the window mean of an expression by a key.
 */
export type SqlNode =
  | { readonly op: "col"; readonly name: string }
  | { readonly op: "num"; readonly value: number }
  | { readonly op: "neg"; readonly arg: SqlNode }
  | { readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: SqlNode; readonly right: SqlNode }
  | { readonly op: "fn"; readonly fn: "ln" | "log2" | "log10" | "log1p" | "exp" | "sqrt" | "abs"; readonly arg: SqlNode }
  | { readonly op: "logb"; readonly arg: SqlNode; readonly base: number }
  | { readonly op: "winmean"; readonly arg: SqlNode; readonly by: readonly KeyNode[] };

/** A text key of a row: a column (cast to text; booleans as FALSE/TRUE) or a numeric expression. */
export type KeyNode = { readonly op: "key"; readonly name: string; readonly boolean: boolean } | { readonly op: "numkey"; readonly arg: SqlNode };

/** A categorical variable of X or Z (a cell variable): its key and how its levels sort. */
export interface PlanCell {
  readonly label: string;
  readonly key: KeyNode;
  /** Levels sort as numbers (`factor(x)` of a numeric x), else in code-point order. */
  readonly numericLevels: boolean;
  /** The key is a number: levels are written as R writes numbers. */
  readonly numeric: boolean;
}

/** A grouping variable of a random-effects term. */
export interface PlanGroup {
  readonly label: string;
  readonly key: KeyNode;
  /** The key is a number: levels are written as R writes numbers. */
  readonly numeric: boolean;
}

/** How a variable of X or Z enters its terms' columns. */
export type PlanVariable =
  | { readonly kind: "atom"; readonly atom: number }
  | { readonly kind: "categorical"; readonly cell: number }
  | {
      readonly kind: "transform";
      readonly call: "center" | "scale" | "poly";
      readonly atom: number;
      /** Number of columns (poly's degree; 1 for center and scale). */
      readonly degree: number;
      /** scale's and center's `center` argument: TRUE, FALSE or a number. */
      readonly center: boolean | number;
      /** scale's `scale` argument. */
      readonly scale: boolean | number;
    };

/** One block of sums: grouped by grouping levels and cells, over a list of bases. */
export interface PlanBlock {
  readonly name: string;
  readonly kind: "term" | "pair" | "moments";
  /** Random-effects terms (formula order) the block belongs to: one for "term", two for "pair". */
  readonly terms: readonly number[];
  /** Group keys first (indices into `groups`), then cell keys (indices into `cells`). */
  readonly groupKeys: readonly number[];
  readonly cellKeys: readonly number[];
  /** Bases (indices into `bases`, ascending, the constant 0 first). */
  readonly bases: readonly number[];
  /** Sums weighted by the prior weights (all but the moments block). */
  readonly weighted: boolean;
}

/** Everything the queries compute and how to read their result; plain JSON. */
export interface StatisticsPlan {
  readonly formula: string;
  /** Column of prior weights, if any. */
  readonly weights: string | undefined;
  /** Columns declared categorical although numeric (`--factor`), sorted. */
  readonly factors: readonly string[];
  /** Columns the formula uses (rows with a missing value in any are dropped). */
  readonly columns: readonly string[];
  readonly atoms: readonly PlanAtom[];
  /** Each base is a product of atoms (indices, ascending, repeated for powers); base 0 is 1. */
  readonly bases: readonly (readonly number[])[];
  readonly cells: readonly PlanCell[];
  readonly groups: readonly PlanGroup[];
  /** Variables of X and Z by label. */
  readonly variables: Readonly<Record<string, PlanVariable>>;
  /** The base of the response (minus offsets). */
  readonly response: number;
  readonly responseLabel: string;
  /** Per random-effects term (formula order): its grouping variables (indices into `groups`). */
  readonly termGroups: readonly (readonly number[])[];
  readonly blocks: readonly PlanBlock[];
  /** Number of key and value columns of the result. */
  readonly nkeys: number;
  readonly nvalues: number;
  /** A digest of everything above: statistics files with the same id can be merged. */
  readonly id: string;
}

/** Options of {@link statisticsPlan}. */
export interface StatisticsPlanOptions {
  /** Column of prior weights. */
  readonly weights?: string;
  /** Numeric columns to treat as categorical. */
  readonly factors?: readonly string[];
}

const FUNCTIONS = new Set(["log", "log2", "log10", "log1p", "exp", "sqrt", "abs"]);

/**
 * The plan of the statistics of a linear mixed model.
 *
 * @param formula - the parsed formula.
 * @param columns - the table's columns; a formula name that is not among them is an error.
 * @param options - weights and columns to treat as categorical.
 * @returns the plan (JSON-serialisable).
 * @throws MlmError for unknown columns, terms SQL cannot express (`cbind`, data-dependent calls
 *   nested in arithmetic, `as.numeric` of a category), a categorical response, or no random term.
 * @example
 * ```ts
 * const plan = statisticsPlan(parseFormula("Reaction ~ Days + (Days | Subject)"),
 *   [{ name: "Reaction", categorical: false }, { name: "Days", categorical: false }, { name: "Subject", categorical: false }]);
 * plan.blocks.map((b) => b.name); // ["term1"]
 * plan.bases.length;              // 3 (1, Days, Reaction)
 * ```
 */
export function statisticsPlan(formula: Formula, columns: readonly TableColumn[], options: StatisticsPlanOptions = {}): StatisticsPlan {
  if (formula.response === undefined) throw new MlmError(`The formula '${formula.text}' has no response; write it as 'y ~ ...'.`);
  if (formula.random.length === 0) {
    throw new MlmError("The formula has no random-effects term such as (1 | group); add one, or use ordinary regression for a model without grouping.");
  }
  const factors = [...(options.factors ?? [])].sort();
  const byName = new Map(columns.map((c) => [c.name, c]));
  const names = columns.map((c) => c.name);
  const column = (name: string): TableColumn => {
    const c = byName.get(name);
    if (c === undefined) {
      const near = closestName(name, names);
      throw new MlmError(near !== undefined ? `Column '${name}' is not in the table; did you mean '${near}'?` : `Column '${name}' is not in the table (its columns are ${names.slice(0, 8).map((n) => `'${n}'`).join(", ")}).`);
    }
    return c;
  };
  const isCategoricalColumn = (name: string): boolean => column(name).categorical || factors.includes(name);

  const parts = formulaParts(formula);
  const used: string[] = [];
  const addUsed = (e: Expr): void => {
    for (const n of columnsOf(e)) {
      column(n);
      if (!used.includes(n)) used.push(n);
    }
  };
  addUsed(formula.response);
  for (const label of [...parts.fixed, ...parts.effects, ...parts.groups]) addUsed(variableExpr(formula, label));
  for (const e of formula.offsets) addUsed(e);
  if (options.weights !== undefined) {
    const w = column(options.weights);
    if (w.categorical) throw new MlmError(`The weights column '${options.weights}' is categorical; prior weights must be positive numbers.`);
    if (!used.includes(options.weights)) used.push(options.weights);
  }

  const atoms: PlanAtom[] = [];
  const atomIndex = new Map<string, number>();
  const addAtom = (label: string, node: SqlNode): number => {
    const key = JSON.stringify(node);
    let i = atomIndex.get(key);
    if (i === undefined) {
      i = atoms.length;
      atoms.push({ label, node });
      atomIndex.set(key, i);
    }
    return i;
  };
  const notSql = (what: string, why: string): MlmError => new MlmError(`The term '${what}' cannot be computed in SQL (${why}); rewrite it, or fit the data in memory without --engine.`);

  // the text key of a categorical or grouping expression
  // numericOrder: levels sort as numbers (factor() of a number); numeric: the key is a number
  const keyOf = (e: Expr, where: string, inFactor = false): { key: KeyNode; numeric: boolean; numericOrder: boolean } => {
    if (e.kind === "paren") return keyOf(e.inner, where, inFactor);
    if (e.kind === "name") {
      const c = column(e.name);
      if (c.categorical) return { key: { op: "key", name: e.name, boolean: c.boolean === true }, numeric: false, numericOrder: false };
      return { key: { op: "key", name: e.name, boolean: false }, numeric: true, numericOrder: inFactor };
    }
    if (e.kind === "call" && (e.fn === "factor" || e.fn === "as.factor")) return keyOf(matchArguments(e).get("x") as Expr, where, true);
    return { key: { op: "numkey", arg: numericNode(e, where) }, numeric: true, numericOrder: inFactor };
  };

  // a numeric expression as a SQL tree
  const numericNode = (e: Expr, where: string): SqlNode => {
    switch (e.kind) {
      case "name":
        if (isCategoricalColumn(e.name)) throw new MlmError(`'${e.name}' is categorical and cannot be used in arithmetic in '${where}'.`);
        return { op: "col", name: e.name };
      case "number":
        return { op: "num", value: e.value };
      case "paren":
        return numericNode(e.inner, where);
      case "unary":
        return e.op === "-" ? { op: "neg", arg: numericNode(e.arg, where) } : numericNode(e.arg, where);
      case "binary":
        if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" || e.op === "^") return { op: e.op, left: numericNode(e.left, where), right: numericNode(e.right, where) };
        throw notSql(where, `the operator '${e.op}' is not arithmetic`);
      case "call": {
        const args = matchArguments(e);
        const x = args.get("x") as Expr;
        if (e.fn === "I") return numericNode(x, where);
        if (e.fn === "as.numeric") {
          if (x.kind === "name" && isCategoricalColumn(x.name)) throw notSql(deparse(e), "the level numbers of a category depend on all its levels");
          return numericNode(x, where);
        }
        if (e.fn === "log") {
          const base = args.get("base");
          if (base === undefined) return { op: "fn", fn: "ln", arg: numericNode(x, where) };
          const b = literal(base);
          if (typeof b !== "number") throw notSql(deparse(e), "the base must be a number");
          return { op: "logb", arg: numericNode(x, where), base: b };
        }
        if (FUNCTIONS.has(e.fn)) return { op: "fn", fn: e.fn as "log2", arg: numericNode(x, where) };
        if (e.fn === "groupmean" || (e.fn === "center" && args.has("g"))) {
          const g = keyOf(args.get("g") as Expr, where).key;
          const mean: SqlNode = { op: "winmean", arg: numericNode(x, where), by: [g] };
          return e.fn === "groupmean" ? mean : { op: "-", left: numericNode(x, where), right: mean };
        }
        if (e.fn === "cbind") throw notSql(deparse(e), "cbind() is for binomial responses, and a linear mixed model needs one numeric response");
        throw notSql(deparse(e), `${e.fn}() depends on all the rows and is supported only as a whole variable, not inside another expression`);
      }
    }
  };

  // variables of X and Z
  const cells: PlanCell[] = [];
  const variables: Record<string, PlanVariable> = {};
  for (const label of [...parts.fixed, ...parts.effects]) {
    if (variables[label] !== undefined) continue;
    const e = variableExpr(formula, label);
    const bare = e.kind === "paren" ? e.inner : e;
    const categorical = (bare.kind === "name" && isCategoricalColumn(bare.name)) || (bare.kind === "call" && (bare.fn === "factor" || bare.fn === "as.factor"));
    if (categorical) {
      const k = keyOf(bare, label);
      variables[label] = { kind: "categorical", cell: cells.length };
      cells.push({ label, key: k.key, numericLevels: k.numericOrder, numeric: k.numeric });
      continue;
    }
    if (bare.kind === "call" && (bare.fn === "scale" || bare.fn === "poly" || (bare.fn === "center" && bare.args.length === 1))) {
      const args = matchArguments(bare);
      const atom = addAtom(deparse(args.get("x") as Expr), numericNode(args.get("x") as Expr, label));
      let degree = 1;
      if (bare.fn === "poly") {
        const d = args.has("degree") ? literal(args.get("degree") as Expr) : 1;
        if (typeof d !== "number" || !Number.isInteger(d) || d < 1) throw new MlmError(`In '${label}', the degree must be a whole number of at least 1.`);
        const raw = args.has("raw") ? literal(args.get("raw") as Expr) : false;
        if (raw === true || raw === 1) {
          throw notSql(label, "write raw polynomials as I(x^2) terms instead");
        }
        degree = d;
      }
      const opt = (name: string): boolean | number => {
        const a = args.get(name);
        if (a === undefined) return true;
        const v = literal(a);
        if (v === undefined) throw new MlmError(`In '${label}', '${name}' must be TRUE, FALSE or a number.`);
        return v;
      };
      variables[label] = { kind: "transform", call: bare.fn as "poly", atom, degree, center: bare.fn === "poly" ? true : opt("center"), scale: bare.fn === "scale" ? opt("scale") : false };
      continue;
    }
    variables[label] = { kind: "atom", atom: addAtom(label, numericNode(e, label)) };
  }

  // the response, minus the offsets
  const responseLabel = deparse(formula.response);
  const r = formula.response.kind === "paren" ? formula.response.inner : formula.response;
  if (r.kind === "name" && isCategoricalColumn(r.name)) throw new MlmError(`The response '${r.name}' is categorical; a linear mixed model needs a numeric response.`);
  let yNode = numericNode(formula.response, responseLabel);
  for (const off of formula.offsets) yNode = { op: "-", left: yNode, right: numericNode(off, `offset(${deparse(off)})`) };
  const yAtom = addAtom(responseLabel, yNode);

  // grouping variables
  const groups: PlanGroup[] = [];
  const termGroups = formula.random.map((rt) => {
    requireEffects(rt.effects, rt.groupLabel);
    return rt.group.map((g) => {
      let i = groups.findIndex((x) => x.label === g);
      if (i < 0) {
        const k = keyOf(variableExpr(formula, g), rt.groupLabel);
        i = groups.length;
        groups.push({ label: g, key: k.key, numeric: k.numeric });
      }
      return i;
    });
  });

  // bases: the monomials of every column of X, Z and y
  const bases: number[][] = [[]];
  const baseIndex = new Map<string, number>([["", 0]]);
  const addBase = (m: readonly number[]): number => {
    const key = m.join(",");
    let i = baseIndex.get(key);
    if (i === undefined) {
      i = bases.length;
      bases.push([...m]);
      baseIndex.set(key, i);
    }
    return i;
  };
  const support = (v: PlanVariable): number[][] => {
    if (v.kind === "categorical") return [[]];
    if (v.kind === "atom") return [[v.atom]];
    return Array.from({ length: v.degree + 1 }, (_, k) => new Array<number>(k).fill(v.atom));
  };
  const listSupport = (list: TermList): { bases: Set<number>; cells: Set<number> } => {
    const out = new Set<number>([0]);
    const cellSet = new Set<number>();
    for (const t of list.terms) {
      let mons: number[][] = [[]];
      for (const label of t.variables) {
        const v = variables[label];
        if (v.kind === "categorical") cellSet.add(v.cell);
        const s = support(v);
        mons = mons.flatMap((a) => s.map((b) => [...a, ...b].sort((x, y) => x - y)));
      }
      for (const m of mons) out.add(addBase(m));
    }
    return { bases: out, cells: cellSet };
  };
  const fixed = listSupport(formula.fixed);
  const yBase = addBase([yAtom]);
  const effects = formula.random.map((rt) => listSupport(rt.effects));

  const sorted = (s: Iterable<number>): number[] => [...new Set(s)].sort((a, b) => a - b);
  const blocks: PlanBlock[] = [];
  formula.random.forEach((_, t) => {
    blocks.push({
      name: `term${t + 1}`,
      kind: "term",
      terms: [t],
      groupKeys: termGroups[t],
      cellKeys: sorted([...fixed.cells, ...effects[t].cells]),
      bases: sorted([...fixed.bases, ...effects[t].bases, yBase]),
      weighted: true,
    });
  });
  for (let s = 0; s < formula.random.length; s++) {
    for (let t = s + 1; t < formula.random.length; t++) {
      blocks.push({
        name: `pair${s + 1}_${t + 1}`,
        kind: "pair",
        terms: [s, t],
        groupKeys: [...termGroups[s], ...termGroups[t]],
        cellKeys: sorted([...effects[s].cells, ...effects[t].cells]),
        bases: sorted([...effects[s].bases, ...effects[t].bases]),
        weighted: true,
      });
    }
  }
  const transformBases: number[] = [0];
  for (const v of Object.values(variables)) {
    if (v.kind !== "transform") continue;
    for (let k = 1; k <= v.degree; k++) transformBases.push(addBase(new Array<number>(k).fill(v.atom)));
  }
  if (transformBases.length > 1) blocks.push({ name: "moments", kind: "moments", terms: [], groupKeys: [], cellKeys: [], bases: sorted(transformBases), weighted: false });

  const nkeys = Math.max(1, ...blocks.map((b) => b.groupKeys.length + b.cellKeys.length));
  const nvalues = Math.max(3, bases.length - 1, ...blocks.map((b) => (b.bases.length * (b.bases.length + 1)) / 2));
  const body = { formula: formula.text, weights: options.weights, factors, columns: used, atoms, bases, cells, groups, variables, response: yBase, responseLabel, termGroups, blocks, nkeys, nvalues };
  return { ...body, id: digest(JSON.stringify(body)) };
}

/** The value of a literal argument: a number, TRUE/FALSE, or undefined for anything else. */
function literal(e: Expr): number | boolean | undefined {
  if (e.kind === "number") return e.value;
  if (e.kind === "unary" && e.op === "-" && e.arg.kind === "number") return -e.arg.value;
  if (e.kind === "name" && (e.name === "TRUE" || e.name === "T")) return true;
  if (e.kind === "name" && (e.name === "FALSE" || e.name === "F")) return false;
  return undefined;
}

/**
 * A short hexadecimal digest (two 32-bit FNV-1a hashes) of a string, to tell plans apart.
 *
 * @param s - the text.
 * @returns 16 hexadecimal digits.
 * @example
 * ```ts
 * digest("abc"); // "1a47e90bb7090a75"
 * ```
 */
export function digest(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    h2 ^= h2 >>> 15;
  }
  return h1.toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/** The coding of each variable of each term of a term list (R's rule; see model-matrix.ts). */
export function planCoding(list: TermList, plan: Pick<StatisticsPlan, "variables">): VariableCoding[][] {
  return termCoding(list, (label) => plan.variables[label]?.kind === "categorical");
}

/**
 * The plan of a model on a table whose schema is not at hand (`mlm sql`): every column the
 * formula names exists, and those listed in `factors` (text or numbers) are categorical.
 *
 * @param formula - the parsed formula.
 * @param options - weights and the categorical columns.
 * @returns the plan.
 * @throws MlmError as {@link statisticsPlan}.
 * @example
 * ```ts
 * schemaFreePlan(parseFormula("score ~ Machine + (1 | Worker)"), { factors: ["Machine"] }).cells[0].label; // "Machine"
 * ```
 */
export function schemaFreePlan(formula: Formula, options: StatisticsPlanOptions = {}): StatisticsPlan {
  const names = new Set<string>();
  const add = (e: Expr | undefined): void => {
    if (e) for (const n of columnsOf(e)) names.add(n);
  };
  add(formula.response);
  for (const v of formula.variables.values()) add(v.expr);
  for (const e of formula.offsets) add(e);
  const parts = formulaParts(formula);
  for (const label of [...parts.fixed, ...parts.effects, ...parts.groups]) add(variableExpr(formula, label));
  if (options.weights !== undefined) names.add(options.weights);
  return statisticsPlan(formula, [...names].map((name) => ({ name, categorical: false })), options);
}
