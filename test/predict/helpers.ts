// Shared by the prediction tests: the lme4 values of test/fixtures/predict/predict-pooling.json
// (written by test/fixtures/generate/predict-pooling.R) and the fits they refer to.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import type { MixedModel } from "../../src/model/mixed-model.js";

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

export type Columns = Record<string, (string | number)[]>;

export interface PredictionCase {
  id: string;
  data: string;
  formula: string;
  family: "gaussian" | "binomial";
  reml: boolean | null;
  factors: string[];
  newdata: Columns;
  fixef: Record<string, number>;
  predict: number[];
  predict_population: number[];
  predict_link?: number[];
  predict_population_link?: number[];
}

export interface PredictPoolingFixture {
  cases: PredictionCase[];
  pooling: {
    id: string;
    complete: number[];
    groups: { level: string; n: number; none: number[]; partial: number[] }[];
  };
  centering: {
    data: string;
    formula: string;
    reml: boolean;
    fixef: number[];
    sigma: number;
    newdata: Columns;
    hand_columns: { cs: number[]; gm: number[] };
    predict: number[];
    predict_population: number[];
  };
}

/** The lme4 reference values. */
export const fixture = JSON.parse(readFileSync(`${fixtures}predict/predict-pooling.json`, "utf8")) as PredictPoolingFixture;

/** A data file of test/fixtures/data. */
export function loadData(file: string, factors: readonly string[] = []): Promise<DataTable> {
  return readTable(`${fixtures}data/${file}`, { factors });
}

const fits = new Map<string, MixedModel>();

/** The fit of a prediction case (cached: several tests use it). */
export async function fitCase(c: PredictionCase): Promise<MixedModel> {
  let m = fits.get(c.id);
  if (!m) {
    const table = await loadData(c.data, c.factors);
    m = c.family === "gaussian" ? fitLmm(c.formula, table, { reml: c.reml ?? true }) : fitGlmm(c.formula, table, { family: c.family });
    fits.set(c.id, m);
  }
  return m;
}

/** The prediction case with this id. */
export function caseById(id: string): PredictionCase {
  const c = fixture.cases.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
}

/** Asserts |actual − expected| ≤ tol·|expected| element by element. */
export function assertRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol * Math.abs(expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]} (relative error ${err / Math.abs(expected[i])})`);
  }
}
