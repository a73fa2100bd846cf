// Executed documentation: every TSDoc `@example` in src/ and every ```ts block of README.md runs,
// and every value it shows is what the code computes (test/docs/examples.ts describes the scope
// examples run in and the forms of a check).
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { compareLines, compareShown, parseShown } from "./shown-value.js";
import { exportsOf, findExamples, loadFixtures, runExample, type Example } from "./examples.js";

const matches = (shown: string, actual: unknown): boolean => compareShown(parseShown(shown), actual) === null;

describe("shown values", () => {
  it("numbers match to the precision shown, last digit ±1", () => {
    assert.ok(matches("10.467", 10.4673));
    assert.ok(matches("10.467", 10.4664));
    assert.ok(!matches("10.467", 10.47));
    assert.ok(!matches("10.47", 10.4673 + 0.02));
    assert.ok(matches("3.26e-06", 3.2634e-6));
    assert.ok(!matches("3.26e-06", 3.29e-6));
    assert.ok(matches("17", 16.9999990263063));
    assert.ok(!matches("180", 179));
    assert.ok(matches("-Infinity", -Infinity) && matches("NaN", NaN) && !matches("NaN", 0));
  });

  it("arrays, typed arrays, objects on the keys shown, and … for more", () => {
    assert.ok(matches("[1, 2]", [1, 2]) && matches("[1, 2]", Float64Array.of(1, 2)));
    assert.ok(matches("Float64Array [1.5, NaN]", Float64Array.of(1.5, NaN)));
    assert.ok(!matches("Int32Array [1]", Float64Array.of(1)));
    assert.ok(!matches("[1, 2]", [1, 2, 3]) && matches("[1, 2, …]", [1, 2, 3]) && matches("[1, 2, ...]", [1, 2]));
    assert.ok(matches('{ term: "Days", estimate: 10.467 }', { term: "Days", estimate: 10.4673, se: 1.5 }));
    assert.ok(!matches("{ se: 1.5 }", { term: "Days" }));
    assert.ok(matches("{ a: undefined }", {}) && matches("{ Subject: 18 }", new Map([["Subject", 18]])));
    assert.ok(matches('"Singular fit: …"', "Singular fit: the variance") && !matches('"Singular"', "Singular fit"));
    assert.ok(matches("{ 'x y': 'it\\'s' }", { "x y": "it's" }));
    assert.ok(matches("true (a remark)", true) && matches("null", null) && matches("undefined", undefined));
  });

  it("prose is not a value", () => {
    for (const prose of ["prints the description", "θ̂ of the simulated data", "e.g. 15.2", "→ 3", "length q", "[1, 2] then more"]) {
      assert.throws(() => parseShown(prose), Error, prose);
    }
  });

  it("printed lines match line by line, … skipping lines", () => {
    assert.equal(compareLines(["a", "b"], "a\nb\n"), null);
    assert.equal(compareLines(["a", "…", "d"], "a\nb\nc\nd"), null);
    assert.equal(compareLines(["a", "…"], "a\nb\nc"), null);
    assert.notEqual(compareLines(["a"], "a\nb"), null);
    assert.notEqual(compareLines(["a", "x"], "a\nb"), null);
  });

  it("a wrong shown value, an undefined name and a prose comment fail, with their line", async () => {
    const ex = (code: string): Example => ({ file: "src/x.ts", line: 1, code, firstLine: 10 });
    assert.deepEqual(await runExample(ex("1 + 1; // 2\nconst x = [1, 2]; // [1, 2]"), {}), []);
    assert.deepEqual(await runExample(ex("Math.sqrt(2);\n// 1.4142"), {}), []);
    assert.deepEqual(await runExample(ex('(() => { throw new TypeError("bad input here"); })(); // throws TypeError: bad input…'), {}), []);
    assert.deepEqual(await runExample(ex('console.log("a\\nb");\n// a\n// b'), {}), []);
    assert.deepEqual(await runExample(ex("// prose first\nconst y = f(2); // 4"), { f: (v: number) => v * v }), []);
    assert.deepEqual((await runExample(ex("1 + 1;\n1 + 2; // 4"), {})).map((f) => f.line), [11]);
    assert.deepEqual((await runExample(ex("ws.objective(); // 3"), {})).map((f) => f.line), [10]);
    assert.deepEqual((await runExample(ex("1 + 1; // e.g. 2"), {})).map((f) => f.line), [10]);
    assert.deepEqual((await runExample(ex("1 + 1; // throws Error"), {})).map((f) => f.line), [10]);
    assert.deepEqual((await runExample(ex("const a = 1;\nundefinedName.x;\na; // 1"), {})).map((f) => f.line), [11]);
  });
});

// Files whose examples arrived with the residual-structures, SQL, data-file and studio merges at
// the deadline and are not yet rewritten to run: their examples run and report as todo (visible,
// not failing). Remove a file
// from this list once its examples pass; any other file's failing example fails the suite.
const PENDING = new Set<string>([]);

describe("@example blocks in src/ and the README's examples", () => {
  const examples = findExamples();
  let shared: Record<string, unknown> = {};
  before(async () => {
    shared = { ...(await loadFixtures()), ...(await exportsOf("src/text.ts")), ...(await exportsOf("src/index.ts")) };
  });

  it("there are examples to run", () => assert.ok(examples.length > 150, `${examples.length} examples`));

  const byFile = new Map<string, Example[]>();
  for (const ex of examples) byFile.set(ex.file, [...(byFile.get(ex.file) ?? []), ex]);
  for (const [file, list] of byFile) {
    describe(file, () => {
      let own: Record<string, unknown> = {};
      before(async () => {
        own = file.endsWith(".ts") ? await exportsOf(file) : {};
      });
      for (const ex of list) {
        it(`${file}:${ex.line}`, PENDING.has(file) ? { todo: "example not yet rewritten to run" } : {}, async () => {
          const failures = await runExample(ex, { ...shared, ...own });
          assert.deepEqual(failures.map((f) => `${file}:${f.line}: ${f.message}`), []);
        });
      }
    });
  }
});
