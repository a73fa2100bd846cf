/**
 * Where the command line writes: standard output and standard error, replaceable in tests.
 */

/** The output streams of one run of the CLI. */
export interface CliIo {
  /** Writes text (with its own newlines) to standard output. */
  stdout(text: string): void;
  /** Writes text (with its own newlines) to standard error. */
  stderr(text: string): void;
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/** Stops a closed pipe (`mlm ... | head -1`) from crashing the process with EPIPE. */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

/**
 * The process's own standard output and error.
 *
 * @returns a {@link CliIo} writing to `process.stdout` and `process.stderr`.
 * @example
 * ```ts
 * const io = processIo();
 * typeof io.stdout; // "function"
 * ```
 */
export function processIo(): CliIo {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

/**
 * A {@link CliIo} that keeps what is written, for tests and embedding.
 *
 * @returns the io and the text written to each stream so far.
 * @example
 * ```ts
 * const io = memoryIo();
 * io.stderr("mlm: oops\n");
 * io.err(); // "mlm: oops\n"
 * ```
 */
export function memoryIo(): CliIo & { out(): string; err(): string } {
  let out = "";
  let err = "";
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    out: () => out,
    err: () => err,
  };
}

/**
 * Write a model's messages to stderr, one line each, with their severity (`mlm: warning: …`).
 *
 * @param io - where to write.
 * @param messages - the messages.
 * @param prefix - text before each message, e.g. `m1: ` for the first model of a comparison.
 * @example
 * ```ts
 * const io = memoryIo();
 * printMessages(io, [{ code: "rows-dropped", severity: "note", text: "2 rows were dropped." }]);
 * io.err(); // "mlm: note: 2 rows were dropped.\n"
 * ```
 */
export function printMessages(io: CliIo, messages: readonly { readonly severity: string; readonly text: string }[], prefix = ""): void {
  for (const m of messages) io.stderr(`mlm: ${m.severity}: ${prefix}${m.text}\n`);
}
