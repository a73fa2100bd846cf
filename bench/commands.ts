// Whole-command times: `mlm fit DATA FORMULA` as a user runs it (one process: start node, read
// the CSV, fit, print the summary with Satterthwaite t tests), as text and with --json, beside R
// (`Rscript -e` with read.csv + lmerTest::lmer + summary; bench/command-times.json, written by
// `Rscript bench/commands.R`), and the fit alone beside lme4's, for the cases of
// bench/command-cases.json. Runs the built CLI and library (dist/: `npm run build` first): the
// code a user runs, not its TypeScript through tsx (whose output ran the dense downdate ~1.6
// times slower).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

interface CommandCase {
  id: string;
  data: string;
  formula: string;
  factors: string[];
}

interface RTimes {
  command: number;
  fit: number;
}

function commandCases(): CommandCase[] {
  return JSON.parse(readFileSync(`${root}bench/command-cases.json`, "utf8")) as CommandCase[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of `mlm fit` on a case, in seconds (one process per run). */
function commandSeconds(c: CommandCase, json: boolean, reps: number): number {
  const args = [`${root}bin/mlm`, "fit", `${root}${c.data}`, c.formula, ...c.factors.flatMap((f) => ["--factor", f]), ...(json ? ["--json"] : [])];
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const res = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28 });
    const s = (performance.now() - t) / 1000;
    if (res.status !== 0) throw new Error(`mlm fit ${c.id} failed: ${res.stderr.trim().split("\n")[0]}`);
    times.push(s);
  }
  return median(times);
}

/** In a child process: the median in-process fit time of a command case with the built library (after a warm-up fit). */
export async function runCommandFit(id: string): Promise<void> {
  const c = commandCases().find((x) => x.id === id);
  if (!c) throw new Error(`no command case ${id}`);
  const built = (path: string): Promise<unknown> => import(pathToFileURL(`${root}dist/${path}`).href);
  const { fitLmm } = (await built("index.js")) as typeof import("../src/index.js");
  const { readTable } = (await built("io/read-table.js")) as typeof import("../src/io/read-table.js");
  const table = await readTable(`${root}${c.data}`, { factors: c.factors });
  fitLmm(c.formula, table);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    fitLmm(c.formula, table);
    times.push((performance.now() - t) / 1000);
  }
  process.stdout.write(JSON.stringify({ seconds: median(times) }));
}

const ratio = (a: number, b: number | undefined): string => (b ? (a / b).toFixed(3) : "");
const secs = (x: number | undefined): string => (x === undefined ? "n/a" : x.toFixed(3));

/**
 * Print the whole-command table: per case the median time of `mlm fit` as text and as --json,
 * R's whole command, their ratio, --json's slowdown over text, and the fit alone beside lme4's.
 */
export function commandBench(reps = 5, only: readonly string[] = []): void {
  const timesFile = `${root}bench/command-times.json`;
  const R: Record<string, RTimes> = existsSync(timesFile) ? JSON.parse(readFileSync(timesFile, "utf8")) : {};
  if (!existsSync(`${root}dist/cli/main.js`)) {
    console.log("whole-command times need the built CLI: run `npm run build` first");
    return;
  }
  console.log(`\nwhole command (median of ${reps} runs, seconds): mlm fit vs Rscript read.csv + lmerTest::lmer + summary; fit alone vs lme4::lmer`);
  console.log(`${"case".padEnd(12)} ${"text".padStart(8)} ${"json".padStart(8)} ${"json/text".padStart(9)} ${"R".padStart(8)} ${"ratio".padStart(7)} ${"fit".padStart(8)} ${"lme4 fit".padStart(8)} ${"ratio".padStart(7)}`);
  for (const c of commandCases().filter((x) => only.length === 0 || only.includes(x.id))) {
    if (!existsSync(`${root}${c.data}`)) {
      console.log(`${c.id.padEnd(12)} no ${c.data}: run \`Rscript bench/commands.R\` once to export it`);
      continue;
    }
    const text = commandSeconds(c, false, reps);
    const json = commandSeconds(c, true, reps);
    const child = spawnSync(process.execPath, ["--import", "tsx", `${root}bench/bench.ts`, "--command-fit", c.id], { encoding: "utf8" });
    const fit = child.status === 0 ? (JSON.parse(child.stdout) as { seconds: number }).seconds : NaN;
    const r = R[c.id];
    console.log(
      `${c.id.padEnd(12)} ${secs(text).padStart(8)} ${secs(json).padStart(8)} ${(json / text).toFixed(2).padStart(9)} ${secs(r?.command).padStart(8)} ${ratio(text, r?.command).padStart(7)} ${secs(fit).padStart(8)} ${secs(r?.fit).padStart(8)} ${ratio(fit, r?.fit).padStart(7)}`,
    );
  }
}
