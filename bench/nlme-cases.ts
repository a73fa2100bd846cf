// The benchmark's nlme cases: every reference fit of test/fixtures/nlme (as nlme::gls / lme fit
// them), and generated repeated-measures data from 1,000 to 1,000,000 rows (groups of 10
// occasions, AR(1) errors with φ = 0.6, a random intercept and slope, and three strata with
// residual sds 1, 1.5 and 2) fitted with AR(1) + random intercept, AR(1) + random slope, and
// varIdent by stratum. bench/nlme.R times nlme on the same data (bench/out/nlme_<n>.csv).
import { readFileSync, readdirSync } from "node:fs";
import { fitGls, fitLmmResidual } from "../src/index.js";
import { readTable } from "../src/io/read-table.js";
import { toDataTable } from "../src/data/to-data-table.js";
import { writeCsv, type BenchData } from "./generate.js";

const SIZES = [1000, 10000, 100000, 1000000];
const MODELS = {
  ar1_int: { formula: "y ~ x + (1 | g)", correlation: "corAR1(form = ~ t | g)", variance: undefined },
  ar1_slope: { formula: "y ~ x + (t | g)", correlation: "corAR1(form = ~ t | g)", variance: undefined },
  varident: { formula: "y ~ x + (1 | g)", correlation: undefined, variance: "varIdent(form = ~ 1 | s)" },
} as const;

/** The generated data set of n rows. */
export function repeatedMeasures(n: number): BenchData {
  let a = 12345 + n;
  const unif = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const norm = (): number => Math.sqrt(-2 * Math.log(1 - unif())) * Math.cos(2 * Math.PI * unif());
  const per = 10;
  const G = n / per;
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const t = new Float64Array(n);
  const g: string[] = new Array(n);
  const s: string[] = new Array(n);
  const sds = [1, 1.5, 2];
  for (let j = 0; j < G; j++) {
    const b0 = norm();
    const b1 = 0.3 * norm();
    const stratum = j % 3;
    let e = norm();
    for (let k = 0; k < per; k++) {
      const i = j * per + k;
      if (k > 0) e = 0.6 * e + 0.8 * norm();
      x[i] = unif();
      t[i] = k;
      y[i] = 5 + 2 * x[i] + b0 + b1 * k + sds[stratum] * e;
      g[i] = `g${j}`;
      s[i] = `s${stratum}`;
    }
  }
  return { name: `nlme_${n}`, formula: "", columns: { y, x, t, g, s } };
}

/** Benchmark ids of the nlme cases. */
export function nlmeCaseIds(fixtures: string): string[] {
  const refs = readdirSync(`${fixtures}/nlme`).filter((f) => f.endsWith(".json")).sort().map((f) => `nlme_${f.replace(/\.json$/, "")}`);
  const gen = SIZES.flatMap((n) => Object.keys(MODELS).map((m) => `${m}_${n}`));
  return [...refs, ...gen];
}

/** The fit to time for an nlme case id, or undefined for other ids. */
export async function nlmeCaseFit(id: string, fixtures: string, outDir: string): Promise<{ fit: () => unknown; reps: number } | undefined> {
  const ref = /^nlme_(.+)$/.exec(id);
  if (ref) {
    const c = JSON.parse(readFileSync(`${fixtures}/nlme/${ref[1]}.json`, "utf8"));
    const table = await readTable(`${fixtures}/data/${c.data}`, { factors: c.factors });
    const opts = { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined };
    const fit = c.nlme.fun === "gls" ? fitGls : fitLmmResidual;
    return { fit: () => fit(c.formula, table, opts), reps: 5 };
  }
  const gen = /^(ar1_int|ar1_slope|varident)_(\d+)$/.exec(id);
  if (!gen) return undefined;
  const n = Number(gen[2]);
  const d = repeatedMeasures(n);
  writeCsv(d, outDir);
  const table = toDataTable(d.columns);
  const m = MODELS[gen[1] as keyof typeof MODELS];
  return { fit: () => fitLmmResidual(m.formula, table, { correlation: m.correlation, variance: m.variance }), reps: n >= 100000 ? 1 : 3 };
}
