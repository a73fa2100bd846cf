// mlm stats, mlm stats merge, mlm sql and mlm fit --engine duckdb / --from-stats: the fits from
// statistics (DuckDB on the file, merged shards as JSON or Parquet, and the printed SQL run in
// DuckDB with its result saved as CSV) give the in-memory fit's estimates; bad input gets one
// line and exit status 2.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertOneLineError, data, run, withTempDir, writeFile } from "../helpers.js";
import { openDuckdb, fileSource } from "../../../src/io/duckdb.js";

interface FitJson {
  fixef: { term: string; estimate: number; se: number }[];
  logLik: number;
  nobs: number;
}

const machines = data("Machines.csv");
const formula = "score ~ Machine + (Machine | Worker)";

async function inMemory(): Promise<FitJson> {
  const r = await run("fit", machines, formula, "--json");
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as FitJson;
}

function assertSameEstimates(a: FitJson, b: FitJson): void {
  assert.equal(a.nobs, b.nobs);
  assert.ok(Math.abs(a.logLik - b.logLik) <= 1e-9 * Math.abs(b.logLik), `logLik ${a.logLik} vs ${b.logLik}`);
  a.fixef.forEach((f, j) => {
    assert.equal(f.term, b.fixef[j].term);
    assert.ok(Math.abs(f.estimate - b.fixef[j].estimate) <= 1e-6 * b.fixef[j].se, `${f.term}: ${f.estimate} vs ${b.fixef[j].estimate}`);
    assert.ok(Math.abs(f.se - b.fixef[j].se) <= 5e-5 * b.fixef[j].se, `se ${f.term}: ${f.se} vs ${b.fixef[j].se}`);
  });
}

describe("mlm fit from statistics", () => {
  it("--engine duckdb gives the in-memory estimates", async () => {
    const r = await run("fit", machines, formula, "--engine", "duckdb", "--json");
    assert.equal(r.code, 0, r.err);
    assertSameEstimates(JSON.parse(r.out) as FitJson, await inMemory());
  });

  it("mlm stats of two halves, merged, then --from-stats gives the in-memory estimates", async () => {
    await withTempDir(async (dir) => {
      const lines = readFileSync(machines, "utf8").trim().split("\n");
      const header = lines[0];
      const a = writeFile(dir, "a.csv", [header, ...lines.slice(1).filter((_, i) => i % 2 === 0)].join("\n"));
      const b = writeFile(dir, "b.csv", [header, ...lines.slice(1).filter((_, i) => i % 2 === 1)].join("\n"));
      for (const [src, out] of [[a, "a.json"], [b, "b.json"]]) {
        const r = await run("stats", src, formula, "--out", join(dir, out));
        assert.equal(r.code, 0, r.err);
        assert.match(r.err, /rows used/);
      }
      const m = await run("stats", "merge", join(dir, "a.json"), join(dir, "b.json"), "--out", join(dir, "all.json"));
      assert.equal(m.code, 0, m.err);
      const f = await run("fit", "--from-stats", join(dir, "all.json"), "--json");
      assert.equal(f.code, 0, f.err);
      assertSameEstimates(JSON.parse(f.out) as FitJson, await inMemory());
      const text = await run("fit", "--from-stats", join(dir, "all.json"));
      assert.match(text.out, /Scaled residuals: not available \(fitted from summary statistics/);
    });
  });

  it("mlm stats --out FILE.parquet writes Parquet that --from-stats and merge read, as the JSON", async () => {
    await withTempDir(async (dir) => {
      const lines = readFileSync(machines, "utf8").trim().split("\n");
      const header = lines[0];
      const a = writeFile(dir, "a.csv", [header, ...lines.slice(1).filter((_, i) => i % 2 === 0)].join("\n"));
      const b = writeFile(dir, "b.csv", [header, ...lines.slice(1).filter((_, i) => i % 2 === 1)].join("\n"));
      // one DuckDB thread: the sums of two runs on one file are added in the same order
      for (const [src, out] of [[a, "a.parquet"], [b, "b.json"], [b, "b.parquet"], [machines, "whole.parquet"], [machines, "whole.json"]]) {
        const r = await run("stats", src, formula, "--out", join(dir, out), "--threads", "1");
        assert.equal(r.code, 0, r.err);
      }
      // Parquet: the query's result table (DuckDB reads it as a table), starting with the 'PAR1' magic
      assert.equal(readFileSync(join(dir, "a.parquet")).subarray(0, 4).toString(), "PAR1");
      const con = await openDuckdb({ threads: 1 });
      try {
        const blocks = (await con.runAndReadAll(`SELECT block, count(*) AS n FROM read_parquet('${join(dir, "whole.parquet")}') GROUP BY block ORDER BY block`)).getRowObjects();
        assert.deepEqual(blocks.map((r) => [r.block, Number(r.n)]), [["const", 1], ["shift", 1], ["term1", 18]]); // 6 workers × 3 machines
      } finally {
        con.closeSync();
      }
      // the Parquet and JSON files of one table fit to the same model, to the last digit
      const fp = await run("fit", "--from-stats", join(dir, "whole.parquet"), "--json");
      const fj = await run("fit", "--from-stats", join(dir, "whole.json"), "--json");
      assert.equal(fp.code, 0, fp.err);
      assert.deepEqual((JSON.parse(fp.out) as FitJson).fixef, (JSON.parse(fj.out) as FitJson).fixef);
      // merge reads Parquet and JSON and writes either
      const m = await run("stats", "merge", join(dir, "a.parquet"), join(dir, "b.json"), "--out", join(dir, "all.parquet"));
      assert.equal(m.code, 0, m.err);
      const f = await run("fit", "--from-stats", join(dir, "all.parquet"), "--json");
      assert.equal(f.code, 0, f.err);
      assertSameEstimates(JSON.parse(f.out) as FitJson, await inMemory());
      const m2 = await run("stats", "merge", join(dir, "a.parquet"), join(dir, "b.parquet"), "--out", join(dir, "all.json"));
      assert.equal(m2.code, 0, m2.err);
      const f2 = await run("fit", "--from-stats", join(dir, "all.json"), "--json");
      assert.deepEqual((JSON.parse(f2.out) as FitJson).fixef, (JSON.parse(f.out) as FitJson).fixef);
    });
  });

  it("the query of mlm sql, run in DuckDB and saved as CSV, fits with --from-stats", async () => {
    await withTempDir(async (dir) => {
      const q = await run("sql", formula, "--table", "machines", "--dialect", "duckdb", "--factor", "Machine");
      assert.equal(q.code, 0, q.err);
      const sql = q.out.split("\n").filter((l) => !l.startsWith("--")).join("\n");
      const con = await openDuckdb({ threads: 1 });
      const result = join(dir, "result.csv");
      try {
        await con.run(`CREATE TABLE machines AS SELECT * FROM ${fileSource(machines)}`);
        await con.run(`COPY (${sql}) TO '${result}' (HEADER)`);
      } finally {
        con.closeSync();
      }
      const f = await run("fit", "--from-stats", result, formula, "--factor", "Machine", "--json");
      assert.equal(f.code, 0, f.err);
      assertSameEstimates(JSON.parse(f.out) as FitJson, await inMemory());
      // the same result with another formula is refused
      const bad = await run("fit", "--from-stats", result, "score ~ 1 + (Machine | Worker)", "--factor", "Machine");
      assertOneLineError(bad, /another formula/);
    });
  });
});

describe("mlm stats and mlm sql reject bad input with one line", () => {
  it("statistics files of different formulas are not merged", async () => {
    await withTempDir(async (dir) => {
      await run("stats", machines, formula, "--out", join(dir, "a.json"));
      await run("stats", machines, "score ~ 1 + (1 | Worker)", "--out", join(dir, "b.json"));
      assertOneLineError(await run("stats", "merge", join(dir, "a.json"), join(dir, "b.json"), "--out", join(dir, "c.json")), /belong to different models/);
    });
  });
  it("an unknown column", async () => {
    assertOneLineError(await run("stats", machines, "score ~ Machin + (1 | Worker)"), /Column 'Machin' is not in the table; did you mean 'Machine'\?/);
  });
  it("a file that is not statistics", async () => {
    assertOneLineError(await run("fit", "--from-stats", data("Machines.csv")), /result table, not an mlm statistics file/);
  });
  it("a GLMM from statistics", async () => {
    assertOneLineError(await run("fit", machines, formula, "--engine", "duckdb", "--family", "poisson"), /linear mixed models only/);
  });
  it("an unknown dialect", async () => {
    const r = await run("sql", formula, "--table", "t", "--dialect", "oracle");
    assert.equal(r.code, 2);
    assert.match(r.err, /oracle/);
  });
});
