// Shared helpers of the CLI tests: run `main` in-process and check the one-line error contract.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { memoryIo } from "../../src/cli/cli-io.js";

/** What one run of `mlm` produced. */
export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `mlm ARGV` in-process, capturing stdout and stderr. */
export async function run(...argv: string[]): Promise<Run> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The path of a CSV in test/fixtures/data/ (copies of the shared lme4 reference data). */
export const data = (name: string): string => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));

/** The path of a file in test/fixtures/io/. */
export const ioFixture = (name: string): string => fileURLToPath(new URL(`../fixtures/io/${name}`, import.meta.url));

/** Asserts a failed run: exit 2, nothing on stdout, one `mlm: ` line on stderr matching `pattern`, no stack trace. */
export function assertOneLineError(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit status (stderr: ${r.err})`);
  assert.equal(r.out, "");
  assert.match(r.err, /^mlm: [^\n]+\n$/, `one line on stderr, got: ${JSON.stringify(r.err)}`);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "mlm-cli-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
