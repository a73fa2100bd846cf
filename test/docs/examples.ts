// Runs the TSDoc `@example` blocks of src/**/*.ts and checks the values they show.
//
// An example is the ```ts block after an `@example` tag (and each ```ts block of README.md). It
// runs as the body of an async function whose scope holds every export of its own file, every
// export of src/index.ts and src/text.ts, the names it imports, and the fixtures below (loaded
// once). Imports resolve as a reader would expect: "mlm" is src/index.ts, "mlm/text" src/text.ts,
// a relative path is relative to the example's file (`import { CrossProducts } from
// "./cross-products.js"`), anything else (`node:fs`) is imported as is. The fixtures:
//
//   sleepstudy, dyestuff, dyestuff2, penicillin, pastes, cbpp, machines
//       the data tables of test/fixtures/data, read with readTable and the factors of the
//       reference cases (sleepstudy_reml, dyestuff, dyestuff2_singular, penicillin_crossed,
//       pastes_nested, cbpp_binomial, machines_factor_slope)
//   sleepstudyFit   fit("Reaction ~ Days + (Days | Subject)", sleepstudy)
//   dyestuffFit     fit("Yield ~ 1 + (1 | Batch)", dyestuff)
//   penicillinFit   fit("diameter ~ 1 + (1 | plate) + (1 | sample)", penicillin)
//   pastesFit       fit("strength ~ 1 + (1 | batch/cask)", pastes)
//   cbppFit         fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, { family: "binomial" })
//   sleepstudyFrame modelFrame(parseFormula("Reaction ~ Days + (Days | Subject)"), sleepstudy)
//   dataFile(name)  the path of test/fixtures/data/<name> (for instance "sleepstudy.csv")
//   ioFile(name)    the path of test/fixtures/io/<name> (for instance "sleepstudy.parquet")
//
// A statement followed by a comment shows its value: `expr; // value`, or `const x = expr; // value`
// (the value of x), with the value continuing on the `//` lines right below (joined by spaces).
// `expr; // throws MlmError: text…` shows that the statement throws (the text, if given, is a
// prefix of the message; `// throws: text` shows a part of the message of any error). `console.log(expr);` followed by `//` lines shows the printed lines.
// Comment lines before a statement, or after a blank line, are prose. See shown-value.ts for the
// values and how they are compared.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { compareLines, compareShown, parseShown } from "./shown-value.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const src = join(root, "src");

/** One ```ts block after an `@example` tag. */
export interface Example {
  /** Path relative to the project root, e.g. "src/fit/fit.ts". */
  file: string;
  /** 1-based line of the `@example` tag. */
  line: number;
  /** The code, with the leading ` * ` of the comment removed. */
  code: string;
  /** 1-based source line of the code's first line. */
  firstLine: number;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
    });
}

/** Every example in src/ (in file and line order), then the ```ts blocks of README.md. */
export function findExamples(): Example[] {
  const out: Example[] = [];
  for (const path of tsFiles(src)) {
    const lines = readFileSync(path, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
      let j = i + 1;
      while (j < lines.length && !/^\s*\*\s*```/.test(lines[j]) && !/^\s*\*\s*@\w/.test(lines[j]) && !/\*\//.test(lines[j])) j++;
      if (!/^\s*\*\s*```ts\s*$/.test(lines[j] ?? "")) {
        out.push({ file: relative(root, path), line: i + 1, code: "", firstLine: i + 1 });
        continue;
      }
      const first = j + 1;
      const code: string[] = [];
      for (j = first; j < lines.length && !/^\s*\*\s*```/.test(lines[j]); j++) code.push(lines[j].replace(/^\s*\* ?/, ""));
      out.push({ file: relative(root, path), line: i + 1, code: code.join("\n"), firstLine: first + 1 });
    }
  }
  const readme = readFileSync(join(root, "README.md"), "utf8").split("\n");
  for (let i = 0; i < readme.length; i++) {
    if (!/^```ts\s*$/.test(readme[i])) continue;
    let j = i + 1;
    while (j < readme.length && !/^```/.test(readme[j])) j++;
    out.push({ file: "README.md", line: i + 1, code: readme.slice(i + 1, j).join("\n"), firstLine: i + 2 });
    i = j;
  }
  return out;
}

/** A named import of an example: `import { name as local } from "from"`. */
interface Import {
  from: string;
  name: string;
  local: string;
}

/** A check in an example: what the statement shows, at which source line. */
interface Check {
  line: number;
  kind: "value" | "throws" | "printed";
  shown: string[];
}

/** Rewrites an example into checked JavaScript: each shown value becomes a `__check(i, ...)` call. */
export function instrument(ex: Example): { js: string; checks: Check[]; imports: Import[] } {
  const sf = ts.createSourceFile("example.ts", ex.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lines = ex.code.split("\n");
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const checks: Check[] = [];
  const imports: Import[] = [];
  const pieces: string[] = [];
  let last = 0;
  const srcLine = (l: number): number => ex.firstLine + l;
  for (const st of sf.statements) {
    const start = st.getStart(sf);
    if (ts.isImportDeclaration(st)) {
      const named = st.importClause?.namedBindings;
      const from = (st.moduleSpecifier as ts.StringLiteral).text;
      if (named && ts.isNamedImports(named)) for (const el of named.elements) imports.push({ from, name: (el.propertyName ?? el.name).getText(sf), local: el.name.text });
      pieces.push(ex.code.slice(last, start));
      last = st.end;
      continue;
    }
    const endLine = lineOf(st.end);
    const after = lines[endLine].slice(sf.getLineAndCharacterOfPosition(st.end).character);
    const shown: string[] = [];
    const same = /^\s*\/\/ ?(.*)$/.exec(after);
    if (same) shown.push(same[1]);
    for (let l = endLine + 1; l < lines.length; l++) {
      const m = /^\s*\/\/ ?(.*)$/.exec(lines[l]);
      if (!m) break;
      shown.push(m[1]);
    }
    const text = st.getText(sf);
    pieces.push(ex.code.slice(last, start), `__at(${srcLine(lineOf(start))}); `);
    last = st.end;
    if (shown.length === 0) {
      pieces.push(text);
      continue;
    }
    const id = checks.length;
    const isLog = ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && st.expression.expression.getText(sf) === "console.log";
    const throws = !isLog && /^throws\b/.test(shown[0].trim());
    checks.push({ line: srcLine(endLine), kind: isLog ? "printed" : throws ? "throws" : "value", shown });
    if (isLog) {
      const args = (st.expression as ts.CallExpression).arguments.map((a) => a.getText(sf)).join(", ");
      pieces.push(`await __check(${id}, async () => [${args}].map(String).join(" "));`);
    } else if (ts.isExpressionStatement(st)) {
      pieces.push(`await __check(${id}, async () => (${st.expression.getText(sf)}));`);
    } else if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 && ts.isIdentifier(st.declarationList.declarations[0].name)) {
      pieces.push(`${text} await __check(${id}, async () => ${st.declarationList.declarations[0].name.text});`);
    } else {
      pieces.push(`${text} await __check(${id}, async () => { throw new Error("this statement has no value to show"); });`);
    }
  }
  pieces.push(ex.code.slice(last));
  const body = ts.transpileModule(pieces.join(""), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext }, reportDiagnostics: false }).outputText;
  return { js: `{\n${body.replace(/^export \{\};\s*$/m, "")}\n}`, checks, imports };
}

/** A failure of one example, with the source line it points at. */
export interface Failure {
  line: number;
  message: string;
}

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
const identifier = /^[A-Za-z_$][\w$]*$/;

/** Runs one example in a scope of names; returns its failures (empty when every shown value holds). */
export async function runExample(ex: Example, scope: Record<string, unknown>): Promise<Failure[]> {
  if (ex.code === "") return [{ line: ex.line, message: "@example is not followed by a ```ts block" }];
  let inst: ReturnType<typeof instrument>;
  try {
    inst = instrument(ex);
  } catch (e) {
    return [{ line: ex.firstLine, message: `cannot compile: ${(e as Error).message}` }];
  }
  const failures: Failure[] = [];
  if (inst.checks.length === 0) failures.push({ line: ex.firstLine, message: "shows no value: end a statement with `// value`" });
  scope = { ...scope };
  for (const imp of inst.imports) {
    const spec = imp.from === "mlm" ? "src/index.ts" : imp.from === "mlm/text" ? "src/text.ts" : imp.from.startsWith(".") ? join(dirname(ex.file), imp.from.replace(/\.js$/, ".ts")) : null;
    const mod = (spec ? await exportsOf(spec) : await import(imp.from)) as Record<string, unknown>;
    if (!(imp.name in mod)) failures.push({ line: ex.firstLine, message: `imports ${imp.name}, which ${imp.from} does not export` });
    else scope[imp.local] = mod[imp.name];
  }
  const done = new Set<number>();
  const check = async (id: number, run: () => Promise<unknown>): Promise<void> => {
    const c = inst.checks[id];
    done.add(id);
    let value: unknown;
    try {
      value = await run();
    } catch (e) {
      if (c.kind !== "throws") throw Object.assign(e as Error, { exampleLine: c.line });
      const want = c.shown.join(" ").trim().replace(/^throws\s*/, "");
      const m = /^(\w+)?(?::\s*(.*))?$/.exec(want);
      const err = e as Error;
      if (!m) failures.push({ line: c.line, message: `cannot read "throws ${want}": write "throws ErrorName: start of the message"` });
      else if (m[1] !== undefined && err.name !== m[1] && err.constructor?.name !== m[1]) failures.push({ line: c.line, message: `shown throws ${m[1]}, threw ${err.name}: ${err.message}` });
      else if (m[2] !== undefined) {
        const text = m[2].replace(/(…|\.\.\.)$/, "");
        const prefix = text !== m[2];
        // without an error name, the text is a part of the message (`// throws: has an intercept`)
        const ok = m[1] === undefined ? err.message.includes(text) : prefix ? err.message.startsWith(text) : err.message === text;
        if (!ok) failures.push({ line: c.line, message: `shown message ${JSON.stringify(m[2])}, thrown ${JSON.stringify(err.message)}` });
      }
      return;
    }
    if (c.kind === "throws") {
      failures.push({ line: c.line, message: `shown to throw, returned ${String(value)}` });
      return;
    }
    if (c.kind === "printed") {
      const d = compareLines(c.shown, value as string);
      if (d) failures.push({ line: c.line, message: d });
      return;
    }
    let shown;
    try {
      shown = parseShown(c.shown.map((s) => s.trim()).join(" "));
    } catch (e) {
      failures.push({ line: c.line, message: `the comment is not a value: ${(e as Error).message}` });
      return;
    }
    const d = compareShown(shown, value);
    if (d) failures.push({ line: c.line, message: d });
  };
  let at = ex.firstLine;
  const setLine = (line: number): void => {
    at = line;
  };
  const names = Object.keys(scope).filter((n) => identifier.test(n) && n !== "__check" && n !== "__at");
  let threw = false;
  try {
    const fn = new AsyncFunction("__check", "__at", ...names, inst.js);
    await fn(check, setLine, ...names.map((n) => scope[n]));
  } catch (e) {
    threw = true;
    const err = e as Error & { exampleLine?: number };
    failures.push({ line: err.exampleLine ?? at, message: `threw ${err.name}: ${err.message}` });
  }
  if (!threw) for (let id = 0; id < inst.checks.length; id++) if (!done.has(id)) failures.push({ line: inst.checks[id].line, message: "this line did not run" });
  return failures;
}

/** The exports of a source file (relative to the project root). */
export async function exportsOf(file: string): Promise<Record<string, unknown>> {
  return { ...((await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>) };
}

/** The fixtures every example can use (see the top of this file). */
export async function loadFixtures(): Promise<Record<string, unknown>> {
  const { readTable } = await import("../../src/io/read-table.js");
  const { fit } = await import("../../src/fit/fit.js");
  const { modelFrame } = await import("../../src/model-frame/index.js");
  const { parseFormula } = await import("../../src/formula/index.js");
  const data = join(root, "test/fixtures/data");
  const factorsOf = (c: string): string[] => {
    const f = (JSON.parse(readFileSync(join(root, "test/fixtures/cases", `${c}.json`), "utf8")) as { factors: string[] | string | null }).factors;
    return ([] as string[]).concat(f ?? []);
  };
  const read = (file: string, c: string) => readTable(join(data, file), { factors: factorsOf(c) });
  const [sleepstudy, dyestuff, dyestuff2, penicillin, pastes, cbpp, machines] = await Promise.all([
    read("sleepstudy.csv", "sleepstudy_reml"),
    read("Dyestuff.csv", "dyestuff"),
    read("Dyestuff2.csv", "dyestuff2_singular"),
    read("Penicillin.csv", "penicillin_crossed"),
    read("Pastes.csv", "pastes_nested"),
    read("cbpp.csv", "cbpp_binomial"),
    read("Machines.csv", "machines_factor_slope"),
  ]);
  return {
    sleepstudy,
    dyestuff,
    dyestuff2,
    penicillin,
    pastes,
    cbpp,
    machines,
    sleepstudyFit: fit("Reaction ~ Days + (Days | Subject)", sleepstudy),
    dyestuffFit: fit("Yield ~ 1 + (1 | Batch)", dyestuff),
    penicillinFit: fit("diameter ~ 1 + (1 | plate) + (1 | sample)", penicillin),
    pastesFit: fit("strength ~ 1 + (1 | batch/cask)", pastes),
    cbppFit: fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, { family: "binomial" }),
    sleepstudyFrame: modelFrame(parseFormula("Reaction ~ Days + (Days | Subject)"), sleepstudy),
    dataFile: (name: string) => join(data, name),
    ioFile: (name: string) => join(root, "test/fixtures/io", name),
  };
}
