// Issue 15, data files, from the command line: European CSV, stray cells, unused bad columns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertOneLineError, data, run, withTempDir } from "./helpers.js";

const sleepstudy = () => readFileSync(data("sleepstudy.csv"), "utf8");

test("a semicolon CSV with decimal commas fits with --decimal , (the delimiter is detected and noted)", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "euro.csv");
    writeFileSync(path, sleepstudy().replace(/,/g, ";").replace(/\./g, ","));
    const plain = await run("fit", path, "Reaction ~ Days + (1 | Subject)");
    assert.equal(plain.code, 2);
    assert.match(plain.err, /^mlm: note: Read '.*euro.csv' with ';' as the delimiter, which splits every line into 3 fields; use --delimiter to choose another\.\nmlm: Column 'Reaction' holds numbers written with a decimal comma \(row 1: '249,56'/);
    const euro = await run("fit", path, "Reaction ~ Days + (1 | Subject)", "--decimal", ",", "--delimiter", ";");
    const ref = await run("fit", data("sleepstudy.csv"), "Reaction ~ Days + (1 | Subject)");
    assert.equal(euro.code, 0, euro.err);
    assert.equal(euro.err, "");
    assert.equal(euro.out.replace(/Data: .*\n/, ""), ref.out.replace(/Data: .*\n/, ""));
  });
});

test("a stray 'N/A' in the response names the cell and --na reads it as missing", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "stray.csv");
    const lines = sleepstudy().split("\n");
    lines[17] = lines[17].replace(/^[^,]+/, "N/A");
    writeFileSync(path, lines.join("\n"));
    assertOneLineError(await run("fit", path, "Reaction ~ Days + (1 | Subject)"), /^mlm: Column 'Reaction' holds numbers except in 1 cell \(row 17: 'N\/A'\); mark missing values with --na "N\/A"/);
    const ok = await run("fit", path, "Reaction ~ Days + (1 | Subject)", "--na", "N/A");
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Number of obs: 179, groups: {2}Subject, 18/);
    // a column the formula does not use never blocks the fit
    assert.equal((await run("fit", path, "Days ~ 1 + (1 | Subject)")).code, 0);
  });
});

test("predict --newdata with a stray cell names it", async () => {
  await withTempDir(async (dir) => {
    const nd = join(dir, "new.csv");
    writeFileSync(nd, `Days,Subject\n${Array.from({ length: 12 }, (_, i) => `${i},308`).join("\n")}\n-Inf,308\n`);
    assertOneLineError(
      await run("predict", data("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", nd),
      /^mlm: Column 'Days' holds numbers except in 1 cell \(row 13: '-Inf'\)/,
    );
  });
});

test("a two-level text response in a linear model is refused with --family binomial suggested", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "pass.csv");
    const lines = sleepstudy().trim().split("\n");
    writeFileSync(path, [`${lines[0]},pass`, ...lines.slice(1).map((l) => `${l},${Number(l.split(",")[0]) > 300 ? "yes" : "no"}`)].join("\n"));
    assertOneLineError(await run("fit", path, "pass ~ Days + (1 | Subject)"), /^mlm: The response 'pass' is categorical \(levels no, yes\), so a linear model cannot fit it; for two levels fit a logistic model with --family binomial/);
    assert.equal((await run("fit", path, "pass ~ Days + (1 | Subject)", "--family", "binomial")).code, 0);
  });
});
