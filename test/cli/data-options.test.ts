import { test } from "node:test";
import assert from "node:assert/strict";
import { Command } from "commander";
import { dataCommand, loadData } from "../../src/cli/data-options.js";
import type { DataOptions } from "../../src/cli/data-options.js";
import { data } from "./helpers.js";

test("documented example: loadData with --factor", async () => {
  const table = await loadData(data("sleepstudy.csv"), { factor: ["Subject"] });
  assert.equal(table.nrows, 180);
  assert.equal(table.columns.get("Subject")?.kind, "categorical");
});

test("the shared options parse: repeated --factor, --format, --json, --debug", async () => {
  let seen: [string, string, DataOptions] | undefined;
  const program = new Command("mlm").exitOverride();
  dataCommand(program, { name: "try", summary: "try it", examples: ["try d.csv 'y ~ x'"] }).action((d: string, f: string, o: DataOptions) => {
    seen = [d, f, o];
  });
  await program.parseAsync(["try", "d.txt", "y ~ x", "--factor", "a", "--factor", "b", "--format", "tsv", "--json", "--debug"], { from: "user" });
  assert.deepEqual(seen, ["d.txt", "y ~ x", { factor: ["a", "b"], format: "tsv", json: true, debug: true }]);
  await program.parseAsync(["try", "d.csv", "y ~ x"], { from: "user" });
  assert.deepEqual(seen, ["d.csv", "y ~ x", {}]);
});

test("issue 15: --delimiter, --decimal and repeated --na parse; a bad delimiter is a usage error", async () => {
  let seen: DataOptions | undefined;
  const program = new Command("mlm").exitOverride().configureOutput({ writeErr: () => undefined });
  dataCommand(program, { name: "try", summary: "try it", examples: ["try d.csv 'y ~ x'"] }).action((_d: string, _f: string, o: DataOptions) => {
    seen = o;
  });
  await program.parseAsync(["try", "-", "y ~ x", "--delimiter", "semicolon", "--decimal", ",", "--na", "N/A", "--na", "-"], { from: "user" });
  assert.deepEqual(seen, { delimiter: ";", decimal: ",", na: ["N/A", "-"] });
  await program.parseAsync(["try", "d.tsv", "y ~ x", "--delimiter", "tab"], { from: "user" });
  assert.deepEqual(seen, { delimiter: "\t" });
  await assert.rejects(program.parseAsync(["try", "d.csv", "y ~ x", "--delimiter", "|"], { from: "user" }), /choose ',', ';' or tab/);
});
