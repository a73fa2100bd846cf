import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeText } from "../../src/formats/decode-text.js";
import { mlmError } from "../io/helpers.js";

test("documented examples: BOM dropped, NUL refused", () => {
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a]), "a.csv", "CSV"), "a\n");
  assert.throws(() => decodeText(new Uint8Array([0x61, 0x00]), "a.csv", "CSV"), mlmError(/^'a.csv' is not a valid CSV file: it holds binary data, not text\.$/));
});

test("UTF-8, UTF-16 with BOM, and Windows-1252 fallback", () => {
  assert.equal(decodeText(new TextEncoder().encode("g\nMüller\r\n"), "a", "CSV"), "g\nMüller\r\n");
  assert.equal(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]), "a", "CSV"), "a\n");
  assert.equal(decodeText(new Uint8Array([0xfe, 0xff, 0x00, 0x61]), "a", "CSV"), "a");
  assert.equal(decodeText(new Uint8Array([0x4d, 0xfc, 0x80, 0x93, 0x94, 0xe9]), "a", "CSV"), "Mü€“”é");
  // 0x81 is undefined in Windows-1252: it stays a C1 control character, so the bytes count as binary.
  assert.throws(() => decodeText(new Uint8Array([0x61, 0x81]), "a", "CSV"), mlmError(/binary/));
});

test("control characters other than tab, newline, form feed and return mean binary", () => {
  assert.equal(decodeText(new Uint8Array([0x61, 0x09, 0x0c, 0x0d, 0x0a]), "a", "TSV"), "a\t\f\r\n");
  for (const b of [0x01, 0x08, 0x0b, 0x1b, 0x7f]) assert.throws(() => decodeText(new Uint8Array([0x61, b]), "a", "TSV"), mlmError(/TSV file: it holds binary/));
});

test("C1 control characters in valid UTF-8 also mean binary", () => {
  assert.throws(() => decodeText(new TextEncoder().encode("a\u0085b"), "a", "CSV"), mlmError(/binary/));
});
