// glmmTMB reference fixtures for the dispersion families and structured covariances: the fits of
// test/fixtures/glmmtmb (test/fixtures/generate/glmmtmb.R) and the inference results of
// test/fixtures/glmmtmb-inference (test/fixtures/generate/glmmtmb-inference.R), with the models
// refitted by mlm once per process.
import { readFileSync } from "node:fs";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import { fit } from "../../src/fit/fit.js";
import type { MixedModel } from "../../src/model/mixed-model.js";
import type { LinkName } from "../../src/family/index.js";
import { fixtures } from "./reference.js";

/** A model as the glmmTMB fixtures describe it. */
export interface TmbModel {
  readonly data: string;
  readonly formula: string;
  readonly family: string;
  readonly link?: string;
  readonly reml?: boolean;
}

/** Read a JSON fixture of test/fixtures/glmmtmb-inference. */
export function tmbInference<T>(id: string): T {
  return JSON.parse(readFileSync(`${fixtures}glmmtmb-inference/${id}.json`, "utf8")) as T;
}

const tables = new Map<string, Promise<DataTable>>();
/** A data set of test/fixtures/data, read once. */
export function tmbData(file: string): Promise<DataTable> {
  if (!tables.has(file)) tables.set(file, readTable(`${fixtures}data/${file}`));
  return tables.get(file)!;
}

const fits = new Map<string, Promise<MixedModel>>();
/** mlm's fit of the model (once per process: fitted models are immutable). */
export function tmbFit(m: TmbModel): Promise<MixedModel> {
  const key = JSON.stringify([m.data, m.formula, m.family, m.link, m.reml]);
  if (!fits.has(key)) {
    const link = m.link === undefined || m.link === "identity" ? undefined : (m.link as LinkName);
    fits.set(key, tmbData(m.data).then((d) => fit(m.formula, d, { family: m.family, ...(link ? { link } : {}), reml: m.reml === true }) as MixedModel));
  }
  return fits.get(key)!;
}

/** |a − b| ≤ tol·|b|, with a message naming what is compared. */
export function near(a: number, b: number, tol: number, what: string): void {
  if (!(Math.abs(a - b) <= tol * Math.abs(b))) throw new Error(`${what}: ${a} vs R ${b} (relative ${(Math.abs(a - b) / Math.abs(b)).toExponential(2)}, tolerance ${tol})`);
}

/**
 * Rows of a data table as plain columns (1-based row numbers, as R's), with `replace` setting a
 * column of the last rows (e.g. a group level not in the data).
 */
export function tableRows(t: DataTable, rows: readonly number[], replace?: { column: string; from: number; value: string }): Record<string, (string | number)[]> {
  const out: Record<string, (string | number)[]> = {};
  for (const [name, c] of t.columns) {
    out[name] = rows.map((r, i) => {
      if (replace && name === replace.column && i >= replace.from) return replace.value;
      return c.kind === "numeric" ? c.values[r - 1] : c.levels[c.codes[r - 1]];
    });
  }
  return out;
}
