// Deterministic synthetic data sets for the benchmark; written to bench/out/*.csv so that lme4
// (bench/lme4.R) fits exactly the same rows.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";

/** A small seeded generator (mulberry32) with Box–Muller normals. */
function rng(seed: number): { unif: () => number; norm: () => number } {
  let a = seed >>> 0;
  const unif = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const norm = (): number => Math.sqrt(-2 * Math.log(1 - unif())) * Math.cos(2 * Math.PI * unif());
  return { unif, norm };
}

export interface BenchData {
  readonly name: string;
  readonly formula: string;
  readonly columns: Record<string, Float64Array | string[]>;
}

/** 1,000,000 rows in 10,000 groups with a random intercept and slope. */
export function bigSlopes(): BenchData {
  const r = rng(1);
  const G = 10000;
  const per = 100;
  const n = G * per;
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const g: string[] = new Array(n);
  for (let j = 0; j < G; j++) {
    const b0 = 2 * r.norm();
    const b1 = 0.5 * r.norm();
    const name = `g${j}`;
    for (let k = 0; k < per; k++) {
      const i = j * per + k;
      x[i] = r.unif() * 10;
      y[i] = 10 + b0 + (1.5 + b1) * x[i] + 3 * r.norm();
      g[i] = name;
    }
  }
  return { name: "slopes_1m", formula: "y ~ x + (x | g)", columns: { y, x, g } };
}

/** About 70,000 rows crossed between 3,000 and 1,100 levels (like lme4's InstEval). */
export function crossed(): BenchData {
  const r = rng(2);
  const S = 3000;
  const Dn = 1100;
  const n = 70000;
  const bs = Array.from({ length: S }, () => 0.3 * r.norm());
  const bd = Array.from({ length: Dn }, () => 0.5 * r.norm());
  const y = new Float64Array(n);
  const s: string[] = new Array(n);
  const d: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const si = Math.floor(r.unif() * S);
    const di = Math.floor(r.unif() * Dn);
    y[i] = 3 + bs[si] + bd[di] + r.norm();
    s[i] = `s${si}`;
    d[i] = `d${di}`;
  }
  return { name: "crossed_70k", formula: "y ~ 1 + (1 | s) + (1 | d)", columns: { y, s, d } };
}

/** Write a data set as CSV (once). */
export function writeCsv(data: BenchData, dir: string): string {
  const path = `${dir}/${data.name}.csv`;
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const names = Object.keys(data.columns);
  const cols = names.map((k) => data.columns[k]);
  const n = cols[0].length;
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++) lines.push(cols.map((c) => String(c[i])).join(","));
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** 2,000,000 rows with three crossed factors of 100,000, 1,000 and 100 levels and one covariate. */
export function crossed3(): BenchData {
  const r = rng(3);
  const n = 2_000_000;
  const na = 100_000;
  const nb = 1000;
  const nc = 100;
  const ba = Array.from({ length: na }, () => 0.5 * r.norm());
  const bb = Array.from({ length: nb }, () => 0.3 * r.norm());
  const bc = Array.from({ length: nc }, () => 0.2 * r.norm());
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const a: string[] = new Array(n);
  const b: string[] = new Array(n);
  const c: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ai = i % na;
    const bi = Math.floor(r.unif() * nb);
    const ci = Math.floor(r.unif() * nc);
    x[i] = r.norm();
    y[i] = 1 + 0.5 * x[i] + ba[ai] + bb[bi] + bc[ci] + r.norm();
    a[i] = `a${ai}`;
    b[i] = `b${bi}`;
    c[i] = `c${ci}`;
  }
  return { name: "crossed3_2m", formula: "y ~ x + (1 | a) + (1 | b) + (1 | c)", columns: { y, x, a, b, c } };
}

/** A binomial GLMM: 1,000,000 rows (0/1) in 200,000 groups of 5, a random intercept and one covariate. */
export function binomialGroups(): BenchData {
  const r = rng(4);
  const G = 200_000;
  const per = 5;
  const n = G * per;
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const g: string[] = new Array(n);
  for (let j = 0; j < G; j++) {
    const b0 = r.norm();
    const name = `g${j}`;
    for (let k = 0; k < per; k++) {
      const i = j * per + k;
      x[i] = r.norm();
      const eta = -0.5 + 0.8 * x[i] + b0;
      y[i] = r.unif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      g[i] = name;
    }
  }
  return { name: "binomial_200k", formula: "y ~ x + (1 | g)", columns: { y, x, g } };
}
