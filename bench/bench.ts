// `npm run bench`: in-process fit times (median after a warm-up) and peak memory for the lme4
// reference cases and two large synthetic designs, beside lme4's times on the same machine
// (bench/lme4-times.json, written by `Rscript bench/lme4.R`), for the glmmTMB reference cases
// (negative binomial and Gamma GLMMs, structured covariances) beside glmmTMB's times
// (bench/glmmtmb-times.json, written by `Rscript bench/glmmtmb.R`), and the nlme cases beside
// nlme's (bench/nlme-times.json, written by `Rscript bench/nlme.R`).
//
// Each case runs in its own child process so that its peak resident memory is its own.
// `npm run bench -- sql [ROWS]` runs the statistics path at scale instead (bench/sql.ts).
// Then the whole-command table (bench/commands.ts): `mlm fit` as one process beside R's
// `Rscript -e` (read.csv + lmerTest::lmer + summary); `npm run bench -- commands [REPS]` runs only
// that table. The machine may be shared: run it as `flock /tmp/bench.lock npm run bench`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fitLmm, fitGlmm } from "../src/index.js";
import { readTable } from "../src/io/read-table.js";
import { toDataTable } from "../src/data/to-data-table.js";
import { bigSlopes, binomialGroups, crossed, crossed3, writeCsv } from "./generate.js";
import { nlmeCaseFit, nlmeCaseIds } from "./nlme-cases.js";
import { commandBench, runCommandFit } from "./commands.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const fixtures = `${here}../test/fixtures`;

interface CaseSpec {
  id: string;
  data: string;
  formula: string;
  family: string;
  reml: boolean;
  nAGQ: number;
  factors: string[];
  link?: string;
  /** Column of prior weights (binomial trials), as the case's R call has them. */
  weights?: string;
  /** The R package the case is timed against. */
  reference: "lme4" | "glmmTMB";
}

function caseSpecs(): CaseSpec[] {
  return readdirSync(`${fixtures}/cases`)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f): CaseSpec => {
      const c = JSON.parse(readFileSync(`${fixtures}/cases/${f}`, "utf8"));
      return { id: c.id, data: c.data, formula: c.formula, family: c.family, reml: c.reml !== false, nAGQ: c.nAGQ ?? 1, factors: [].concat(c.factors ?? []), weights: c.weights ?? undefined, reference: "lme4" };
    })
    .concat(
      readdirSync(`${fixtures}/glmmtmb`)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f): CaseSpec => {
          const c = JSON.parse(readFileSync(`${fixtures}/glmmtmb/${f}`, "utf8"));
          return { id: c.id, data: c.data, formula: c.formula, family: c.family, reml: c.reml === true, nAGQ: 1, factors: [].concat(c.factors ?? []), link: c.link, reference: "glmmTMB" };
        }),
    );
}

async function runCase(id: string): Promise<void> {
  let fit: () => unknown;
  let reps = 7;
  const nlme = await nlmeCaseFit(id, fixtures, `${here}out`);
  if (nlme) {
    fit = nlme.fit;
    reps = nlme.reps;
  } else if (id === "crossed3_2m" || id === "binomial_200k") {
    // the large designs of issue 15 (run only when named: minutes each); lme4's times: bench/large.R
    const d = id === "crossed3_2m" ? crossed3() : binomialGroups();
    writeCsv(d, `${here}out`);
    const table = toDataTable(d.columns);
    fit = id === "crossed3_2m" ? () => fitLmm(d.formula, table) : () => fitGlmm(d.formula, table, { family: "binomial" });
    reps = 1;
  } else if (id === "slopes_1m" || id === "crossed_70k") {
    const d = id === "slopes_1m" ? bigSlopes() : crossed();
    writeCsv(d, `${here}out`);
    const table = toDataTable(d.columns);
    fit = () => fitLmm(d.formula, table);
    reps = 3;
  } else {
    const c = caseSpecs().find((s) => s.id === id);
    if (!c) throw new Error(`no case ${id}`);
    const table = await readTable(`${fixtures}/data/${c.data}`, { factors: c.factors });
    fit =
      c.family === "gaussian"
        ? () => fitLmm(c.formula, table, { reml: c.reml })
        : () => fitGlmm(c.formula, table, { family: c.family as "binomial" | "poisson", nAGQ: c.nAGQ, link: c.link === "identity" ? undefined : (c.link as "log" | undefined), weights: c.weights });
  }
  // warm-up: fit again for one second (at least once), so that the times are of code the JIT
  // has optimised, as R's are of byte-compiled code: a sub-millisecond fit needs a few hundred
  // runs for that (nlme's Orthodont with varExp: 1.5-2 ms after 20 fits, 0.7 ms after 400)
  const warm = performance.now();
  for (let r = 0; reps > 1 && (r === 0 || performance.now() - warm < 1000); r++) fit();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    fit();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  const peakMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ id, seconds: times[Math.floor(times.length / 2)], peakMB }));
}

function main(): void {
  const lme4: Record<string, number> = existsSync(`${here}lme4-times.json`) ? JSON.parse(readFileSync(`${here}lme4-times.json`, "utf8")) : {};
  const glmmtmb: Record<string, number> = existsSync(`${here}glmmtmb-times.json`) ? JSON.parse(readFileSync(`${here}glmmtmb-times.json`, "utf8")) : {};
  const tmbIds = new Set(caseSpecs().filter((c) => c.reference === "glmmTMB").map((c) => c.id));
  const nlme: Record<string, number> = existsSync(`${here}nlme-times.json`) ? JSON.parse(readFileSync(`${here}nlme-times.json`, "utf8")) : {};
  const nlmeIds = new Set(nlmeCaseIds(fixtures));
  const only = process.argv.slice(2);
  const large: Record<string, number> = existsSync(`${here}large-times.json`) ? JSON.parse(readFileSync(`${here}large-times.json`, "utf8")) : {};
  Object.assign(lme4, large);
  const ids = [...caseSpecs().map((c) => c.id), "slopes_1m", "crossed_70k", ...nlmeIds].filter((id) => only.length === 0 || only.includes(id));
  for (const id of ["crossed3_2m", "binomial_200k"]) if (only.includes(id)) ids.push(id);
  console.log(`${"case".padEnd(28)} ${"mlm (s)".padStart(9)} ${"R (s)".padStart(9)} ${"ratio".padStart(7)} ${"peak MB".padStart(8)}  R package`);
  for (const id of ids) {
    const r = spawnSync(process.execPath, ["--import", "tsx", `${here}bench.ts`, "--case", id], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.log(`${id.padEnd(28)} failed: ${(r.stderr || "").trim().split("\n").slice(-1)[0]}`);
      continue;
    }
    const res = JSON.parse(r.stdout) as { seconds: number; peakMB: number };
    const tmb = tmbIds.has(id);
    const l = tmb ? glmmtmb[id] : nlmeIds.has(id) ? nlme[id] : lme4[id];
    const ratio = l ? (res.seconds / l).toFixed(3) : "";
    console.log(`${id.padEnd(28)} ${res.seconds.toFixed(4).padStart(9)} ${(l ? l.toFixed(4) : "n/a").padStart(9)} ${ratio.padStart(7)} ${res.peakMB.toFixed(0).padStart(8)}  ${tmb ? "glmmTMB" : nlmeIds.has(id) ? "nlme" : "lme4"}`);
  }
  if (only.length === 0) commandBench();
}

if (process.argv[2] === "--case") await runCase(process.argv[3]);
else if (process.argv[2] === "--command-fit") await runCommandFit(process.argv[3]);
else if (process.argv[2] === "commands") commandBench(Number(process.argv[3] ?? 5));
else if (process.argv[2] === "sql" || process.argv[2] === "sql-memory") await (await import("./sql.js")).sqlBench(process.argv.slice(2));
else main();
