// Bundles the command line (src/cli/main.ts) into dist/bundle/ with esbuild, so that `mlm`
// starts by reading a few files instead of resolving and compiling some 700 modules (the @stdlib
// packages are many small CommonJS files): `mlm --version` 0.52 s → 0.24 s on the bench machine.
// DuckDB stays an external native module in its own chunk, loaded only by the commands that use
// it. dist/bundle/ sits at the depth of dist/cli/, so paths relative to the module
// (package.json, dist-app/) resolve the same. Run by `npm run build`; bin/mlm loads the bundle.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@duckdb/node-api"],
  outdir: "dist/bundle",
  logLevel: "warning",
  // the CommonJS dependencies call require() for Node's modules
  banner: { js: "import { createRequire as mlmCreateRequire } from 'node:module'; const require = mlmCreateRequire(import.meta.url);" },
});
