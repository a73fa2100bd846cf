/**
 * Denominator degrees of freedom of the fixed-effects t tests as nlme computes them. For gls,
 * N − p. For lme with one grouping factor of G groups (Pinheiro and Bates 2000, section 2.4.2),
 * a coefficient whose column is constant within every group is estimated between groups, with
 * G − (1 + p_between) degrees of freedom; the intercept and the columns that vary within groups
 * are estimated within groups, with N − (G + p_within). Models with several grouping factors get
 * no nlme degrees of freedom here (undefined).
 */
import { tPValue } from "./satterthwaite.js";
import type { ResidualModel } from "../residual/residual-model.js";

/**
 * nlme's degrees of freedom and two-sided t p-values of the fixed effects.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @returns df and p per coefficient, or undefined for several grouping factors.
 * @example
 * ```ts
 * import { readTable } from "../io/read-table.js";
 * const orthodont = await readTable(dataFile("Orthodont.csv"));
 * const m = fitLmmResidual("distance ~ age * Sex + (1 | Subject)", orthodont, { variance: "varIdent(form = ~ 1 | Sex)" });
 * nlmeDf(m)?.df; // [79, 79, 25, 79] (nlme's DF column)
 * ```
 */
export function nlmeDf(m: ResidualModel): { df: number[]; p: number[] } | undefined {
  const { frame } = m;
  const n = frame.n;
  const p = frame.fixefNames.length;
  let df: number[];
  if (m.kind === "gls") {
    df = frame.fixefNames.map(() => n - p);
  } else {
    const groups = new Set(frame.reterms.map((t) => t.group.name));
    if (groups.size !== 1) return undefined;
    const refs = frame.reterms[0].group.refs;
    const G = frame.reterms[0].group.levels.length;
    const between = frame.fixefNames.map((name, j) => {
      if (name === "(Intercept)") return false;
      const first = new Float64Array(G).fill(NaN);
      for (let i = 0; i < n; i++) {
        const v = frame.X[i + j * n];
        const g = refs[i];
        if (Number.isNaN(first[g])) first[g] = v;
        else if (first[g] !== v) return false;
      }
      return true;
    });
    const pBetween = between.filter(Boolean).length;
    const pWithin = frame.fixefNames.filter((nm, j) => !between[j] && nm !== "(Intercept)").length;
    df = between.map((b) => (b ? G - (1 + pBetween) : n - (G + pWithin)));
  }
  return { df, p: m.fixef.map((f, j) => tPValue(f.statistic, df[j])) };
}
