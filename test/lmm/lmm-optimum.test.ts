// The optimum of the profiled criterion is a property of A, not of the optimizer's path: the
// in-memory fit of a reference case's rows in reverse order (the same cross products summed in
// another order, so A differs by rounding) gives θ̂, β̂, the standard errors, σ̂ and logLik of the
// fit in the original order within 1e-8 relative (test/helpers/same-model.ts). Before the Newton
// polishing of θ̂ (src/optim/newton-polish.ts), BOBYQA stopped ~1e-6 apart on these cases. The
// fits themselves are held to lme4 by test/lmm/fit-lmm.test.ts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitLmm } from "../../src/lmm/fit-lmm.js";
import type { DataTable, Column } from "../../src/data/table.js";
import { assertSameModel, frameCrossProducts } from "../helpers/same-model.js";
import { caseData, loadCases } from "../helpers/reference.js";

function reversed(t: DataTable): DataTable {
  const columns = new Map<string, Column>();
  for (const [name, c] of t.columns) {
    columns.set(name, c.kind === "numeric" ? { ...c, values: c.values.slice().reverse() } : { ...c, codes: c.codes.slice().reverse() });
  }
  return { ...t, columns };
}

// cases where BOBYQA alone stopped furthest apart, and crossed, nested and correlated terms
const ids = ["sleepstudy_reml", "sleepstudy_ml", "machines_factor_slope", "pastes_ml", "pastes_nested", "penicillin_crossed", "penicillin_ml", "exam_slope_ml"];

describe("the fitted optimum does not depend on the order in which A was summed", () => {
  for (const c of loadCases().filter((x) => ids.includes(x.id))) {
    it(`${c.id}: rows reversed`, async (t) => {
      const reml = c.reml !== false;
      const factors = ([] as string[]).concat(c.factors ?? []);
      const data = await caseData(c);
      const ref = fitLmm(c.formula, data, { reml, factors, polish: true });
      const m = fitLmm(c.formula, reversed(data), { reml, factors, polish: true });
      assert.ok(ref.converged && m.converged);
      const d = assertSameModel(m, ref, frameCrossProducts(m.frame), frameCrossProducts(ref.frame));
      t.diagnostic(JSON.stringify(d, (_, v: unknown) => (typeof v === "number" ? Number(v.toExponential(1)) : v)));
    });
  }
});
