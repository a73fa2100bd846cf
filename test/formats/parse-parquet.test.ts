import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parquetMetadata } from "hyparquet";
import { DecodeLimitError, parseParquet, readChunksInThread } from "../../src/formats/parse-parquet.js";
import { parseDelimited } from "../../src/formats/parse-delimited.js";
import { cells, fixture, mlmError } from "../io/helpers.js";

// Fixtures written by test/fixtures/io/make-parquet.mjs (hyparquet-writer).
const bytes = (name: string) => new Uint8Array(readFileSync(fixture(name)));

test("documented example: sleepstudy.parquet matches sleepstudy.csv", async () => {
  const t = await parseParquet(bytes("sleepstudy.parquet"), "sleepstudy.parquet");
  assert.equal(t.nrows, 180);
  assert.deepEqual(t.names, ["Reaction", "Days", "Subject"]);
  const csv = parseDelimited(readFileSync(fixture("../data/sleepstudy.csv"), "utf8"), { delimiter: ",", source: "s.csv" });
  for (const name of t.names) assert.deepEqual(cells(t, name), cells(csv, name), name);
});

test("double, int64, int32, string and boolean columns with nulls, over two row groups", async () => {
  const b = bytes("mixed.parquet");
  assert.equal(parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer).row_groups.length, 2);
  const t = await parseParquet(b, "mixed.parquet", ["i"]);
  assert.deepEqual(t.names, ["y", "n", "i", "g", "k"]);
  assert.deepEqual(cells(t, "y"), [1.5, NaN, 3.25, 4]);
  assert.deepEqual(cells(t, "n"), [1, 2, 3, 4]);
  assert.deepEqual(cells(t, "i"), ["10", "2", "2", "10"]);
  assert.deepEqual(t.columns.get("i"), {
    kind: "categorical",
    name: "i",
    levels: ["10", "2"],
    codes: new Int32Array([0, 1, 1, 0]),
  });
  assert.deepEqual(cells(t, "g"), ["b", "a", null, "b"]);
  assert.deepEqual(cells(t, "k"), ["TRUE", "FALSE", "TRUE", null]);
});

test("a view into a larger buffer is read from its own bytes", async () => {
  const inner = bytes("sleepstudy.parquet");
  const outer = new Uint8Array(inner.length + 10);
  outer.set(inner, 7);
  const t = await parseParquet(outer.subarray(7, 7 + inner.length), "x.parquet");
  assert.equal(t.nrows, 180);
});

test("unsupported codec, nested cells, missing markers and corruption are refused", async () => {
  await assert.rejects(parseParquet(bytes("gzip.parquet"), "g.parquet"), mlmError(/^'g.parquet' is compressed with GZIP, which mlm cannot read/));
  await assert.rejects(parseParquet(bytes("nested.parquet"), "n.parquet"), mlmError(/^Column 'meta' holds a nested value/));
  await assert.rejects(parseParquet(new TextEncoder().encode("y,g\n1,a\n"), "c.parquet"), mlmError(/^'c.parquet' is not a valid Parquet file: it does not start and end with the Parquet marker PAR1\.$/));
  const truncated = bytes("mixed.parquet");
  const broken = new Uint8Array([...truncated.subarray(0, 4), ...truncated.subarray(200)]);
  await assert.rejects(parseParquet(broken, "b.parquet"), mlmError(/^'b.parquet' is not a valid Parquet file: /));
});

test("readChunksInThread: documented example", async () => {
  const b = bytes("sleepstudy.parquet");
  const chunks = await readChunksInThread(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  assert.deepEqual(
    chunks.map((c) => [c.column, c.rowStart, c.data.length]),
    [
      ["Reaction", 0, 180],
      ["Days", 0, 180],
      ["Subject", 0, 180],
    ],
  );
});

test("a decoder's limit becomes 'Cannot read ...'; chunks that miss rows are refused", async () => {
  const b = bytes("sleepstudy.parquet");
  await assert.rejects(
    parseParquet(b, "s.parquet", [], () => Promise.reject(new DecodeLimitError("decoding it took too long"))),
    mlmError(/^Cannot read 's.parquet': decoding it took too long\.$/),
  );
  const short = async () => [{ column: "Reaction", rowStart: 0, data: [1, 2] }];
  await assert.rejects(parseParquet(b, "s.parquet", [], short), mlmError(/column 'Reaction' holds 2 values but the file declares 180 rows/));
});

test("a footer that contradicts itself is refused before decoding", async () => {
  const b = bytes("mixed.parquet");
  const text = new TextDecoder("latin1").decode(b);
  // Rename the first column's path_in_schema entry in the footer ("y" follows its length byte).
  const footerStart = b.length - 8 - new DataView(b.buffer, b.byteOffset).getUint32(b.length - 8, true);
  const at = text.indexOf("\x19\x18\x01y", footerStart);
  assert.ok(at > 0, "found the path of column y");
  const broken = b.slice();
  broken[at + 3] = "q".charCodeAt(0);
  await assert.rejects(parseParquet(broken, "m.parquet"), mlmError(/^'m.parquet' is not a valid Parquet file: column chunk 1 of row group 1 does not belong to column 'y'\.$/));
});
