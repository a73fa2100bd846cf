/**
 * SQL dialects: the few places where engines differ in the statistics queries. Everything else
 * is standard SQL (WITH, CROSS JOIN, GROUP BY, SUM, COUNT, AVG, CAST, UNION ALL, window AVG).
 *
 * | dialect  | identifiers | text type | double type      | log2(x)     | log10(x)     |
 * |----------|-------------|-----------|------------------|-------------|--------------|
 * | duckdb   | "x"         | VARCHAR   | DOUBLE           | LOG2(x)     | LOG10(x)     |
 * | postgres | "x"         | TEXT      | DOUBLE PRECISION | LOG(2, x)   | LOG(10, x)   |
 * | spark    | `x`         | STRING    | DOUBLE           | LOG2(x)     | LOG10(x)     |
 * | bigquery | `x`         | STRING    | FLOAT64          | LOG(x, 2)   | LOG10(x)     |
 * | trino    | "x"         | VARCHAR   | DOUBLE           | LOG2(x)     | LOG10(x)     |
 */
import { MlmError } from "../errors.js";

/** The SQL dialects the statistics queries are written for. */
export type SqlDialect = "duckdb" | "postgres" | "spark" | "bigquery" | "trino";

/** Every supported dialect, for option lists. */
export const SQL_DIALECTS: readonly SqlDialect[] = ["duckdb", "postgres", "spark", "bigquery", "trino"];

/** How one dialect spells the constructs that differ between engines. */
export interface DialectSpelling {
  readonly name: SqlDialect;
  /** Quote one identifier (a column or table name part). */
  quote(name: string): string;
  /** The type to cast text keys to. */
  readonly text: string;
  /** The type of double-precision numbers. */
  readonly double: string;
  /** log base 2 of an expression. */
  log2(x: string): string;
  /** log base 10 of an expression. */
  log10(x: string): string;
}

const doubleQuoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const backQuoted = (name: string): string => `\`${name.replace(/`/g, "\\`")}\``;

const SPELLINGS: Record<SqlDialect, DialectSpelling> = {
  duckdb: { name: "duckdb", quote: doubleQuoted, text: "VARCHAR", double: "DOUBLE", log2: (x) => `LOG2(${x})`, log10: (x) => `LOG10(${x})` },
  postgres: { name: "postgres", quote: doubleQuoted, text: "TEXT", double: "DOUBLE PRECISION", log2: (x) => `LOG(2, ${x})`, log10: (x) => `LOG(10, ${x})` },
  spark: { name: "spark", quote: backQuoted, text: "STRING", double: "DOUBLE", log2: (x) => `LOG2(${x})`, log10: (x) => `LOG10(${x})` },
  bigquery: { name: "bigquery", quote: backQuoted, text: "STRING", double: "FLOAT64", log2: (x) => `LOG(${x}, 2)`, log10: (x) => `LOG10(${x})` },
  trino: { name: "trino", quote: doubleQuoted, text: "VARCHAR", double: "DOUBLE", log2: (x) => `LOG2(${x})`, log10: (x) => `LOG10(${x})` },
};

/**
 * The spelling of a dialect.
 *
 * @param name - one of {@link SQL_DIALECTS}.
 * @returns its spelling.
 * @throws MlmError for an unknown dialect.
 * @example
 * ```ts
 * dialect("postgres").quote("Days"); // "\"Days\""
 * dialect("bigquery").double;        // "FLOAT64"
 * ```
 */
export function dialect(name: string): DialectSpelling {
  const d = SPELLINGS[name as SqlDialect];
  if (d === undefined) throw new MlmError(`The SQL dialect '${name}' is not supported; use one of ${SQL_DIALECTS.join(", ")}.`);
  return d;
}

/**
 * Quote a possibly qualified table name (`schema.table`), part by part.
 *
 * @param d - the dialect.
 * @param table - the table name as the user wrote it; parts separated by dots.
 * @returns the quoted name.
 * @example
 * ```ts
 * quoteTable(dialect("duckdb"), "main.sleep"); // "\"main\".\"sleep\""
 * ```
 */
export function quoteTable(d: DialectSpelling, table: string): string {
  return table.split(".").map((p) => d.quote(p)).join(".");
}
