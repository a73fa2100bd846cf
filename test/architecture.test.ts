// The architecture of src/: the core bundles for browsers (no Node-only module outside src/io and
// src/cli), and imports follow the pipeline's layer order (a stage imports only from itself and
// earlier stages).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const src = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/**
 * The pipeline's stages, earliest first: a file may import from its own stage and from earlier
 * ones. Each entry is a folder under src/ (or a file there); "(if present)" stages cost nothing
 * when the folder does not exist yet.
 */
const STAGES: readonly (readonly string[])[] = [
  // utilities available to all
  ["errors.ts", "messages.ts", "linalg", "numerics", "optim"],
  ["data"],
  ["formats"],
  ["formula"],
  ["model-frame"],
  ["terms"],
  ["family"],
  ["model"],
  ["residual"],
  ["lmm"],
  ["glmm"],
  ["fit"],
  ["inference"],
  ["predict"],
  ["report"],
  ["sql"],
  // the public entry points
  ["index.ts", "text.ts"],
  // the only places that touch the file system or the process
  ["io"],
  ["cli"],
];

/** The stage of a path relative to src/ (forward slashes), or -1 when it belongs to none. */
function stageOf(rel: string): number {
  const top = rel.split("/")[0];
  return STAGES.findIndex((s) => s.includes(top));
}

/** Every module specifier a TypeScript source imports or re-exports (static, type-only, side-effect and dynamic imports), read by the TypeScript scanner. */
function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The sources of src/, keyed by their path relative to src/ with forward slashes. */
function sources(): Map<string, string> {
  return new Map(files(src).map((f) => [relative(src, f).split("\\").join("/"), readFileSync(f, "utf8")]));
}

/**
 * The relative imports that run against the layer order, as `file imports target` (paths
 * relative to src/), and the files or targets that belong to no stage.
 */
function layerViolations(code: ReadonlyMap<string, string>): { violations: string[]; unplaced: string[]; edges: number } {
  const violations: string[] = [];
  const unplaced: string[] = [];
  let edges = 0;
  for (const [from, text] of code) {
    const s = stageOf(from);
    if (s < 0) {
      unplaced.push(from);
      continue;
    }
    for (const spec of importSpecifiers(text)) {
      if (!spec.startsWith(".")) continue;
      const target = posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, ".ts");
      edges++;
      const t = stageOf(target);
      if (target.startsWith("..") || t < 0) unplaced.push(`${from} imports ${target}`);
      else if (t > s) violations.push(`${from} imports ${target}`);
    }
  }
  return { violations, unplaced, edges };
}

describe("architecture", () => {
  it("no Node-only import outside src/io and src/cli", () => {
    const core = files(src).filter((f) => !/[/\\]src[/\\](io|cli)[/\\]/.test(f));
    assert.ok(core.length > 20);
    for (const f of core) {
      const text = readFileSync(f, "utf8");
      assert.doesNotMatch(text, /from\s+["'](node:|fs|path|child_process|worker_threads|os)["']/, f);
      assert.doesNotMatch(text, /\bprocess\.(env|argv|exit|stdout|stderr)/, f);
    }
  });

  it("src/formats reads bytes without Node and imports only the data layer, errors, messages and itself", () => {
    const formats = files(join(src, "formats"));
    assert.ok(formats.length >= 6);
    for (const f of formats) {
      // the code without comments (TSDoc examples may import node:fs to read a fixture)
      const text = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      assert.doesNotMatch(text, /\bprocess\.\w|\bBuffer\.|\brequire\(/, f);
      for (const m of text.matchAll(/from\s+["']([^"']+)["']/g)) {
        assert.match(m[1], /^(\.\/|\.\.\/data\/|\.\.\/errors\.js$|\.\.\/messages\.js$|hyparquet$)/, `${f} imports ${m[1]}`);
      }
    }
  });

  it("the import scanner sees static, type-only, re-export, side-effect and dynamic imports, not comments", () => {
    const text = [
      `import { a } from "./a.js";`,
      `import type { B } from "../b/b.js";`,
      `import {\n  c,\n  type C,\n} from "./c.js";`,
      `export { d } from "./d.js";`,
      `export * from "./e.js";`,
      `import "./f.js";`,
      `const g = await import("./g.js");`,
      `// import { h } from "./h.js";`,
      `/* import { i } from "./i.js"; */`,
      `const s = "not // a comment"; import { j } from "./j.js";`,
    ].join("\n");
    assert.deepEqual(importSpecifiers(text).sort(), ["../b/b.js", "./a.js", "./c.js", "./d.js", "./e.js", "./f.js", "./g.js", "./j.js"]);
  });

  it("the layer check flags an import from a later stage and accepts earlier stages and the same folder", () => {
    const code = new Map([
      ["lmm/a.ts", `import { b } from "./b.js";\nimport type { T } from "../terms/re-term.js";\nimport { s } from "../report/summary.js";`],
      ["lmm/b.ts", `import { c } from "../linalg/dense.js";\nimport { x } from "../../outside.js";`],
      ["errors.ts", `import { m } from "./messages.js";`],
      ["index.ts", `export { f } from "./fit/fit.js";`],
      ["io/r.ts", `import { cli } from "../cli/main.js";\nimport { i } from "../index.js";`],
      ["widgets/w.ts", ``],
    ]);
    const { violations, unplaced } = layerViolations(code);
    assert.deepEqual(violations, ["lmm/a.ts imports report/summary.ts", "io/r.ts imports cli/main.ts"]);
    assert.deepEqual(unplaced, ["lmm/b.ts imports ../outside.ts", "widgets/w.ts"]);
  });

  const code = sources();
  const { violations, unplaced, edges } = layerViolations(code);

  it("every file of src/ belongs to a stage of the pipeline", () => {
    assert.ok(code.size > 100, `only ${code.size} files under src/`);
    assert.deepEqual(unplaced, [], `files or imports outside the listed stages (add the folder to STAGES in order):\n${unplaced.join("\n")}`);
  });

  it("no import runs against the layer order (utilities, data, formats, formula, model-frame, terms, family, model, residual, lmm, glmm, fit, inference, predict, report, sql, index/text, io, cli)", () => {
    assert.ok(edges > 200, `only ${edges} relative imports found`);
    assert.deepEqual(violations, [], `imports from a later stage:\n${violations.join("\n")}`);
  });
});
