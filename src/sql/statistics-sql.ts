/**
 * The SQL of a {@link StatisticsPlan}: one self-contained query, standard SQL with the dialect's
 * quoting and casts, whose result rows are the statistics.
 *
 *     WITH d AS (SELECT keys, atoms, weight FROM table WHERE every used column IS NOT NULL),
 *          -- keys stay as stored (grouping on integers is faster) and become text after GROUP BY
 *          k AS (SELECT AVG(b_1), …, AVG(b_B) FROM d),                 -- centres of the bases
 *          c AS (SELECT keys, weight, b_1 − k.m1, … FROM d CROSS JOIN k)
 *     SELECT 'const', n, n_all, Σ log w  FROM d
 *     UNION ALL SELECT 'shift', k.m1, …  FROM k
 *     UNION ALL SELECT 'term1', keys, Σ w c_i c_j (i ≥ j)  FROM c GROUP BY keys
 *     UNION ALL …                                             -- one branch per block
 *
 * Every branch has the columns `block, k1 … kK` (text) and `v1 … vV` (double), padded with NULL.
 */
import { dialect as spellingOf, quoteTable, type DialectSpelling, type SqlDialect } from "./dialect.js";
import type { KeyNode, PlanBlock, SqlNode, StatisticsPlan } from "./statistics-plan.js";

/**
 * A SQL expression for a dialect-neutral tree.
 *
 * @param n - the tree.
 * @param d - the dialect.
 * @returns the expression text.
 * @example
 * ```ts
 * sqlExpression({ op: "^", left: { op: "col", name: "Days" }, right: { op: "num", value: 2 } }, dialect("duckdb"));
 * // "(CAST(\"Days\" AS DOUBLE) * CAST(\"Days\" AS DOUBLE))"
 * ```
 */
export function sqlExpression(n: SqlNode, d: DialectSpelling): string {
  switch (n.op) {
    case "col":
      return `CAST(${d.quote(n.name)} AS ${d.double})`;
    case "num":
      return `CAST(${numberLiteral(n.value)} AS ${d.double})`;
    case "neg":
      return `(-${sqlExpression(n.arg, d)})`;
    case "^": {
      if (n.right.op === "num" && n.right.value === 2) {
        const x = sqlExpression(n.left, d);
        return `(${x} * ${x})`;
      }
      return `POWER(${sqlExpression(n.left, d)}, ${sqlExpression(n.right, d)})`;
    }
    case "+":
    case "-":
    case "*":
    case "/":
      return `(${sqlExpression(n.left, d)} ${n.op} ${sqlExpression(n.right, d)})`;
    case "fn": {
      const x = sqlExpression(n.arg, d);
      switch (n.fn) {
        case "ln":
          return `LN(${x})`;
        case "log2":
          return d.log2(x);
        case "log10":
          return d.log10(x);
        case "log1p":
          return `LN(1 + ${x})`;
        case "exp":
          return `EXP(${x})`;
        case "sqrt":
          return `SQRT(${x})`;
        case "abs":
          return `ABS(${x})`;
      }
      throw new Error("unreachable");
    }
    case "logb":
      return `(LN(${sqlExpression(n.arg, d)}) / LN(CAST(${numberLiteral(n.base)} AS ${d.double})))`;
    case "winmean":
      return `AVG(${sqlExpression(n.arg, d)}) OVER (PARTITION BY ${n.by.map((k) => rawKey(k, d)).join(", ")})`;
  }
}

/** A key as stored in the data: the column itself, or a numeric expression (grouped on as is). */
function rawKey(k: KeyNode, d: DialectSpelling): string {
  return k.op === "numkey" ? sqlExpression(k.arg, d) : d.quote(k.name);
}

/** A key as text (booleans as FALSE/TRUE, as R writes them), cast after grouping. */
function textKey(k: KeyNode, raw: string, d: DialectSpelling): string {
  if (k.op === "key" && k.boolean) return `CASE WHEN ${raw} THEN 'TRUE' ELSE 'FALSE' END`;
  return `CAST(${raw} AS ${d.text})`;
}

/** A finite number as a SQL literal that every engine reads exactly. */
function numberLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`not a finite literal: ${v}`);
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toExponential(17);
}

/**
 * The query that computes a plan's statistics on a table.
 *
 * @param plan - the plan (from `statisticsPlan`).
 * @param table - the table, as a name (`schema.table`, quoted part by part) or, with
 *   `{ raw: true }`, as SQL text placed after FROM as is (e.g. `read_parquet('x.parquet')`).
 * @param dialectName - the engine's dialect.
 * @param options - `raw`: use `table` verbatim.
 * @returns the SQL text.
 * @example
 * ```ts
 * const plan = statisticsPlan(parseFormula("Reaction ~ Days + (1 | Subject)"),
 *   [{ name: "Reaction", categorical: false }, { name: "Days", categorical: false }, { name: "Subject", categorical: true }]);
 * const sql = statisticsSql(plan, "sleep", "postgres");
 * sql.startsWith("WITH d AS ("); // true
 * sql.includes('FROM "sleep"'); // true
 * ```
 */
export function statisticsSql(plan: StatisticsPlan, table: string, dialectName: SqlDialect | string, options: { raw?: boolean } = {}): string {
  const d = spellingOf(dialectName);
  const from = options.raw ? table : quoteTable(d, table);
  const { nkeys, nvalues } = plan;
  const nullText = `CAST(NULL AS ${d.text})`;
  const nullDouble = `CAST(NULL AS ${d.double})`;
  const weighted = plan.weights !== undefined;

  // d: keys, atoms and weight of the complete rows
  const dCols: string[] = [];
  // keys are grouped on as stored (integers hash faster than text) and cast to text afterwards
  plan.groups.forEach((g, i) => dCols.push(`${rawKey(g.key, d)} AS g${i}`));
  plan.cells.forEach((c, i) => dCols.push(`${rawKey(c.key, d)} AS f${i}`));
  plan.atoms.forEach((a, i) => dCols.push(`${sqlExpression(a.node, d)} AS a${i}`));
  if (weighted) dCols.push(`CAST(${d.quote(plan.weights as string)} AS ${d.double}) AS w`);
  const where = plan.columns.map((c) => `${d.quote(c)} IS NOT NULL`).join(" AND ");
  const baseExpr = (b: number): string => plan.bases[b].map((a) => `a${a}`).join(" * ");

  const lines: string[] = [];
  lines.push("WITH d AS (");
  lines.push(`  SELECT ${dCols.join(",\n         ")}`);
  lines.push(`  FROM ${from}`);
  if (where) lines.push(`  WHERE ${where}`);
  lines.push("),");
  const B = plan.bases.length;
  const kCols: string[] = [];
  for (let b = 1; b < B; b++) kCols.push(`AVG(${baseExpr(b)}) AS m${b}`);
  lines.push(`k AS (SELECT ${kCols.join(", ")} FROM d),`);
  const cCols: string[] = [];
  plan.groups.forEach((_, i) => cCols.push(`d.g${i}`));
  plan.cells.forEach((_, i) => cCols.push(`d.f${i}`));
  if (weighted) cCols.push("d.w");
  for (let b = 1; b < B; b++) cCols.push(`${plan.bases[b].map((a) => `d.a${a}`).join(" * ")} - k.m${b} AS b${b}`);
  lines.push(`c AS (SELECT ${cCols.join(", ")} FROM d CROSS JOIN k)`);

  const row = (block: string, keys: string[], values: string[], rest: string): string => {
    const k = [...keys];
    while (k.length < nkeys) k.push(nullText);
    const v = [...values];
    while (v.length < nvalues) v.push(nullDouble);
    const cols = [`'${block}' AS block`, ...k.map((x, i) => `${x} AS k${i + 1}`), ...v.map((x, i) => `${x} AS v${i + 1}`)];
    return `SELECT ${cols.join(", ")}\n  ${rest}`;
  };
  const branches: string[] = [];
  branches.push(
    row(
      "const",
      [`'${plan.id}'`],
      [`CAST(COUNT(*) AS ${d.double})`, `CAST((SELECT COUNT(*) FROM ${from}) AS ${d.double})`, weighted ? "SUM(LN(w))" : `CAST(0 AS ${d.double})`],
      "FROM d",
    ),
  );
  const shifts: string[] = [];
  for (let b = 1; b < B; b++) shifts.push(`k.m${b}`);
  branches.push(row("shift", [], shifts, "FROM k"));
  for (const block of plan.blocks) branches.push(blockBranch(block, plan, d, row));
  lines.push(branches.join("\nUNION ALL\n"));
  return lines.join("\n") + "\n";
}

function blockBranch(block: PlanBlock, plan: StatisticsPlan, d: DialectSpelling, row: (block: string, keys: string[], values: string[], rest: string) => string): string {
  const keys = [...block.groupKeys.map((g) => `g${g}`), ...block.cellKeys.map((f) => `f${f}`)];
  const texts = [...block.groupKeys.map((g) => textKey(plan.groups[g].key, `g${g}`, d)), ...block.cellKeys.map((f) => textKey(plan.cells[f].key, `f${f}`, d))];
  const w = block.weighted && plan.weights !== undefined;
  const values: string[] = [];
  const bs = block.bases;
  for (let j = 0; j < bs.length; j++) {
    for (let i = j; i < bs.length; i++) {
      const factors = [...(w ? ["w"] : []), ...(bs[i] > 0 ? [`b${bs[i]}`] : []), ...(bs[j] > 0 ? [`b${bs[j]}`] : [])];
      values.push(factors.length === 0 ? `CAST(COUNT(*) AS ${d.double})` : `SUM(${factors.join(" * ")})`);
    }
  }
  const rest = keys.length > 0 ? `FROM c GROUP BY ${keys.join(", ")}` : "FROM c";
  return row(block.name, texts, values, rest);
}
