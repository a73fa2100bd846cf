/**
 * A progress bar on standard error for long computations (bootstrap refits, profiles), shown only
 * when standard error is a terminal, so that pipes, logs and tests get nothing.
 */
import type { CliIo } from "./cli-io.js";
import type { FitProgress } from "../index.js";

/**
 * A fit's progress on one line of stderr, `fitting: 350 evaluations, criterion 1743.6268`, shown
 * only on a terminal and only once the fit has run for `after` seconds (short fits print nothing);
 * redrawn at most four times a second.
 *
 * @param io - where to write.
 * @param enabled - whether to draw at all (default: stderr is a terminal).
 * @param after - seconds before the first line (default 2).
 * @returns an `onProgress` callback for the fit, and `done()` to clear the line afterwards.
 * @example
 * ```ts
 * import { memoryIo } from "./cli-io.js";
 * const io = memoryIo();
 * const p = fitProgress(io, true, 0);
 * p.onProgress?.({ evaluations: 350, criterion: 1743.6268 });
 * p.done();
 * io.err(); // "\rfitting: 350 evaluations, criterion 1743.626800\n"
 * ```
 */
export function fitProgress(io: CliIo, enabled = process.stderr.isTTY === true, after = 2): { onProgress?: FitProgress; done: () => void } {
  if (!enabled) return { done: () => undefined };
  const start = performance.now();
  let last = -Infinity;
  let shown = false;
  return {
    onProgress: ({ evaluations, criterion }) => {
      const now = performance.now();
      if (now - start < after * 1000 || now - last < 250) return;
      last = now;
      shown = true;
      io.stderr(`\rfitting: ${evaluations} evaluations, criterion ${criterion.toPrecision(10)}`);
    },
    done: () => {
      if (shown) io.stderr("\n");
    },
  };
}

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
