import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseDelimiter } from "../../src/formats/sniff-delimiter.js";

test("documented examples", () => {
  assert.deepEqual(chooseDelimiter("y;x\n1,5;2\n", ",", true), {
    delimiter: ";",
    note: "with ';' as the delimiter, which splits every line into 2 fields; use --delimiter to choose another.",
  });
  assert.deepEqual(chooseDelimiter("y,x\n1,2\n", ",", true), { delimiter: "," });
});

test("tabs, quoted delimiters, and the expected delimiter when nothing fits", () => {
  assert.deepEqual(chooseDelimiter("a\tb\tc\n1\t2\t3\n", ",", true).delimiter, "\t");
  assert.deepEqual(chooseDelimiter("a\tb\n1\t2\n", "\t", true), { delimiter: "\t" });
  // commas inside quotes do not count, so ';' is the only consistent choice
  assert.equal(chooseDelimiter('name;note\n"Smith, J";"a, b, c"\n"Li";x\n', ",", true).delimiter, ";");
  assert.deepEqual(chooseDelimiter("y\n1\n2\n", ",", true), { delimiter: "," });
  assert.deepEqual(chooseDelimiter("", ",", true), { delimiter: "," });
});

test("when two delimiters fit, the expected one wins and the note names the other", () => {
  const c = chooseDelimiter("a,b;c\n1,2;3\n", ",", true);
  assert.equal(c.delimiter, ",");
  assert.match(c.note ?? "", /^with ',' as the delimiter, which splits every line into 2 fields \(';' would also split every line evenly\)/);
});

test("an incomplete last line of a sample is not compared", () => {
  assert.equal(chooseDelimiter("a;b\n1;2\n3;", ",", false).delimiter, ";");
});
