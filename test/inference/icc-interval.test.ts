// ICC intervals: the constrained profile against the R computation in confint-lrt.R, and the bootstrap.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { iccInterval } from "../../src/inference/icc-interval.js";
import { fitRef, reference } from "./fixture.js";

describe("iccInterval", () => {
  for (const c of reference.icc) {
    it(`profile: ${c.id}`, async () => {
      const m = await fitRef({ ...c, family: "gaussian", factors: null });
      const rows = iccInterval(m, { method: "profile", level: c.level });
      assert.equal(rows.length, c.icc.length);
      rows.forEach((r, i) => {
        const R = c.icc[i];
        assert.equal(r.group, R.group);
        assert.equal(r.method, "profile");
        assert.ok(Math.abs(r.estimate - R.estimate) < 1e-5);
        const width = R.upper - R.lower;
        assert.ok(Math.abs(r.lower! - R.lower) < 0.001 * width, `${r.group} lower ${r.lower} vs ${R.lower}`);
        assert.ok(Math.abs(r.upper! - R.upper) < 0.001 * width, `${r.group} upper ${r.upper} vs ${R.upper}`);
      });
    });
  }

  it("bootstraps by default, reproducibly, around the estimate", async () => {
    const c = reference.icc.find((x) => x.id === "dyestuff")!;
    const m = await fitRef({ ...c, family: "gaussian", factors: null });
    const a = iccInterval(m, { nsim: 80, seed: 4 });
    assert.deepEqual(iccInterval(m, { nsim: 80, seed: 4 }), a);
    assert.equal(a[0].method, "bootstrap");
    assert.ok(a[0].lower! >= 0 && a[0].lower! < a[0].estimate && a[0].upper! > a[0].estimate && a[0].upper! < 1);
    // loosely near the profile interval (0.069, 0.819)
    assert.ok(a[0].upper! > 0.5 && a[0].lower! < 0.25, JSON.stringify(a[0]));
  });

  it("refuses models without an ICC", async () => {
    const m = await fitRef(reference.confint.find((x) => x.id === "sleepstudy_reml")!);
    assert.throws(() => iccInterval(m), /intercepts only/);
  });
});
