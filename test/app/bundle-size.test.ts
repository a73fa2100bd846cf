// The built studio (mlm, plots, UI: HTML, JavaScript, CSS) is at most 400 KB gzipped. The example
// data files are loaded only when chosen and are counted apart.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { STUDIO_DIR } from "../../src/cli/static-server.js";

const BUDGET = 400 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe("studio bundle", { skip: existsSync(join(STUDIO_DIR, "index.html")) ? undefined : "the studio is not built (npm run build)" }, () => {
  it("is at most 400 KB gzipped, without the example data", (t) => {
    let code = 0;
    let data = 0;
    for (const f of files(STUDIO_DIR)) {
      const gz = gzipSync(readFileSync(f), { level: 9 }).length;
      if (/\.(html|js|css|wasm)$/.test(f)) code += gz;
      else data += gz;
      t.diagnostic(`${relative(STUDIO_DIR, f)}: ${(statSync(f).size / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
    }
    t.diagnostic(`app (HTML, JS, CSS): ${(code / 1024).toFixed(1)} KB gzipped; example data: ${(data / 1024).toFixed(1)} KB gzipped`);
    assert.ok(code > 50 * 1024, "the bundle holds the library and the plots");
    assert.ok(code <= BUDGET, `${(code / 1024).toFixed(1)} KB gzipped is over the 400 KB budget`);
  });
});
