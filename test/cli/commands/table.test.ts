// `mlm table`: Markdown by default, --format html/latex, --data-format for the data file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, data } from "../helpers.js";

test("mlm table puts two models side by side; --format chooses the output", async () => {
  const r = await run("table", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days | Subject)");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^\| {2}\| Reaction \| {2}\| {2}\| Reaction \|/);
  assert.match(r.out, /\| Days \| 10\.47 \| 8\.88 – 12\.06 \| <0\.001 \| 10\.47 \| 7\.21 – 13\.73 \| <0\.001 \|/);
  const h = await run("table", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--format", "html", "--data-format", "csv");
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /^<table>/);
  const l = await run("table", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--format", "latex");
  assert.match(l.out, /^\\begin\{tabular\}\{lrcr\}/);
});
