/**
 * Wald intervals for the parameters of residual structures, as nlme's `intervals(fit, which =
 * "var-cov")`: on the optimizer's unconstrained scale u (nlme's), û ± z_{(1+level)/2} se(û) with
 * se from the inverse of the observed information, ½ ∂²crit/∂x∂x' over all covariance parameters
 * x = (θ, u), then mapped to nlme's constrained scale (the whole vector of lower and of upper
 * bounds, as nlme maps them). corSymm's spherical coordinates are not nlme's, so its intervals
 * differ from nlme's beyond the first row of correlations. The u-block of the inverse information does not depend on how θ
 * or σ are parametrized, nor on whether σ is profiled out, so it is nlme's apVar block.
 */
import { MlmError } from "../errors.js";
import { hessian } from "../numerics/derivatives.js";
import { invertSymmetric } from "../linalg/dense.js";
import { checkLevel, qnorm } from "./profile.js";
import type { ResidualModel } from "../residual/residual-model.js";

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
