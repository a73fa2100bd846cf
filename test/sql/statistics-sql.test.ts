// The SQL of a plan in each dialect: the same structure, with quoting, casts and logarithms as
// each engine spells them. (DuckDB and PostgreSQL run it in test/io/duckdb.test.ts and
// test/sql/postgres.test.ts.)
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { statisticsPlan } from "../../src/sql/statistics-plan.js";
import { sqlExpression, statisticsSql } from "../../src/sql/statistics-sql.js";
import { SQL_DIALECTS, dialect, quoteTable } from "../../src/sql/dialect.js";
import { parseFormula } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";

const cols = [
  { name: "y", categorical: false },
  { name: "x", categorical: false },
  { name: "my col", categorical: false },
  { name: "f", categorical: true },
  { name: "g", categorical: true },
  { name: "w", categorical: false },
];
const plan = statisticsPlan(parseFormula("y ~ log2(x) + log10(`my col`) + f + groupmean(x, g) + (1 | g)"), cols, { weights: "w" });

describe("statisticsSql", () => {
  for (const name of SQL_DIALECTS) {
    it(`${name}: WITH d, k, c and one UNION ALL branch per block, padded to the same columns`, () => {
      const sql = statisticsSql(plan, "db.t", name);
      assert.match(sql, /^WITH d AS \(/);
      assert.match(sql, /\nk AS \(SELECT AVG\(/);
      assert.match(sql, /\nc AS \(SELECT .* FROM d CROSS JOIN k\)/);
      const branches = sql.split("\nUNION ALL\n");
      assert.equal(branches.length, 2 + plan.blocks.length);
      for (const b of branches) {
        const select = b.slice(b.indexOf("SELECT '"));
        assert.equal((select.match(/ AS k\d+/g) ?? []).length, plan.nkeys, b);
        assert.equal((select.match(/ AS v\d+/g) ?? []).length, plan.nvalues, b);
      }
      assert.match(sql, /SUM\(LN\(w\)\)/);
      assert.match(sql, /AVG\(.*\) OVER \(PARTITION BY /);
    });
  }
  it("dialects differ in quoting, casts and logarithms only", () => {
    const pg = statisticsSql(plan, "db.t", "postgres");
    const bq = statisticsSql(plan, "db.t", "bigquery");
    assert.match(pg, /FROM "db"\."t"/);
    assert.match(pg, /CAST\("my col" AS DOUBLE PRECISION\)/);
    assert.match(pg, /LOG\(2, CAST\("x" AS DOUBLE PRECISION\)\)/);
    assert.match(pg, /CAST\(f0 AS TEXT\)/);
    assert.match(bq, /FROM `db`\.`t`/);
    assert.match(bq, /CAST\(`x` AS FLOAT64\)/);
    assert.match(bq, /LOG\(CAST\(`x` AS FLOAT64\), 2\)/);
    assert.match(bq, /CAST\(f0 AS STRING\)/);
    assert.match(statisticsSql(plan, "t", "spark"), /LOG2\(CAST\(`x` AS DOUBLE\)\)/);
    assert.match(statisticsSql(plan, "t", "trino"), /CAST\(f0 AS VARCHAR\)/);
  });
  it("quotes identifiers with embedded quote characters", () => {
    assert.equal(dialect("duckdb").quote('a"b'), '"a""b"');
    assert.equal(quoteTable(dialect("duckdb"), "main.sleep"), '"main"."sleep"');
    assert.equal(dialect("spark").quote("a`b"), "`a\\`b`");
  });
  it("writes x^2 as a product and other powers with POWER", () => {
    const x = { op: "col", name: "Days" } as const;
    assert.equal(sqlExpression({ op: "^", left: x, right: { op: "num", value: 2 } }, dialect("duckdb")), '(CAST("Days" AS DOUBLE) * CAST("Days" AS DOUBLE))');
    assert.equal(sqlExpression({ op: "^", left: x, right: { op: "num", value: 3 } }, dialect("duckdb")), 'POWER(CAST("Days" AS DOUBLE), CAST(3 AS DOUBLE))');
  });
  it("rejects an unknown dialect", () => {
    assert.throws(() => statisticsSql(plan, "t", "oracle"), (e: unknown) => e instanceof MlmError && /'oracle' is not supported/.test(e.message));
  });
});
