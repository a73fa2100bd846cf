/**
 * A static file server on 127.0.0.1 (node:http, no dependency) for the built studio: `mlm studio`
 * and the browser tests serve dist-app/ with it.
 */
import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Where `npm run build` puts the studio: dist-app/ at the package root (three folders up from src/cli and dist/cli). */
export const STUDIO_DIR = fileURLToPath(new URL("../../dist-app/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

/** A running server: its address and how to stop it. */
export interface StaticServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` on 127.0.0.1; `/` is `index.html`. Paths outside `root` are 404.
 *
 * @param root - the folder to serve.
 * @param port - the port (0: any free port).
 * @returns the server once it listens.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const root = mkdtempSync(join(tmpdir(), "mlm-static-"));
 * writeFileSync(join(root, "index.html"), "<h1>mlm</h1>");
 * const s = await serveStatic(root, 0);
 * /^http:\/\/127\.0\.0\.1:\d+\/$/.test(s.url); // true
 * const page = await fetch(s.url);
 * [page.status, page.headers.get("content-type"), await page.text()]; // [200, "text/html; charset=utf-8", "<h1>mlm</h1>"]
 * (await fetch(new URL("missing.js", s.url))).status; // 404
 * await s.close();
 * ```
 */
export function serveStatic(root: string, port: number): Promise<StaticServer> {
  const base = resolve(root);
  const server: Server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
      const file = normalize(join(base, path.endsWith("/") ? `${path}index.html` : path));
      if (file !== base && !file.startsWith(base + sep)) throw new Error("outside");
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("Not found\n");
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolvePromise({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
