// Inference on a model fitted from statistics: what depends only on A (Satterthwaite df, the
// likelihood-ratio test after refitting by ML, VarCorr, conditional modes) agrees with the
// in-memory model, and so does Kenward-Roger's method (it needs only Z'Z, Z'X and X'X); what
// needs rows (residuals, fitted values, the model matrix) says so.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { duckdbStatistics } from "../../src/io/duckdb.js";
import { readTable } from "../../src/io/read-table.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitFromStatistics, isStatisticsModel, rowsNeededMessage } from "../../src/sql/fit-from-stats.js";
import { satterthwaite } from "../../src/inference/satterthwaite.js";
import { anovaLrt } from "../../src/inference/lrt.js";
import { kenwardRoger } from "../../src/inference/kenward-roger.js";
import { refitMl } from "../../src/inference/refit.js";
import { MlmError } from "../../src/errors.js";
import { fixtures } from "../helpers/reference.js";

const sleep = `${fixtures}data/sleepstudy.csv`;
const slope = "Reaction ~ Days + (Days | Subject)";
const intercept = "Reaction ~ Days + (1 | Subject)";

describe("inference from statistics", () => {
  it("Satterthwaite df equal the in-memory model's (sleepstudy, 17 df as lmerTest)", async () => {
    const ref = fitLmm(slope, await readTable(sleep), { polish: true });
    const m = fitFromStatistics((await duckdbStatistics(sleep, slope, { threads: 1 })).stats);
    const a = satterthwaite(m);
    const b = satterthwaite(ref);
    a.df.forEach((df, j) => assert.ok(Math.abs(df - b.df[j]) <= 1e-4 * b.df[j], `df ${df} vs ${b.df[j]}`));
    // p-values as small as 1e-17 move 13 times faster than t (relatively): compare log p
    a.p.forEach((p, j) => assert.ok(Math.abs(Math.log(p) - Math.log(b.p[j])) <= 1e-4 * Math.abs(Math.log(b.p[j])), `p ${p} vs ${b.p[j]}`));
  });
  it("the likelihood-ratio test refits by ML from the statistics and equals the in-memory test", async () => {
    const table = await readTable(sleep);
    const ref = anovaLrt([fitLmm(intercept, table, { polish: true }), fitLmm(slope, table, { polish: true })]);
    const m0 = fitFromStatistics((await duckdbStatistics(sleep, intercept, { threads: 1 })).stats);
    const m1 = fitFromStatistics((await duckdbStatistics(sleep, slope, { threads: 1 })).stats);
    assert.ok(isStatisticsModel(refitMl(m1)));
    assert.equal(refitMl(m1).method, "ML");
    const lrt = anovaLrt([m0, m1]);
    assert.equal(lrt.tests.length, 1);
    assert.ok(Math.abs(lrt.tests[0].chisq - ref.tests[0].chisq) <= 1e-6, `chisq ${lrt.tests[0].chisq} vs ${ref.tests[0].chisq}`);
    assert.equal(lrt.tests[0].df, ref.tests[0].df);
  });
  it("Kenward-Roger df and adjusted standard errors equal the in-memory model's (Z'Z, Z'X, X'X from A)", async () => {
    for (const [file, f] of [[sleep, slope], [`${fixtures}data/Penicillin.csv`, "diameter ~ 1 + (1 | plate) + (1 | sample)"], [`${fixtures}data/Machines.csv`, "score ~ Machine + (Machine | Worker)"]]) {
      const ref = kenwardRoger(fitLmm(f, await readTable(file), { polish: true }));
      const kr = kenwardRoger(fitFromStatistics((await duckdbStatistics(file, f, { threads: 1 })).stats));
      kr.df.forEach((df, j) => assert.ok(Math.abs(df - ref.df[j]) <= 1e-4 * ref.df[j], `${f} df ${df} vs ${ref.df[j]}`));
      kr.se.forEach((se, j) => assert.ok(Math.abs(se - ref.se[j]) <= 1e-4 * ref.se[j], `${f} se ${se} vs ${ref.se[j]}`));
    }
  });
  it("the model matrix, residuals and fitted values say they need the rows", async () => {
    const m = fitFromStatistics((await duckdbStatistics(sleep, slope, { threads: 1 })).stats);
    assert.throws(() => m.frame.X, (e: unknown) => e instanceof MlmError && e.message.startsWith("The model was fitted from summary statistics"));
    assert.throws(() => m.residuals, (e: unknown) => e instanceof MlmError && e.message === rowsNeededMessage("residuals"));
    assert.throws(() => m.fitted, (e: unknown) => e instanceof MlmError && e.message === rowsNeededMessage("fitted values"));
  });
});
