// Reading speed of delimited text: generates a CSV of N rows (default 5,000,000; y, x, z, g, id)
// in the system's temporary folder, reads it with readTable (streamed) and types every column.
// Usage: node --import tsx bench/read-csv.ts [rows] [--keep]   (--keep reuses and keeps the file)
import { createWriteStream } from "node:fs";
import { existsSync } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTable } from "../src/io/read-table.js";

const rows = Number(process.argv[2] ?? 5_000_000);
const path = join(tmpdir(), `mlm-bench-${rows}.csv`);

async function generate(): Promise<void> {
  const out = createWriteStream(path);
  out.write("y,x,z,g,id\n");
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const block: string[] = [];
  for (let i = 0; i < rows; i++) {
    const g = Math.floor(rand() * 1000);
    block.push(`${(100 + 20 * rand()).toFixed(4)},${(rand() * 10).toFixed(3)},${Math.floor(rand() * 5)},g${g},${i}`);
    if (block.length === 100_000) {
      if (!out.write(block.join("\n") + "\n")) await new Promise((r) => out.once("drain", () => r(undefined)));
      block.length = 0;
    }
  }
  if (block.length > 0) out.write(block.join("\n") + "\n");
  await new Promise<void>((r) => out.end(() => r()));
}

const keep = process.argv.includes("--keep");
if (!(keep && existsSync(path))) await generate();
const size = (await stat(path)).size;
const c0 = process.cpuUsage();
const t0 = performance.now();
const table = await readTable(path);
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
for (const name of table.names) table.columns.get(name);
const t2 = performance.now();
const c2 = process.cpuUsage(c0);
const cpu = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1e6).toFixed(2);
const s = (t2 - t0) / 1000;
console.log(
  `${rows} rows, ${(size / 2 ** 20).toFixed(0)} MB: scan ${((t1 - t0) / 1000).toFixed(2)} s, typing 5 columns ${((t2 - t1) / 1000).toFixed(2)} s, ` +
    `total ${s.toFixed(2)} s = ${Math.round(rows / s).toLocaleString("en")} rows/s; CPU time scan ${cpu(c1)} s, total ${cpu(c2)} s ` +
    `= ${Math.round(rows / ((c2.user + c2.system) / 1e6)).toLocaleString("en")} rows per CPU second; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
if (!keep) await unlink(path);
