import { message } from "../../src/messages.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDescription } from "../../src/report/format-description.js";

test("documented example: Pastes", () => {
  const text = formatDescription({
    nobs: 60,
    dropped: 0,
    response: "strength",
    fixef: ["(Intercept)"],
    messages: [],
    groups: [
      { name: "cask:batch", levels: 30, sizes: { min: 2, median: 2, max: 2 }, nestedIn: ["batch"] },
      { name: "batch", levels: 10, sizes: { min: 6, median: 6, max: 6 }, nestedIn: [] },
    ],
  });
  assert.equal(
    text,
    [
      "Rows:           60 used, 0 dropped",
      "Response:       strength",
      "Fixed effects:  (Intercept)",
      "",
      "Grouping factor  Levels  Rows per level (min/median/max)  Nested in",
      "cask:batch           30  2 / 2 / 2                        batch",
      "batch                10  6 / 6 / 6                        -",
      "",
    ].join("\n"),
  );
});

test("no fixed effects and no grouping factors", () => {
  const text = formatDescription({ nobs: 5, dropped: 2, response: "y", fixef: [], groups: [], messages: [message("rows-dropped", "x")] });
  assert.equal(text, "Rows:           5 used, 2 dropped\nResponse:       y\nFixed effects:  none\n\nGrouping factors: none\n");
});
