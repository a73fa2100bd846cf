/**
 * Wald intervals for the parameters of residual structures, as nlme's `intervals(fit, which =
 * "var-cov")`: on the optimizer's unconstrained scale u (nlme's), û ± z_{(1+level)/2} se(û) with
 * se from the inverse of the observed information, ½ ∂²crit/∂x∂x' over all covariance parameters
 * x = (θ, u), then mapped to nlme's constrained scale (the whole vector of lower and of upper
 * bounds, as nlme maps them). corSymm is the exception, as in nlme: its approximate covariance
 * (nlme's apVar, glsControl(natural = TRUE)) is taken in corNatural's parametrization, one
 * ψ_ij = log((1 + ρ_ij)/(1 − ρ_ij)) per correlation, so each correlation's interval is
 * tanh((ψ̂ ± z se(ψ̂))/2); se(ψ̂) comes from the optimizer's spherical coordinates by the delta
 * method (exact at the optimum, where the inverse Hessian transforms by the Jacobian). The
 * u-block of the inverse information does not depend on how θ or σ are parametrized, nor on
 * whether σ is profiled out, so it is nlme's apVar block.
 */
import { MlmError } from "../errors.js";
import { hessian, jacobian } from "../numerics/derivatives.js";
import { invertSymmetric } from "../linalg/dense.js";
import { checkLevel, qnorm } from "./profile.js";
import { residualInformation, type ResidualInformation } from "./residual-information.js";
import { coefTable } from "./coef-table.js";
import { nlmeDf } from "./nlme-df.js";
import type { ResidualModel } from "../residual/residual-model.js";
import type { VarCorrRow } from "../terms/varcorr.js";

/** One structure parameter's interval. */
export interface StructureInterval {
  /** `correlation` or `variance`. */
  readonly part: "correlation" | "variance";
  /** nlme's name. */
  readonly name: string;
  readonly lower: number;
  readonly estimate: number;
  readonly upper: number;
}

/**
 * Wald intervals of the correlation and variance parameters.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param level - confidence level (default 0.95).
 * @param natural - the structures' maps from unconstrained to constrained values.
 * @returns one row per parameter.
 * @throws MlmError when the information matrix is singular.
 */
function waldStructure(m: ResidualModel, level: number, natural: (u: Float64Array) => { correlation: number[]; variance: number[] }): StructureInterval[] {
  const x = m.optimum;
  const k = x.length;
  // relative step 1e-3 (Richardson-refined): the criterion carries round-off of about 1e-10, which
  // at 1e-4 moved se(power) of varPower on Loblolly by 1.4% (test/fixtures/unseen-findings.md)
  const H = hessian((v) => m.criterionAt(v), x, 1e-3);
  const info = H.map((v) => v / 2);
  const cov = invertSymmetric(info, k);
  if (!cov) throw new MlmError("The information matrix of the covariance parameters is singular, so no Wald intervals can be formed; the model may be over-parametrized.");
  const nt = m.nthetaOptimum;
  const u = x.slice(nt);
  const z = qnorm((1 + checkLevel(level)) / 2);
  const lo = Float64Array.from(u, (v, i) => v - z * Math.sqrt(cov[nt + i + (nt + i) * k]));
  const hi = Float64Array.from(u, (v, i) => v + z * Math.sqrt(cov[nt + i + (nt + i) * k]));
  const est = natural(u);
  const l = natural(lo);
  const h = natural(hi);
  const rows: StructureInterval[] = [];
  const names = (part: "correlation" | "variance"): string[] => Object.keys((part === "correlation" ? m.correlation?.parameters : m.variance?.parameters) ?? {});
  if (m.correlation?.structure === "corSymm") {
    // corNatural: ψ = log((1 + ρ)/(1 − ρ)) per correlation, Cov(ψ̂) = J Cov(û) J'
    const nu = u.length;
    const psiOf = (v: Float64Array): Float64Array => Float64Array.from(natural(v).correlation, (r) => Math.log((1 + r) / (1 - r)));
    const J = jacobian(psiOf, u);
    const psi = psiOf(u);
    names("correlation").forEach((name, a) => {
      let v = 0;
      for (let i = 0; i < nu; i++) for (let j = 0; j < nu; j++) v += J[i][a] * cov[nt + i + (nt + j) * k] * J[j][a];
      const half = z * Math.sqrt(v);
      rows.push({ part: "correlation", name, lower: Math.tanh((psi[a] - half) / 2), estimate: Math.tanh(psi[a] / 2), upper: Math.tanh((psi[a] + half) / 2) });
    });
    names("variance").forEach((name, i) => rows.push({ part: "variance", name, lower: l.variance[i], estimate: est.variance[i], upper: h.variance[i] }));
    return rows;
  }
  for (const part of ["correlation", "variance"] as const) {
    names(part).forEach((name, i) => {
      // as nlme: the bounds are the images of û ∓ z se(û), which for corARMA's coefficients
      // (not monotone in each u) may come out in either order
      rows.push({ part, name, lower: l[part][i], estimate: est[part][i], upper: h[part][i] });
    });
  }
  return rows;
}

/**
 * Wald intervals of a fit's structure parameters on nlme's scale, as `intervals()`.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param level - confidence level (default 0.95).
 * @returns one row per correlation and variance parameter.
 * @throws MlmError when the fit has no residual structure or its information is singular.
 * @example
 * ```ts
 * intervalsOf(fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }));
 * // [{ part: "correlation", name: "Phi", lower: 0.70, estimate: 0.80, upper: 0.87 }]
 * ```
 */
export function intervalsOf(m: ResidualModel, level = 0.95): StructureInterval[] {
  if (!m.correlation && !m.variance) throw new MlmError("The model has no residual structure to give intervals for.");
  return waldStructure(m, level, (u) => m.natural(u));
}

/**
 * Wald interval of the residual standard deviation σ as nlme's `intervals()$sigma`: on log σ,
 * log σ̂ ± z se, se from the covariance of all covariance parameters with σ not profiled
 * (residual-information.ts) by the delta method: log σ = ½ log σ²_opt − log g(ϱ), g the scale
 * the optimizer divides the variance multipliers by.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param level - confidence level (default 0.95).
 * @param info - the covariance of all covariance parameters, when already computed (residualInformation).
 * @returns lower, estimate, upper.
 * @throws MlmError when the information matrix is singular.
 * @example
 * ```ts
 * sigmaInterval(fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }));
 * // { lower: 40.60, estimate: 49.51, upper: 60.39 }   (nlme: 40.597, 49.515, 60.392)
 * ```
 */
export function sigmaInterval(m: ResidualModel, level = 0.95, info: ResidualInformation = residualInformation(m)): { lower: number; estimate: number; upper: number } {
  const { cov, psi } = info;
  const k = psi.length - 1;
  const logSigma = (v: Float64Array): Float64Array => Float64Array.of(v[k] / 2 - Math.log(m.covarianceAt(v.subarray(0, k))?.scale ?? NaN));
  const grad = jacobian(logSigma, psi).map((g) => g[0]);
  let v = 0;
  for (let i = 0; i <= k; i++) for (let j = 0; j <= k; j++) v += grad[i] * cov[i + j * (k + 1)] * grad[j];
  const half = qnorm((1 + checkLevel(level)) / 2) * Math.sqrt(v);
  return { lower: m.sigma * Math.exp(-half), estimate: m.sigma, upper: m.sigma * Math.exp(half) };
}

/** One random-effect parameter's interval: a standard deviation or a correlation. */
export interface RanefInterval {
  /** Grouping factor, as in VarCorr. */
  readonly group: string;
  /** nlme's name: `sd((Intercept))`, `cor((Intercept),Days)`. */
  readonly name: string;
  readonly lower: number;
  readonly estimate: number;
  readonly upper: number;
}

/**
 * Wald intervals of the random effects' standard deviations and correlations of an lme fit, as
 * nlme's `intervals(fit)$reStruct`: on nlme's natural scale (log sd, and
 * ψ = log((1 + ρ)/(1 − ρ)) per correlation), estimate ± z se back-transformed, so
 * sd: exp(log sd ± z se) and ρ: tanh((ψ ± z se)/2). se comes from the covariance of all
 * covariance parameters with σ not profiled (residual-information.ts) by the delta method, the
 * sds being σ √diag(ΛΛ') on the optimizer's scale.
 *
 * @param m - a fit of fitLmmResidual (a gls fit gives no rows).
 * @param level - confidence level (default 0.95).
 * @param info - the covariance of all covariance parameters, when already computed (residualInformation).
 * @returns one row per sd and correlation, in VarCorr's order; NaN bounds for an sd at zero.
 * @throws MlmError when the information matrix is singular.
 * @example
 * ```ts
 * const m = fitLmmResidual("Reaction ~ Days + (1 | Subject)", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * ranefIntervals(m); // [{ group: "Subject", name: "sd((Intercept))", lower: 18.49, estimate: 31.71, upper: 54.38 }]
 * ```
 */
export function ranefIntervals(m: ResidualModel, level = 0.95, info?: ResidualInformation): RanefInterval[] {
  if (m.kind === "gls") return [];
  const { cov, psi } = info ?? residualInformation(m);
  const k = psi.length - 1;
  const rowsAt = (v: Float64Array): readonly VarCorrRow[] => m.varcorrAt(v.subarray(0, k), Math.exp(v[k] / 2));
  const natural = (v: Float64Array): Float64Array => Float64Array.from(rowsAt(v), (r) => (r.var2 === null ? Math.log(r.sdcor) : Math.log((1 + r.sdcor) / (1 - r.sdcor))));
  const J = jacobian(natural, psi);
  const est = natural(psi);
  const z = qnorm((1 + checkLevel(level)) / 2);
  return rowsAt(psi).map((r, a) => {
    let v = 0;
    for (let i = 0; i <= k; i++) for (let j = 0; j <= k; j++) v += J[i][a] * cov[i + j * (k + 1)] * J[j][a];
    const half = z * Math.sqrt(v);
    const sd = r.var2 === null;
    const back = (x: number): number => (sd ? Math.exp(x) : Math.tanh(x / 2));
    const name = sd ? `sd(${r.var1})` : `cor(${r.var1},${r.var2})`;
    // a correlation of exactly ±1 (θ on its bound) is infinite on the ψ scale: the interval is all of [−1, 1], as nlme's near it
    if (!sd && !Number.isFinite(est[a])) return { group: r.group, name, lower: -1, estimate: r.sdcor, upper: 1 };
    return { group: r.group, name, lower: back(est[a] - half), estimate: r.sdcor, upper: back(est[a] + half) };
  });
}

/** All of nlme's `intervals(fit)` for a fit with residual structures. */
export interface ResidualIntervals {
  readonly level: number;
  /** Fixed effects: β̂ ± t se, t on nlme's df (Satterthwaite's where nlme gives none). */
  readonly fixed: readonly { readonly name: string; readonly lower: number; readonly estimate: number; readonly upper: number }[];
  /** Standard deviations and correlations of the random effects (empty for gls). */
  readonly random: readonly RanefInterval[];
  /** Correlation and variance parameters on nlme's scale. */
  readonly structure: readonly StructureInterval[];
  readonly sigma: { readonly lower: number; readonly estimate: number; readonly upper: number };
}

/**
 * nlme's `intervals(fit)`: the fixed effects, the random effects' sds and correlations, the
 * structures' parameters and σ.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param level - confidence level (default 0.95).
 * @returns the intervals by part.
 * @throws MlmError for a bad level or a singular information matrix.
 * @example
 * ```ts
 * const iv = residualIntervals(fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" }));
 * iv.fixed[1]; // { name: "Days", lower: 7.113, estimate: 10.467, upper: 13.820 }
 * iv.structure.map((r) => r.name); // ["Phi"]
 * ```
 */
export function residualIntervals(m: ResidualModel, level = 0.95): ResidualIntervals {
  checkLevel(level);
  const ddf = nlmeDf(m) ? "nlme" : "satterthwaite";
  const fixed = coefTable(m, { ddf, level }).rows.map((r) => ({ name: r.term, lower: r.lower, estimate: r.estimate, upper: r.upper }));
  const structure = m.correlation || m.variance ? intervalsOf(m, level) : [];
  // one Hessian of the full criterion for the random effects' and σ's intervals
  const info = residualInformation(m);
  return { level, fixed, random: ranefIntervals(m, level, info), structure, sigma: sigmaInterval(m, level, info) };
}
