import { test } from "node:test";
import assert from "node:assert/strict";
import { closestName } from "../../src/data/closest-name.js";

test("documented examples", () => {
  assert.equal(closestName("Yeild", ["Batch", "Yield"]), "Yield");
  assert.equal(closestName("subject", ["Subject"]), "Subject");
  assert.equal(closestName("height", ["Batch", "Yield"]), undefined);
});

test("one edit of a long name is suggested, distant names are not", () => {
  assert.equal(closestName("Reacton", ["Reaction", "Days", "Subject"]), "Reaction");
  assert.equal(closestName("Dyas", ["Reaction", "Days", "Subject"]), "Days");
  assert.equal(closestName("x", ["y"]), "y");
  assert.equal(closestName("ab", ["xy"]), undefined);
  assert.equal(closestName("anything", []), undefined);
});
