/**
 * A streaming reader of delimited text (CSV, semicolon-separated, TSV) from bytes: chunks of a
 * file of any size are pushed in order, and each column's cells are kept as raw bytes, typed only
 * when a model reads the column (see {@link lazyTable}). No string of the whole file is ever made.
 *
 * Grammar (RFC 4180): the first record names the columns; fields are separated by the delimiter
 * and records by LF, CRLF or CR; a field that starts with a double quote runs to the matching
 * quote, may hold delimiters and line breaks, and writes a quote as two quotes. In TSV a quote
 * inside an unquoted field is an ordinary character. Empty lines are skipped.
 *
 * Cells are typed as {@link typeColumn} types text: "", "NA", "NaN", "null" and "." (trimmed),
 * and any `na` markers, are missing; a column is numeric when every other cell is a number
 * (with `decimal` as the decimal mark); a numeric column with a few text cells is categorical
 * with a problem naming the cells. Text is UTF-8, or Windows-1252 where it is not valid UTF-8.
 */
import { delimiterMessage, type Message } from "../messages.js";
import { MlmError } from "../errors.js";
import { compareCodePoints } from "../data/code-point-order.js";
import { unknownFactorMessage } from "../data/messages.js";
import { recodeLevels, strayProblem } from "../data/infer-column.js";
import { lazyTable } from "../data/lazy-table.js";
import type { TypedColumn } from "../data/lazy-table.js";
import type { CategoricalColumn, DataTable } from "../data/table.js";
import { decodeWindows1252, hasBinaryControl } from "./decode-text.js";
import { chooseDelimiter } from "./sniff-delimiter.js";
import type { Delimiter } from "./sniff-delimiter.js";

/** How a table's cells are typed, for every reader of data files. */
export interface TableTypingOptions {
  /** Delimited text: the field separator ("," for CSV, ";", "\t" for TSV); default: detected from the first lines. */
  readonly delimiter?: Delimiter;
  /** Delimited text: the decimal mark, "." (default) or ",". */
  readonly decimal?: "." | ",";
  /** Columns to make categorical even when they hold numbers. */
  readonly factors?: readonly string[];
  /** Further texts that mark missing values, e.g. ["N/A", "-"]. */
  readonly na?: readonly string[];
}

/** Options of {@link DelimitedReader} (the delimiter, when not given, is found by {@link chooseDelimiter}). */
export interface DelimitedReaderOptions extends TableTypingOptions {
  /** The separator to expect when detecting (default ","; "\t" for a .tsv file). */
  readonly preferred?: Delimiter;
  /** The file's name, for messages. */
  readonly source: string;
  /** The size of the whole input in bytes, when known: the column stores are sized once from it. */
  readonly sizeHint?: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

// Byte classes of the scanner.
const PLAIN = 0;
const DELIM = 1;
const NEWLINE = 2;
const RETURN = 3;
const QUOTE_CLASS = 4;
const CONTROL = 5;

// Scanner states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/** How much text is looked at to detect the delimiter. */
const SNIFF_BYTES = 1 << 16;

/** The raw cells of one column: their bytes one after another, and where each ends. */
class CellStore {
  bytes = new Uint8Array(1024);
  length = 0;
  ends = new Uint32Array(256);
  count = 0;

  grow(): void {
    this.reserve(this.bytes.length * 2, this.ends.length);
  }

  /** Makes room for `bytes` bytes and `cells` cells in all. */
  reserve(bytes: number, cells: number): void {
    if (bytes > this.bytes.length) {
      const next = new Uint8Array(bytes);
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    }
    if (cells > this.ends.length) {
      const next = new Uint32Array(cells);
      next.set(this.ends.subarray(0, this.count));
      this.ends = next;
    }
  }

  end(): void {
    if (this.count === this.ends.length) {
      const next = new Uint32Array(this.ends.length * 2);
      next.set(this.ends);
      this.ends = next;
    }
    this.ends[this.count++] = this.length;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The text of some bytes: UTF-8, or Windows-1252 when they are not valid UTF-8. */
function decodeCell(bytes: Uint8Array): string {
  let ascii = bytes.length <= 64;
  for (let i = 0; ascii && i < bytes.length; i++) if (bytes[i] >= 0x80) ascii = false;
  if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  try {
    return utf8.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a || b === 0x0c || b === 0x0b;
}

/**
 * The number written in bytes[s, e) (already trimmed), or NaN when it is not a finite number.
 * Decimal numbers of up to 15 significant digits and exponents within ±22 are computed exactly
 * from the digits (m · 10^k with m < 2^53 is correctly rounded); others go through `Number()`.
 */
function parseNumber(bytes: Uint8Array, s: number, e: number, decimal: number): number {
  let i = s;
  let negative = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let m = 0;
  let digits = 0;
  let significant = 0;
  let scale = 0;
  while (i < e) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) break;
    if (m !== 0 || d !== 0) significant++;
    m = m * 10 + d;
    digits++;
    i++;
  }
  if (i < e && bytes[i] === decimal) {
    i++;
    while (i < e) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      if (m !== 0 || d !== 0) significant++;
      m = m * 10 + d;
      scale--;
      digits++;
      i++;
    }
  }
  if (digits > 0 && i < e && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (i < e && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
      expNegative = bytes[i] === 0x2d;
      i++;
    }
    let x = 0;
    let expDigits = 0;
    while (i < e) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      if (x < 100000) x = x * 10 + d;
      expDigits++;
      i++;
    }
    if (expDigits === 0) return NaN;
    scale += expNegative ? -x : x;
  }
  if (i !== e || digits === 0) {
    // only hexadecimal, octal and binary integers ("0x1A") remain for Number(); other text is not a number
    const b = bytes[s + 1] | 0x20;
    return bytes[s] === 0x30 && (b === 0x78 || b === 0x6f || b === 0x62) ? slowNumber(bytes, s, e, decimal) : NaN;
  }
  if (significant > 15 || scale < -22 || scale > 22) return slowNumber(bytes, s, e, decimal);
  const v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
  return negative ? -v : v;
}

/** `Number()` of the cell's text (hexadecimal, long mantissas, large exponents). */
function slowNumber(bytes: Uint8Array, s: number, e: number, decimal: number): number {
  let text = decodeCell(bytes.subarray(s, e));
  if (decimal === 0x2c) {
    if (text.includes(".")) return NaN;
    text = text.replace(",", ".");
  } else if (text.includes(",")) return NaN;
  const x = Number(text);
  return Number.isFinite(x) ? x : NaN;
}

/** The UTF-8 bytes of the missing-value markers, built-in and given. */
function missingMarkers(na: readonly string[]): Uint8Array[] {
  const encoder = new TextEncoder();
  return ["NA", "NaN", "null", ".", ...na.map((t) => t.trim()).filter((t) => t !== "")].map((t) => encoder.encode(t));
}

function matches(bytes: Uint8Array, s: number, e: number, marker: Uint8Array): boolean {
  if (e - s !== marker.length) return false;
  for (let k = 0; k < marker.length; k++) if (bytes[s + k] !== marker[k]) return false;
  return true;
}

/** A hash table from byte strings (cells of one store) to level numbers. */
class LevelDictionary {
  private table = new Int32Array(1024).fill(-1);
  /** Start and end of each level's first cell. */
  starts: number[] = [];
  finishes: number[] = [];

  constructor(private readonly bytes: Uint8Array) {}

  code(s: number, e: number): number {
    const bytes = this.bytes;
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const c = this.table[slot];
      if (c < 0) break;
      const cs = this.starts[c];
      const ce = this.finishes[c];
      if (ce - cs === e - s) {
        let same = true;
        for (let k = 0; k < e - s; k++) {
          if (bytes[cs + k] !== bytes[s + k]) {
            same = false;
            break;
          }
        }
        if (same) return c;
      }
      slot = (slot + 1) & mask;
    }
    const code = this.starts.length;
    this.starts.push(s);
    this.finishes.push(e);
    this.table[slot] = code;
    if (this.starts.length * 2 > this.table.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const bytes = this.bytes;
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let c = 0; c < this.starts.length; c++) {
      let h = 0x811c9dc5;
      for (let k = this.starts[c]; k < this.finishes[c]; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
      let slot = h & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = c;
    }
    this.table = table;
  }
}

/** Types the raw cells of one column. */
function typeStore(name: string, store: CellStore, source: string, asFactor: boolean, decimal: number, markers: readonly Uint8Array[]): TypedColumn {
  const { bytes, ends, count: n } = store;
  // the first bytes of the missing-value markers: other cells skip the comparisons
  const firsts = new Uint8Array(256);
  for (const m of markers) firsts[m[0]] = 1;
  const values = new Float64Array(n);
  const missing = new Uint8Array(n);
  let numbers = 0;
  let texts = 0;
  const strays: [number, string][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = ends[i];
    let s = start;
    let e = end;
    while (s < e && isSpace(bytes[s])) s++;
    while (e > s && isSpace(bytes[e - 1])) e--;
    start = end;
    let isMissing = s === e;
    if (!isMissing && firsts[bytes[s]] === 1) {
      for (let k = 0; !isMissing && k < markers.length; k++) isMissing = matches(bytes, s, e, markers[k]);
    }
    if (isMissing) {
      values[i] = NaN;
      missing[i] = 1;
      continue;
    }
    const x = parseNumber(bytes, s, e, decimal);
    values[i] = x;
    if (x === x) numbers++;
    else {
      texts++;
      if (strays.length < 1000) strays.push([i, decodeCell(bytes.subarray(s, e))]);
    }
  }
  if (texts === 0 && !asFactor) return { column: { kind: "numeric", name, values } };
  // categorical: one level per distinct cell text
  const dictionary = new LevelDictionary(bytes);
  const codes = new Int32Array(n);
  start = 0;
  for (let i = 0; i < n; i++) {
    const end = ends[i];
    codes[i] = missing[i] === 1 ? -1 : dictionary.code(start, end);
    start = end;
  }
  const texts0 = dictionary.starts.map((s, c) => decodeCell(bytes.subarray(s, dictionary.finishes[c])));
  for (const t of texts0) {
    if (hasBinaryControl(t)) throw new MlmError(`'${source}' is not a valid text file: it holds binary data, not text.`);
  }
  // distinct byte strings may decode to the same text
  const levels = [...new Set(texts0)].sort(compareCodePoints);
  const position = new Map(levels.map((l, k) => [l, k]));
  const map = texts0.map((t) => position.get(t) as number);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) codes[i] = map[codes[i]];
  let column: CategoricalColumn = { kind: "categorical", name, levels, codes };
  if (asFactor) {
    if (texts === 0) {
      // numbers named as a factor: levels in numeric order, as R's factor() orders them
      const encoder = new TextEncoder();
      const x = levels.map((l) => {
        const b = encoder.encode(l.trim());
        return parseNumber(b, 0, b.length, decimal);
      });
      const order = [...levels.keys()].sort((a, b) => x[a] - x[b] || compareCodePoints(levels[a], levels[b]));
      column = recodeLevels(column, order.map((k) => levels[k]));
    }
    return { column };
  }
  const problem = strayProblem(name, numbers, strays, texts);
  return problem === undefined ? { column } : { column, problem };
}

/**
 * Reads delimited text pushed in chunks of bytes; {@link DelimitedReader.finish} returns the table.
 *
 * @example
 * ```ts
 * const reader = new DelimitedReader({ source: "d.csv" });
 * reader.push(new TextEncoder().encode("y;x\n1,5;2\n"));
 * reader.push(new TextEncoder().encode("2,5;3\n"));
 * const t = reader.finish();
 * t.names;   // ["y", "x"]
 * t.notes;   // [{ code: "delimiter-detected", severity: "note", text: "Read 'd.csv' with ';' as the delimiter, which splits every line …" }]
 * ```
 */
export class DelimitedReader {
  private readonly options: DelimitedReaderOptions;
  private delimiter: number | undefined;
  private tsv = false;
  private readonly classes = new Uint8Array(256);
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private started = false;
  private utf16: Uint8Array[] | undefined;
  private readonly notes: Message[] = [];

  // scanner state
  private state = FIELD_START;
  private afterReturn = false;
  private quoted = false;
  private field = 0;
  private line = 1;
  private stores: CellStore[] = [];
  private header: string[] | undefined;
  private readonly overflow = new CellStore();
  private rows = 0;
  private scanned = 0;
  private sized = false;

  constructor(options: DelimitedReaderOptions) {
    this.options = options;
    if (options.delimiter !== undefined) this.setDelimiter(options.delimiter);
  }

  private get label(): string {
    return this.tsv || (this.delimiter === undefined && this.options.preferred === "\t") ? "TSV" : "CSV";
  }

  private setDelimiter(d: Delimiter): void {
    this.delimiter = d.charCodeAt(0);
    this.tsv = d === "\t";
    const c = this.classes;
    c.fill(PLAIN);
    for (let b = 0; b < 0x20; b++) c[b] = CONTROL;
    c[0x7f] = CONTROL;
    c[0x09] = PLAIN;
    c[0x0c] = PLAIN;
    c[LF] = NEWLINE;
    c[CR] = RETURN;
    c[QUOTE] = QUOTE_CLASS;
    c[this.delimiter] = DELIM;
  }

  /**
   * Adds the next chunk of the file.
   *
   * @param chunk - bytes following the previous chunk.
   * @throws MlmError for binary data, malformed quotes or rows of the wrong length.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (!this.started) {
      this.started = true;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) this.utf16 = [];
      else if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    if (this.utf16 !== undefined) {
      this.utf16.push(chunk);
      return;
    }
    if (this.delimiter === undefined) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= SNIFF_BYTES) this.detect(false);
      return;
    }
    this.scan(chunk);
  }

  /** Chooses the delimiter from the bytes held so far, then scans them. */
  private detect(atEnd: boolean): void {
    const all = concat(this.pending);
    this.pending = [];
    const sample = new TextDecoder().decode(all.subarray(0, SNIFF_BYTES));
    const choice = chooseDelimiter(sample, this.options.preferred ?? ",", atEnd || all.length <= SNIFF_BYTES);
    if (choice.note !== undefined) this.notes.push(delimiterMessage(this.options.source, choice.note));
    this.setDelimiter(choice.delimiter);
    this.scan(all);
  }

  private fail(reason: string): never {
    throw new MlmError(`'${this.options.source}' is not a valid ${this.label} file: ${reason}.`);
  }

  /** Ends the current field (its bytes are in the store already). */
  private endField(): void {
    const store = this.currentStore();
    store.end();
    this.field++;
    this.quoted = false;
  }

  private currentStore(): CellStore {
    const j = this.field;
    if (this.header === undefined) {
      while (this.stores.length <= j) this.stores.push(new CellStore());
      return this.stores[j];
    }
    if (j < this.stores.length) return this.stores[j];
    this.overflow.length = 0;
    this.overflow.count = 0;
    return this.overflow;
  }

  private endRecord(): void {
    const store = this.currentStore();
    const blank = this.field === 0 && !this.quoted && (store.count === 0 ? store.length : store.length - store.ends[store.count - 1]) === 0;
    if (blank) {
      this.line++;
      return;
    }
    this.endField();
    const fields = this.field;
    this.field = 0;
    if (this.header === undefined) {
      this.setHeader();
    } else {
      if (fields !== this.stores.length) {
        throw new MlmError(
          `Line ${this.line} of '${this.options.source}' has ${fields} field${fields === 1 ? "" : "s"} but the header names ${this.stores.length} columns; every row needs one field per column.`,
        );
      }
      this.rows++;
    }
    this.line++;
  }

  private setHeader(): void {
    // each header store holds the one cell of the header row
    const header = this.stores.map((s) => decodeCell(s.bytes.subarray(0, s.ends[0])).trim());
    const source = this.options.source;
    if (header.length === 1 && header[0] === "") {
      // a line of white space before the header counts as blank
      this.stores = [];
      return;
    }
    header.forEach((name, j) => {
      if (name === "") throw new MlmError(`Column ${j + 1} of '${source}' has no name in the header row; give every column a name.`);
      if (header.indexOf(name) !== j) throw new MlmError(`Column name '${name}' appears more than once in the header of '${source}'; rename one of them.`);
    });
    this.header = header;
    this.stores = header.map(() => new CellStore());
  }

  /** Runs the scanner over one chunk. */
  private scan(chunk: Uint8Array): void {
    const classes = this.classes;
    const header = this.header !== undefined;
    const stores = this.stores;
    let state = this.state;
    let store = this.currentStore();
    let bytes = store.bytes;
    let length = store.length;
    const n = chunk.length;
    let i = 0;
    if (this.afterReturn && n > 0) {
      this.afterReturn = false;
      if (chunk[0] === LF) i = 1;
    }
    for (; i < n; i++) {
      const b = chunk[i];
      const cls = classes[b];
      if (state === UNQUOTED || state === FIELD_START) {
        if (cls === PLAIN) {
          // a run of ordinary bytes: find its end, then copy it
          const start = i;
          while (i + 1 < n && classes[chunk[i + 1]] === PLAIN) i++;
          const run = i + 1 - start;
          while (length + run > bytes.length) {
            store.length = length;
            store.grow();
            bytes = store.bytes;
          }
          if (run > 32) bytes.set(chunk.subarray(start, i + 1), length);
          else for (let k = start; k <= i; k++) bytes[length + k - start] = chunk[k];
          length += run;
          state = UNQUOTED;
          continue;
        }
        if (cls === DELIM) {
          store.length = length;
          // end the field (CellStore.end, inlined: this runs once per cell)
          if (store.count === store.ends.length) store.reserve(0, store.ends.length * 2);
          store.ends[store.count++] = length;
          const j = ++this.field;
          this.quoted = false;
          store = header && j < stores.length ? stores[j] : this.currentStore();
          bytes = store.bytes;
          length = store.length;
          state = FIELD_START;
          continue;
        }
        if (cls === NEWLINE || cls === RETURN) {
          store.length = length;
          this.endRecord();
          store = this.currentStore();
          bytes = store.bytes;
          length = store.length;
          state = FIELD_START;
          if (cls === RETURN) {
            if (i + 1 < n) {
              if (chunk[i + 1] === LF) i++;
            } else this.afterReturn = true;
          }
          continue;
        }
        if (cls === QUOTE_CLASS) {
          if (state === FIELD_START) {
            state = QUOTED;
            this.quoted = true;
            continue;
          }
          if (!this.tsv) this.fail(`a double quote appears inside an unquoted field on line ${this.line}`);
          if (length === bytes.length) {
            store.length = length;
            store.grow();
            bytes = store.bytes;
          }
          bytes[length++] = b;
          continue;
        }
        this.fail("it holds binary data, not text");
      } else if (state === QUOTED) {
        if (cls === QUOTE_CLASS) {
          state = QUOTE_SEEN;
          continue;
        }
        if (cls === CONTROL) this.fail("it holds binary data, not text");
        if (b === LF) this.line++;
        if (length === bytes.length) {
          store.length = length;
          store.grow();
          bytes = store.bytes;
        }
        bytes[length++] = b;
      } else {
        // QUOTE_SEEN: a doubled quote, or the end of the quoted field
        if (cls === QUOTE_CLASS) {
          if (length === bytes.length) {
            store.length = length;
            store.grow();
            bytes = store.bytes;
          }
          bytes[length++] = b;
          state = QUOTED;
          continue;
        }
        if (cls === DELIM || cls === NEWLINE || cls === RETURN) {
          state = UNQUOTED;
          i--;
          continue;
        }
        this.fail(`a quoted field is followed by other text before the next separator on line ${this.line}`);
      }
    }
    store.length = length;
    this.state = state;
    this.scanned += n;
    this.sizeStores();
  }

  /** Once a first stretch of rows is read, sizes each column's store for the whole input. */
  private sizeStores(): void {
    const total = this.options.sizeHint;
    if (this.sized || total === undefined || this.header === undefined || this.rows < 1000) return;
    this.sized = true;
    const scale = (1.05 * total) / this.scanned;
    for (const s of this.stores) s.reserve(Math.ceil(s.length * scale) + 64, Math.ceil(s.count * scale) + 64);
  }

  /**
   * Ends the input and returns the table.
   *
   * @returns the table; columns are typed when first read.
   * @throws MlmError when the input is empty, has only a header, or ends inside a quoted field.
   */
  finish(): DataTable {
    if (this.utf16 !== undefined) {
      const all = concat(this.utf16);
      const text = new TextDecoder(all[0] === 0xff ? "utf-16le" : "utf-16be").decode(all);
      if (hasBinaryControl(text)) this.fail("it holds binary data, not text");
      this.utf16 = undefined;
      this.push(new TextEncoder().encode(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
    }
    if (this.delimiter === undefined) {
      if (this.pendingBytes === 0) throw new MlmError(`'${this.options.source}' is empty.`);
      this.detect(true);
    }
    if (this.state === QUOTED) this.fail("a double quote opens a field that is never closed");
    const store = this.currentStore();
    const partial = this.field > 0 || this.state !== FIELD_START || (store.count === 0 ? store.length : store.length - store.ends[store.count - 1]) > 0;
    if (partial) this.endRecord();
    const source = this.options.source;
    if (this.header === undefined) throw new MlmError(`'${source}' is empty.`);
    if (this.rows === 0) throw new MlmError(`'${source}' has a header row but no rows of data.`);
    const header = this.header;
    const stores = new Map(header.map((name, j) => [name, this.stores[j]]));
    const factors = new Set(this.options.factors ?? []);
    for (const f of factors) if (!stores.has(f)) throw new MlmError(unknownFactorMessage(f, header));
    const decimal = (this.options.decimal ?? ".").charCodeAt(0);
    const markers = missingMarkers(this.options.na ?? []);
    const type = (name: string): TypedColumn => {
      const s = stores.get(name) as CellStore;
      const typed = typeStore(name, s, source, factors.has(name), decimal, markers);
      stores.delete(name); // the raw cells are no longer needed
      return typed;
    };
    return lazyTable(header, this.rows, type, this.notes);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
