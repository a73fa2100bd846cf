// The columns that statistics form after the query (contrasts, interactions, center, scale,
// poly) and the atoms the query computes (log, I(), groupmean and center(x, g) by window
// functions, offsets, weights, factor(), booleans, missing rows): on synthetic data with all of
// these, the model from DuckDB's statistics is the in-memory model (test/helpers/same-model.ts:
// criterion, β and vcov at the same θ within 1e-10, logLik within 1e-10). The in-memory model
// frame's columns are checked against R's model.matrix in test/model-frame.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { duckdbStatistics } from "../../src/io/duckdb.js";
import { readTable } from "../../src/io/read-table.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitFromStatistics } from "../../src/sql/fit-from-stats.js";
import { statisticsCrossProducts } from "../../src/sql/statistics-cross-products.js";
import { modelColumns } from "../../src/sql/model-columns.js";
import { parseFormula } from "../../src/formula/index.js";
import { fixtures } from "../helpers/reference.js";
import { assertSameModel, frameCrossProducts } from "../helpers/same-model.js";

const synth = `${fixtures}data/model_frame_synth.csv`;
const missing = `${fixtures}data/model_frame_missing.csv`;

const models: { file: string; formula: string; weights?: string; factors?: string[] }[] = [
  { file: synth, formula: "y ~ poly(x, 2) + scale(z) + (1 | grp)" },
  { file: synth, formula: "y ~ poly(x, 3) * f + (1 | grp)" },
  { file: synth, formula: "y ~ center(x) + f * x + log(size) + I(z^2) + (x | grp)" },
  { file: synth, formula: "y ~ groupmean(x, grp) + center(x, grp) + lg + (1 | grp) + (1 | h)" },
  { file: synth, formula: "y ~ x + offset(z) + scale(z, center = FALSE) + (1 | grp/g2)" },
  { file: synth, formula: "y ~ x + f + (1 | grp)", weights: "wts" },
  { file: synth, formula: "y ~ factor(yr) + x:f + (0 + x | grp) + (1 | numgrp)", factors: ["numgrp"] },
  { file: missing, formula: "y ~ x + f + (1 | grp)" },
];

describe("model columns from statistics match the in-memory model frame", () => {
  for (const c of models) {
    it(`${c.formula}${c.weights ? ` weights ${c.weights}` : ""}${c.file === missing ? " (missing values)" : ""}`, async (t) => {
      const table = await readTable(c.file, { factors: c.factors ?? [] });
      const ref = fitLmm(c.formula, table, { weights: c.weights, polish: true });
      const { stats } = await duckdbStatistics(c.file, c.formula, { weights: c.weights, factors: c.factors, threads: 1 });
      assert.equal(stats.n, ref.nobs);
      assert.equal(stats.dropped, ref.frame.dropped);
      const cols = modelColumns(stats, parseFormula(c.formula).fixed, []);
      assert.deepEqual(cols.X.map((x) => x.name), ref.frame.transforms?.fullFixefNames);
      const m = fitFromStatistics(stats);
      assert.deepEqual(m.frame.aliased, ref.frame.aliased);
      const d = assertSameModel(m, ref, statisticsCrossProducts(stats, parseFormula(c.formula)).A, frameCrossProducts(ref.frame));
      t.diagnostic(JSON.stringify(d, (_, v: unknown) => (typeof v === "number" ? Number(v.toExponential(1)) : v)));
    });
  }
});
