// simulateResidual draws with the model's covariance: over many draws, the empirical covariance of
// the residuals y − Xβ̂ within a group matches the implied Z Σ̂ Z' + σ̂²Λ(ϱ̂), computed here from
// the reported parameters (sd of the random intercept, σ, Phi, varIdent's ratio). Each entry must
// lie within 4 standard errors of the implied value (the sample covariance's se, pooled over
// groups that share the positions), and the same draws must reject the model without the
// structure: the implied independent-residual value lies more than 10 standard errors away.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { simulateResidual } from "../../src/predict/simulate-residual.js";
import { fitGls } from "../../src/residual/fit-gls.js";
import { fitLmmResidual } from "../../src/lmm/fit-lmm-residual.js";
import { linearPredictor } from "../../src/residual/fit-gls.js";
import { readTable } from "../../src/io/read-table.js";
import type { ResidualModel } from "../../src/residual/residual-model.js";
import type { CategoricalColumn, NumericColumn } from "../../src/data/table.js";

const fixtures = new URL("../fixtures/data/", import.meta.url).pathname;

/** Empirical covariance of the residuals between positions a and b, pooled over the groups (rows idx[g][a]). */
function empirical(m: ResidualModel, draws: Float64Array[], idx: number[][]): (a: number, b: number) => number {
  const mu = linearPredictor(m.frame, m.beta);
  return (a, b) => {
    let s = 0;
    let count = 0;
    for (const y of draws) {
      for (const rows of idx) {
        s += (y[rows[a]] - mu[rows[a]]) * (y[rows[b]] - mu[rows[b]]);
        count++;
      }
    }
    return s / count;
  };
}

describe("simulateResidual reproduces the implied covariance", () => {
  it("lme, random intercept + corAR1 (sleepstudy): 10 × 10 within-subject covariance", async () => {
    const d = await readTable(`${fixtures}sleepstudy.csv`, { factors: ["Subject"] });
    const m = fitLmmResidual("Reaction ~ Days + (1 | Subject)", d, { correlation: "corAR1(form = ~ Days | Subject)" });
    const nsim = 600;
    const draws = simulateResidual(m, { nsim, seed: 11 });
    const subj = m.frame.reterms[0].group.refs;
    const days = (d.columns.get("Days") as NumericColumn).values;
    const idx: number[][] = Array.from({ length: 18 }, () => new Array<number>(10));
    for (let i = 0; i < m.nobs; i++) idx[subj[i]][days[m.frame.rows[i]]] = i;
    const cov = empirical(m, draws, idx);
    const sb2 = m.varcorr[0].sdcor ** 2;
    const s2 = m.sigma ** 2;
    const phi = m.correlation?.parameters.Phi as number;
    const N = nsim * 18;
    let separable = 0;
    for (let a = 0; a < 10; a++) {
      for (let b = 0; b <= a; b++) {
        const implied = (V: (i: number, j: number) => number): number => V(a, b);
        const V = (i: number, j: number): number => sb2 + s2 * phi ** Math.abs(i - j);
        const se = Math.sqrt((V(a, a) * V(b, b) + V(a, b) ** 2) / N);
        const got = cov(a, b);
        assert.ok(Math.abs(got - implied(V)) < 4 * se, `cov(${a}, ${b}) ${got} vs ${implied(V)} (se ${se})`);
        // independent residuals: wherever the two models differ by more than 14 se, the draws
        // must be more than 10 se from the independent value
        const indep = a === b ? sb2 + s2 : sb2;
        if (Math.abs(V(a, b) - indep) > 14 * se) {
          separable++;
          assert.ok(Math.abs(got - indep) > 10 * se, `cov(${a}, ${b}) tells AR(1) from independence`);
        }
      }
    }
    assert.ok(separable >= 17, `${separable} entries separate AR(1) from independence`);
  });

  it("gls, corCompSymm + varIdent (Orthodont): variances per sex and the within-subject correlation", async () => {
    const d = await readTable(`${fixtures}Orthodont.csv`);
    const m = fitGls("distance ~ age * Sex", d, { correlation: "corCompSymm(form = ~ 1 | Subject)", variance: "varIdent(form = ~ 1 | Sex)" });
    const nsim = 2000;
    const draws = simulateResidual(m, { nsim, seed: 3 });
    const sex = d.columns.get("Sex") as CategoricalColumn;
    const subj = d.columns.get("Subject") as CategoricalColumn;
    const label = (col: CategoricalColumn, i: number): string => col.levels[col.codes[i]];
    const groups = new Map<string, number[]>();
    for (let i = 0; i < m.nobs; i++) {
      const r = m.frame.rows[i];
      const key = `${label(sex, r)}|${label(subj, r)}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    const rho = m.correlation?.parameters.Rho as number;
    const ratio = m.variance?.allCoef as Record<string, number>;
    for (const s of ["Female", "Male"]) {
      const idx = [...groups].filter(([k]) => k.startsWith(`${s}|`)).map(([, v]) => v);
      const cov = empirical(m, draws, idx);
      const sd = m.sigma * ratio[s];
      const N = nsim * idx.length;
      const v = sd * sd;
      const seVar = Math.sqrt((2 * v * v) / N);
      const seCov = Math.sqrt((v * v + (rho * v) ** 2) / N);
      for (let a = 0; a < 4; a++) {
        assert.ok(Math.abs(cov(a, a) - v) < 4 * seVar, `${s} var ${cov(a, a)} vs ${v}`);
        for (let b = 0; b < a; b++) {
          assert.ok(Math.abs(cov(a, b) - rho * v) < 4 * seCov, `${s} cov ${cov(a, b)} vs ${rho * v}`);
          assert.ok(Math.abs(cov(a, b)) > 10 * seCov, "tells compound symmetry from independence");
        }
      }
    }
    // the two sexes' variances differ by more than their errors allow (varIdent matters)
    assert.ok(Math.abs(ratio.Male - ratio.Female) > 0.5);
  });

  it("checks nsim", async () => {
    const d = await readTable(`${fixtures}sleepstudy.csv`, { factors: ["Subject"] });
    const m = fitGls("Reaction ~ Days", d, { correlation: "corAR1(form = ~ Days | Subject)" });
    assert.throws(() => simulateResidual(m, { nsim: 0 }), /number of simulations/);
    assert.deepEqual(simulateResidual(m, { nsim: 1, seed: 5 })[0], simulateResidual(m, { nsim: 1, seed: 5 })[0]);
  });
});
