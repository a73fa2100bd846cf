import { test } from "node:test";
import assert from "node:assert/strict";
import { createProgram } from "../../src/cli/program.js";
import { memoryIo } from "../../src/cli/cli-io.js";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { run } from "./helpers.js";

test("every registered command has help with at least one example", async () => {
  const program = createProgram(memoryIo());
  const names = program.commands.map((c) => c.name()).filter((n) => n !== "help");
  assert.equal(names.length, COMMANDS.length);
  assert.ok(names.includes("describe"));
  for (const name of names) {
    const r = await run(name, "--help");
    assert.equal(r.code, 0, name);
    assert.match(r.out, new RegExp(`^Usage: mlm ${name} `), name);
    assert.match(r.out, new RegExp(`Examples?:\\n {2}\\$ mlm ${name} `), name);
  }
});

test("'mlm help describe' shows the command's help", async () => {
  const r = await run("help", "describe");
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: mlm describe \[options\] <data> <formula>/);
  assert.match(r.out, /--factor <column>/);
  assert.match(r.out, /--format <format>/);
  assert.match(r.out, /--json/);
  assert.match(r.out, /--debug/);
});
