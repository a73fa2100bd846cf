// The statistics path through embedded DuckDB: on every gaussian reference case, the model from
// DuckDB's statistics of the CSV is the in-memory model of the same file, and so is the model
// from the statistics of three shards merged (test/helpers/same-model.ts: at the same θ within
// 1e-10; at the optima θ, β, se, σ within 1e-8, logLik within 1e-10); both agree with lme4.
// Shards that split the groups of a group mean are refused.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { duckdbStatistics, openDuckdb, duckdbColumns, runStatistics, fileSource } from "../../src/io/duckdb.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { readTable } from "../../src/io/read-table.js";
import { fitFromStatistics } from "../../src/sql/fit-from-stats.js";
import { mergeStatistics, type LmmStatistics } from "../../src/sql/statistics.js";
import { statisticsPlan } from "../../src/sql/statistics-plan.js";
import { parseFormula } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";
import { statisticsCrossProducts } from "../../src/sql/statistics-cross-products.js";
import { assertSameModel, frameCrossProducts } from "../helpers/same-model.js";
import { assertAgrees, caseData, fixtures, loadCases } from "../helpers/reference.js";

const cases = loadCases().filter((c) => c.family === "gaussian");

describe("fit through DuckDB agrees with the in-memory fit", () => {
  it("has gaussian reference cases", () => assert.ok(cases.length >= 15));
  for (const c of cases) {
    it(`${c.id}: ${c.formula}`, async (t) => {
      const reml = c.reml !== false;
      const factors = ([] as string[]).concat(c.factors ?? []);
      const ref = fitLmm(c.formula, await caseData(c), { reml, factors, polish: true });
      const path = `${fixtures}data/${c.data}`;
      const { stats } = await duckdbStatistics(path, c.formula, { factors, threads: 1 });
      const copy = JSON.parse(JSON.stringify(stats)) as typeof stats;
      const m = fitFromStatistics(copy, { reml });
      const d = assertSameModel(m, ref, statisticsCrossProducts(copy, parseFormula(c.formula)).A, frameCrossProducts(ref.frame));
      t.diagnostic(JSON.stringify(d, (_, v: unknown) => (typeof v === "number" ? Number(v.toExponential(1)) : v)));
      assertAgrees(m, c);
      // conditional modes come from A as well
      const r0 = ref.ranef();
      const r1 = m.ranef();
      assert.equal(r1.length, r0.length);
      r1.forEach((r, i) => {
        assert.equal(r.level, r0[i].level);
        assert.ok(Math.abs(r.condval - r0[i].condval) <= 1e-4 * ref.sigma, `condval ${r.level}: ${r.condval} vs ${r0[i].condval}`);
        assert.ok(Math.abs(r.condsd - r0[i].condsd) <= 1e-4 * ref.sigma, `condsd ${r.level}: ${r.condsd} vs ${r0[i].condsd}`);
      });
    });
  }
});

describe("fit from merged shard statistics agrees with the in-memory fit", () => {
  for (const c of cases) {
    it(`${c.id}: three shards by row number`, async (t) => {
      const reml = c.reml !== false;
      const factors = ([] as string[]).concat(c.factors ?? []);
      const ref = fitLmm(c.formula, await caseData(c), { reml, factors, polish: true });
      const con = await openDuckdb({ threads: 1 });
      try {
        const source = fileSource(`${fixtures}data/${c.data}`);
        await con.run(`CREATE TABLE t AS SELECT *, row_number() OVER () AS mlm_row FROM ${source}`);
        const plan = statisticsPlan(parseFormula(c.formula), (await duckdbColumns(con, "t")).filter((col) => col.name !== "mlm_row"), { factors });
        const shards = [];
        for (let s = 0; s < 3; s++) shards.push((await runStatistics(con, plan, `(SELECT * EXCLUDE (mlm_row) FROM t WHERE mlm_row % 3 = ${s})`)).stats);
        const merged = mergeStatistics(JSON.parse(JSON.stringify(shards)) as typeof shards);
        assert.equal(merged.n, ref.nobs);
        const d = assertSameModel(fitFromStatistics(merged, { reml }), ref, statisticsCrossProducts(merged, parseFormula(c.formula)).A, frameCrossProducts(ref.frame));
        t.diagnostic(JSON.stringify(d, (_, v: unknown) => (typeof v === "number" ? Number(v.toExponential(1)) : v)));
      } finally {
        con.closeSync();
      }
    });
  }
});

describe("DuckDB statistics reject bad input with one sentence", () => {
  const sleep = `${fixtures}data/sleepstudy.csv`;
  it("an unknown column, with the closest name", async () => {
    await assert.rejects(duckdbStatistics(sleep, "Reaction ~ Dayz + (1 | Subject)"), (e: unknown) => e instanceof MlmError && /Column 'Dayz' is not in the table; did you mean 'Days'\?/.test(e.message));
  });
  it("a missing file", async () => {
    await assert.rejects(duckdbStatistics(`${fixtures}data/nope.csv`, "Reaction ~ Days + (1 | Subject)"), (e: unknown) => e instanceof MlmError && /DuckDB could not read/.test(e.message));
  });
  it("a term SQL cannot express", async () => {
    await assert.rejects(duckdbStatistics(sleep, "Reaction ~ I(scale(Days)^2) + (1 | Subject)"), (e: unknown) => e instanceof MlmError && /cannot be computed in SQL/.test(e.message));
  });
  it("residuals of a fit from statistics say they need the rows", async () => {
    const { stats } = await duckdbStatistics(sleep, "Reaction ~ Days + (Days | Subject)", { threads: 1 });
    const m = fitFromStatistics(stats);
    assert.throws(() => m.residuals, (e: unknown) => e instanceof MlmError && /summary statistics, which hold no rows/.test(e.message));
    assert.throws(() => m.fitted, MlmError);
  });
});

describe("statistics with group means merge only when no group is split over shards", () => {
  const synth = `${fixtures}data/model_frame_synth.csv`;
  const shards = async (formula: string, where: (s: number) => string): Promise<LmmStatistics[]> => {
    const con = await openDuckdb({ threads: 1 });
    try {
      await con.run(`CREATE TABLE t AS SELECT *, row_number() OVER () AS mlm_row FROM ${fileSource(synth)}`);
      const plan = statisticsPlan(parseFormula(formula), (await duckdbColumns(con, "t")).filter((col) => col.name !== "mlm_row"));
      const out: LmmStatistics[] = [];
      for (let s = 0; s < 3; s++) out.push((await runStatistics(con, plan, `(SELECT * EXCLUDE (mlm_row) FROM t WHERE ${where(s)})`)).stats);
      return out;
    } finally {
      con.closeSync();
    }
  };
  const formula = "y ~ groupmean(x, grp) + center(x, grp) + (1 | grp)";
  it("shards that partition the table by the group: the merged fit is the in-memory fit (1e-8)", async (t) => {
    const parts = await shards(formula, (s) => `hash(grp) % 3 = ${s}`);
    const merged = mergeStatistics(parts);
    const ref = fitLmm(formula, await readTable(synth), { polish: true });
    assert.equal(merged.n, ref.nobs);
    const d = assertSameModel(fitFromStatistics(merged), ref, statisticsCrossProducts(merged, parseFormula(formula)).A, frameCrossProducts(ref.frame));
    t.diagnostic(JSON.stringify(d, (_, v: unknown) => (typeof v === "number" ? Number(v.toExponential(1)) : v)));
  });
  it("shards by row number split groups: refused, naming the group and the way out", async () => {
    const parts = await shards(formula, (s) => `mlm_row % 3 = ${s}`);
    assert.throws(
      () => mergeStatistics(parts),
      (e: unknown) => e instanceof MlmError && /^Statistics that use groupmean\(x, grp\) cannot be merged: group 'g\d+' of grp is in partitions 1 and 2, which computed different means for it; partition the table by grp \(each group in one partition\), or compute the statistics on the whole table\.$/.test(e.message),
    );
  });
  it("a group mean by a variable that groups no random-effects term: refused", async () => {
    const parts = await shards("y ~ groupmean(x, h) + (1 | grp)", (s) => `hash(h) % 3 = ${s}`);
    assert.throws(() => mergeStatistics(parts), (e: unknown) => e instanceof MlmError && /as h groups no random-effects term the statistics do not show whether a group was split/.test(e.message));
  });
});
