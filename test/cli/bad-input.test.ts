// Bad input through the whole command line, in-process: every failure is exit status 2 with one
// `mlm: ` line on stderr (a formula syntax error adds an indented caret below it), never a stack
// trace and never an internal error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { assertOneLineError, data, ioFixture, run, withTempDir, writeFile } from "./helpers.js";
import type { Run } from "./helpers.js";

const sleep = data("sleepstudy.csv");

test("unknown column, with a suggestion", async () => {
  assertOneLineError(await run("describe", sleep, "Reaction ~ Dyas + (Days | Subject)"), /^mlm: Column 'Dyas' is not in the data; did you mean 'Days'\?\n$/);
  assertOneLineError(await run("describe", sleep, "Reaction ~ Days", "--factor", "Dayz"), /^mlm: Column 'Dayz' named as a factor is not in the data; did you mean 'Days'\?\n$/);
});

test("non-numeric response", async () => {
  assertOneLineError(await run("describe", data("Dyestuff.csv"), "Batch ~ 1 + (1 | Batch)"), /^mlm: The response 'Batch' is categorical with 6 levels/);
});

test("a two-level text response for a linear model, with the way out", async () => {
  await withTempDir(async (dir) => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 3 === 0 ? "yes" : "no"},${i % 7},g${i % 5}`);
    const file = writeFile(dir, "pass.csv", ["pass,x,g", ...rows].join("\n") + "\n");
    assertOneLineError(await run("fit", file, "pass ~ x + (1 | g)"), /^mlm: The response 'pass' is categorical \(levels no, yes\), so a linear model cannot fit it; for two levels fit a logistic model with --family binomial/);
  });
});

test("empty, unreadable and unsupported files", async () => {
  assertOneLineError(await run("describe", ioFixture("empty.csv"), "y ~ x"), /^mlm: '.*empty.csv' is empty\.\n$/);
  assertOneLineError(await run("describe", ioFixture("header-only.csv"), "a ~ b"), /has a header row but no rows of data/);
  assertOneLineError(await run("describe", ioFixture("unclosed-quote.csv"), "a ~ b"), /is not a valid CSV file: a double quote opens a field that is never closed/);
  assertOneLineError(await run("describe", ioFixture("control.csv"), "y ~ g"), /is not a valid CSV file: it holds binary data, not text/);
  assertOneLineError(await run("describe", ioFixture("ragged.csv"), "a ~ b"), /^mlm: Line 3 of '.*' has 2 fields but the header names 3 columns/);
  assertOneLineError(await run("describe", ioFixture(""), "y ~ x"), /is a folder, not a data file/);
  assertOneLineError(await run("describe", "no\0such.csv", "y ~ x"), /is not a valid file name/);
  assertOneLineError(await run("describe", ioFixture("gzip.parquet"), "y ~ g"), /compressed with GZIP, which mlm cannot read/);
  assertOneLineError(await run("describe", ioFixture("mixed.parquet"), "y ~ g", "--format", "csv"), /is not a valid CSV file: it holds binary data/);
});

test("unsupported format, and --format as the way out", async () => {
  assertOneLineError(await run("describe", ioFixture("book.xlsx"), "y ~ x"), /^mlm: Cannot tell the format of '.*book.xlsx': it has the extension '\.xlsx'.*--format\.\n$/);
  const r = await run("describe", ioFixture("data-without-extension"), "y ~ 1", "--format", "csv", "--json");
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).nobs, 1);
});

test("no rows left after dropping missing values", async () => {
  await withTempDir(async (dir) => {
    const csv = writeFile(dir, "na.csv", "y,x,g\nNA,1,a\n2,NA,b\nNA,3,a\n");
    assertOneLineError(await run("describe", csv, "y ~ x + (1 | g)"), /^mlm: No rows are left: every one of the 3 rows has a missing value in y and x\.\n$/);
  });
});

test("a grouping factor with one level", async () => {
  await withTempDir(async (dir) => {
    const csv = writeFile(dir, "one.csv", "y,x,g\n1,1,a\n2,2,a\n3,3,a\n");
    assertOneLineError(await run("describe", csv, "y ~ x + (1 | g)"), /^mlm: Grouping factor 'g' has only one level \('a'\)/);
  });
});

/** Exit 0, or exit 2 with exactly one `mlm: ` line (caret lines indented) and no stack trace or internal error. */
function assertCleanOutcome(r: Run): void {
  if (r.code === 0) {
    assert.doesNotMatch(r.err, /internal error|\n\s+at /);
    return;
  }
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, "");
  const lines = r.err.replace(/\n$/, "").split("\n");
  assert.match(lines[0], /^mlm: \S/, r.err);
  assert.doesNotMatch(lines[0], /internal error/, r.err);
  for (const line of lines.slice(1)) assert.match(line, /^ {5}/, r.err);
  assert.ok(lines.length <= 3, r.err);
}

test("formula syntax errors: one 'mlm:' line with the caret below", async () => {
  const r = await run("describe", sleep, "Reaction ~ Days +");
  assertCleanOutcome(r);
  assert.equal(r.code, 2);
  assert.match(r.err, /^mlm: Formula syntax error at character \d+: /);
});

const extensions = fc.constantFrom(".csv", ".tsv", ".json", ".parquet", ".pq", ".tab");

test("random bytes as a data file give exit 0 or one 'mlm:' line, never a crash", async () => {
  await withTempDir(async (dir) => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), extensions, async (bytes, ext) => {
        const path = writeFile(dir, `f${k++}${ext}`, bytes);
        assertCleanOutcome(await run("describe", path, "y ~ x + (1 | g)"));
      }),
      { numRuns: 150 },
    );
  });
});

test("text built from data-like tokens gives exit 0 or one 'mlm:' line", async () => {
  const tokens = ["y", "x", "g", ",", "\t", "\n", "\r\n", '"', "NA", "", ".", "1", "-2.5", "1e308", "a", "b", " ", "{", "}", "[", "]", ":", "null", "true", "\u00e9"];
  await withTempDir(async (dir) => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...tokens), { maxLength: 80 }), extensions, async (parts, ext) => {
        const header = ext === ".json" ? "" : ext === ".csv" ? "y,x,g\n" : "y\tx\tg\n";
        const path = writeFile(dir, `t${k++}${ext}`, header + parts.join(""));
        assertCleanOutcome(await run("describe", path, "y ~ x + (1 | g)"));
      }),
      { numRuns: 200 },
    );
  });
});

// Damage to the footer (file metadata) is caught before decoding; damage to data pages is
// covered in test/io/parquet-worker.test.ts, where a short time limit keeps it quick.
test("a Parquet file with a damaged footer gives exit 0 or one 'mlm:' line", async () => {
  const good = new Uint8Array(readFileSync(ioFixture("sleepstudy.parquet")));
  const footerStart = good.length - 8 - new DataView(good.buffer, good.byteOffset).getUint32(good.length - 8, true);
  await withTempDir(async (dir) => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: footerStart, max: good.length - 9 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (edits) => {
          const bytes = good.slice();
          for (const [at, value] of edits) bytes[at] = value;
          const path = writeFile(dir, `p${k++}.parquet`, bytes);
          assertCleanOutcome(await run("describe", path, "Reaction ~ Days + (1 | Subject)"));
        },
      ),
      { numRuns: 60 },
    );
  });
});

test("arbitrary formula text gives exit 0 or one 'mlm:' line", async () => {
  const pieces = ["Reaction", "Days", "Subject", "~", "+", "-", "*", "/", ":", "^", "|", "||", "(", ")", "0", "1", "2", " ", "I(", "log(", "poly(", ",", "`", "%in%", "cbind(", "offset(", "x", "."];
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((p) => p.join("")), fc.string({ maxLength: 30 })), async (formula) => {
      assertCleanOutcome(await run("describe", sleep, formula));
    }),
    { numRuns: 300 },
  );
});

test("responses outside the support of nbinom2, nbinom1 and Gamma, and a one-level factor in ar1()", async () => {
  await withTempDir(async (dir) => {
    const rows = (f: (i: number) => string): string => `y,x,g,t\n${Array.from({ length: 24 }, (_, i) => `${f(i)},${(i * 7) % 5},g${i % 4},t1`).join("\n")}\n`;
    const neg = writeFile(dir, "neg.csv", rows((i) => (i === 3 ? "-2" : String(i % 3))));
    assertOneLineError(await run("fit", neg, "y ~ x + (1 | g)", "--family", "nbinom2"), /^mlm: The response y has the negative value -2 \(row 4\); a negative binomial \(nbinom2\) model needs counts of zero or more\.\n$/);
    const frac = writeFile(dir, "frac.csv", rows((i) => (i === 5 ? "1.5" : String(i % 3))));
    assertOneLineError(await run("fit", frac, "y ~ x + (1 | g)", "--family", "nbinom1"), /^mlm: The response y has the value 1\.5 \(row 6\), not a whole number; a negative binomial \(nbinom1\) model needs counts/);
    const zero = writeFile(dir, "zero.csv", rows((i) => (i === 7 ? "0" : String(1 + (i % 3)))));
    assertOneLineError(await run("fit", zero, "y ~ x + (1 | g)", "--family", "Gamma"), /^mlm: The response y has the value 0 \(row 8\); a Gamma model needs values above zero/);
    assertOneLineError(await run("fit", zero, "y ~ x + ar1(0 + t | g)"), /^mlm: 't' has only one level \('t1'\) in the rows used; ar1\(… \| g\) needs a factor with two or more levels/);
  });
});
