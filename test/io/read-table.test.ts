import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTable } from "../../src/io/read-table.js";
import { cells, fixture, mlmError } from "../formats/helpers.js";

test("documented example: sleepstudy.csv with Subject as a factor", async () => {
  const t = await readTable(fixture("../data/sleepstudy.csv"), { factors: ["Subject"] });
  assert.equal(t.nrows, 180);
  assert.deepEqual(t.names, ["Reaction", "Days", "Subject"]);
  const subject = t.columns.get("Subject");
  assert.equal(subject?.kind, "categorical");
  assert.equal(subject?.kind === "categorical" ? subject.levels.length : 0, 18);
});

test("CSV, TSV, JSON records and columns, Parquet", async () => {
  const csv = await readTable(fixture("good.csv"));
  assert.deepEqual(cells(csv, "y"), [1.5, 2, NaN, 4]);
  assert.deepEqual(cells(csv, "g"), ["a", "b", "a", null]);
  assert.deepEqual(cells(csv, "note"), ["plain", "has, comma", "two\nlines", 'say "hi"']);
  const tsv = await readTable(fixture("good.tsv"));
  assert.deepEqual(cells(tsv, "g"), ["a", "b", '5" screen']);
  const records = await readTable(fixture("records.json"));
  assert.deepEqual(records.names, ["y", "g", "k"]);
  assert.deepEqual(cells(records, "y"), [1.5, NaN, 3]);
  assert.deepEqual(cells(records, "k"), [null, null, "TRUE"]);
  const columns = await readTable(fixture("columns.json"));
  assert.deepEqual(cells(columns, "g"), ["a", "b", "a"]);
  const parquet = await readTable(fixture("mixed.parquet"));
  assert.deepEqual(cells(parquet, "n"), [1, 2, 3, 4]);
  const latin1 = await readTable(fixture("latin1.csv"));
  assert.deepEqual(cells(latin1, "g"), ["Müller", "Smith"]);
});

test("the format option overrides the extension", async () => {
  const t = await readTable(fixture("data-without-extension"), { format: "csv" });
  assert.deepEqual(cells(t, "g"), ["a"]);
  await assert.rejects(readTable(fixture("good.csv"), { format: "json" }), mlmError(/good.csv' is not a valid JSON file/));
  await assert.rejects(readTable(fixture("good.csv"), { format: "parquet" }), mlmError(/good.csv' is not a valid Parquet file/));
});

test("file problems are one-sentence MlmErrors", async () => {
  await assert.rejects(readTable("no/such/file.csv"), mlmError(/^File 'no\/such\/file.csv' does not exist; check the path\.$/));
  await assert.rejects(readTable(fixture("good.csv/x.csv")), mlmError(/does not exist/));
  await assert.rejects(readTable(fixture("")), mlmError(/is a folder, not a data file\.$/));
  await assert.rejects(readTable(fixture("empty.csv")), mlmError(/empty.csv' is empty\.$/));
  await assert.rejects(readTable(fixture("blank-lines.csv")), mlmError(/blank-lines.csv' is empty\.$/));
  await assert.rejects(readTable(fixture("header-only.csv")), mlmError(/has a header row but no rows of data/));
  await assert.rejects(readTable(fixture("ragged.csv")), mlmError(/^Line 3 of '.*ragged.csv' has 2 fields but the header names 3 columns/));
  await assert.rejects(readTable(fixture("duplicate-header.csv")), mlmError(/Column name 'a' appears more than once/));
  await assert.rejects(readTable(fixture("blank-header.csv")), mlmError(/Column 2 of '.*' has no name/));
  await assert.rejects(readTable(fixture("unclosed-quote.csv")), mlmError(/is not a valid CSV file: a double quote opens a field that is never closed/));
  await assert.rejects(readTable(fixture("control.csv")), mlmError(/control.csv' is not a valid CSV file: it holds binary data, not text\.$/));
  await assert.rejects(readTable(fixture("book.xlsx")), mlmError(/Cannot tell the format of '.*book.xlsx': it has the extension '.xlsx'/));
  await assert.rejects(readTable(fixture("data-without-extension")), mlmError(/it has no extension/));
  await assert.rejects(readTable(fixture("gzip.parquet")), mlmError(/compressed with GZIP/));
});

test("an unreadable file is refused (skipped when running as root, who can read anything)", { skip: process.getuid?.() === 0 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "mlm-io-"));
  try {
    const path = join(dir, "secret.csv");
    writeFileSync(path, "a\n1\n");
    chmodSync(path, 0o000);
    await assert.rejects(readTable(path), mlmError(/^Cannot read '.*secret.csv': permission denied\.$/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("issue 15: '-' reads standard input, streamed for delimited text, sniffed for JSON and Parquet", async () => {
  async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
    for (const p of parts) yield typeof p === "string" ? new TextEncoder().encode(p) : p;
  }
  const t = await readTable("-", { stdin: chunks("y;g\n1,5;", "a\n2,5;b\n"), decimal: "," });
  assert.deepEqual(cells(t, "y"), [1.5, 2.5]);
  assert.deepEqual(t.notes?.map((n) => [n.code, n.severity]), [["delimiter-detected", "note"]]);
  assert.match(t.notes?.[0].text ?? "", /^Read 'standard input' with ';' as the delimiter/);
  assert.deepEqual(cells(await readTable("-", { stdin: chunks('[{"y"', ': 3}]') }), "y"), [3]);
  const { readFileSync } = await import("node:fs");
  const parquet = new Uint8Array(readFileSync(fixture("sleepstudy.parquet")));
  assert.equal((await readTable("-", { stdin: chunks(parquet.subarray(0, 5), parquet.subarray(5)) })).nrows, 180);
  await assert.rejects(readTable("-", { stdin: chunks() }), mlmError(/^Standard input is empty/));
});

test("issue 15: a large CSV is streamed from disk in chunks; --delimiter, --decimal and --na apply", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mlm-read-"));
  try {
    const path = join(dir, "big.csv");
    const rows = 300_000; // about 3.5 MB: several 1 MB chunks
    const lines = Array.from({ length: rows }, (_, i) => `${i % 2 === 0 ? `${i},5` : "N/A"};g${i % 3}`);
    writeFileSync(path, `y;g\n${lines.join("\n")}\n`);
    const t = await readTable(path, { delimiter: ";", decimal: ",", na: ["N/A"] });
    assert.equal(t.nrows, rows);
    const y = t.columns.get("y");
    assert.ok(y?.kind === "numeric");
    assert.equal(y.values[rows - 2], rows - 2 + 0.5);
    assert.ok(Number.isNaN(y.values[rows - 1]));
    assert.equal(t.notes, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
