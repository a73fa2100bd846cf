/**
 * Decoding Parquet column chunks in a worker thread (Node only), with a memory limit and a time
 * limit, so that a corrupt file cannot hang or crash mlm: hyparquet trusts run lengths and sizes
 * in the pages, and a damaged page can make it loop or allocate without bound.
 *
 * The worker runs plain JavaScript given as source text (it only needs hyparquet), so it works
 * the same from the compiled dist/ and from TypeScript run through tsx.
 */
import { Worker } from "node:worker_threads";
import { DecodeLimitError } from "../formats/parse-parquet.js";
import type { ParquetChunk } from "../formats/parse-parquet.js";

/** Limits of one decoding worker. */
export interface ParquetWorkerLimits {
  /** Heap limit of the worker in MB (default: 1024 + 64 per MB of file). */
  readonly maxHeapMb?: number;
  /** Time limit in milliseconds (default: 30 s + 5 s per MB of file). */
  readonly timeoutMs?: number;
}

// The worker: decode all chunks with hyparquet's parquetRead and post them back.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.hyparquet).then(async ({ parquetRead }) => {
  const chunks = [];
  await parquetRead({
    file: workerData.file,
    columns: workerData.columns,
    onChunk: (c) => chunks.push({ column: c.columnName, rowStart: c.rowStart, data: c.columnData }),
  });
  parentPort.postMessage({ chunks });
}).catch((error) => {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
});
process.on("unhandledRejection", (error) => {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
});
`;

/**
 * Decodes every column chunk of a Parquet file in a worker thread.
 *
 * @param file - the whole Parquet file (copied to the worker).
 * @param limits - memory and time limits; defaults scale with the file's size.
 * @param columns - the top-level columns to decode (default: all).
 * @returns the decoded chunks.
 * @throws Error with hyparquet's message when decoding fails; DecodeLimitError when the worker
 *   exceeds its memory or time limit.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const bytes = readFileSync(ioFile("sleepstudy.parquet"));
 * const chunks = await readChunksInWorker(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
 * chunks.map((c) => c.column).sort(); // ["Days", "Reaction", "Subject"]
 * ```
 */
export function readChunksInWorker(file: ArrayBuffer, limits: ParquetWorkerLimits = {}, columns?: readonly string[]): Promise<ParquetChunk[]> {
  const mb = file.byteLength / 2 ** 20;
  const maxHeapMb = limits.maxHeapMb ?? Math.ceil(1024 + 64 * mb);
  const timeoutMs = limits.timeoutMs ?? Math.ceil(30_000 + 5_000 * mb);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, columns: columns === undefined ? undefined : [...columns], hyparquet: import.meta.resolve("hyparquet") },
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      action();
    };
    const timer = setTimeout(
      () => finish(() => reject(new DecodeLimitError(`decoding it took longer than ${Math.round(timeoutMs / 1000)} s, so it is probably corrupt`))),
      timeoutMs,
    );
    worker.on("message", (m: { chunks?: ParquetChunk[]; error?: string }) =>
      finish(() => (m.chunks ? resolve(m.chunks) : reject(new Error(m.error ?? "unknown error")))),
    );
    worker.on("error", (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new DecodeLimitError(`decoding it needed more than ${maxHeapMb} MB of memory, so it is probably corrupt`)
            : error,
        ),
      ),
    );
    worker.on("exit", (code) => finish(() => reject(new Error(`the Parquet decoder stopped (exit code ${code})`))));
  });
}
