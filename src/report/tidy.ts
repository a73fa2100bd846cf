/**
 * Tidy tables of a fitted model with broom.mixed's names (Bolker and Robinson, broom.mixed 0.2.9):
 *
 * - `tidy`: one row per parameter. Fixed effects with the coefficient table's tests (Satterthwaite
 *   t for linear models, as for an lmerTest fit; Wald z for GLMMs) and intervals; `ran_pars`, the
 *   standard deviations and correlations of each random-effects term (`sd__x`, `cor__x.y`, in
 *   VarCorr's order) and the residual `sd__Observation`; `ran_vals`, the conditional modes with
 *   their conditional standard deviations and normal intervals b ± z σ_b; `ran_coefs`, coef():
 *   fixed plus random effect per level.
 * - `glance`: nobs, sigma, logLik, AIC, BIC, REMLcrit (REML fits) or deviance, df.residual = n − npar.
 *   A GLMM's deviance is lme4's: Σ of the family's unit deviances at the conditional means μ.
 * - `augment`: per row .fitted (η = Xβ̂ + Zb̂ + offset), .resid (response residuals for linear
 *   models, deviance residuals for GLMMs), .fixed (Xβ̂ + offset), .mu (μ) and, for linear models,
 *   the leverages .hat and Cook's distances .cooksd as lme4 computes them:
 *
 *       h_i = v_i' M⁻¹ v_i,  v_i = √w_i [Λ'z_i; x_i],  M = [Λ'Z'WZΛ + I, Λ'Z'WX; X'WZΛ, X'WX]
 *       D_i = (r_i / (1 − h_i))² h_i / (σ² p),   r_i = √w_i (y_i − μ_i)
 *
 *   (the diagonal of the hat matrix of the penalized least-squares problem).
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { coefTable } from "../inference/coef-table.js";
import { qnorm } from "../inference/profile.js";
import { cholesky } from "../linalg/dense.js";

/** Which parameters {@link tidy} lists. */
export type TidyEffect = "fixed" | "ran_pars" | "ran_vals" | "ran_coefs";

/** Options of {@link tidy}. */
export interface TidyOptions {
  /** Default `["fixed", "ran_pars"]`, as broom.mixed. */
  readonly effects?: readonly TidyEffect[];
  /** Add conf.low and conf.high (fixed effects and ran_vals). */
  readonly confInt?: boolean;
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

/** A table as columns in order; null where a column does not apply to a row (R's NA). */
export interface TidyTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
}

/** broom.mixed's column order. */
const TIDY_COLUMNS = ["effect", "group", "level", "term", "estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high"];

/**
 * broom.mixed's `tidy()` of a fitted model.
 *
 * @param m - a fitted model.
 * @param options - effects, confInt, level.
 * @returns rows with the columns that the chosen effects use, in broom.mixed's order.
 * @example
 * ```ts
 * tidy(fit("Reaction ~ Days + (Days | Subject)", sleepstudy)).rows[1];
 * // { effect: "fixed", group: null, term: "Days", estimate: 10.467, std.error: 1.5458, statistic: 6.7715, df: 17.0, p.value: 3.26e-6 }
 * ```
 */
export function tidy(m: MixedModel, options: TidyOptions = {}): TidyTable {
  const effects = options.effects ?? ["fixed", "ran_pars"];
  const level = options.level ?? 0.95;
  const confInt = options.confInt ?? false;
  const rows: Record<string, string | number | null>[] = [];
  const used = new Set<string>(["effect", "term", "estimate"]);
  const z = qnorm((1 + level) / 2);
  for (const effect of effects) {
    if (effect === "fixed") {
      const ct = coefTable(m, { level });
      for (const r of ct.rows) {
        rows.push({
          effect, term: r.term, estimate: r.estimate, "std.error": r.se, statistic: r.statistic,
          ...(r.df !== null ? { df: r.df } : {}), "p.value": r.p,
          ...(confInt ? { "conf.low": r.lower, "conf.high": r.upper } : {}),
        });
      }
      ["std.error", "statistic", "p.value", ...(ct.statistic === "t" ? ["df"] : []), ...(confInt ? ["conf.low", "conf.high"] : [])].forEach((c) => used.add(c));
    } else if (effect === "ran_pars") {
      used.add("group");
      rows.push(...ranPars(m));
    } else if (effect === "ran_vals") {
      ["group", "level", "std.error", ...(confInt ? ["conf.low", "conf.high"] : [])].forEach((c) => used.add(c));
      for (const r of m.ranef()) {
        rows.push({
          effect, group: r.group, level: r.level, term: r.term, estimate: r.condval, "std.error": r.condsd,
          ...(confInt ? { "conf.low": r.condval - z * r.condsd, "conf.high": r.condval + z * r.condsd } : {}),
        });
      }
    } else if (effect === "ran_coefs") {
      used.add("group");
      used.add("level");
      rows.push(...ranCoefs(m));
    } else {
      throw new MlmError(`Unknown effects '${String(effect)}'; use fixed, ran_pars, ran_vals or ran_coefs.`);
    }
  }
  const columns = TIDY_COLUMNS.filter((c) => used.has(c));
  return { columns, rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))) };
}

/** sd__ and cor__ rows per term in VarCorr's order, then the residual's sd__Observation. */
function ranPars(m: MixedModel): Record<string, string | number | null>[] {
  const out: Record<string, string | number | null>[] = [];
  const groups: string[] = [];
  for (const v of m.varcorr) if (v.group !== "Residual" && !groups.includes(v.group)) groups.push(v.group);
  for (const g of groups) {
    const rows = m.varcorr.filter((v) => v.group === g);
    const vars = rows.filter((v) => v.var2 === null).map((v) => v.var1 as string);
    vars.forEach((a, i) => {
      out.push({ effect: "ran_pars", group: g, term: `sd__${a}`, estimate: rows.find((v) => v.var1 === a && v.var2 === null)!.sdcor });
      for (const b of vars.slice(i + 1)) {
        const c = rows.find((v) => (v.var1 === a && v.var2 === b) || (v.var1 === b && v.var2 === a));
        if (c) out.push({ effect: "ran_pars", group: g, term: `cor__${a}.${b}`, estimate: c.sdcor });
      }
    });
  }
  if (m.kind === "lmm") out.push({ effect: "ran_pars", group: "Residual", term: "sd__Observation", estimate: m.sigma });
  return out;
}

/** coef(): per grouping factor, per coefficient (fixed effects first), per level. */
function ranCoefs(m: MixedModel): Record<string, string | number | null>[] {
  const ranef = m.ranef();
  const beta = m.beta;
  const out: Record<string, string | number | null>[] = [];
  const groups: string[] = [];
  for (const r of ranef) if (!groups.includes(r.group)) groups.push(r.group);
  for (const g of groups) {
    const rows = ranef.filter((r) => r.group === g);
    const levels: string[] = [];
    for (const r of rows) if (!levels.includes(r.level)) levels.push(r.level);
    const terms = [...m.fixefNames];
    for (const r of rows) if (!terms.includes(r.term)) terms.push(r.term);
    const b = new Map<string, number>();
    for (const r of rows) b.set(`${r.term}\u0000${r.level}`, (b.get(`${r.term}\u0000${r.level}`) ?? 0) + r.condval);
    for (const term of terms) {
      const j = m.fixefNames.indexOf(term);
      for (const level of levels) {
        out.push({ effect: "ran_coefs", group: g, level, term, estimate: (j >= 0 ? beta[j] : 0) + (b.get(`${term}\u0000${level}`) ?? 0) });
      }
    }
  }
  return out;
}

/**
 * broom.mixed's `glance()`: one row of model-level statistics.
 *
 * @param m - a fitted model.
 * @returns nobs, sigma, logLik, AIC, BIC, REMLcrit (REML) or deviance, df.residual.
 * @example
 * ```ts
 * glance(fit("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * // { nobs: 180, sigma: 25.59, logLik: -871.81, AIC: 1755.63, BIC: 1774.79, REMLcrit: 1743.63, df.residual: 174 }
 * ```
 */
export function glance(m: MixedModel): Readonly<Record<string, number>> {
  const base = { nobs: m.nobs, sigma: m.sigma, logLik: m.logLik, AIC: m.AIC, BIC: m.BIC };
  const dfResidual = m.nobs - m.npar;
  if (m.kind === "lmm" && m.method === "REML") return { ...base, REMLcrit: m.criterion.value, "df.residual": dfResidual };
  return { ...base, deviance: m.kind === "lmm" ? m.criterion.value : unitDeviances(m).reduce((s, d) => s + d, 0), "df.residual": dfResidual };
}

/** Prior weights per row as the family sees them (binomial trials times the weights). */
function priorWeights(m: MixedModel): Float64Array {
  const f = m.frame;
  const w = new Float64Array(f.n).fill(1);
  const trials = f.response.trials;
  const weights = f.weights;
  for (let i = 0; i < f.n; i++) w[i] = (trials ? trials[i] : 1) * (weights ? weights[i] : 1);
  return w;
}

/** The family's unit deviances d_i = 2 log p(y_i | y_i) − 2 log p(y_i | μ_i) at the fitted μ (R's `dev.resids`). */
function unitDeviances(m: MixedModel): Float64Array {
  const y = m.frame.response.y;
  const mu = m.fitted;
  const w = priorWeights(m);
  const fam = m.family;
  return y.map((yi, i) => Math.max(0, fam.devResid(yi, mu[i], w[i])));
}

/** Largest q + p for which {@link augment} forms the dense matrix M of the leverages. */
export const AUGMENT_MAX_DIM = 1500;

/**
 * broom.mixed's `augment()`: per-row fitted values, residuals and (linear models) influence.
 *
 * @param m - a fitted model.
 * @returns columns .fitted, .resid, .fixed, .mu and, for linear models with q + p ≤
 *   {@link AUGMENT_MAX_DIM}, .hat and .cooksd; one value per row used in the fit.
 * @example
 * ```ts
 * augment(fit("Reaction ~ Days + (Days | Subject)", sleepstudy))[".hat"][0]; // 0.2293
 * ```
 */
export function augment(m: MixedModel): Readonly<Record<string, Float64Array>> {
  const f = m.frame;
  const n = f.n;
  const p = f.fixefNames.length;
  const X = f.X;
  const beta = m.beta;
  const fixed = new Float64Array(n);
  if (f.offset) fixed.set(f.offset);
  for (let j = 0; j < p; j++) {
    const bj = beta[j];
    for (let i = 0; i < n; i++) fixed[i] += bj * X[i + j * n];
  }
  const mu = m.fitted;
  const y = f.response.y;
  if (m.kind === "glmm") {
    const d = unitDeviances(m);
    const resid = d.map((di, i) => Math.sign(y[i] - mu[i]) * Math.sqrt(di));
    return { ".fitted": m.eta, ".resid": resid, ".fixed": fixed, ".mu": mu };
  }
  const resid = m.residuals;
  const out: Record<string, Float64Array> = { ".fitted": mu, ".resid": resid, ".fixed": fixed, ".mu": mu };
  const hat = leverages(m);
  if (hat) {
    const w = f.weights;
    const s2 = m.sigma * m.sigma;
    out[".hat"] = hat;
    out[".cooksd"] = hat.map((h, i) => {
      const r = resid[i] * (w ? Math.sqrt(w[i]) : 1);
      return ((r / (1 - h)) ** 2 * h) / (s2 * p);
    });
  }
  return out;
}

/** Diagonal of the hat matrix of a linear mixed model (undefined when q + p is too large). */
function leverages(m: MixedModel): Float64Array | undefined {
  const f = m.frame;
  const n = f.n;
  const p = f.fixefNames.length;
  const re = m.randomEffects;
  const q = re.q;
  const N = q + p;
  if (N > AUGMENT_MAX_DIM) return undefined;
  const lambdas = re.lambdas(m.theta);
  const w = f.weights;
  // each row's nonzeros of v_i = √w_i [Λ'z_i; x_i]: per term k entries at the row's level, then x_i
  const nnz = re.terms.reduce((s, t) => s + t.k, 0) + p;
  const idx = new Int32Array(n * nnz);
  const val = new Float64Array(n * nnz);
  let base = 0;
  const termBase: number[] = [];
  for (const t of re.terms) {
    termBase.push(base);
    base += t.q;
  }
  for (let i = 0; i < n; i++) {
    const sw = w ? Math.sqrt(w[i]) : 1;
    let o = i * nnz;
    re.terms.forEach((t, s) => {
      const k = t.k;
      const lam = lambdas[s];
      const z = t.frame.z;
      const lev = t.frame.group.refs[i];
      for (let r = 0; r < k; r++) {
        // (Λ'z)_r = Σ_a Λ[a, r] z_a
        let v = 0;
        for (let a = r; a < k; a++) v += lam[a + r * k] * z[i + a * n];
        idx[o] = termBase[s] + lev * k + r;
        val[o] = sw * v;
        o++;
      }
    });
    for (let j = 0; j < p; j++) {
      idx[o] = q + j;
      val[o] = sw * f.X[i + j * n];
      o++;
    }
  }
  // M = I_q ⊕ 0 + Σ_i v_i v_i'
  const M = new Float64Array(N * N);
  for (let a = 0; a < q; a++) M[a + a * N] = 1;
  for (let i = 0; i < n; i++) {
    const o = i * nnz;
    for (let a = 0; a < nnz; a++) {
      const ia = idx[o + a];
      const va = val[o + a];
      for (let b = 0; b < nnz; b++) M[ia + idx[o + b] * N] += va * val[o + b];
    }
  }
  const inv = invertSpd(M, N);
  if (!inv) return undefined;
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * nnz;
    let s = 0;
    for (let a = 0; a < nnz; a++) {
      const ia = idx[o + a];
      for (let b = 0; b < nnz; b++) s += val[o + a] * inv[ia + idx[o + b] * N] * val[o + b];
    }
    h[i] = s;
  }
  return h;
}

/** The inverse of a symmetric positive-definite matrix by its Cholesky factor (undefined if not PD). */
function invertSpd(A: Float64Array, n: number): Float64Array | undefined {
  const L = Float64Array.from(A);
  if (cholesky(L, n, n) !== -1) return undefined;
  // inv = L⁻ᵀ L⁻¹: solve L Y = I column by column, then inv = Y'Y
  const Y = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    Y[c + c * n] = 1;
    for (let i = c; i < n; i++) {
      let s = Y[i + c * n];
      for (let k = c; k < i; k++) s -= L[i + k * n] * Y[k + c * n];
      Y[i + c * n] = s / L[i + i * n];
    }
  }
  const inv = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let i = b; i < n; i++) s += Y[i + a * n] * Y[i + b * n];
      inv[a + b * n] = s;
      inv[b + a * n] = s;
    }
  }
  return inv;
}
