// The core must bundle for browsers: no Node-only module is imported outside src/io and src/cli.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("architecture", () => {
  it("no Node-only import outside src/io and src/cli", () => {
    const core = files(src).filter((f) => !/[/\\]src[/\\](io|cli)[/\\]/.test(f));
    assert.ok(core.length > 20);
    for (const f of core) {
      const text = readFileSync(f, "utf8");
      assert.doesNotMatch(text, /from\s+["'](node:|fs|path|child_process|worker_threads|os)["']/, f);
      assert.doesNotMatch(text, /\bprocess\.(env|argv|exit|stdout|stderr)/, f);
    }
  });

  it("src/formats reads bytes without Node and imports only the data layer, errors and itself", () => {
    const formats = files(join(src, "formats"));
    assert.ok(formats.length >= 6);
    for (const f of formats) {
      const text = readFileSync(f, "utf8");
      assert.doesNotMatch(text, /\bprocess\.\w|\bBuffer\.|\brequire\(/, f);
      for (const m of text.matchAll(/from\s+["']([^"']+)["']/g)) {
        assert.match(m[1], /^(\.\/|\.\.\/data\/|\.\.\/errors\.js$|hyparquet$)/, `${f} imports ${m[1]}`);
      }
    }
  });
});
