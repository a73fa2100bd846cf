/**
 * The `mlm` commander program: global help and version, error output through {@link CliIo},
 * and every command of ./commands.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import type { CliIo } from "./cli-io.js";
import { COMMANDS } from "./commands/index.js";

/** The package version, from package.json (two folders up from both src/cli and dist/cli). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Builds the `mlm` program. It never exits the process: commander's exits become thrown
 * `CommanderError`s (see `main`), and its output goes to `io`.
 *
 * @param io - where to write.
 * @returns the program, ready for `parseAsync(argv, { from: "user" })`.
 * @example
 * ```ts
 * import { memoryIo } from "./cli-io.js";
 * const io = memoryIo();
 * const program = createProgram(io);
 * program.commands.map((c) => c.name());
 * // ["describe", "fit", "compare", "confint", "predict", "simulate", "pooling", "means", "tidy", "glance", "augment", "table", "check", "stats", "sql", "studio"]
 * await program.parseAsync(["describe", dataFile("Dyestuff.csv"), "Yield ~ 1 + (1 | Batch)", "--json"], { from: "user" });
 * JSON.parse(io.out()).nobs; // 30
 * ```
 */
export function createProgram(io: CliIo): Command {
  const program = new Command("mlm")
    .description("Multilevel (mixed-effects) models that agree with R's lme4.")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // Commander's errors ("error: unknown option '--jsn'\n(Did you mean --json?)") on one line.
      outputError: (text, write) => write(`mlm: ${text.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim()}\n`),
    })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        '  $ mlm describe sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
        '  $ mlm fit sleepstudy.csv "Reaction ~ Days + (Days | Subject)"',
        '  $ mlm fit cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial --factor period',
        '  $ mlm compare sleepstudy.csv "Reaction ~ Days + (1 | Subject)" "Reaction ~ Days + (Days | Subject)"',
        "  $ mlm fit --help",
        "",
        "Errors in the data or formula print one line 'mlm: ...' and exit with status 2.",
        "",
      ].join("\n"),
    );
  for (const register of COMMANDS) register(program, io);
  return program;
}
