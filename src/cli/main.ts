/**
 * Entry point of the `mlm` command line (bin/mlm): runs the program and turns every failure into
 * an exit status and a message, never an uncaught exception.
 */
import { CommanderError } from "commander";
import type { Command } from "commander";
import { MlmError } from "../index.js";
import { processIo } from "./cli-io.js";
import type { CliIo } from "./cli-io.js";
import { createProgram } from "./program.js";

/** Exit status of a run that failed on bad input or a usage error. */
export const EXIT_FAILURE = 2;

/** Exit status of an internal error (a bug in mlm): sysexits.h's EX_SOFTWARE. */
export const EXIT_INTERNAL = 70;

/** The request that follows an internal error. */
const REPORT = "This is a bug in mlm, not a problem with your input; please report it with the command you ran";

/** An MlmError message as printed: first line after `mlm: `, further lines (a caret) indented. */
function formatMlmError(message: string): string {
  const [first, ...rest] = message.split(/\r?\n/);
  return [`mlm: ${first}`, ...rest.map((line) => `     ${line}`)].join("\n");
}

/**
 * Runs `mlm` with the given arguments.
 *
 * Exit status: 0 on success (and for `--help`, `--version`); 2 when the data, formula or
 * arguments are bad (one line `mlm: <message>` on stderr); 70 for internal errors, which are bugs
 * (`mlm: internal error: <message>`, and a request to report it with the `--debug` output).
 * With `--debug` the stack trace follows the message.
 *
 * @param argv - the arguments after the program name, e.g. `process.argv.slice(2)`.
 * @param io - where to write; the process's stdout and stderr by default.
 * @returns the exit status.
 * @example
 * ```ts
 * import { memoryIo } from "./cli-io.js";
 * const io = memoryIo();
 * await main(["describe", dataFile("Dyestuff.csv"), "Yield ~ 1 + (1 | Batch)"], io); // 0
 * io.out().split("\n")[0]; // "Rows:           30 used, 0 dropped"
 * await main(["describe", "missing.csv", "y ~ x"], io); // 2
 * io.err(); // "mlm: File 'missing.csv' does not exist; check the path.\n"
 * ```
 */
export function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runProgram(createProgram(io), argv, io);
}

/**
 * Runs a commander program built by `createProgram`, mapping every failure to an exit status
 * (2 for bad input, 70 for internal errors) and a message as {@link main} describes.
 *
 * @param program - the program (with `exitOverride()` and output set to `io`).
 * @param argv - the arguments after the program name.
 * @param io - where to write error messages.
 * @returns the exit status.
 * @example
 * ```ts
 * import { memoryIo } from "./cli-io.js";
 * import { createProgram } from "./program.js";
 * const io = memoryIo();
 * await runProgram(createProgram(io), ["--version"], io); // 0
 * io.out(); // "0.1.0\n"
 * await runProgram(createProgram(io), ["fit", "--jsn"], io); // 2
 * ```
 */
export async function runProgram(program: Command, argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_FAILURE;
    if (error instanceof MlmError) {
      io.stderr(`${formatMlmError(error.message)}\n`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return EXIT_FAILURE;
    }
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
    if (debug) {
      io.stderr(`mlm: internal error: ${message}\n`);
      if (error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
      io.stderr(`${REPORT} and the output above.\n`);
    } else {
      io.stderr(`mlm: internal error: ${message}\n${REPORT} and the output of the same command with --debug.\n`);
    }
    return EXIT_INTERNAL;
  }
}
