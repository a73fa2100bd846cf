// The library bundles for browsers: esbuild bundles src/index.ts for the browser platform (no
// Node built-ins available), and the bundle fits a model when evaluated without Node's modules.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

describe("browser bundle", () => {
  it("bundles src/index.ts for the browser and fits a model from the bundle", async () => {
    const out = await build({ entryPoints: [entry], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent" });
    assert.equal(out.errors.length, 0);
    const code = out.outputFiles[0].text;
    assert.doesNotMatch(code, /from\s*["']node:/);
    const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
    const mlm = (await import(url)) as typeof import("../src/index.js");
    const m = mlm.fitLmm("y ~ 1 + (1 | g)", { y: [1.2, 1.9, 3.1, 2.8, 4.2, 3.9, 0.5, 1.1], g: ["a", "a", "b", "b", "c", "c", "d", "d"] });
    assert.equal(m.nobs, 8);
    assert.ok(Number.isFinite(m.logLik));
    // the format readers run from the bundle on bytes, as a browser's File.arrayBuffer() gives them
    const csv = new TextEncoder().encode("y;g\n1,2;a\n1,9;a\n3,1;b\n2,8;b\n4,2;c\n3,9;c\n0,5;d\n1,1;d\n");
    const t = await mlm.readTableBytes(csv, "upload.csv", { decimal: "," });
    assert.deepEqual(Array.from((t.columns.get("y") as { values: Float64Array }).values), [1.2, 1.9, 3.1, 2.8, 4.2, 3.9, 0.5, 1.1]);
    assert.equal(mlm.fitLmm("y ~ 1 + (1 | g)", t).logLik, m.logLik);
    const json = await mlm.readTableBytes(new TextEncoder().encode('{"y": [1, 2], "g": ["a", "b"]}'), "d.json");
    assert.equal(json.nrows, 2);
    assert.equal(mlm.parseDelimited(csv, { source: "u.csv", decimal: "," }).nrows, 8);
  });
});
