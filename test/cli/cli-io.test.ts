import { test } from "node:test";
import assert from "node:assert/strict";
import { memoryIo, processIo } from "../../src/cli/cli-io.js";

test("documented example: memoryIo keeps what is written", () => {
  const io = memoryIo();
  io.stderr("mlm: oops\n");
  io.stdout("a");
  io.stdout("b\n");
  assert.equal(io.err(), "mlm: oops\n");
  assert.equal(io.out(), "ab\n");
});

test("processIo guards stdout against a closed pipe once", () => {
  const before = process.stdout.listenerCount("error");
  processIo();
  const after = process.stdout.listenerCount("error");
  assert.equal(after, before + 1);
  processIo();
  assert.equal(process.stdout.listenerCount("error"), after);
});
