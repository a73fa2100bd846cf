// The plan of the statistics: bases, blocks and keys for the formula shapes lme4 fits, and one
// clear sentence for what SQL cannot express.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { digest, schemaFreePlan, statisticsPlan, type TableColumn } from "../../src/sql/statistics-plan.js";
import { parseFormula } from "../../src/formula/index.js";
import { MlmError } from "../../src/errors.js";

const sleep: TableColumn[] = [
  { name: "Reaction", categorical: false },
  { name: "Days", categorical: false },
  { name: "Subject", categorical: false },
];
const plan = (f: string, cols: TableColumn[] = sleep, opts = {}) => statisticsPlan(parseFormula(f), cols, opts);

describe("statisticsPlan", () => {
  it("a random slope: one term block over the bases 1, Days, Reaction", () => {
    const p = plan("Reaction ~ Days + (Days | Subject)");
    assert.deepEqual(p.blocks.map((b) => b.name), ["term1"]);
    assert.deepEqual(p.bases, [[], [0], [1]]);
    assert.deepEqual(p.blocks[0].bases, [0, 1, 2]);
    assert.equal(p.groups[0].numeric, true);
    assert.equal(p.nvalues, 6);
  });
  it("crossed factors get a pair block; nested ones group by both variables", () => {
    const crossed = plan("y ~ 1 + (1 | a) + (1 | b)", [{ name: "y", categorical: false }, { name: "a", categorical: true }, { name: "b", categorical: true }]);
    assert.deepEqual(crossed.blocks.map((b) => b.name), ["term1", "term2", "pair1_2"]);
    assert.deepEqual(crossed.blocks[2].groupKeys, [0, 1]);
    const nested = plan("y ~ 1 + (1 | a/b)", [{ name: "y", categorical: false }, { name: "a", categorical: true }, { name: "b", categorical: true }]);
    // lme4 lists b:a first; its key is the pair (b, a), in that order
    assert.deepEqual(nested.termGroups.map((g) => g.map((i) => nested.groups[i].label)), [["b", "a"], ["a"]]);
  });
  it("a categorical variable becomes a cell key, and poly() a moments block", () => {
    const cols: TableColumn[] = [{ name: "y", categorical: false }, { name: "x", categorical: false }, { name: "f", categorical: true }, { name: "g", categorical: true }];
    const p = plan("y ~ f * poly(x, 2) + (1 | g)", cols);
    assert.equal(p.cells.length, 1);
    assert.deepEqual(p.blocks[0].cellKeys, [0]);
    const moments = p.blocks.find((b) => b.kind === "moments");
    assert.ok(moments && !moments.weighted && moments.bases.length === 3);
  });
  it("the digest tells plans apart and is stable", () => {
    assert.equal(digest("abc"), "1a47e90bb7090a75");
    assert.notEqual(plan("Reaction ~ Days + (Days | Subject)").id, plan("Reaction ~ Days + (1 | Subject)").id);
    assert.equal(plan("Reaction ~ Days + (Days | Subject)").id, plan("Reaction ~ Days + (Days | Subject)").id);
  });
  it("schemaFreePlan treats --factor columns as categorical", () => {
    assert.equal(schemaFreePlan(parseFormula("score ~ Machine + (1 | Worker)"), { factors: ["Machine"] }).cells[0].label, "Machine");
  });
});

describe("statisticsPlan rejects what SQL cannot express", () => {
  const rejects = (f: string, pattern: RegExp, cols = sleep): void => {
    assert.throws(() => plan(f, cols), (e: unknown) => e instanceof MlmError && pattern.test(e.message) && !e.message.includes("\n"));
  };
  it("an unknown column, with the closest name", () => rejects("Reaction ~ Dayz + (1 | Subject)", /Column 'Dayz' is not in the table; did you mean 'Days'\?/));
  it("a data-dependent call inside arithmetic", () => rejects("Reaction ~ I(scale(Days)^2) + (1 | Subject)", /'scale\(Days\)'.*cannot be computed in SQL/));
  it("raw polynomials", () => rejects("Reaction ~ poly(Days, 2, raw = TRUE) + (1 | Subject)", /cannot be computed in SQL.*I\(x\^2\)/));
  it("cbind responses", () => rejects("cbind(Reaction, Days) ~ 1 + (1 | Subject)", /cbind\(\) is for binomial responses/));
  it("a categorical response", () => rejects("Subject ~ Days + (1 | Days)", /categorical; a linear mixed model needs a numeric response/, [...sleep.slice(0, 2), { name: "Subject", categorical: true }]));
  it("no random-effects term", () => rejects("Reaction ~ Days", /no random-effects term/));
  it("categorical weights", () => {
    assert.throws(() => plan("Reaction ~ Days + (1 | Subject)", [...sleep, { name: "w", categorical: true }], { weights: "w" }), /weights column 'w' is categorical/);
  });
});
