// The WebAssembly SIMD kernel in the browser: a crossed design whose trailing block is large
// enough for the SIMD Cholesky (Node is checked to take that path on the same data) is fitted in
// Chromium's worker, and the tab's estimates equal Node's.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStudio, studioReady, tableByCaption, type Studio } from "./browser.js";

/** A crossed design: 3000 rows, factor a with 160 levels, factor b with 140 (deterministic). */
function crossedCsv(): string {
  let s = 12345;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ea = Array.from({ length: 160 }, () => rnd() - 0.5);
  const eb = Array.from({ length: 140 }, () => rnd() - 0.5);
  const lines = ["y,a,b"];
  for (let i = 0; i < 3000; i++) {
    const ia = Math.floor(rnd() * 160);
    const ib = Math.floor(rnd() * 140);
    lines.push(`${(2 * ea[ia] + eb[ib] + rnd()).toFixed(6)},a${ia},b${ib}`);
  }
  return `${lines.join("\n")}\n`;
}

const FORMULA = "y ~ 1 + (1 | a) + (1 | b)";

describe("WebAssembly SIMD kernel in Chromium", { skip: studioReady() }, () => {
  let s: Studio;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlm-simd-"));
    s = await openStudio();
  });
  after(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fits a crossed design through the SIMD Cholesky and agrees with Node", async () => {
    const csv = crossedCsv();
    const file = join(dir, "crossed.csv");
    writeFileSync(file, csv);

    // Node on the same data: count the WebAssembly memories the SIMD kernel allocates
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => object } }).WebAssembly;
    const Memory = wasm.Memory;
    let memories = 0;
    wasm.Memory = function (this: unknown, d: object) {
      memories++;
      return new Memory(d);
    } as unknown as typeof Memory;
    const mlm = await import("../../src/index.js");
    const table = mlm.parseDelimited(csv, { delimiter: ",", source: "crossed.csv" });
    const node = mlm.fit(FORMULA, table);
    wasm.Memory = Memory;
    assert.ok(mlm.simdSupported());
    assert.ok(memories >= 1, "Node fitted this design with the SIMD kernel");

    const { page } = s;
    await page.getByLabel("Data file").setInputFiles(file);
    await page.getByRole("table", { name: "Columns" }).waitFor();
    await page.getByRole("combobox", { name: "Formula" }).fill(FORMULA);
    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await page.getByRole("progressbar").waitFor({ state: "detached", timeout: 120000 });
    const random = await tableByCaption(page, "Random effects");
    const stats = await tableByCaption(page, "Fit statistics");
    assert.match(stats.find((r) => r[0] === "Fit time in this tab")![1], /WebAssembly SIMD available/);
    for (const v of node.varcorr) {
      const row = random.find((r) => r[0] === v.group);
      assert.ok(row, `row ${v.group}`);
      assert.ok(Math.abs(Number(row[3]) - v.sdcor) <= 1e-4 * v.sdcor, `${v.group}: browser ${row[3]} vs Node ${v.sdcor}`);
    }
    const fixed = await tableByCaption(page, "Fixed effects");
    assert.ok(Math.abs(Number(fixed[1][1]) - node.fixef[0].estimate) <= 1e-5 * Math.max(1, Math.abs(node.fixef[0].estimate)));
  });
});
