import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDelimited } from "../../src/formats/parse-delimited.js";
import { cells, mlmError } from "../io/helpers.js";

const csv = (text: string, factors?: string[]) => parseDelimited(text, { delimiter: ",", source: "d.csv", factors });

test("documented example", () => {
  const t = csv('y,g\n1.5,"b"\nNA,a\n');
  assert.deepEqual(cells(t, "y"), [1.5, NaN]);
  assert.deepEqual(t.columns.get("g"), { kind: "categorical", name: "g", levels: ["a", "b"], codes: new Int32Array([1, 0]) });
});

test("quoted fields keep commas, newlines and doubled quotes; CRLF line ends", () => {
  const t = csv('id,note\r\n1,"a, b"\r\n2,"two\r\nlines"\r\n3,"say ""hi"""\r\n');
  assert.equal(t.nrows, 3);
  assert.deepEqual(cells(t, "note"), ["a, b", "two\r\nlines", 'say "hi"']);
});

test("quoted numbers are numbers; header names are trimmed; blank lines skipped", () => {
  const t = csv('"Reaction", Days ,"Subject"\n249.56,0,"308"\n\n258.7,1,"308"\n');
  assert.deepEqual(t.names, ["Reaction", "Days", "Subject"]);
  assert.deepEqual(cells(t, "Subject"), [308, 308]);
  assert.deepEqual(cells(csv('s\n"308"\n"31"\n', ["s"]), "s"), ["308", "31"]);
});

test("TSV: tabs separate, quotes inside unquoted fields are literal", () => {
  const t = parseDelimited('y\tg\n1\t5" screen\n2\t"b"\n', { delimiter: "\t", source: "d.tsv" });
  assert.deepEqual(cells(t, "g"), ['5" screen', "b"]);
  assert.deepEqual(cells(t, "y"), [1, 2]);
});

test("malformed text is refused with one sentence naming the file and line", () => {
  assert.throws(() => csv("  \n"), mlmError(/^'d.csv' is empty\.$/));
  assert.throws(() => csv("a,b\n"), mlmError(/^'d.csv' has a header row but no rows of data\.$/));
  assert.throws(() => csv("a,b\n1,2\n3\n"), mlmError(/^Line 3 of 'd.csv' has 1 field but the header names 2 columns/));
  assert.throws(() => csv("a,b\n1,2,3\n"), mlmError(/^Line 2 of 'd.csv' has 3 fields/));
  assert.throws(() => csv("a,a\n1,2\n"), mlmError(/^Column name 'a' appears more than once in the header of 'd.csv'/));
  assert.throws(() => csv("a, ,c\n1,2,3\n"), mlmError(/^Column 2 of 'd.csv' has no name/));
  assert.throws(() => csv('a,b\n1,"2\n3,4\n'), mlmError(/^'d.csv' is not a valid CSV file: a double quote opens a field that is never closed\.$/));
  assert.throws(() => csv('a,b\n1,2"x"\n'), mlmError(/^'d.csv' is not a valid CSV file: a double quote appears inside an unquoted field on line 2\.$/));
  assert.throws(() => csv('a,b\n1,"2"x\n'), mlmError(/not a valid CSV file: a quoted field is followed by other text before the next separator on line 2\.$/));
  assert.throws(() => parseDelimited('a\tb\n1\t"2\n', { delimiter: "\t", source: "d.tsv" }), mlmError(/^'d.tsv' is not a valid TSV file/));
});
