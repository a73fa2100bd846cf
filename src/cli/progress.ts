/**
 * A progress bar on standard error for long computations (bootstrap refits, profiles), shown only
 * when standard error is a terminal, so that pipes, logs and tests get nothing.
 */
import type { CliIo } from "./cli-io.js";

/**
 * A progress callback that draws `label [#####.....] done/total` on one line of stderr.
 *
 * @param io - where to write.
 * @param label - what is being done, e.g. `bootstrap`.
 * @param enabled - whether to draw at all (default: stderr is a terminal).
 * @returns an `onProgress(done, total)` callback, or undefined when disabled.
 * @example
 * ```ts
 * import { memoryIo } from "./cli-io.js";
 * const io = memoryIo();
 * const onProgress = progressBar(io, "bootstrap", true);
 * onProgress?.(250, 1000);
 * io.err(); // "\rbootstrap [#####               ] 250/1000"
 * progressBar(io, "bootstrap", false); // undefined
 * ```
 */
export function progressBar(io: CliIo, label: string, enabled = process.stderr.isTTY === true): ((done: number, total: number) => void) | undefined {
  if (!enabled) return undefined;
  const width = 20;
  let last = -1;
  return (done, total) => {
    const filled = Math.round((width * done) / Math.max(total, 1));
    const percent = Math.floor((100 * done) / Math.max(total, 1));
    if (percent === last && done < total) return;
    last = percent;
    io.stderr(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) io.stderr("\n");
  };
}
