// Shared by the inference tests: the lme4 reference values of test/fixtures/inference/confint-lrt.json
// (written by test/fixtures/generate/confint-lrt.R) and fits of the models they describe.
import { readFileSync } from "node:fs";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import { fitGlmm } from "../../src/glmm/fit-glmm.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import { fixtures } from "../helpers/reference.js";

/** An interval as lme4 printed it (null for NA). */
export interface RefInterval {
  name: string;
  lower: number | null;
  upper: number | null;
}

export interface RefAnova {
  id: string;
  data: string;
  family: "gaussian" | "binomial";
  factors: string[] | null;
  formulas: string[];
  models: { formula: string; npar: number; AIC: number; BIC: number; logLik: number; deviance: number }[];
  tests: { chisq: number; df: number; p: number }[];
}

export interface RefConfint {
  id: string;
  data: string;
  formula: string;
  family: "gaussian" | "binomial";
  reml: boolean | null;
  factors: string[] | string | null;
  level: number;
  profile: RefInterval[];
  wald: RefInterval[];
}

export interface RefIcc {
  id: string;
  data: string;
  formula: string;
  reml: boolean;
  level: number;
  icc: { group: string; estimate: number; lower: number; upper: number }[];
}

export const reference = JSON.parse(readFileSync(`${fixtures}inference/confint-lrt.json`, "utf8")) as {
  anova: RefAnova[];
  confint: RefConfint[];
  icc: RefIcc[];
};

const tables = new Map<string, Promise<DataTable>>();

/** A data set of test/fixtures/data with its categorical columns (cached). */
export function data(file: string, factors: string[] | string | null = null): Promise<DataTable> {
  const f = ([] as string[]).concat(factors ?? []);
  const key = `${file}|${f.join(",")}`;
  if (!tables.has(key)) tables.set(key, readTable(`${fixtures}data/${file}`, { factors: f }));
  return tables.get(key)!;
}

/** Fit a model as a reference entry describes it (REML unless reml is false; GLMMs by Laplace). */
export async function fitRef(e: { data: string; formula: string; family: string; reml?: boolean | null; factors: string[] | string | null }): Promise<MixedModel> {
  const t = await data(e.data, e.factors);
  return e.family === "gaussian" ? fitLmm(e.formula, t, { reml: e.reml !== false }) : fitGlmm(e.formula, t, { family: e.family as "binomial" });
}
