// fitLmmResidual against nlme::lme: every lme case in test/fixtures/nlme
// (test/fixtures/generate/nlme.R), e.g. lme(Reaction ~ Days, sleepstudy, random = ~ 1 | Subject,
// correlation = corAR1(form = ~ Days | Subject)); and a crossed model with residual AR(1), which
// nlme cannot fit, against a direct dense computation of its marginal likelihood.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { MlmError } from "../../src/errors.js";
import { cholesky, solveLower } from "../../src/linalg/dense.js";
import { assertAgreesNlme, loadNlmeCases, nlmeData } from "../helpers/nlme-reference.js";

const cases = loadNlmeCases().filter((c) => c.nlme.fun === "lme");

describe("fitLmmResidual agrees with nlme::lme", () => {
  it("has lme reference cases", () => assert.ok(cases.length >= 8));
  for (const c of cases) {
    it(`${c.id}: ${c.formula}, ${[c.correlation, c.variance].filter(Boolean).join(", ")} (${c.method})`, async () => {
      const m = fitLmmResidual(c.formula, await nlmeData(c), { reml: c.method === "REML", correlation: c.correlation ?? undefined, variance: c.variance ?? undefined });
      assertAgreesNlme(m, c);
    });
  }
});

/** A small crossed design: 8 subjects × 6 occasions, items crossed with subjects, AR(1) noise within subject. */
function crossed(): { y: number[]; x: number[]; s: string[]; item: string[]; t: number[] } {
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const norm = (): number => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
  const y: number[] = [];
  const x: number[] = [];
  const s: string[] = [];
  const item: string[] = [];
  const t: number[] = [];
  const itemEff = Array.from({ length: 5 }, () => 0.8 * norm());
  for (let i = 0; i < 8; i++) {
    const bi = 1.2 * norm();
    let e = norm();
    for (let k = 0; k < 6; k++) {
      if (k > 0) e = 0.6 * e + Math.sqrt(1 - 0.36) * norm();
      const it = (i + 2 * k) % 5;
      const xv = rnd();
      x.push(xv);
      s.push(`s${i}`);
      item.push(`i${it}`);
      t.push(k);
      y.push(2 + xv + bi + itemEff[it] + e);
    }
  }
  return { y, x, s, item, t };
}

/** −2 log-likelihood (REML or ML) from the dense V = σ²(Z_s Z_s' τ_s² + Z_i Z_i' τ_i² + C_AR1). */
function denseCriterion(d: ReturnType<typeof crossed>, tauS: number, tauI: number, sigma: number, phi: number, reml: boolean, vsd?: number[]): number {
  const n = d.y.length;
  const V = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let v = 0;
      if (d.s[a] === d.s[b]) v += tauS * tauS + sigma * sigma * Math.pow(phi, Math.abs(d.t[a] - d.t[b])) * (vsd ? vsd[a] * vsd[b] : 1);
      if (d.item[a] === d.item[b]) v += tauI * tauI;
      V[a + b * n] = v;
    }
  }
  assert.equal(cholesky(V, n, n), -1);
  let logdetV = 0;
  for (let i = 0; i < n; i++) logdetV += 2 * Math.log(V[i + i * n]);
  // whitened X and y: L⁻¹X, L⁻¹y; β̂ by least squares on them
  const X = new Float64Array(n * 2);
  const y = Float64Array.from(d.y);
  for (let i = 0; i < n; i++) {
    X[i] = 1;
    X[i + n] = d.x[i];
  }
  solveLower(V, n, n, X, 0);
  solveLower(V, n, n, X, n);
  solveLower(V, n, n, y, 0);
  let a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
  for (let i = 0; i < n; i++) {
    a11 += X[i] * X[i];
    a12 += X[i] * X[i + n];
    a22 += X[i + n] * X[i + n];
    b1 += X[i] * y[i];
    b2 += X[i + n] * y[i];
  }
  const det = a11 * a22 - a12 * a12;
  const beta = [(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det];
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - X[i] * beta[0] - X[i + n] * beta[1]) ** 2;
  const p = 2;
  return reml ? logdetV + Math.log(det) + rss + (n - p) * Math.log(2 * Math.PI) : logdetV + rss + n * Math.log(2 * Math.PI);
}

describe("crossed random effects with a residual sd per stratum, strata cutting across the groups (A summed by stratum)", () => {
  const d = { ...crossed(), st: [] as string[] };
  d.st = d.t.map((t) => ["a", "b", "c"][t % 3]);
  d.y = d.y.map((y, i) => y + (d.st[i] === "c" ? 0.8 : 0) * Math.sin(7 * i));
  for (const reml of [true, false]) {
    it(`log-likelihood equals the dense marginal ${reml ? "REML" : "ML"} likelihood at the fitted parameters, its optimum`, () => {
      const m = fitLmmResidual("y ~ x + (1 | s) + (1 | item)", d, { reml, variance: "varIdent(form = ~ 1 | st)" });
      const sd = (g: string): number => m.varcorr.find((r) => r.group === g)!.sdcor;
      const ratios = m.variance!.parameters as Record<string, number>;
      const vsd = (r: Record<string, number>): number[] => d.st.map((st) => r[st] ?? 1);
      const dense = denseCriterion(d, sd("s"), sd("item"), m.sigma, 0, reml, vsd(ratios));
      assert.ok(Math.abs(-dense / 2 - m.logLik) < 1e-6, `dense ${-dense / 2} vs ${m.logLik}`);
      for (const k of Object.keys(ratios)) {
        for (const f of [0.97, 1.03]) assert.ok(denseCriterion(d, sd("s"), sd("item"), m.sigma, 0, reml, vsd({ ...ratios, [k]: ratios[k] * f })) > dense, `ratio ${k} × ${f}`);
      }
    });
  }
});

describe("crossed random effects with residual AR(1) (beyond nlme)", () => {
  const d = crossed();
  for (const reml of [true, false]) {
    it(`log-likelihood equals the dense marginal ${reml ? "REML" : "ML"} likelihood at the fitted parameters`, () => {
      const m = fitLmmResidual("y ~ x + (1 | s) + (1 | item)", d, { reml, correlation: "corAR1(form = ~ t | s)" });
      const sd = (g: string): number => m.varcorr.find((r) => r.group === g)?.sdcor as number;
      const phi = m.correlation?.parameters.Phi as number;
      const dense = denseCriterion(d, sd("s"), sd("item"), m.sigma, phi, reml);
      assert.ok(Math.abs(-dense / 2 - m.logLik) < 1e-6, `dense ${-dense / 2} vs ${m.logLik}`);
      // and it is the optimum: moving φ lowers the dense likelihood
      for (const dphi of [-0.02, 0.02]) assert.ok(denseCriterion(d, sd("s"), sd("item"), m.sigma, phi + dphi, reml) > dense);
      assert.ok(phi > 0.2 && phi < 0.95, `phi ${phi}`);
    });
  }
  it("condVar: Var(b | y) = G − G Z'V⁻¹Z G of the dense marginal covariance, per term in formula order", () => {
    // (1 | item) first in the formula; the fit puts s (the correlation's grouping) first; the
    // subjects shifted apart so that their variance is not estimated at 0
    const shift = [1.5, -2, 0.5, 3, -1, -2.5, 2, -0.5];
    const e = { ...d, y: d.y.map((v, i) => v + shift[Number(d.s[i].slice(1))]) };
    const m = fitLmmResidual("y ~ x + (1 | item) + (1 | s)", e, { correlation: "corAR1(form = ~ t | s)" });
    const sd = (g: string): number => m.varcorr.find((r) => r.group === g)?.sdcor as number;
    const phi = m.correlation?.parameters.Phi as number;
    const n = d.y.length;
    const V = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let v = 0;
        if (d.s[a] === d.s[b]) v += sd("s") ** 2 + m.sigma ** 2 * Math.pow(phi, Math.abs(d.t[a] - d.t[b]));
        if (d.item[a] === d.item[b]) v += sd("item") ** 2;
        V[a + b * n] = v;
      }
    }
    assert.equal(cholesky(V, n, n), -1);
    const cv = m.condVar();
    m.frame.reterms.forEach((term, t) => {
      const g2 = sd(term.group.name) ** 2;
      assert.ok(g2 > 0.1 && Math.abs(m.ranefCovariance[t][0] - g2) < 1e-9 * g2, `${term.group.name}: ${m.ranefCovariance[t][0]} vs ${g2}`);
      const col = term.group.name === "s" ? d.s : d.item;
      term.group.levels.forEach((lev, h) => {
        const z = Float64Array.from(col, (v) => (v === lev ? 1 : 0));
        solveLower(V, n, n, z, 0);
        const dense = g2 - g2 * g2 * z.reduce((acc, v) => acc + v * v, 0);
        assert.ok(Math.abs(cv[t][h] - dense) < 1e-6 * dense, `${term.group.name} ${lev}: ${cv[t][h]} vs ${dense}`);
        // ranefRows: the conditional mode and √ of the same conditional variance
        const row = m.ranefRows().find((r) => r.group === term.group.name && r.level === lev);
        assert.ok(row && row.term === "(Intercept)", `${term.group.name} ${lev} has a row`);
        assert.equal(row.condval, m.ranef[t][h]);
        assert.ok(Math.abs(row.condsd - Math.sqrt(dense)) < 1e-6 * Math.sqrt(dense), `${term.group.name} ${lev}: condsd ${row.condsd} vs ${Math.sqrt(dense)}`);
      });
    });
    assert.equal(m.ranefRows().length, m.frame.reterms.reduce((k, term) => k + term.group.levels.length, 0));
  });
  it("rejects a correlation grouping that cuts across every random-effects grouping", () => {
    const half = d.t.map((v) => (v < 3 ? "a" : "b"));
    assert.throws(() => fitLmmResidual("y ~ x + (1 | s)", { ...d, half }, { correlation: "corCompSymm(form = ~ 1 | half)" }), /cuts across every random-effects grouping/);
  });
  it("rejects a formula without random effects", () => {
    assert.throws(() => fitLmmResidual("y ~ x", d, { correlation: "corAR1(form = ~ t | s)" }), MlmError);
  });
});
