/**
 * `mlm studio [--port N] [--no-open]`: serve the built studio (dist-app/) on 127.0.0.1 and open
 * it in the browser. The page runs the models in the tab; the server only hands out its files.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { MlmError } from "../../index.js";
import type { CliIo } from "../cli-io.js";
import { STUDIO_DIR, serveStatic, type StaticServer } from "../static-server.js";
import { optionNumber } from "./confint.js";

/** Options of `mlm studio`. */
interface StudioOptions {
  readonly port: string;
  readonly open: boolean;
}

/** The servers this process started (so tests, and Ctrl-C, can stop them). */
const running = new Set<StaticServer>();

/**
 * Stops every studio server this process started.
 *
 * @returns when they are closed.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const dir = mkdtempSync(join(tmpdir(), "mlm-studio-"));
 * writeFileSync(join(dir, "index.html"), "<title>mlm studio</title>");
 *
 * // serve this folder instead of dist-app/
 * process.env.MLM_STUDIO_DIR = dir;
 * await main(["studio", "--no-open", "--port", "0"], memoryIo()); // 0
 * await stopStudios();
 * delete process.env.MLM_STUDIO_DIR;
 * ```
 */
export async function stopStudios(): Promise<void> {
  await Promise.all([...running].map((s) => s.close()));
  running.clear();
}

/** The folder served: dist-app/ of the package, or MLM_STUDIO_DIR when set. */
function studioDir(): string {
  return process.env.MLM_STUDIO_DIR || STUDIO_DIR;
}

/** Opens a URL in the desktop's browser, quietly doing nothing where there is none. */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args, { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // no browser to open: the URL is printed
  }
}

/**
 * Registers `mlm studio` on the program.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * // main() registers every command (registerStudio among them) and runs `mlm studio --no-open --port 0`
 * const dir = mkdtempSync(join(tmpdir(), "mlm-studio-"));
 * writeFileSync(join(dir, "index.html"), "<title>mlm studio</title>");
 * process.env.MLM_STUDIO_DIR = dir;
 * const io = memoryIo();
 * await main(["studio", "--no-open", "--port", "0"], io); // 0
 * const url = /^mlm studio: (http:\/\/127\.0\.0\.1:\d+\/) {2}\(Ctrl-C stops it\)\n$/.exec(io.out())![1];
 * await (await fetch(url)).text(); // "<title>mlm studio</title>"
 * await stopStudios();
 * delete process.env.MLM_STUDIO_DIR;
 * process.env.MLM_STUDIO_DIR = join(dir, "nothing-here");
 * await main(["studio", "--no-open"], memoryIo()); // 2 (the studio is not built there: run npm run build)
 * delete process.env.MLM_STUDIO_DIR;
 * ```
 */
export function registerStudio(program: Command, io: CliIo): void {
  program
    .command("studio")
    .summary("open the studio: fit and plot models in the browser, data stay on this machine")
    .description("Serve the mlm studio (the web app built by `npm run build`) on 127.0.0.1 and open it in the browser. Models run in the browser tab; nothing is uploaded.")
    .option("--port <n>", "port to listen on (0: any free port)", "5178")
    .option("--no-open", "do not open the browser, just print the address")
    .addHelpText("after", "\nExamples:\n  $ mlm studio --port 8080\n  $ mlm studio --no-open\n")
    .action(async (options: StudioOptions) => {
      const port = optionNumber(options.port, "--port", true, 0);
      if (port > 65535) throw new MlmError(`--port takes a port number from 0 to 65535, not '${options.port}'.`);
      const dir = studioDir();
      if (!existsSync(join(dir, "index.html"))) {
        throw new MlmError(`The studio has not been built (there is no ${join(dir, "index.html")}); run 'npm run build' in the mlm folder first.`);
      }
      let server: StaticServer;
      try {
        server = await serveStatic(dir, port);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE") throw new MlmError(`Port ${port} is already in use; choose another with --port, e.g. --port 0 for any free port.`);
        throw error;
      }
      running.add(server);
      io.stdout(`mlm studio: ${server.url}  (Ctrl-C stops it)\n`);
      if (options.open) openBrowser(server.url);
    });
}
