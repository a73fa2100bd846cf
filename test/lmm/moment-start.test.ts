// The method-of-moments start from the cross products: the OLS fit against R's lm, and the start
// against the moment formula computed from the rows (group means of the OLS residuals), for
// crossed random intercepts; terms that are not scalar intercepts keep their start.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CrossProducts } from "../../src/lmm/cross-products.js";
import { momentStart, olsFit } from "../../src/lmm/moment-start.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import { readTable } from "../../src/io/read-table.js";
import { modelFrame } from "../../src/model-frame/index.js";
import { parseFormula } from "../../src/formula/index.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import { frameOf, lcg } from "./helpers.js";

function filled(formula: string, columns: Parameters<typeof frameOf>[1]) {
  const { frame, terms } = frameOf(formula, columns);
  const A = new CrossProducts(terms, frame.n, frame.fixefNames.length);
  A.fill(frame.X, frame.response.y);
  return { frame, terms, A };
}

describe("olsFit", () => {
  it("gives R's lm(Reaction ~ Days, sleepstudy): coefficients and residual sum of squares", async () => {
    const table = await readTable(new URL("../fixtures/data/sleepstudy.csv", import.meta.url).pathname, { factors: ["Subject"] });
    const frame = modelFrame(parseFormula("Reaction ~ Days + (Days | Subject)"), toDataTable(table));
    const A = new CrossProducts(RandomEffects.of(frame).terms, frame.n, 2);
    A.fill(frame.X, frame.response.y);
    const ols = olsFit(A)!;
    // R 4.2.2: coef(lm(Reaction ~ Days, sleepstudy)), sum(resid(...)^2)
    assert.ok(Math.abs(ols.beta[0] - 251.4051048485) < 1e-8);
    assert.ok(Math.abs(ols.beta[1] - 10.4672859596) < 1e-8);
    assert.ok(Math.abs(ols.rss - 405251.61748) < 1e-4);
  });
});

describe("momentStart", () => {
  const r = lcg(11);
  const n = 240;
  const cols = {
    y: [] as number[],
    x: [] as number[],
    a: [] as string[],
    b: [] as string[],
  };
  const ea = Array.from({ length: 12 }, () => 2 * (r() - 0.5));
  const eb = Array.from({ length: 9 }, () => r() - 0.5);
  for (let i = 0; i < n; i++) {
    const a = (i * 5) % 12;
    const b = Math.floor(i / 7) % 9;
    const x = r() * 4;
    cols.x.push(x);
    cols.a.push(`a${a}`);
    cols.b.push(`b${b}`);
    cols.y.push(1 + 0.5 * x + ea[a] + eb[b] + 0.3 * (r() - 0.5));
  }

  it("estimates each crossed intercept's τ / σ from the group means of the OLS residuals", () => {
    const { frame, terms, A } = filled("y ~ x + (1 | a) + (1 | b)", cols);
    const theta0 = Float64Array.of(1, 1);
    momentStart(A, terms, theta0);
    // the same from the rows: OLS by the normal equations, residual means per group
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < n; i++) {
      sx += cols.x[i];
      sy += cols.y[i];
      sxx += cols.x[i] ** 2;
      sxy += cols.x[i] * cols.y[i];
    }
    const b1 = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const b0 = (sy - b1 * sx) / n;
    const res = cols.y.map((y, i) => y - b0 - b1 * cols.x[i]);
    const sigma2 = res.reduce((s, e) => s + e * e, 0) / (n - 2);
    terms.forEach((t, k) => {
      const levels = t.frame.group.levels;
      const sum = new Map<string, number>();
      const cnt = new Map<string, number>();
      const key = t.frame.group.name === "a" ? cols.a : cols.b;
      key.forEach((g, i) => {
        sum.set(g, (sum.get(g) ?? 0) + res[i]);
        cnt.set(g, (cnt.get(g) ?? 0) + 1);
      });
      let m2 = 0;
      let inv = 0;
      for (const g of levels) {
        m2 += (sum.get(g)! / cnt.get(g)!) ** 2;
        inv += 1 / cnt.get(g)!;
      }
      const tau2 = m2 / levels.length - (sigma2 * inv) / levels.length;
      const expected = Math.sqrt(tau2 / sigma2);
      assert.ok(expected > 0.05 && expected < 5, `inside the clamp: ${expected}`);
      assert.ok(Math.abs(theta0[k] - expected) < 1e-10, `${t.frame.group.name}: ${theta0[k]} vs ${expected}`);
    });
    assert.equal(frame.n, n);
  });

  it("leaves a random slope's θ at its start", () => {
    const { terms, A } = filled("y ~ x + (x | a)", cols);
    const theta0 = Float64Array.of(1, 0, 1);
    momentStart(A, terms, theta0);
    assert.deepEqual(Array.from(theta0), [1, 0, 1]);
  });
});
