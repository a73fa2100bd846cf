// Number formatting of the text reports.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fmt, fmtP, table } from "../../src/report/format.js";

describe("format", () => {
  it("significant digits, scientific for tiny or huge values", () => {
    assert.equal(fmt(251.405104848486), "251.4");
    assert.equal(fmt(0.000012345), "1.234e-05");
    assert.equal(fmt(0), "0");
    assert.equal(fmt(NaN), "NaN");
  });
  it("p-values as R's format.pval", () => {
    assert.equal(fmtP(1e-20), "< 2e-16");
    assert.equal(fmtP(0.0312), "0.0312");
  });
  it("tables: left-aligned leading columns, right-aligned numbers", () => {
    assert.deepEqual(table([["", "Estimate"], ["Days", "10.47"]]), ["     Estimate", "Days    10.47"]);
  });
});
