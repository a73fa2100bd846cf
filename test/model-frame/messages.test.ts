import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aliasedMessage,
  droppedRowsMessage,
  noRowsMessage,
  unknownColumnMessage,
} from "../../src/model-frame/messages.js";

test("an unknown column suggests the nearest name, or lists the columns", () => {
  assert.equal(unknownColumnMessage("Yeild", ["Batch", "Yield"]), "Column 'Yeild' is not in the data; did you mean 'Yield'?");
  assert.equal(unknownColumnMessage("subject", ["Subject"]), "Column 'subject' is not in the data; did you mean 'Subject'?");
  assert.equal(unknownColumnMessage("height", ["Batch", "Yield"]), "Column 'height' is not in the data; its columns are 'Batch', 'Yield'.");
  const many = Array.from({ length: 12 }, (_, i) => `col${i + 10}`);
  assert.equal(
    unknownColumnMessage("zzz", many),
    "Column 'zzz' is not in the data; its columns are 'col10', 'col11', 'col12', 'col13', 'col14', 'col15', 'col16', 'col17', ... (12 in all).",
  );
  assert.equal(unknownColumnMessage("x", []), "Column 'x' is not in the data, which has no columns.");
});

test("notes on dropped rows and aliased columns", () => {
  assert.equal(droppedRowsMessage(3, 180, ["Days", "Subject"]), "Dropped 3 of 180 rows with missing values in Days, Subject.");
  assert.equal(aliasedMessage(["x3", "fB"]), "Fixed-effect model matrix is rank deficient: dropped column(s) x3, fB.");
  assert.equal(noRowsMessage(0, []), "The data have no rows.");
  assert.equal(noRowsMessage(5, ["y", "x", "z"]), "No rows are left: every one of the 5 rows has a missing value in y, x and z.");
});
