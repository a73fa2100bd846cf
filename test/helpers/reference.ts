// Load lme4 reference cases (test/fixtures/cases) and compare a fitted model with one, with the
// tolerances of ../shared/reference/README.md (GLMM tolerances in brackets there).
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { readTable } from "../../src/io/read-table.js";
import type { DataTable } from "../../src/data/table.js";
import type { MixedModel } from "../../src/model/mixed-model.js";

export const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface RefCase {
  id: string;
  data: string;
  formula: string;
  family: "gaussian" | "binomial" | "poisson";
  link?: "logit" | "probit" | "cloglog" | "log" | "identity";
  reml: boolean | null;
  nAGQ: number;
  factors: string[] | string | null;
  weights?: string | null;
  nobs: number;
  ngroups: Record<string, number>;
  fixef: { term: string; estimate: number; se: number; df?: number }[];
  varcorr: { group: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  theta: number[];
  sigma: number;
  logLik: number;
  /** nAGQ > 1: lme4's logLik plus the saturated model's (the full log-likelihood). */
  logLik_absolute?: number;
  AIC: number;
  BIC: number;
  singular: boolean;
  ranef: { group: string; term: string[]; level: string[]; condval: number[]; condsd: number[] }[];
}

/** Every reference case, sorted by id. */
export function loadCases(): RefCase[] {
  return readdirSync(`${fixtures}cases`)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const c = JSON.parse(readFileSync(`${fixtures}cases/${f}`, "utf8")) as RefCase;
      // jsonlite writes one-element vectors as scalars
      return { ...c, theta: ([] as number[]).concat(c.theta) };
    });
}

/** The case's data table, with its categorical columns. */
export function caseData(c: RefCase): Promise<DataTable> {
  return readTable(`${fixtures}data/${c.data}`, { factors: ([] as string[]).concat(c.factors ?? []) });
}

const sortTerm = (t: string): string => t.split(":").sort().join(":");

/** Assert a fit agrees with lme4 within the reference tolerances; returns nothing, throws on mismatch. */
export function assertAgrees(m: MixedModel, c: RefCase, seTol?: number): void {
  const glmm = c.family !== "gaussian";
  const tol = { est: glmm ? 0.05 : 0.02, se: seTol ?? (glmm ? 0.01 : 0.005), sd: glmm ? 0.02 : 0.01, corr: 0.01, ll: glmm ? 0.01 : 0.002 };
  assert.equal(m.nobs, c.nobs, "nobs");
  for (const [g, n] of Object.entries(c.ngroups)) assert.equal(m.ngroups[g], n, `ngroups ${g}`);
  assert.equal(m.fixef.length, c.fixef.length, "number of fixed effects");
  for (const f of c.fixef) {
    const o = m.fixef.find((r) => sortTerm(r.term) === sortTerm(f.term));
    assert.ok(o, `fixef ${f.term} missing`);
    assert.ok(Math.abs(o.estimate - f.estimate) <= tol.est * f.se, `fixef ${f.term}: ${o.estimate} vs ${f.estimate}`);
    assert.ok(Math.abs(o.se - f.se) <= tol.se * f.se, `se ${f.term}: ${o.se} vs ${f.se}`);
  }
  const grp = (g: string): string => g.replace(/\.\d+$/, "");
  for (const v of c.varcorr) {
    const o = m.varcorr.find((r) => grp(r.group) === grp(v.group) && ((r.var1 === v.var1 && r.var2 === v.var2) || (v.var2 !== null && r.var1 === v.var2 && r.var2 === v.var1)));
    assert.ok(o, `varcorr ${v.group} ${v.var1} ${v.var2} missing`);
    if (v.var2 !== null) {
      if (!c.singular) assert.ok(Math.abs(o.sdcor - v.sdcor) <= tol.corr, `corr ${v.group}: ${o.sdcor} vs ${v.sdcor}`);
    } else {
      const d = Math.abs(o.sdcor - v.sdcor);
      assert.ok(d <= tol.sd * Math.abs(v.sdcor) || d <= 1e-3 * c.sigma, `sd ${v.group} ${v.var1}: ${o.sdcor} vs ${v.sdcor}`);
    }
  }
  // lme4 reports nAGQ > 1 log-likelihoods relative to the saturated model; mlm reports the full
  // one for every nAGQ, so compare with logLik_absolute = logLik + logLik_saturated there.
  const shift = c.logLik_absolute !== undefined ? c.logLik_absolute - c.logLik : 0;
  const ll = c.logLik + shift;
  assert.ok(m.logLik >= ll - tol.ll, `logLik ${m.logLik} below lme4 ${ll}`);
  assert.ok(m.logLik <= ll + 0.05, `logLik ${m.logLik} implausibly above lme4 ${ll}`);
  for (const k of ["AIC", "BIC"] as const) {
    const ref = c[k] - 2 * shift;
    assert.ok(Math.abs(m[k] - ref) <= 2 * tol.ll + 1e-6 * Math.abs(ref), `${k} ${m[k]} vs ${ref}`);
  }
  assert.equal(m.singular, c.singular, "singular");
}
