import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { readChunksInWorker } from "../../src/io/parquet-worker.js";
import { DecodeLimitError, parseParquet, readChunksInThread } from "../../src/formats/parse-parquet.js";
import { MlmError } from "../../src/errors.js";
import { fixture } from "../formats/helpers.js";

const bytes = (name: string) => new Uint8Array(readFileSync(fixture(name)));
const buffer = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const summary = (chunks: { column: string; rowStart: number; data: ArrayLike<unknown> }[]) =>
  chunks.map((c) => [c.column, c.rowStart, Array.from(c.data)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));

test("documented example: the worker decodes the same chunks as the calling thread", async () => {
  const file = buffer(bytes("sleepstudy.parquet"));
  const inWorker = await readChunksInWorker(file);
  assert.equal(inWorker.length, 3);
  assert.deepEqual(summary(inWorker), summary(await readChunksInThread(file)));
  const mixed = buffer(bytes("mixed.parquet"));
  assert.deepEqual(summary(await readChunksInWorker(mixed)), summary(await readChunksInThread(mixed)));
});

// One changed byte in the first page header of sleepstudy.parquet sends hyparquet 1.31.5 into an
// endless loop when decoding in-thread; the worker is stopped at its time limit instead.
test("a decoder stuck on a damaged page is stopped at the time limit", async () => {
  const b = bytes("sleepstudy.parquet");
  b[21] = 145;
  await assert.rejects(readChunksInWorker(buffer(b), { timeoutMs: 1500 }), (e: unknown) => e instanceof DecodeLimitError && /longer than 2 s/.test(e.message));
  await assert.rejects(
    parseParquet(b, "s.parquet", [], (f) => readChunksInWorker(f, { timeoutMs: 1500 })),
    (e: unknown) => e instanceof MlmError && e.message === "Cannot read 's.parquet': decoding it took longer than 2 s, so it is probably corrupt.",
  );
});

test("hyparquet's own errors come back from the worker as errors", async () => {
  await assert.rejects(readChunksInWorker(buffer(bytes("gzip.parquet"))), /unsupported compression codec: GZIP/);
});

test("damaged data pages give a table or an MlmError, never a hang or a crash", async () => {
  const good = bytes("sleepstudy.parquet");
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), async (edits) => {
      const b = good.slice();
      for (const [at, value] of edits) b[at] = value;
      try {
        const t = await parseParquet(b, "d.parquet", [], (f) => readChunksInWorker(f, { timeoutMs: 1500 }));
        assert.equal(t.nrows, 180);
      } catch (error) {
        assert.ok(error instanceof MlmError, String(error));
        assert.doesNotMatch(error.message, /\n/);
      }
    }),
    { numRuns: 40 },
  );
});
