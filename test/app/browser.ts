// What the studio's browser tests share: Debian's Chromium driven by playwright-core (no browser
// download), a fresh profile per launch, the built studio served from dist-app/ on 127.0.0.1, and
// a record of every request the page makes.
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { STUDIO_DIR, serveStatic, type StaticServer } from "../../src/cli/static-server.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
export const DATA = fileURLToPath(new URL("../fixtures/data/", import.meta.url));

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Studio {
  readonly server: StaticServer;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page (and its worker) requested. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Whether the tests can run: the studio is built and Chromium is installed. */
export function studioReady(): string | undefined {
  if (!existsSync(join(STUDIO_DIR, "index.html"))) return "the studio is not built (npm run build)";
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install -y chromium)`;
  return undefined;
}

/** Serves the built studio, launches Chromium with a fresh profile and opens the studio. */
export async function openStudio(): Promise<Studio> {
  const server = await serveStatic(STUDIO_DIR, 0);
  const profile = mkdtempSync(join(tmpdir(), "mlm-studio-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const requests: string[] = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    server,
    context,
    page,
    requests,
    close: async () => {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The cells of a table found by its caption, row by row (header row first). */
export async function tableByCaption(page: Page, caption: string): Promise<string[][]> {
  const table = page.getByRole("table", { name: caption });
  await table.waitFor();
  const rows = table.getByRole("row");
  const n = await rows.count();
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push((await rows.nth(i).getByRole(i === 0 ? "columnheader" : "cell").allInnerTexts()).map((t) => t.trim()));
  // the first cell of a body row is a row header
  for (let i = 1; i < n; i++) out[i].unshift((await rows.nth(i).getByRole("rowheader").innerText()).trim());
  return out;
}

/** Every header cell of the table lies inside its scroll container, which needs no horizontal scrolling. */
export async function fullyVisible(page: Page, caption: string): Promise<void> {
  const table = page.getByRole("table", { name: caption });
  await table.waitFor();
  interface Box {
    left: number;
    right: number;
    scroll: number;
    cells: { text: string; left: number; right: number }[];
  }
  // run in the page (this file is compiled without the DOM's types)
  const box = (await page.evaluate(`(() => {
    const t = [...document.querySelectorAll("table")].find((x) => x.caption && x.caption.textContent.trim() === ${JSON.stringify(caption)});
    const host = t.closest(".table-scroll");
    const outer = host.getBoundingClientRect();
    const cells = [...t.querySelectorAll("thead th")].map((th) => {
      const r = th.getBoundingClientRect();
      return { text: (th.textContent || "").trim(), left: r.left, right: r.right };
    });
    return { left: outer.left, right: outer.right, scroll: host.scrollWidth - host.clientWidth, cells };
  })()`)) as Box;
  assert.ok(box.scroll <= 1, `${caption}: the table needs ${box.scroll} px of horizontal scrolling`);
  for (const c of box.cells) assert.ok(c.left >= box.left - 1 && c.right <= box.right + 1, `${caption}: column '${c.text}' is cut off (${c.left}–${c.right} outside ${box.left}–${box.right})`);
}
