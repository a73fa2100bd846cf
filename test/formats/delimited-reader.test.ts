import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DelimitedReader } from "../../src/formats/delimited-reader.js";
import { parseDelimited } from "../../src/formats/parse-delimited.js";
import { cells, mlmError } from "./helpers.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Reads text pushed in chunks cut at the given positions. */
function readInChunks(text: string, cuts: number[], options: { delimiter?: "," | ";" | "\t"; decimal?: "." | "," } = {}) {
  const b = bytes(text);
  const reader = new DelimitedReader({ source: "d.csv", ...options });
  let at = 0;
  for (const c of [...cuts].sort((x, y) => x - y)) {
    reader.push(b.subarray(at, Math.max(at, c)));
    at = Math.max(at, c);
  }
  reader.push(b.subarray(at));
  return reader.finish();
}

test("documented example: chunks, semicolons and decimal commas", () => {
  const reader = new DelimitedReader({ source: "d.csv", decimal: "," });
  reader.push(bytes("y;x\n1,5;2\n"));
  reader.push(bytes("2,5;3\n"));
  const t = reader.finish();
  assert.deepEqual(t.names, ["y", "x"]);
  assert.deepEqual(cells(t, "y"), [1.5, 2.5]);
  assert.deepEqual(cells(t, "x"), [2, 3]);
  assert.equal(t.notes?.length, 1);
  assert.deepEqual({ ...t.notes![0], text: "" }, { code: "delimiter-detected", severity: "note", text: "" });
  assert.match(t.notes![0].text, /^Read 'd.csv' with ';' as the delimiter, which splits every line into 2 fields; use --delimiter/);
});

test("the table does not depend on where the chunks are cut (quotes, CRLF, doubled quotes, UTF-8)", () => {
  const text = 'id,note,y\r\n1,"a, b",1.5\r\n2,"two\r\nlines",NA\r\n3,"say ""hi""",-2e3\r\n4,Müller,7\r\n';
  const whole = parseDelimited(text, { delimiter: ",", source: "d.csv" });
  assert.deepEqual(cells(whole, "note"), ["a, b", "two\r\nlines", 'say "hi"', "Müller"]);
  assert.deepEqual(cells(whole, "y"), [1.5, NaN, -2000, 7]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: bytes(text).length }), { maxLength: 8 }), (cuts) => {
      const t = readInChunks(text, cuts, { delimiter: "," });
      for (const name of ["id", "note", "y"]) assert.deepEqual(cells(t, name), cells(whole, name));
    }),
    { numRuns: 200 },
  );
});

test("numbers: exact decimal fast path agrees with Number() on random decimals", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 20 }), (xs) => {
      const texts = xs.map((x, k) => (k % 3 === 0 ? x.toFixed(4) : k % 3 === 1 ? String(x) : x.toExponential(6)));
      const t = parseDelimited(`x\n${texts.join("\n")}\n`, { delimiter: ",", source: "d.csv" });
      assert.deepEqual(cells(t, "x"), texts.map(Number));
    }),
    { numRuns: 100 },
  );
  // hexadecimal goes through Number(), as before; other text is not a number
  assert.deepEqual(cells(parseDelimited("x\n0x1A\n12345678901234567890\n1e300\n", { delimiter: ",", source: "d.csv" }), "x"), [26, Number("12345678901234567890"), 1e300]);
});

test("a 200,000-row file pushed in 64 KB chunks reads every row (no string of the whole file)", () => {
  const rows = 200_000;
  const reader = new DelimitedReader({ source: "big.csv", delimiter: "," });
  reader.push(bytes("y,g\n"));
  let block = "";
  for (let i = 0; i < rows; i++) {
    block += `${i * 0.5},g${i % 7}\n`;
    if (block.length > 65536) {
      reader.push(bytes(block));
      block = "";
    }
  }
  reader.push(bytes(block));
  const t = reader.finish();
  assert.equal(t.nrows, rows);
  const y = t.columns.get("y");
  assert.ok(y?.kind === "numeric");
  assert.equal(y.values[rows - 1], (rows - 1) * 0.5);
  const g = t.columns.get("g");
  assert.ok(g?.kind === "categorical");
  assert.deepEqual(g.levels, ["g0", "g1", "g2", "g3", "g4", "g5", "g6"]);
});

test("issue 15: semicolon-separated file with decimal commas is read with --decimal , and without it the cells are named", () => {
  const text = "Reaction;Days;Subject\n249,56;0;308\n258,7047;1;308\n250,8006;2;309\n";
  const t = parseDelimited(text, { source: "euro.csv", decimal: "," });
  assert.deepEqual(cells(t, "Reaction"), [249.56, 258.7047, 250.8006]);
  assert.deepEqual(cells(t, "Days"), [0, 1, 2]);
  const plain = parseDelimited(text, { source: "euro.csv" });
  assert.equal(plain.columns.get("Reaction")?.kind, "categorical");
  assert.match(plain.problems?.get("Reaction") ?? "", /^Column 'Reaction' holds numbers written with a decimal comma \(row 1: '249,56', row 2: '258,7047', row 3: '250,8006'\); read the file with --decimal ,/);
  assert.equal(plain.problems?.get("Days"), undefined);
  // with the decimal comma, a point is not a decimal mark
  assert.equal(parseDelimited("x\n1.5\n2,5\n", { source: "e.csv", delimiter: ";", decimal: "," }).columns.get("x")?.kind, "categorical");
});

test("issue 15: one stray cell in 3,000 numbers gives a problem naming it, and --na makes it missing", () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `${(i * 0.37).toFixed(2)},g${i % 30}`);
  lines[1233] = "N/A,g3";
  const text = `x,g\n${lines.join("\n")}\n`;
  const t = parseDelimited(text, { delimiter: ",", source: "d.csv" });
  assert.equal(t.columns.get("x")?.kind, "categorical"); // as R's read.csv would read it
  assert.equal(
    t.problems?.get("x"),
    "Column 'x' holds numbers except in 1 cell (row 1234: 'N/A'); mark missing values with --na \"N/A\" (the na option in the library), fix those cells in the file, or give --factor x if the column is categorical.",
  );
  assert.equal(t.problems?.get("g"), undefined);
  const fixed = parseDelimited(text, { delimiter: ",", source: "d.csv", na: ["N/A"] });
  const x = fixed.columns.get("x");
  assert.ok(x?.kind === "numeric");
  assert.ok(Number.isNaN(x.values[1233]));
  assert.equal(fixed.problems?.get("x"), undefined);
  // several kinds of stray cells: the first few are named, the rest counted
  const many = lines.slice();
  for (const [k, v] of [[10, "-Inf"], [20, '"1,234"'], [30, "?"], [40, "n.a."], [50, "x"], [60, "--"]] as const) many[k] = `${v},g1`;
  const m = parseDelimited(`x,g\n${many.join("\n")}\n`, { delimiter: ",", source: "d.csv" }).problems?.get("x") ?? "";
  assert.match(m, /^Column 'x' holds numbers except in 7 cells \(row 11: '-Inf', row 21: '1,234', row 31: '\?', row 41: 'n\.a\.', row 51: 'x', and 2 more\); read decimal commas with --decimal ,/);
});

test("a text column with some numbers stays categorical without a problem; --factor columns never get one", () => {
  const t = parseDelimited("g,s\na,1\nb,2\n3,3\nc,10\n", { delimiter: ",", source: "d.csv", factors: ["s"] });
  assert.equal(t.problems?.get("g"), undefined);
  const s = t.columns.get("s");
  assert.ok(s?.kind === "categorical");
  // issue 15: --factor orders numeric levels numerically, as factor() in a formula does
  assert.deepEqual(s.levels, ["1", "2", "3", "10"]);
});

test("columns are typed only when read", () => {
  const t = parseDelimited("y,bad\n1,a\n2,b\n", { delimiter: ",", source: "d.csv" });
  assert.deepEqual(cells(t, "y"), [1, 2]);
  assert.deepEqual(t.names, ["y", "bad"]);
  assert.equal(t.columns.size, 2);
  assert.deepEqual([...t.columns.keys()], ["y", "bad"]);
});

test("binary bytes and rows of the wrong length are refused with the line", () => {
  assert.throws(() => parseDelimited(new Uint8Array([0x61, 0x0a, 0x62, 0x00, 0x0a]), { delimiter: ",", source: "b.csv" }), mlmError(/^'b.csv' is not a valid CSV file: it holds binary data, not text\.$/));
  assert.throws(() => readInChunks("a,b\n1,2\n3\n", [5]), mlmError(/^Line 3 of 'd.csv' has 1 field but the header names 2 columns/));
  assert.throws(() => parseDelimited(bytes("a,b\n1,2\n"), { delimiter: ",", source: "h.csv", factors: ["c"] }), mlmError(/^Column 'c' named as a factor is not in the data/));
  assert.throws(() => parseDelimited(bytes(" \n\n"), { source: "e.csv" }), mlmError(/^'e.csv' is empty\.$/));
});
