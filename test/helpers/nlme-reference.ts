// Load the nlme reference fits (test/fixtures/nlme, made by test/fixtures/generate/nlme.R) and
// compare a fitted model with one, with the tolerances of issue 10: fixed effects within 0.02
// standard errors, standard errors within 0.5%, σ and random-effect sds within 1%, structure
// parameters within 0.01 absolute or 1% relative, log-likelihood not below nlme's by more than 0.002.
import { readFileSync, readdirSync } from "node:fs";
import assert from "node:assert/strict";
import { fixtures } from "./reference.js";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import type { ResidualModel } from "../../src/residual/residual-model.js";

/** What every nlme fixture names of its model: the data, mlm's formula and nlme's structures. */
export interface NlmeModelSpec {
  id: string;
  data: string;
  formula: string;
  factors: string[];
  correlation: string | null;
  variance: string | null;
}

export interface NlmeCase extends NlmeModelSpec {
  nlme: { fixed: string; random: string | null; fun: "gls" | "lme" };
  method: "REML" | "ML";
  nobs: number;
  fixef: { term: string; estimate: number; se: number; df: number; p: number }[];
  sigma: number;
  varcorr: { sd: { name: string; sd: number }[]; cor: number[] | null } | null;
  corStruct: Record<string, number> | null;
  varStruct: Record<string, number> | null;
  logLik: number;
  df: number;
  AIC: number;
  BIC: number;
  intervals: { corStruct?: { name: string; lower: number; est: number; upper: number }[]; varStruct?: { name: string; lower: number; est: number; upper: number }[]; reStruct?: { group: string; rows: { name: string; lower: number; est: number; upper: number }[] }[]; sigma?: { lower: number; est: number; upper: number } } | null;
}

/** Every nlme case, sorted by id. */
export function loadNlmeCases(): NlmeCase[] {
  return readdirSync(`${fixtures}nlme`)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${fixtures}nlme/${f}`, "utf8")) as NlmeCase);
}

/** The case's data. */
export function nlmeData(c: Pick<NlmeModelSpec, "data" | "factors">): Promise<DataTable> {
  return readTable(`${fixtures}data/${c.data}`, { factors: c.factors });
}

const close = (ours: number, ref: number, abs: number, rel: number): boolean => Math.abs(ours - ref) <= Math.max(abs, rel * Math.abs(ref));

/** Assert a fit agrees with nlme (see the file comment); throws on mismatch. */
export function assertAgreesNlme(m: ResidualModel, c: NlmeCase): void {
  assert.equal(m.nobs, c.nobs, "nobs");
  assert.equal(m.fixef.length, c.fixef.length, "number of fixed effects");
  for (const r of c.fixef) {
    const o = m.fixef.find((x) => x.term === r.term);
    assert.ok(o, `fixed effect ${r.term} missing`);
    assert.ok(Math.abs(o.estimate - r.estimate) <= 0.02 * r.se, `${r.term}: ${o.estimate} vs ${r.estimate}`);
    assert.ok(Math.abs(o.se - r.se) <= 0.005 * r.se, `se ${r.term}: ${o.se} vs ${r.se}`);
  }
  assert.ok(Math.abs(m.sigma - c.sigma) <= 0.01 * c.sigma, `sigma ${m.sigma} vs ${c.sigma}`);
  if (c.varcorr) {
    const sds = m.varcorr.filter((r) => r.group !== "Residual" && r.var2 === null);
    assert.equal(sds.length, c.varcorr.sd.length, "number of random-effect sds");
    c.varcorr.sd.forEach((r, i) => assert.ok(Math.abs(sds[i].sdcor - r.sd) <= 0.01 * r.sd, `sd ${r.name}: ${sds[i].sdcor} vs ${r.sd}`));
  }
  // nlme names corAR1's parameter Phi1 when gaps in the positions make it corARMA(1, 0)
  const ours = (s: Record<string, number> | undefined, name: string): number | undefined => s?.[name] ?? (name === "Phi1" ? s?.Phi : undefined);
  for (const [name, v] of Object.entries(c.corStruct ?? {})) {
    const o = ours(m.correlation?.parameters, name);
    assert.ok(o !== undefined && close(o, v, 0.01, 0.01), `correlation ${name}: ${o} vs ${v}`);
  }
  for (const [name, v] of Object.entries(c.varStruct ?? {})) {
    const o = m.variance?.parameters[name];
    assert.ok(o !== undefined && close(o, v, 0.01, 0.01), `variance ${name}: ${o} vs ${v}`);
  }
  assert.ok(m.logLik >= c.logLik - 0.002, `logLik ${m.logLik} below nlme's ${c.logLik}`);
  assert.ok(Math.abs(m.logLik - c.logLik) <= 0.01, `logLik ${m.logLik} vs ${c.logLik}`);
  assert.equal(m.npar, c.df, "number of parameters");
  assert.ok(Math.abs(m.AIC - c.AIC) <= 0.02, `AIC ${m.AIC} vs ${c.AIC}`);
  assert.ok(Math.abs(m.BIC - c.BIC) <= 0.02, `BIC ${m.BIC} vs ${c.BIC}`);
}
