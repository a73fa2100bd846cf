/**
 * Decoding of a text data file's bytes, refusing binary files.
 *
 * UTF-8 is expected (a byte-order mark is dropped); UTF-16 is read when it starts with its
 * byte-order mark; bytes that are not valid UTF-8 are read as Windows-1252, the usual encoding
 * of older spreadsheet exports. A file with a NUL byte or another control character (C0, DEL or C1) than
 * tab, line feed, form feed and carriage return is taken to be binary.
 */
import { MlmError } from "../errors.js";

/** Windows-1252 characters of bytes 0x80-0x9F (0 where the code page leaves a byte undefined). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Decodes Windows-1252 bytes (Node's TextDecoder treats this label as ISO-8859-1). */
function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] || b : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** True when the text holds a control character that plain text files do not contain. */
function hasBinaryControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/.test(text);
}

/**
 * Decodes the bytes of a text data file.
 *
 * @param bytes - the file's content.
 * @param source - the file's name, for messages.
 * @param formatLabel - the expected format for messages, e.g. "CSV".
 * @returns the text, without byte-order mark.
 * @throws MlmError when the bytes look binary.
 * @example
 * ```ts
 * decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a]), "a.csv", "CSV"); // "a\n"
 * decodeText(new Uint8Array([0x61, 0x00]), "a.csv", "CSV");
 * // throws MlmError: 'a.csv' is not a valid CSV file: it holds binary data, not text.
 * ```
 */
export function decodeText(bytes: Uint8Array, source: string, formatLabel: string): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le").decode(bytes);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be").decode(bytes);
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
    }
  }
  if (hasBinaryControl(text)) throw new MlmError(`'${source}' is not a valid ${formatLabel} file: it holds binary data, not text.`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
