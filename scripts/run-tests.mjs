// Runs every test/**/*.test.ts file with node's test runner (TypeScript loaded through tsx).
// Usage: node scripts/run-tests.mjs [substring]   (a substring keeps only matching files)
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith(".test.ts") ? [p] : [];
  });
}

const filter = process.argv[2];
const files = find("test").filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error("No test files found.");
  process.exit(1);
}
const run = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], { stdio: "inherit" });
process.exit(run.status ?? 1);
