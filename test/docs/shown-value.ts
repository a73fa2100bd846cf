// The values that TSDoc examples show in their comments (`expr; // 10.467`), parsed and compared
// with what the code computes.
//
// A shown value is a JavaScript-like literal: numbers (`10.467`, `3.26e-06`, `NaN`, `Infinity`,
// `-Infinity`), strings in double or single quotes (JSON escapes), `true`, `false`, `null`,
// `undefined`, arrays `[1, 2]`, typed arrays `Float64Array [1, 2]`, objects with quoted or unquoted
// keys `{ term: "Days", estimate: 10.467 }`. `…` (or `...`) as an element means "and more": the
// comparison stops there. A string ending in `…` is a prefix of the computed string. After the
// value, a remark in parentheses may follow: `// 7.07e-10 (R: pchisq(42.139, 2, lower.tail = FALSE))`.
//
// Comparison: a number matches to the precision it is shown with, allowing the last shown digit
// ±1 (10.467 matches 10.4673 and 10.4664, not 10.47); a number shown without decimals matches
// the computed value rounded to an integer. An object matches on the keys it shows; a Map is read
// through `get`. A plain array matches any array or typed array with the same elements; a typed
// array shown by name must be that typed array.

export type Shown =
  | { kind: "number"; value: number; tol: number; text: string }
  | { kind: "string"; value: string; prefix: boolean }
  | { kind: "literal"; value: boolean | null | undefined }
  | { kind: "array"; items: Shown[]; more: boolean; typed: string | null }
  | { kind: "object"; entries: [string, Shown][] };

const TYPED = ["Float64Array", "Float32Array", "Int32Array", "Uint32Array", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array"];

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new Error(`${what} at character ${this.i + 1} of the shown value \`${this.s}\``);
  }

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  peek(text: string): boolean {
    return this.s.startsWith(text, this.i);
  }

  eat(text: string): boolean {
    this.ws();
    if (!this.peek(text)) return false;
    this.i += text.length;
    return true;
  }

  /** `…` or `...` as an element: true if consumed. */
  ellipsis(): boolean {
    return this.eat("…") || this.eat("...");
  }

  value(): Shown {
    this.ws();
    const c = this.s[this.i];
    if (c === "[") return this.array(null);
    if (c === "{") return this.object();
    if (c === '"' || c === "'") return this.string();
    const num = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { kind: "number", value: Number(num[0]), tol: tolerance(num[0]), text: num[0] };
    }
    const word = /^-?[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i));
    if (!word) this.fail("expected a value");
    this.i += word[0].length;
    switch (word[0]) {
      case "true":
        return { kind: "literal", value: true };
      case "false":
        return { kind: "literal", value: false };
      case "null":
        return { kind: "literal", value: null };
      case "undefined":
        return { kind: "literal", value: undefined };
      case "NaN":
        return { kind: "number", value: NaN, tol: 0, text: "NaN" };
      case "Infinity":
        return { kind: "number", value: Infinity, tol: 0, text: "Infinity" };
      case "-Infinity":
        return { kind: "number", value: -Infinity, tol: 0, text: "-Infinity" };
    }
    if (TYPED.includes(word[0])) {
      this.ws();
      if (this.s[this.i] !== "[") this.fail(`expected [ after ${word[0]}`);
      return this.array(word[0]);
    }
    this.i -= word[0].length;
    return this.fail("expected a value");
  }

  string(): Shown {
    const q = this.s[this.i];
    let j = this.i + 1;
    let raw = "";
    while (j < this.s.length && this.s[j] !== q) {
      if (this.s[j] === "\\") {
        raw += this.s.slice(j, j + 2);
        j += 2;
      } else {
        raw += this.s[j] === '"' ? '\\"' : this.s[j];
        j++;
      }
    }
    if (j >= this.s.length) this.fail("unterminated string");
    this.i = j + 1;
    let value = JSON.parse(`"${raw.replace(/\\'/g, "'")}"`) as string;
    let prefix = false;
    for (const e of ["…", "..."]) {
      if (value.endsWith(e)) {
        value = value.slice(0, -e.length);
        prefix = true;
        break;
      }
    }
    return { kind: "string", value, prefix };
  }

  array(typed: string | null): Shown {
    this.eat("[");
    const items: Shown[] = [];
    let more = false;
    if (this.eat("]")) return { kind: "array", items, more, typed };
    for (;;) {
      if (this.ellipsis()) {
        more = true;
        this.eat(",");
        if (!this.eat("]")) this.fail("expected ] after …");
        return { kind: "array", items, more, typed };
      }
      items.push(this.value());
      if (this.eat("]")) return { kind: "array", items, more, typed };
      if (!this.eat(",")) this.fail("expected , or ]");
    }
  }

  object(): Shown {
    this.eat("{");
    const entries: [string, Shown][] = [];
    if (this.eat("}")) return { kind: "object", entries };
    for (;;) {
      if (this.ellipsis()) {
        this.eat(",");
        if (!this.eat("}")) this.fail("expected } after …");
        return { kind: "object", entries };
      }
      this.ws();
      let key: string;
      const c = this.s[this.i];
      if (c === '"' || c === "'") key = (this.string() as { value: string }).value;
      else {
        const m = /^[\w$.]+/.exec(this.s.slice(this.i));
        if (!m) this.fail("expected a key");
        key = m[0];
        this.i += key.length;
      }
      if (!this.eat(":")) this.fail(`expected : after key ${key}`);
      entries.push([key, this.value()]);
      if (this.eat("}")) return { kind: "object", entries };
      if (!this.eat(",")) this.fail("expected , or }");
    }
  }
}

/** One unit in the last shown digit, or one half for a number shown as an integer. */
function tolerance(text: string): number {
  const [mant, exp] = text.toLowerCase().split("e");
  const dot = mant.indexOf(".");
  const decimals = dot < 0 ? 0 : mant.length - dot - 1;
  if (exp === undefined && decimals === 0) return 0.5;
  return 10 ** (Number(exp ?? 0) - decimals);
}

/**
 * Parses a shown value; a parenthesised remark may follow it.
 *
 * @throws Error when the text is not a value (prose).
 */
export function parseShown(text: string): Shown {
  const p = new Parser(text.trim());
  const v = p.value();
  p.ws();
  const rest = p.s.slice(p.i);
  if (rest !== "" && !(rest.startsWith("(") && rest.endsWith(")"))) p.fail("unexpected text after the value");
  return v;
}

function show(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const a = Array.from(x as unknown as ArrayLike<number>);
    return `${x.constructor.name} [${a.slice(0, 8).join(", ")}${a.length > 8 ? ", …" : ""}]`;
  }
  try {
    const s = JSON.stringify(x, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
    if (s === undefined) return String(x);
    return s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(x);
  }
}

/**
 * Compares a computed value with a shown one.
 *
 * @returns null when they agree, otherwise where and how they differ.
 */
export function compareShown(shown: Shown, actual: unknown, path = "value"): string | null {
  const differ = (what: string): string => `${path}: shown ${what}, computed ${show(actual)}`;
  switch (shown.kind) {
    case "number": {
      if (typeof actual !== "number") return differ(shown.text);
      if (Number.isNaN(shown.value)) return Number.isNaN(actual) ? null : differ("NaN");
      if (!Number.isFinite(shown.value)) return actual === shown.value ? null : differ(shown.text);
      const ok = Math.abs(actual - shown.value) <= shown.tol * (1 + 1e-9) + 1e-12 * Math.abs(shown.value);
      return ok ? null : differ(shown.text);
    }
    case "string":
      if (typeof actual !== "string") return differ(JSON.stringify(shown.value));
      if (shown.prefix ? actual.startsWith(shown.value) : actual === shown.value) return null;
      return differ(JSON.stringify(shown.value) + (shown.prefix ? "…" : ""));
    case "literal":
      return Object.is(actual, shown.value) ? null : differ(String(shown.value));
    case "array": {
      const isTyped = ArrayBuffer.isView(actual) && !(actual instanceof DataView);
      if (!Array.isArray(actual) && !isTyped) return differ(shown.typed ? `a ${shown.typed}` : "an array");
      if (shown.typed && (actual as object).constructor.name !== shown.typed) return differ(`a ${shown.typed}`);
      const a = actual as ArrayLike<unknown>;
      if (shown.more ? a.length < shown.items.length : a.length !== shown.items.length) {
        return differ(`${shown.items.length}${shown.more ? " or more" : ""} elements`);
      }
      for (let i = 0; i < shown.items.length; i++) {
        const d = compareShown(shown.items[i], a[i], `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case "object": {
      if (actual === null || typeof actual !== "object") return differ("an object");
      for (const [k, v] of shown.entries) {
        const got = actual instanceof Map ? actual.get(k) : (actual as Record<string, unknown>)[k];
        if (v.kind !== "literal" || v.value !== undefined) {
          if (!(actual instanceof Map ? actual.has(k) : k in actual)) return `${path}.${k}: shown but missing from the computed value ${show(actual)}`;
        }
        const d = compareShown(v, got, `${path}.${k}`);
        if (d) return d;
      }
      return null;
    }
  }
}

/**
 * Compares printed text with the lines an example shows (after `console.log(...)`): line by line,
 * trailing spaces ignored; a line `…` (or `...`) skips computed lines up to the next shown one, or
 * to the end when it is the last.
 *
 * @returns null when they agree, otherwise the first line that differs.
 */
export function compareLines(shown: string[], printed: string): string | null {
  const got = printed.replace(/\n$/, "").split("\n").map((l) => l.trimEnd());
  const want = shown.map((l) => l.trimEnd());
  let j = 0;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "…" || want[i] === "...") {
      if (i === want.length - 1) return null;
      while (j < got.length && got[j] !== want[i + 1]) j++;
      if (j === got.length) return `shown line ${JSON.stringify(want[i + 1])} not printed`;
      continue;
    }
    if (got[j] !== want[i]) return `printed line ${j + 1}: shown ${JSON.stringify(want[i])}, printed ${JSON.stringify(got[j] ?? "(no more lines)")}`;
    j++;
  }
  return j === got.length ? null : `printed ${got.length - j} more line(s) than shown, from ${JSON.stringify(got[j])}`;
}
