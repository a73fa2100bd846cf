/**
 * Estimated marginal means, trends and pairwise contrasts, as R's emmeans computes them by default
 * (Searle, Speed and Milliken 1980; Lenth, emmeans 1.8).
 *
 * The reference grid crosses every level of each factor among the fixed-effect predictors, with
 * numeric covariates at their means over the rows of the fit. Each grid point g has a row x_g of
 * the fixed-effects matrix, evaluated with the fit's transforms (so I(x^2) is (x̄)², as emmeans
 * does). A marginal mean of a cell of the `specs` factors (within a level of the `by` factors)
 * averages the grid rows with equal weights: l = mean of x_g, estimate l'β̂, SE √(l'Vl).
 * A trend (emtrends) differentiates by a forward difference of h = 0.001 · range(x):
 * l = (x_g(x̄ + h) − x_g(x̄)) / h, averaged likewise.
 *
 * Degrees of freedom for linear mixed models: Kenward-Roger (emmeans's default; SE from the
 * adjusted covariance Φ_A, of the REML refit for an ML fit, as pbkrtest does) or Satterthwaite, both for the linear function l'β̂; for GLMMs the
 * asymptotic normal (df = ∞). Intervals: estimate ± t_{df, (1+level)/2} SE. On the response scale
 * (`type: "response"`), a GLMM's means are g⁻¹(l'β̂) with SE |dμ/dη| SE_η (the delta method) and
 * the interval is the back-transformed link-scale interval.
 *
 * Pairwise contrasts of the means within each `by` group: l_i − l_j for i < j, t = estimate / SE,
 * p-values adjusted for the family of k means and c = k(k−1)/2 contrasts: Tukey (studentized
 * range: P(Q_{k,df} > √2 |t|)), Šidák 1 − (1 − p)^c, Bonferroni min(1, c p), Holm (step-down) or
 * none. On the response scale with a log or logit link the contrasts are ratios exp(l'β̂)
 * (`ratio`, `odds.ratio`) tested on the link scale, as emmeans reports them.
 */
import tquantile from "@stdlib/stats-base-dists-t-quantile";
import type { DataTable, Column } from "../data/table.js";
import { MlmError } from "../errors.js";
import { columnsOf } from "../formula/columns.js";
import { formulaParts, variableExpr } from "../model-frame/formula-parts.js";
import { newDataFrame } from "../model-frame/new-data.js";
import type { MixedModel } from "../model/mixed-model.js";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { fitLmmFrame } from "../lmm/fit-lmm.js";
import { satterthwaiteContrasts, tPValue } from "../inference/satterthwaite.js";
import { kenwardRogerContrasts } from "../inference/kenward-roger.js";
import { checkLevel, qnorm } from "../inference/profile.js";
import { ptukeyUpper } from "../inference/studentized-range.js";

/** How to compute the degrees of freedom of a linear model's means and contrasts. */
export type MeansDdf = "kenward-roger" | "satterthwaite" | "asymptotic";

/** A p-value adjustment for a family of contrasts. */
export type PAdjust = "tukey" | "holm" | "bonferroni" | "sidak" | "none";

/** Options of {@link emmeans}. */
export interface MeansOptions {
  /** The factors whose cells get a mean (empty or `["1"]`: one overall mean). */
  readonly specs: readonly string[];
  /** Factors within whose levels the means (and contrasts) are reported separately. */
  readonly by?: readonly string[];
  /** A numeric predictor whose slope (trend) is estimated instead of the mean (emtrends). */
  readonly trend?: string;
  /** Degrees-of-freedom method for linear models (default Kenward-Roger, as emmeans). */
  readonly ddf?: MeansDdf;
  /** "link" (default) or "response" (GLMMs: back-transformed by the delta method). */
  readonly type?: "link" | "response";
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

/** A table with emmeans's column names: one array per column, in order. */
export interface EmmTable {
  /** Column names in order, e.g. `["sex", "emmean", "SE", "df", "lower.CL", "upper.CL"]`. */
  readonly columns: readonly string[];
  /** Columns by name: level labels (strings) or numbers (df is Infinity for asymptotic tests). */
  readonly data: Readonly<Record<string, readonly (string | number)[]>>;
  /** Notes as emmeans prints them below the table (df method, scale, adjustment). */
  readonly notes: readonly string[];
}

/** The marginal means, with what {@link pairwiseContrasts} needs. */
export interface MarginalMeans {
  readonly table: EmmTable;
  /** The linear function l of each row (length p). */
  readonly L: readonly Float64Array[];
  /** Each row's `by` group (an index into `byLabels`). */
  readonly group: readonly number[];
  /** Each row's cell label (levels of the specs factors joined by a space). */
  readonly labels: readonly string[];
  /** Level labels of each `by` group, per `by` factor. */
  readonly byLevels: readonly (readonly string[])[];
  readonly options: Required<Omit<MeansOptions, "trend">> & { readonly trend: string | undefined };
}

/** A factor of the reference grid. */
interface GridFactor {
  readonly name: string;
  readonly levels: readonly string[];
}

/** The reference grid: its factors (first varies fastest) and the fixed-effects rows of its points. */
interface ReferenceGrid {
  readonly factors: readonly GridFactor[];
  /** Number of grid points. */
  readonly size: number;
  /** G × p, column-major. */
  readonly X: Float64Array;
  /** Summed offsets per grid point (0 when none). */
  readonly offset: Float64Array;
  /** With a trend: the rows at x̄ + h, and h. */
  readonly X1?: Float64Array;
  readonly offset1?: Float64Array;
  readonly h?: number;
}

/** The columns the formula reads, with the variables its fixed part uses. */
function formulaColumns(m: MixedModel): { all: string[]; fixed: Set<string> } {
  const f = m.frame.formula;
  const parts = formulaParts(f);
  const all: string[] = [];
  const fixed = new Set<string>();
  const add = (cols: readonly string[], isFixed: boolean): void => {
    for (const c of cols) {
      if (!all.includes(c)) all.push(c);
      if (isFixed) fixed.add(c);
    }
  };
  for (const l of parts.fixed) add(columnsOf(variableExpr(f, l)), true);
  for (const l of [...parts.effects, ...parts.groups]) add(columnsOf(variableExpr(f, l)), false);
  for (const e of f.offsets) add(columnsOf(e), false);
  return { all, fixed };
}

/** The mean and range of a numeric column over the fit's rows. */
function numericSummary(col: Float64Array, rows: Int32Array): { mean: number; range: number } {
  let s = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const v = col[rows[i]];
    s += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { mean: s / rows.length, range: hi - lo };
}

/** Builds the reference grid (and, for a trend, its shifted copy). */
function referenceGrid(m: MixedModel, data: DataTable, trend: string | undefined): ReferenceGrid {
  const frame = m.frame;
  const { all, fixed } = formulaColumns(m);
  const xlevels = frame.transforms?.xlevels;
  const factors: GridFactor[] = [];
  const covariates = new Map<string, { mean: number; range: number }>();
  for (const name of all) {
    const c = data.columns.get(name);
    if (!c) throw new MlmError(`The data have no column '${name}', which the formula uses.`);
    if (c.kind === "categorical") {
      if (fixed.has(name)) factors.push({ name, levels: xlevels?.get(name) ?? c.levels });
    } else {
      covariates.set(name, numericSummary(c.values, frame.rows));
    }
  }
  if (trend !== undefined && !covariates.has(trend)) {
    throw new MlmError(`--trend needs a numeric predictor of the model, and '${trend}' is not one; name a numeric column the fixed effects use.`);
  }
  let size = 1;
  for (const f of factors) size *= f.levels.length;
  const build = (shift: number): { X: Float64Array; offset: Float64Array } => {
    const columns = new Map<string, Column>();
    for (const name of all) {
      const c = data.columns.get(name)!;
      if (c.kind === "categorical") {
        const fi = factors.findIndex((f) => f.name === name);
        const codes = new Int32Array(size);
        if (fi >= 0) {
          let stride = 1;
          for (let j = 0; j < fi; j++) stride *= factors[j].levels.length;
          const levels = factors[fi].levels;
          const map = levels.map((l) => c.levels.indexOf(l));
          for (let g = 0; g < size; g++) codes[g] = map[Math.floor(g / stride) % levels.length];
        } else {
          codes.fill(c.codes[frame.rows[0]]);
        }
        columns.set(name, { kind: "categorical", name, levels: c.levels, codes });
      } else {
        const { mean, range } = covariates.get(name)!;
        const v = name === trend ? mean + shift * 0.001 * range : mean;
        columns.set(name, { kind: "numeric", name, values: new Float64Array(size).fill(v) });
      }
    }
    const nd = newDataFrame(frame, { nrows: size, names: all, columns });
    return { X: nd.X, offset: nd.offset ?? new Float64Array(size) };
  };
  const base = build(0);
  if (trend === undefined) return { factors, size, ...base };
  const h = 0.001 * covariates.get(trend)!.range;
  if (!(h > 0)) throw new MlmError(`'${trend}' takes a single value in the data, so it has no trend to estimate.`);
  const shifted = build(1);
  return { factors, size, ...base, X1: shifted.X, offset1: shifted.offset, h };
}

/** emmeans's label of a level in a contrast: parenthesized when it holds -, +, / or *. */
function contrastLevel(label: string): string {
  return /[-+/*]/.test(label) ? `(${label})` : label;
}

/** Standard errors and df of linear functions under a model's df method. */
function seAndDf(m: MixedModel, L: readonly Float64Array[], ddf: MeansDdf, vcov: Float64Array = m.vcov): { se: number; df: number }[] {
  if (m.kind === "lmm" && ddf === "kenward-roger") {
    // as pbkrtest (and so emmeans): an ML fit is refitted by REML for Φ_A and the df
    return m.method === "REML" ? kenwardRogerContrasts(m, L) : kenwardRogerContrasts(fitLmmFrame(m.frame, { reml: true }), L, m.vcov);
  }
  if (m.kind === "lmm" && ddf === "satterthwaite") return satterthwaiteContrasts(m, L);
  const p = vcov.length === 0 ? 0 : Math.round(Math.sqrt(vcov.length));
  return L.map((l) => {
    let v = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) v += l[i] * vcov[i + j * p] * l[j];
    return { se: Math.sqrt(v), df: Infinity };
  });
}

/** The quantile of t_df (the normal for df = ∞). */
function tq(prob: number, df: number): number {
  return Number.isFinite(df) ? tquantile(prob, df) : qnorm(prob);
}

/** The response-scale column name emmeans uses for a family. */
function responseName(m: MixedModel): string {
  return m.family.responseName;
}

/**
 * Estimated marginal means (or trends) of a fitted model over the emmeans reference grid.
 *
 * @param m - a fitted linear or generalized linear mixed model.
 * @param data - the data table the model was fitted to (for covariate means and factor levels).
 * @param options - specs, by, trend, ddf, type, level.
 * @returns the means table with emmeans's column names, and the linear functions behind it.
 * @throws MlmError when a specs or by name is not a factor of the model, or a trend variable not a
 *   numeric predictor.
 * @example
 * ```ts
 * const mm = emmeans(fit("score ~ Machine + (Machine | Worker)", machines), machines, { specs: ["Machine"] });
 * mm.table.data.emmean; // [52.356, 60.322, 66.272]
 * mm.table.data.df;     // [5.000, 5.000, 5.000]
 * ```
 */
export function emmeans(m: MixedModel, data: DataTable, options: MeansOptions): MarginalMeans {
  const specs = options.specs.filter((s) => s !== "1");
  const by = options.by ?? [];
  const level = checkLevel(options.level ?? 0.95);
  const ddf: MeansDdf = m.kind === "lmm" ? (options.ddf ?? "kenward-roger") : "asymptotic";
  const type = options.type ?? "link";
  const trend = options.trend;
  const grid = referenceGrid(m, data, trend);
  const findFactor = (name: string, what: string): number => {
    const i = grid.factors.findIndex((f) => f.name === name);
    if (i < 0) {
      const names = grid.factors.map((f) => f.name);
      throw new MlmError(`${what} '${name}' is not a factor of the model's fixed effects${names.length ? ` (its factors: ${names.join(", ")})` : " (it has none)"}; name one of them.`);
    }
    return i;
  };
  const si = specs.map((s) => findFactor(s, "--specs"));
  const bi = by.map((b) => findFactor(b, "--by"));
  if (bi.some((b) => si.includes(b))) throw new MlmError("A factor cannot be both in --specs and --by; name it in one of them.");
  const p = m.beta.length;
  const G = grid.size;
  const strides: number[] = [];
  let st = 1;
  for (const f of grid.factors) {
    strides.push(st);
    st *= f.levels.length;
  }
  const levelOf = (g: number, fi: number): number => Math.floor(g / strides[fi]) % grid.factors[fi].levels.length;
  const cellKey = (g: number, idx: readonly number[]): number => {
    let k = 0;
    let mult = 1;
    for (const fi of idx) {
      k += levelOf(g, fi) * mult;
      mult *= grid.factors[fi].levels.length;
    }
    return k;
  };
  const nSpec = si.reduce((s, fi) => s * grid.factors[fi].levels.length, 1);
  const nBy = bi.reduce((s, fi) => s * grid.factors[fi].levels.length, 1);
  const nCells = nSpec * nBy;
  const L = Array.from({ length: nCells }, () => new Float64Array(p));
  const off = new Float64Array(nCells);
  const count = new Float64Array(nCells);
  for (let g = 0; g < G; g++) {
    const c = cellKey(g, si) + nSpec * cellKey(g, bi);
    count[c] += 1;
    const l = L[c];
    if (grid.X1 && grid.h) {
      for (let j = 0; j < p; j++) l[j] += (grid.X1[g + j * G] - grid.X[g + j * G]) / grid.h;
      off[c] += (grid.offset1![g] - grid.offset[g]) / grid.h;
    } else {
      for (let j = 0; j < p; j++) l[j] += grid.X[g + j * G];
      off[c] += grid.offset[g];
    }
  }
  for (let c = 0; c < nCells; c++) {
    for (let j = 0; j < p; j++) L[c][j] /= count[c];
    off[c] /= count[c];
  }
  const levelLabels = (c: number, idx: readonly number[]): string[] => {
    let k = c;
    return idx.map((fi) => {
      const levels = grid.factors[fi].levels;
      const l = levels[k % levels.length];
      k = Math.floor(k / levels.length);
      return l;
    });
  };
  const labels: string[] = [];
  const group: number[] = [];
  const data2: Record<string, (string | number)[]> = {};
  const columns: string[] = [];
  if (specs.length === 0) {
    columns.push("1");
    data2["1"] = [];
  }
  for (const s of specs) {
    columns.push(s);
    data2[s] = [];
  }
  for (const b of by) {
    columns.push(b);
    data2[b] = [];
  }
  const byLevels: string[][] = [];
  // emmeans names a contrast of numerically labelled levels with the factor's name: period1 - period2
  const numericLevels = si.map((fi) => grid.factors[fi].levels.every((l) => l.trim() !== "" && Number.isFinite(Number(l))));
  for (let c = 0; c < nCells; c++) {
    const sl = levelLabels(c % nSpec, si);
    const bl = levelLabels(Math.floor(c / nSpec), bi);
    if (specs.length === 0) data2["1"].push("overall");
    specs.forEach((s, i) => data2[s].push(sl[i]));
    by.forEach((b, i) => data2[b].push(bl[i]));
    labels.push(specs.length === 0 ? "overall" : sl.map((l, i) => (numericLevels[i] ? `${specs[i]}${l}` : l)).join(" "));
    group.push(Math.floor(c / nSpec));
    if (c % nSpec === 0) byLevels.push(bl);
  }
  const sd = seAndDf(m, L, ddf);
  const beta = m.beta;
  const est = L.map((l, c) => {
    let s = off[c];
    for (let j = 0; j < p; j++) s += l[j] * beta[j];
    return s;
  });
  const glmm = m.kind === "glmm";
  const response = type === "response" && glmm && trend === undefined;
  const estName = trend !== undefined ? `${trend}.trend` : response ? responseName(m) : "emmean";
  const lowName = glmm ? "asymp.LCL" : "lower.CL";
  const highName = glmm ? "asymp.UCL" : "upper.CL";
  columns.push(estName, "SE", "df", lowName, highName);
  const q = (1 + level) / 2;
  const link = glmm ? m.family.link : undefined;
  data2[estName] = [];
  data2.SE = [];
  data2.df = [];
  data2[lowName] = [];
  data2[highName] = [];
  for (let c = 0; c < nCells; c++) {
    const { se, df } = sd[c];
    const t = tq(q, df);
    const lo = est[c] - t * se;
    const hi = est[c] + t * se;
    if (response && link) {
      data2[estName].push(link.linkinv(est[c]));
      data2.SE.push(Math.abs(link.muEta(est[c])) * se);
      data2[lowName].push(link.linkinv(lo));
      data2[highName].push(link.linkinv(hi));
    } else {
      data2[estName].push(est[c]);
      data2.SE.push(se);
      data2[lowName].push(lo);
      data2[highName].push(hi);
    }
    data2.df.push(df);
  }
  const notes: string[] = [];
  if (grid.factors.some((f, i) => !si.includes(i) && !bi.includes(i))) {
    notes.push(`Results are averaged over the levels of: ${grid.factors.filter((_, i) => !si.includes(i) && !bi.includes(i)).map((f) => f.name).join(", ")}`);
  }
  notes.push(ddfNote(ddf));
  notes.push(`Confidence level used: ${level}`);
  if (response) notes.push(`Intervals are back-transformed from the ${m.family.link.name} scale`);
  else if (glmm) notes.push(`Results are given on the ${m.family.link.name} (not the response) scale.`);
  return {
    table: { columns, data: data2, notes },
    L,
    group,
    labels,
    byLevels,
    options: { specs, by, trend, ddf, type: response ? "response" : "link", level },
  };
}

/** The df note emmeans prints. */
function ddfNote(ddf: MeansDdf): string {
  return ddf === "kenward-roger" ? "Degrees-of-freedom method: kenward-roger" : ddf === "satterthwaite" ? "Degrees-of-freedom method: satterthwaite" : "Degrees-of-freedom method: asymptotic";
}

/**
 * Adjusts the p-values of one family of contrasts.
 *
 * @param p - unadjusted two-sided p-values.
 * @param method - the adjustment (Tukey needs `t`, `df` and the number of means `k`).
 * @param t - the t (or z) ratios.
 * @param df - their degrees of freedom.
 * @param k - the number of means compared.
 * @returns adjusted p-values.
 * @example
 * ```ts
 * adjustP([0.01, 0.04, 0.03], "holm", [], [], 3); // [0.03, 0.06, 0.06]
 * ```
 */
export function adjustP(p: readonly number[], method: PAdjust, t: readonly number[], df: readonly number[], k: number): number[] {
  const c = p.length;
  switch (method) {
    case "none":
      return [...p];
    case "bonferroni":
      return p.map((v) => Math.min(1, c * v));
    case "sidak":
      return p.map((v) => -Math.expm1(c * Math.log1p(-v)));
    case "holm": {
      const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
      const out = new Array<number>(c);
      let run = 0;
      order.forEach(([v, i], r) => {
        run = Math.max(run, Math.min(1, (c - r) * v));
        out[i] = run;
      });
      return out;
    }
    case "tukey":
      return t.map((ti, i) => (k < 2 ? p[i] : ptukeyUpper(Math.SQRT2 * Math.abs(ti), k, df[i])));
  }
}

/**
 * Pairwise differences of marginal means within each `by` group (emmeans's `pairs`).
 *
 * @param m - the model the means came from.
 * @param means - the result of {@link emmeans}.
 * @param adjust - the p-value adjustment (default Tukey, as emmeans).
 * @returns a table with emmeans's columns: contrast, the by factors, estimate, SE, df, t.ratio
 *   (z.ratio for GLMMs), p.value; `odds.ratio` or `ratio` instead of estimate on the response
 *   scale of a logit or log link.
 * @throws MlmError for contrasts of response-scale means under a link without ratios.
 * @example
 * ```ts
 * const m = fit("score ~ Machine + (Machine | Worker)", machines);
 * pairwiseContrasts(m, emmeans(m, machines, { specs: ["Machine"] }), "tukey").data["p.value"];
 * // [0.048, 0.00065, 0.125]
 * ```
 */
export function pairwiseContrasts(m: MixedModel, means: MarginalMeans, adjust: PAdjust = "tukey"): EmmTable {
  const { L, group, labels, byLevels, options } = means;
  const p = m.beta.length;
  const glmm = m.kind === "glmm";
  const linkName = m.family.link.name;
  const ratio = options.type === "response" && glmm;
  if (ratio && linkName !== "log" && linkName !== "logit") {
    throw new MlmError(`Contrasts on the response scale are ratios, which need a log or logit link, not ${linkName}; drop --type response to compare on the link scale.`);
  }
  const rows: { c: string; g: number; l: Float64Array }[] = [];
  const nGroups = byLevels.length;
  const sizes: number[] = [];
  for (let g = 0; g < nGroups; g++) {
    const idx = group.map((gg, i) => (gg === g ? i : -1)).filter((i) => i >= 0);
    sizes.push(idx.length);
    for (let a = 0; a < idx.length; a++) {
      for (let b = a + 1; b < idx.length; b++) {
        const l = new Float64Array(p);
        for (let j = 0; j < p; j++) l[j] = L[idx[a]][j] - L[idx[b]][j];
        rows.push({ c: `${contrastLevel(labels[idx[a]])}${ratio ? " / " : " - "}${contrastLevel(labels[idx[b]])}`, g, l });
      }
    }
  }
  const sd = seAndDf(m, rows.map((r) => r.l), options.ddf);
  const beta = m.beta;
  const est = rows.map((r) => r.l.reduce((s, v, j) => s + v * beta[j], 0));
  const tr = est.map((e, i) => e / sd[i].se);
  const praw = tr.map((t, i) => (Number.isFinite(sd[i].df) ? tPValue(t, sd[i].df) : 2 * normalCdf(-Math.abs(t), 0, 1)));
  const padj = new Array<number>(rows.length);
  for (let g = 0; g < nGroups; g++) {
    const idx = rows.map((r, i) => (r.g === g ? i : -1)).filter((i) => i >= 0);
    const adj = adjustP(idx.map((i) => praw[i]), adjust, idx.map((i) => tr[i]), idx.map((i) => sd[i].df), sizes[g]);
    idx.forEach((i, r) => (padj[i] = adj[r]));
  }
  const estName = ratio ? (linkName === "logit" ? "odds.ratio" : "ratio") : "estimate";
  const statName = glmm ? "z.ratio" : "t.ratio";
  const columns = ["contrast", ...options.by, estName, "SE", "df", ...(ratio ? ["null"] : []), statName, "p.value"];
  const data: Record<string, (string | number)[]> = { contrast: rows.map((r) => r.c) };
  options.by.forEach((b, k) => (data[b] = rows.map((r) => byLevels[r.g][k])));
  data[estName] = ratio ? est.map(Math.exp) : est;
  data.SE = ratio ? est.map((e, i) => Math.exp(e) * sd[i].se) : sd.map((s) => s.se);
  data.df = sd.map((s) => s.df);
  if (ratio) data.null = rows.map(() => 1);
  data[statName] = tr;
  data["p.value"] = padj;
  const notes = [ddfNote(options.ddf)];
  if (ratio) notes.push(`Tests are performed on the ${linkName} scale`);
  else if (glmm) notes.push(`Results are given on the ${linkName === "logit" ? "log odds ratio" : linkName} (not the response) scale.`);
  if (adjust !== "none") notes.push(`P value adjustment: ${adjust} method for ${adjust === "tukey" ? `comparing a family of ${Math.max(...sizes)} estimates` : `${Math.max(...sizes.map((k) => (k * (k - 1)) / 2))} tests`}`);
  return { columns, data, notes };
}
