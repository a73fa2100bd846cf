// Load the reporting fixtures of test/fixtures/reporting (written by
// test/fixtures/generate/reporting.R) and fit the model each describes, once per test process.
import { readFileSync, readdirSync } from "node:fs";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import { fit } from "../../src/fit/fit.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import type { LinkName } from "../../src/family/index.js";
import { fixtures } from "./reference.js";

/** A data frame as jsonlite writes it: one array per column (a one-row frame may hold scalars). */
export type RFrame = Record<string, (number | string | null)[] | number | string | null>;

export interface ReportingCase {
  id: string;
  data: string;
  formula: string;
  family: "gaussian" | "binomial" | "poisson";
  link?: string | null;
  reml?: boolean | null;
  nAGQ?: number | null;
  weights?: string | null;
  factors?: string[] | string | null;
}

export interface EmmCall {
  args: { specs: string; by?: string; var?: string; ddf?: string; type?: string; level?: number; adjust?: string[] | string };
  emmeans: RFrame;
  pairs?: { adjust: string; table: RFrame }[];
}

export interface ReportingFixture {
  id: string;
  case: ReportingCase;
  nobs: number;
  r2?: { marginal: number; conditional: number | null };
  icc?: { adjusted: number; unadjusted: number } | null;
  variances?: Record<string, number | number[]>;
  emmeans?: EmmCall[];
  tidy?: { fixed: RFrame; ran_pars: RFrame; ran_vals: RFrame; ran_coefs: RFrame };
  glance?: RFrame;
  augment?: RFrame;
}

/** Every reporting fixture, sorted by id. */
export function loadReporting(): ReportingFixture[] {
  const dir = `${fixtures}reporting/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(dir + f, "utf8")) as ReportingFixture);
}

/** A column of an R data frame as an array. */
export function col<T = number>(frame: RFrame, name: string): T[] {
  const v = frame[name];
  return (Array.isArray(v) ? v : [v]) as T[];
}

const tables = new Map<string, Promise<DataTable>>();
const models = new Map<string, MixedModel>();

/** The data table of a case, with its categorical columns. */
export function reportingData(c: ReportingCase): Promise<DataTable> {
  const factors = ([] as string[]).concat(c.factors ?? []);
  const key = `${c.data}|${factors.join(",")}`;
  let t = tables.get(key);
  if (!t) tables.set(key, (t = readTable(`${fixtures}data/${c.data}`, { factors })));
  return t;
}

/** The fitted model of a case (cached by id). */
export async function fitReporting(c: ReportingCase): Promise<{ m: MixedModel; data: DataTable }> {
  const data = await reportingData(c);
  let m = models.get(c.id);
  if (!m) {
    const glmm = c.family !== "gaussian";
    m = fit(c.formula, data, {
      family: c.family,
      ...(glmm ? { nAGQ: c.nAGQ ?? 1, ...(c.link ? { link: c.link as LinkName } : {}) } : { reml: c.reml !== false }),
      ...(c.weights ? { weights: c.weights } : {}),
    });
    models.set(c.id, m);
  }
  return { m, data };
}
