// The stderr progress bar: drawn only when enabled, once per percent, ending with a newline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { memoryIo } from "../../src/cli/cli-io.js";
import { progressBar } from "../../src/cli/progress.js";

test("progressBar draws on one line and finishes with a newline", () => {
  const io = memoryIo();
  const onProgress = progressBar(io, "bootstrap", true)!;
  for (let i = 1; i <= 400; i++) onProgress(i, 400);
  const err = io.err();
  assert.equal(err.split("\r").length - 1, 101); // one redraw per percent, 0% to 100%
  assert.ok(err.endsWith(`\rbootstrap [${"#".repeat(20)}] 400/400\n`));
  assert.ok(err.includes(`\rbootstrap [${"#".repeat(10)}${" ".repeat(10)}] 200/400`));
  assert.equal(io.out(), "");
});

test("progressBar is off when disabled", () => {
  assert.equal(progressBar(memoryIo(), "x", false), undefined);
});

test("fitProgress: nothing for short fits, one redrawn line for long ones, cleared at the end", async () => {
  const { fitProgress } = await import("../../src/cli/progress.js");
  const err: string[] = [];
  const io = { stdout: () => undefined, stderr: (s: string) => void err.push(s) } as unknown as Parameters<typeof fitProgress>[0];
  const quiet = fitProgress(io, true, 60);
  quiet.onProgress?.({ evaluations: 1, criterion: 2 });
  quiet.done();
  assert.deepEqual(err, []);
  const loud = fitProgress(io, true, 0);
  loud.onProgress?.({ evaluations: 350, criterion: 1743.62683 });
  loud.done();
  assert.deepEqual(err, ["\rfitting: 350 evaluations, criterion 1743.626830", "\n"]);
  assert.equal(fitProgress(io, false).onProgress, undefined);
});
