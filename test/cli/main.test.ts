import { test } from "node:test";
import assert from "node:assert/strict";
import { createProgram } from "../../src/cli/program.js";
import { runProgram } from "../../src/cli/main.js";
import { memoryIo } from "../../src/cli/cli-io.js";
import { MlmError } from "../../src/errors.js";
import { assertOneLineError, data, run } from "./helpers.js";

test("documented example: a missing file is one line and exit 2", async () => {
  assertOneLineError(await run("describe", "missing.csv", "y ~ x"), /^mlm: File 'missing.csv' does not exist; check the path\.\n$/);
});

test("--help and --version exit 0 on stdout", async () => {
  const help = await run("--help");
  assert.equal(help.code, 0);
  assert.equal(help.err, "");
  assert.match(help.out, /^Usage: mlm \[options\] \[command\]/);
  assert.match(help.out, /describe \[options\] <data> <formula>/);
  assert.match(help.out, /Examples:\n {2}\$ mlm describe sleepstudy.csv "Reaction ~ Days \+ \(Days \| Subject\)"/);
  const version = await run("--version");
  assert.deepEqual(version, { code: 0, out: "0.1.0\n", err: "" });
});

test("no command prints the help on stderr and exits 2", async () => {
  const r = await run();
  assert.equal(r.code, 2);
  assert.equal(r.out, "");
  assert.match(r.err, /^Usage: mlm/);
});

test("unknown commands and options exit 2 with commander's message on one line", async () => {
  assertOneLineError(await run("frobnicate"), /^mlm: unknown command 'frobnicate'\n$/);
  assertOneLineError(await run("descrbe"), /^mlm: unknown command 'descrbe' \(Did you mean describe\?\)\n$/);
  assertOneLineError(await run("describe", data("Dyestuff.csv"), "Yield ~ 1", "--jsn"), /^mlm: unknown option '--jsn' \(Did you mean --json\?\)\n$/);
  assertOneLineError(await run("describe", "d.csv"), /^mlm: missing required argument 'formula'\n$/);
  assertOneLineError(await run("describe", "d.csv", "y ~ x", "extra"), /^mlm: too many arguments for 'describe'/);
  assertOneLineError(await run("describe", "d.csv", "y ~ x", "--format", "xlsx"), /^mlm: option '--format <format>' argument 'xlsx' is invalid\. Allowed choices are csv, tsv, json, parquet\.\n$/);
  assertOneLineError(await run("describe", "d.csv", "y ~ x", "--factor"), /^mlm: option '--factor <column>' argument missing\n$/);
});

/** A program with an extra command that fails the way a bug would. */
function brokenProgram(io: ReturnType<typeof memoryIo>) {
  const program = createProgram(io);
  program
    .command("boom")
    .option("--debug")
    .action(() => {
      throw new TypeError("x.y is undefined");
    });
  program
    .command("refuse")
    .option("--debug")
    .action(() => {
      throw new MlmError("Column 'z' is not numeric.");
    });
  return program;
}

test("an internal error exits 70 (not 2 like bad input), asks for a report, and shows a stack trace only with --debug", async () => {
  let io = memoryIo();
  assert.equal(await runProgram(brokenProgram(io), ["boom"], io), 70);
  assert.equal(
    io.err(),
    "mlm: internal error: x.y is undefined\nThis is a bug in mlm, not a problem with your input; please report it with the command you ran and the output of the same command with --debug.\n",
  );
  io = memoryIo();
  assert.equal(await runProgram(brokenProgram(io), ["boom", "--debug"], io), 70);
  assert.match(io.err(), /^mlm: internal error: x\.y is undefined\nTypeError: x\.y is undefined\n\s+at [^]*please report it with the command you ran and the output above\.\n$/);
});

test("an MlmError is one line; --debug adds its stack", async () => {
  let io = memoryIo();
  assert.equal(await runProgram(brokenProgram(io), ["refuse"], io), 2);
  assert.equal(io.err(), "mlm: Column 'z' is not numeric.\n");
  io = memoryIo();
  assert.equal(await runProgram(brokenProgram(io), ["refuse", "--debug"], io), 2);
  assert.match(io.err(), /^mlm: Column 'z' is not numeric\.\nMlmError: Column 'z' is not numeric\.\n\s+at /);
});

test("a multi-line MlmError (formula caret) keeps one 'mlm:' line and indents the rest", async () => {
  const r = await run("describe", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject");
  assert.equal(r.code, 2);
  assert.equal(
    r.err,
    "mlm: Formula syntax error at character 19: this '(' is never closed; add a matching ')'.\n" +
      "     Reaction ~ Days + (Days | Subject\n" +
      "                       ^\n",
  );
});
