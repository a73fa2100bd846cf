// bin/mlm and the package's build on install (issue 15): `npm install` from git builds dist/
// through the `prepare` script, and bin/mlm before a build says what to run instead of a stack trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("package.json builds dist/ on prepare (npm install from git) and ships dist and bin", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string>; files: string[] };
  assert.equal(pkg.scripts.prepare, "npm run build");
  // the library first, then the bundled command line (dist/bundle/, run by bin/mlm), then the
  // studio's static files (dist-app/, served by mlm studio)
  assert.match(pkg.scripts.build, /^tsc -p tsconfig\.build\.json && node scripts\/bundle-cli\.mjs( && vite build app\b.*)?$/);
  assert.deepEqual(pkg.files, ["dist", "dist-app", "bin"]);
});

test("bin/mlm without dist/ says to run npm run build, with no stack trace", () => {
  const dir = mkdtempSync(join(tmpdir(), "mlm-bin-"));
  try {
    mkdirSync(join(dir, "bin"));
    copyFileSync(join(root, "bin", "mlm"), join(dir, "bin", "mlm"));
    const r = spawnSync(process.execPath, [join(dir, "bin", "mlm"), "--version"], { encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^mlm: the command line has not been built yet; run `npm run build`/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bin/mlm runs the bundled command line once built", { skip: !existsSync(join(root, "dist", "bundle", "main.js")) && "not built" }, () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const r = spawnSync(process.execPath, [join(root, "bin", "mlm"), "--version"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), pkg.version);
});
