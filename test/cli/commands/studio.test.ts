// `mlm studio`: serves the built app on 127.0.0.1 and prints the address; a clear message when
// the app is not built or the port is taken.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import { assertOneLineError, run, withTempDir } from "../helpers.js";
import { stopStudios } from "../../../src/cli/commands/studio.js";

describe("mlm studio", () => {
  after(async () => {
    await stopStudios();
    delete process.env.MLM_STUDIO_DIR;
  });

  it("serves the app folder on 127.0.0.1 and prints the URL", async () => {
    await withTempDir(async (dir) => {
      mkdirSync(join(dir, "assets"));
      writeFileSync(join(dir, "index.html"), "<!doctype html><title>studio</title>");
      writeFileSync(join(dir, "assets", "a.js"), "export const a = 1;");
      process.env.MLM_STUDIO_DIR = dir;
      const r = await run("studio", "--no-open", "--port", "0");
      assert.equal(r.code, 0, r.err);
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(r.out)?.[0];
      assert.ok(url, r.out);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      assert.match(await page.text(), /<title>studio<\/title>/);
      const js = await fetch(new URL("assets/a.js", url));
      assert.match(js.headers.get("content-type") ?? "", /javascript/);
      assert.equal((await fetch(new URL("missing.js", url))).status, 404);
      assert.equal((await fetch(new URL("..%2f..%2fpackage.json", url))).status, 404);
      await stopStudios();
    });
  });

  it("says how to build the app when it is not built", async () => {
    await withTempDir(async (dir) => {
      process.env.MLM_STUDIO_DIR = dir;
      assertOneLineError(await run("studio", "--no-open", "--port", "0"), /has not been built .*run 'npm run build'/);
    });
  });

  it("says when the port is taken", async () => {
    await withTempDir(async (dir) => {
      writeFileSync(join(dir, "index.html"), "<!doctype html>");
      process.env.MLM_STUDIO_DIR = dir;
      const blocker = createServer();
      await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
      const port = (blocker.address() as { port: number }).port;
      try {
        assertOneLineError(await run("studio", "--no-open", "--port", String(port)), new RegExp(`Port ${port} is already in use`));
      } finally {
        await new Promise<void>((done) => blocker.close(() => done()));
      }
    });
  });
});
