// Vite build of the studio: one page, one worker, everything bundled (no CDN, no other origin).
// `mlm` and `mlm/text` are the library's public entry points (src/index.ts, src/text.ts), compiled
// from source into the bundle.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  // Relative asset paths: the built folder works from any static host and any sub-path.
  base: "./",
  publicDir: false,
  resolve: {
    alias: [
      { find: /^mlm$/, replacement: here("../src/index.ts") },
      { find: /^mlm\/text$/, replacement: here("../src/text.ts") },
      // csv-parse's browser build carries its own Buffer (the Node build expects Node's).
      { find: /^csv-parse\/sync$/, replacement: "csv-parse/browser/esm/sync" },
    ],
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  worker: { format: "es" },
  build: {
    outDir: here("../dist-app"),
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // the bundle's size is checked by test/app/bundle-size.test.ts; no plugin-timing report in builds
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
