/**
 * A model's residual structure bound to its data: an optional correlation structure within
 * groups and an optional variance function, sharing one arrangement of the rows (by group, then
 * position). Σ_g = σ² D_g C_g D_g; see structure.ts for the whitening and its log-determinant.
 */
import { MlmError } from "../errors.js";
import type { DataTable } from "../data/table.js";
import { CorAR1 } from "./cor-ar1.js";
import { CorARMA } from "./cor-arma.js";
import { CorCAR1 } from "./cor-car1.js";
import { CorCompSymm } from "./cor-comp-symm.js";
import { CorSymm } from "./cor-symm.js";
import { formText, parseCorrelation, parseVariance, type CorrelationInput, type CorrelationSpec, type VarianceInput, type VarianceSpec } from "./parse-structure.js";
import { covariateValues, factorCodes, groupLayout, type GroupLayout } from "./residual-groups.js";
import { strataInOrder, type Strata } from "./strata.js";
import { structureResult, type CorrelationStructure, type StructureResult, type VarianceFunction } from "./structure.js";
import { VarConstPower } from "./var-const-power.js";
import { VarExp } from "./var-exp.js";
import { VarIdent } from "./var-ident.js";
import { VarPower } from "./var-power.js";

/** A grouping the structure falls back on when the correlation names none (lme's innermost grouping). */
export interface DefaultGrouping {
  readonly name: string;
  readonly refs: Int32Array;
  readonly nlev: number;
}

/** The bound residual structure of one model. */
export class ResidualStructure {
  readonly layout: GroupLayout;
  readonly cor: CorrelationStructure | undefined;
  readonly variance: VarianceFunction | undefined;
  /** Parameters: the correlation's, then the variance function's. */
  readonly npar: number;
  /** sd multipliers vᵢ of the model-frame rows at the last {@link set}. */
  readonly v: Float64Array;
  /** 2 Σᵢ log vᵢ at the last {@link set} (0: the vᵢ are scaled to geometric mean 1). */
  logdetV = 0;
  /**
   * The geometric mean g of the variance function's multipliers at the last {@link set}; `v`
   * holds them divided by g, which leaves the profiled criterion unchanged (σ absorbs g) and
   * keeps θ = sd/σ on a stable scale while the variance parameters move. The σ of the model as
   * written is σ_internal / g.
   */
  vScale = 1;

  /**
   * @param correlation - nlme string or parsed spec, or undefined.
   * @param variance - nlme string or parsed spec, or undefined.
   * @param table - the data.
   * @param rows - table row of each model-frame row.
   * @param fallback - grouping used when the correlation has no `| g` (and for the row order
   *   without a correlation), or undefined for one group of all rows.
   * @throws MlmError for bad structures or data.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * rs.npar; // 1
   * rs.layout.ngroups; // 18
   * ```
   */
  constructor(correlation: CorrelationInput | undefined, variance: VarianceInput | undefined, table: DataTable, rows: Int32Array, fallback: DefaultGrouping | undefined) {
    const cs: CorrelationSpec | undefined = typeof correlation === "string" ? parseCorrelation(correlation) : correlation;
    const vs: VarianceSpec | undefined = typeof variance === "string" ? parseVariance(variance) : variance;
    const n = rows.length;
    // groups
    let groupOf: Int32Array | undefined;
    let ngroups = 1;
    let groupName: string | undefined;
    if (cs?.group !== undefined) {
      const f = factorCodes(table, rows, cs.group, `${cs.structure} grouping`);
      groupOf = f.codes;
      ngroups = f.levels.length;
      groupName = cs.group;
    } else if (fallback) {
      groupOf = fallback.refs;
      ngroups = fallback.nlev;
      groupName = fallback.name;
    }
    const usesPosition = cs !== undefined && cs.structure !== "corCompSymm" && cs.covariate !== undefined;
    const position = usesPosition ? covariateValues(table, rows, cs.covariate as string, `${cs.structure} position`) : undefined;
    this.layout = groupLayout(n, groupOf, ngroups, position, cs?.structure ?? "the residual structure", cs?.covariate);
    if (cs) {
      const form = formText(cs.covariate, groupName);
      const L = this.layout;
      switch (cs.structure) {
        case "corAR1":
          this.cor = new CorAR1(L, form, cs.value?.[0]);
          break;
        case "corCAR1":
          if (cs.covariate === undefined) throw new MlmError("corCAR1 needs a time covariate, as in corCAR1(form = ~ time | group).");
          this.cor = new CorCAR1(L, form, cs.value?.[0]);
          break;
        case "corARMA":
          this.cor = new CorARMA(L, form, cs.p, cs.q, cs.value);
          break;
        case "corCompSymm":
          this.cor = new CorCompSymm(L, formText(undefined, groupName), cs.value?.[0]);
          break;
        case "corSymm":
          this.cor = new CorSymm(L, form);
          break;
      }
    }
    if (vs) {
      const form = formText(vs.covariate, vs.stratum);
      let strata;
      if (vs.stratum !== undefined) {
        const f = factorCodes(table, rows, vs.stratum, `${vs.structure} stratum`);
        strata = strataInOrder(f.codes, f.levels, this.layout.order);
      }
      const x = vs.covariate === undefined || vs.covariate === "fitted(.)" ? undefined : covariateValues(table, rows, vs.covariate, `${vs.structure} covariate`);
      switch (vs.structure) {
        case "varIdent":
          if (!strata) throw new MlmError("varIdent needs strata, as in varIdent(form = ~ 1 | Sex).");
          this.variance = new VarIdent(strata, form);
          break;
        case "varPower":
          this.variance = new VarPower(x, strata, form, vs.covariate);
          break;
        case "varExp":
          this.variance = new VarExp(x, strata, form);
          break;
        case "varConstPower":
          this.variance = new VarConstPower(x, strata, form);
          break;
      }
    }
    this.npar = (this.cor?.npar ?? 0) + (this.variance?.npar ?? 0);
    this.v = new Float64Array(n).fill(1);
    this.varianceSpec = vs;
  }

  /** The variance function as written. */
  private readonly varianceSpec: VarianceSpec | undefined;

  /**
   * The variance function's standard-deviation multipliers wᵢ of other rows (new data), on the
   * scale of the model as written (sd = σ wᵢ, without the geometric-mean scaling of {@link set}):
   * the row's stratum ratio (varIdent) or the function of its covariate, or of `fitted` for
   * `fitted(.)`; 1 without a variance function, NaN where the row's covariate or stratum is missing.
   *
   * @param table - the new data.
   * @param rows - table row of each new row.
   * @param u - unconstrained parameters at the fit.
   * @param off - position of the first.
   * @param fitted - the rows' predicted means, for `fitted(.)`.
   * @returns wᵢ per row.
   * @throws MlmError when a column is missing or a stratum is one the fit did not see.
   * @example
   * ```ts
   * // Sex M comes first in the data, so it is the reference stratum; Female's ratio is 0.5
   * const data = toDataTable({ y: [1, 2, 4, 3], Sex: ["M", "F", "F", "M"] });
   * const frame = modelFrame(parseFormula("y ~ 1"), data);
   * const rs = new ResidualStructure(undefined, "varIdent(form = ~ 1 | Sex)", data, frame.rows, undefined);
   * rs.variance?.names; // ["F"]
   * rs.newMultipliers(toDataTable({ Sex: ["F", "M"] }), Int32Array.of(0, 1), Float64Array.of(Math.log(0.5)), 0, new Float64Array(2));
   * // Float64Array [0.5, 1]
   * ```
   */
  newMultipliers(table: DataTable, rows: Int32Array, u: ArrayLike<number>, off: number, fitted: Float64Array): Float64Array {
    const out = new Float64Array(rows.length).fill(1);
    const vf = this.variance;
    const vs = this.varianceSpec;
    if (!vf || !vs) return out;
    const codes = vs.stratum !== undefined && vf.strata ? newStrata(table, rows, vs.stratum, vf.strata.names, `${vs.structure} stratum`) : undefined;
    let x: Float64Array | undefined;
    if (vs.covariate === "fitted(.)") x = fitted;
    else if (vs.covariate !== undefined) x = newCovariate(table, rows, vs.covariate, `${vs.structure} covariate`);
    vf.multipliers(u, off + (this.cor?.npar ?? 0), x, codes, out);
    return out;
  }

  /** True when the variance function uses the fitted values. */
  get usesFitted(): boolean {
    return this.variance?.usesFitted ?? false;
  }

  /**
   * The optimizer's start.
   *
   * @returns unconstrained parameters.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * rs.start(); // Float64Array [0]
   * ```
   */
  start(): Float64Array {
    const out = new Float64Array(this.npar);
    this.cor?.start(out, 0);
    this.variance?.start(out, this.cor?.npar ?? 0);
    return out;
  }

  /**
   * Set the parameters: the correlation's and the rows' vᵢ.
   *
   * @param u - unconstrained parameters.
   * @param off - position of the first.
   * @param fitted - fitted values for `fitted(.)` covariates.
   * @returns false where the parameters are not valid.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * rs.set(Float64Array.of(1.2), 0, undefined); // true
   * ```
   */
  set(u: ArrayLike<number>, off: number, fitted: Float64Array | undefined): boolean {
    if (this.cor && !this.cor.set(u, off)) return false;
    if (this.variance?.byStratumOnly && this.variance.strata) return this.setByStratum(u, off + (this.cor?.npar ?? 0), this.variance.strata);
    if (this.variance) {
      if (!this.variance.fill(u, off + (this.cor?.npar ?? 0), fitted, this.v)) return false;
      let s = 0;
      for (let i = 0; i < this.v.length; i++) s += Math.log(this.v[i]);
      const g = Math.exp(s / this.v.length);
      for (let i = 0; i < this.v.length; i++) this.v[i] /= g;
      this.vScale = g;
      this.logdetV = 0;
    }
    return true;
  }

  /**
   * vᵢ / g by stratum, after {@link set} of a variance function that depends on the stratum
   * only (varIdent); undefined for the others.
   */
  stratumV: Float64Array | undefined;
  /** Rows per stratum (for the geometric mean) and the codes 0, 1, … of one row per stratum; set at the first {@link setByStratum}. */
  private strataCounts: { rows: Float64Array; codes: Int32Array } | undefined;

  /**
   * {@link set} for a variance function of the stratum alone: one multiplier per stratum, and
   * log g = Σ_s n_s log v_s / n from the strata's sizes, without a logarithm per row.
   */
  private setByStratum(u: ArrayLike<number>, off: number, strata: Strata): boolean {
    const ns = strata.names.length;
    const codes = strata.codes;
    const v = this.v;
    if (!this.strataCounts) {
      const rows = new Float64Array(ns);
      for (let i = 0; i < v.length; i++) if (codes[i] >= 0) rows[codes[i]]++;
      this.strataCounts = { rows, codes: Int32Array.from({ length: ns }, (_, k) => k) };
    }
    const { rows } = this.strataCounts;
    const sv = (this.stratumV ??= new Float64Array(ns));
    this.variance!.multipliers(u, off, undefined, this.strataCounts.codes, sv);
    let s = 0;
    for (let k = 0; k < ns; k++) {
      if (!(sv[k] > 0 && Number.isFinite(sv[k]))) return false;
      s += rows[k] * Math.log(sv[k]);
    }
    const g = Math.exp(s / v.length);
    for (let k = 0; k < ns; k++) sv[k] /= g;
    for (let i = 0; i < v.length; i++) {
      const c = codes[i];
      if (c < 0) return false;
      v[i] = sv[c];
    }
    this.vScale = g;
    this.logdetV = 0;
    return true;
  }

  /**
   * Whiten group g's rows (already divided by their vᵢ) by the correlation structure.
   *
   * @param g - group.
   * @param buf - rows, row-major.
   * @param off - first value of the group's first row.
   * @param c - values per row.
   * @returns log|C_g| (0 without a correlation structure), NaN when not positive definite.
   * @example
   * ```ts
   * // Subject 308's ten days, one column of ones, Phi 0.8
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * rs.set(Float64Array.of(Math.log(9)), 0, undefined); // true
   * const buf = new Float64Array(10).fill(1);
   * rs.whiten(0, buf, 0, 1); // -9.1949 (9 log 0.36)
   * buf.subarray(0, 3); // Float64Array [1, 0.3333, 0.3333]
   * ```
   */
  whiten(g: number, buf: Float64Array, off: number, c: number): number {
    return this.cor ? this.cor.whiten(g, buf, off, c) : 0;
  }

  /**
   * nlme's constrained values of the correlation's and the variance function's parameters.
   *
   * @param u - unconstrained parameters (the correlation's first).
   * @returns the two lists of values.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * rs.natural(Float64Array.of(2.2)); // { correlation: [0.8005], variance: [] }
   * ```
   */
  natural(u: Float64Array): { correlation: number[]; variance: number[] } {
    return { correlation: this.cor ? this.cor.natural(u, 0) : [], variance: this.variance ? this.variance.natural(u, this.cor?.npar ?? 0) : [] };
  }

  /**
   * The fitted structures as results report them.
   *
   * @param u - unconstrained parameters at the optimum.
   * @param off - position of the first.
   * @returns correlation and variance results (undefined where absent).
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * rs.results(Float64Array.of(Math.log(9)), 0).correlation?.parameters; // { Phi: 0.8 }
   * ```
   */
  results(u: ArrayLike<number>, off: number): { correlation: StructureResult | undefined; variance: StructureResult | undefined } {
    return {
      correlation: this.cor ? structureResult(this.cor, u, off) : undefined,
      variance: this.variance ? structureResult(this.variance, u, off + (this.cor?.npar ?? 0)) : undefined,
    };
  }

  /**
   * Residuals with covariance σ²Λ(ϱ) from independent standard normal draws: per group,
   * ε_g = σ D_g W_g⁻¹ e_g, W_g the whitening {@link whiten} applies (W_g C_g W_gᵀ = I, so
   * W_g⁻¹ e_g has covariance C_g). W_g is formed by whitening the identity; W_g⁻¹ e_g by forward
   * substitution where W_g is lower triangular (a Cholesky factor's inverse, as for AR(1)),
   * otherwise by Gaussian elimination with partial pivoting.
   *
   * @param u - unconstrained parameters.
   * @param off - position of the first.
   * @param fitted - fitted values for `fitted(.)` covariates.
   * @param sigma - σ on the optimizer's scale (the one the vᵢ of {@link set} go with).
   * @param e - independent standard normals, one per model-frame row (overwritten by ε).
   * @example
   * ```ts
   * // Subject 308's first two days: e = (1, 0) becomes (1, 0.8) under Phi 0.8, σ = 1
   * const frame = modelFrame(parseFormula("Reaction ~ Days"), sleepstudy);
   * const rs = new ResidualStructure("corAR1(form = ~ Days | Subject)", undefined, sleepstudy, frame.rows, undefined);
   * const e = new Float64Array(180);
   * e[0] = 1;
   * rs.colour(Float64Array.of(Math.log(9)), 0, undefined, 1, e);
   * e.subarray(0, 2); // Float64Array [1, 0.8]
   * ```
   */
  colour(u: ArrayLike<number>, off: number, fitted: Float64Array | undefined, sigma: number, e: Float64Array): void {
    if (!this.set(u, off, fitted)) throw new Error("residual structure: invalid parameters for simulation");
    const { order, start, ngroups } = this.layout;
    let buf = new Float64Array(0);
    const x = new Float64Array(this.layout.maxSize);
    for (let g = 0; g < ngroups; g++) {
      const a = start[g];
      const m = start[g + 1] - a;
      if (m === 0) continue;
      if (this.cor) {
        if (buf.length < m * m) buf = new Float64Array(m * m);
        buf.fill(0, 0, m * m);
        for (let r = 0; r < m; r++) buf[r * m + r] = 1;
        this.cor.whiten(g, buf, 0, m);
        // buf[r·m + c] = (W_g)_rc; solve W_g x = e_g
        for (let r = 0; r < m; r++) x[r] = e[order[a + r]];
        solveInPlace(buf, m, x);
      } else for (let r = 0; r < m; r++) x[r] = e[order[a + r]];
      for (let r = 0; r < m; r++) {
        const i = order[a + r];
        e[i] = sigma * this.v[i] * x[r];
      }
    }
  }
}

/** The strata of new rows in the fit's order (−1 where missing); a stratum the fit did not see is an error. */
function newStrata(table: DataTable, rows: Int32Array, name: string, names: readonly string[], what: string): Int32Array {
  const col = table.columns.get(name);
  if (!col) throw new MlmError(`The ${what} column ${name} is not in the new data; add it (the variance of a new observation depends on it).`);
  const index = new Map(names.map((l, i) => [l, i]));
  return Int32Array.from(rows, (r) => {
    let text: string | undefined;
    if (col.kind === "numeric") text = Number.isNaN(col.values[r]) ? undefined : String(col.values[r]);
    else text = col.codes[r] < 0 ? undefined : col.levels[col.codes[r]];
    if (text === undefined) return -1;
    const c = index.get(text);
    if (c === undefined) throw new MlmError(`The ${what} ${name} is ${text} in the new data, a stratum the fit did not see (it has ${names.join(", ")}); use one of those.`);
    return c;
  });
}

/** A numeric covariate of new rows (NaN where missing). */
function newCovariate(table: DataTable, rows: Int32Array, name: string, what: string): Float64Array {
  const col = table.columns.get(name);
  if (!col) throw new MlmError(`The ${what} column ${name} is not in the new data; add it (the variance of a new observation depends on it).`);
  if (col.kind !== "numeric") throw new MlmError(`The ${what} column ${name} is categorical in the new data; it must hold numbers.`);
  return Float64Array.from(rows, (r) => col.values[r]);
}

/** Solve W x = b in place (W m × m row-major, overwritten): forward substitution for lower-triangular W, else partial pivoting. */
function solveInPlace(W: Float64Array, m: number, x: Float64Array): void {
  let lower = true;
  for (let r = 0; r < m && lower; r++) for (let c = r + 1; c < m; c++) if (W[r * m + c] !== 0) { lower = false; break; }
  if (lower) {
    for (let r = 0; r < m; r++) {
      let s = x[r];
      for (let c = 0; c < r; c++) s -= W[r * m + c] * x[c];
      x[r] = s / W[r * m + r];
    }
    return;
  }
  for (let k = 0; k < m; k++) {
    let piv = k;
    for (let r = k + 1; r < m; r++) if (Math.abs(W[r * m + k]) > Math.abs(W[piv * m + k])) piv = r;
    if (piv !== k) {
      for (let c = 0; c < m; c++) {
        const t = W[k * m + c];
        W[k * m + c] = W[piv * m + c];
        W[piv * m + c] = t;
      }
      const t = x[k];
      x[k] = x[piv];
      x[piv] = t;
    }
    for (let r = k + 1; r < m; r++) {
      const f = W[r * m + k] / W[k * m + k];
      if (f === 0) continue;
      for (let c = k; c < m; c++) W[r * m + c] -= f * W[k * m + c];
      x[r] -= f * x[k];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < m; c++) s -= W[r * m + c] * x[c];
    x[r] = s / W[r * m + r];
  }
}
