// Profile intervals of a model fitted from statistics: the variance parameters through
// devianceAt, the fixed effects by holding β_j in the cross products (heldFixedEffect), both
// equal to the in-memory model's profile intervals (which test/inference checks against lme4).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { duckdbStatistics } from "../../src/io/duckdb.js";
import { readTable } from "../../src/io/read-table.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitFromStatistics } from "../../src/sql/fit-from-stats.js";
import { profileConfint } from "../../src/inference/profile.js";
import { fixtures } from "../helpers/reference.js";

describe("profile intervals from statistics", () => {
  it("equal the in-memory profile intervals (sleepstudy, random slope)", async () => {
    const file = `${fixtures}data/sleepstudy.csv`;
    const f = "Reaction ~ Days + (Days | Subject)";
    const ref = profileConfint(fitLmm(f, await readTable(file), { polish: true }));
    const got = profileConfint(fitFromStatistics((await duckdbStatistics(file, f, { threads: 1 })).stats));
    assert.deepEqual(got.map((r) => r.name), ref.map((r) => r.name));
    got.forEach((r, i) => {
      const width = (ref[i].upper ?? 0) - (ref[i].lower ?? 0);
      for (const k of ["lower", "upper"] as const) {
        assert.ok(Math.abs((r[k] ?? NaN) - (ref[i][k] ?? NaN)) <= 1e-4 * width, `${r.name} ${k}: ${r[k]} vs ${ref[i][k]}`);
      }
    });
  });
});
