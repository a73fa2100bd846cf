// Figures of the built studio (run after `npm run build`): its gzipped size, how long it takes to
// open from localhost, and the fit time in the browser tab against Node on the same models.
// Usage: flock /tmp/bench.lock node --import tsx scripts/studio-figures.ts (times are rough on a shared machine)
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fit, parseDelimited } from "../src/index.js";
import { STUDIO_DIR } from "../src/cli/static-server.js";
import { DATA, openStudio } from "../test/app/browser.js";

const REPS = Number(process.env.STUDIO_FIGURES_REPS ?? 9);
// fits before the measured ones, so that both runtimes have compiled the code (JIT warm-up)
const WARM_BROWSER = 3;
const WARM_NODE = 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const assets = readdirSync(join(STUDIO_DIR, "assets")).map((f) => join(STUDIO_DIR, "assets", f));
const code = [join(STUDIO_DIR, "index.html"), ...assets.filter((f) => /\.(js|css)$/.test(f))];
const gz = code.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0);
console.log(`app size: ${(gz / 1024).toFixed(1)} KB gzipped (HTML, JS, CSS)`);

const s = await openStudio();
const { page } = s;
const opens: number[] = [];
const walls: number[] = [];
for (let i = 0; i < REPS; i++) {
  const t0 = Date.now();
  await page.goto(s.server.url);
  await page.getByLabel("Data file").waitFor();
  walls.push(Date.now() - t0);
  opens.push(Number(await page.evaluate(`performance.getEntriesByName("mlm-studio-rendered")[0].startTime`)));
}
console.log(`open from localhost: rendered ${median(opens).toFixed(0)} ms after navigation start (median of ${REPS}); ${median(walls)} ms as Playwright sees it`);

interface FigureCase {
  readonly name: string;
  readonly file: string;
  readonly formula: string;
  readonly family?: "binomial" | "Gamma";
  readonly factors?: readonly string[];
  readonly correlation?: string;
}
const cases: FigureCase[] = [
  { name: "sleepstudy", file: "sleepstudy.csv", formula: "Reaction ~ Days + (Days | Subject)" },
  { name: "Hsb82", file: "Hsb82.csv", formula: "mAch ~ meanses * cses + (cses | school)" },
  { name: "cbpp (binomial GLMM)", file: "cbpp.csv", formula: "cbind(incidence, size - incidence) ~ period + (1 | herd)", family: "binomial", factors: ["period"] },
  { name: "sleepstudy (Gamma GLMM, as glmmTMB)", file: "sleepstudy.csv", formula: "Reaction ~ Days + (Days | Subject)", family: "Gamma" },
  { name: "sleepstudy (lme with corAR1, as nlme)", file: "sleepstudy.csv", formula: "Reaction ~ Days + (1 | Subject)", correlation: "corAR1(form = ~ Days | Subject)" },
];
for (const c of cases) {
  await page.getByLabel("Data file").setInputFiles(join(DATA, c.file));
  await page.getByRole("table", { name: "Columns" }).waitFor();
  for (const f of c.factors ?? []) {
    await page.getByRole("switch", { name: `Treat ${f} as categorical` }).check();
    await page.getByRole("table", { name: "Columns" }).getByText(/^categorical, \d+ levels$/).first().waitFor();
  }
  await page.getByRole("combobox", { name: "Formula" }).fill(c.formula);
  // the residual structure's field takes text for linear models only: set it, then the family
  await page.getByLabel("Family").selectOption("gaussian");
  await page.getByRole("textbox", { name: "Correlation structure" }).fill(c.correlation ?? "");
  await page.getByLabel("Family").selectOption(c.family ?? "gaussian");
  const browser: number[] = [];
  for (let i = 0; i < REPS + WARM_BROWSER; i++) {
    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await page.getByRole("progressbar").waitFor({ state: "detached" });
    const cell = await page.getByRole("row", { name: /Fit time in this tab/ }).getByRole("cell").innerText();
    if (i >= WARM_BROWSER) browser.push(Number(/(\d+) ms/.exec(cell)![1]));
  }
  const table = parseDelimited(readFileSync(join(DATA, c.file), "utf8"), { delimiter: ",", source: c.file, factors: c.factors });
  const node: number[] = [];
  for (let i = 0; i < REPS + WARM_NODE; i++) {
    const m = c.correlation ? fit(c.formula, table, { correlation: c.correlation }) : fit(c.formula, table, { family: c.family });
    if (i >= WARM_NODE) node.push(m.fitSeconds * 1000);
  }
  console.log(`${c.name} ${c.formula}${c.correlation ? `, ${c.correlation}` : ""}: browser median ${median(browser)} ms, Node median ${median(node).toFixed(0)} ms (median of ${REPS} fits after warm-up; the fit time mlm reports, data in memory to fitted model)`);
}
await s.close();
