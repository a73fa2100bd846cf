/**
 * The asymptotic covariance of all covariance parameters of a fit with residual structures, σ
 * not profiled out: with ψ = (x, log σ²), x the optimizer's parameters (θ, then the structures'
 * unconstrained ϱ) and σ² on the optimizer's scale,
 *
 *     D(ψ) = D_prof(x) − ν (1 + log(r²(x)/ν)) + ν log σ² + r²(x)/σ²   (ν = n − p REML, n ML)
 *
 * is −2ℓ (restricted or not), equal to the profiled criterion D_prof at σ² = r²/ν, and
 * Cov(ψ̂) = (½ ∂²D/∂ψ∂ψ')⁻¹ = 2 H⁻¹, nlme's apVar up to the parametrization (Pinheiro and Bates
 * 2000, section 2.4.3). Used by the Satterthwaite df and by the interval of σ.
 */
import { MlmError } from "../errors.js";
import { hessian } from "../numerics/derivatives.js";
import { invertSymmetric } from "../linalg/dense.js";
import type { ResidualModel } from "../residual/residual-model.js";

/** ψ̂ and its asymptotic covariance. */
export interface ResidualInformation {
  /** (x̂, log σ̂²), σ² on the optimizer's scale. */
  readonly psi: Float64Array;
  /** Cov(ψ̂) = 2 H⁻¹, (k + 1) × (k + 1) column-major. */
  readonly cov: Float64Array;
}

/**
 * The non-profiled criterion D(ψ) of a fit.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @returns D as a function of ψ = (x, log σ²), NaN where the structure is not valid.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * const D = fullCriterion(m);
 * const r2 = m.covarianceAt(m.optimum)?.r2 ?? NaN;
 * D(Float64Array.of(...m.optimum, Math.log(r2 / 178))) - m.optimizer.criterion; // 0
 * ```
 */
export function fullCriterion(m: ResidualModel): (psi: Float64Array) => number {
  const n = m.nobs;
  const nu = m.method === "REML" ? n - m.fixefNames.length : n;
  const k = m.optimum.length;
  return (v) => {
    const x = v.subarray(0, k);
    const prof = m.criterionAt(x);
    const c = m.covarianceAt(x);
    if (!Number.isFinite(prof) || !c) return NaN;
    return prof - nu * (1 + Math.log(c.r2 / nu)) + nu * v[k] + c.r2 / Math.exp(v[k]);
  };
}

/**
 * ψ̂ = (x̂, log σ̂²) and Cov(ψ̂) from the Hessian of the non-profiled criterion.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @returns ψ̂ and its covariance.
 * @throws MlmError when the criterion cannot be evaluated around the optimum or its Hessian is singular.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * const { cov } = residualInformation(m);
 * Math.sqrt(cov[3]) / 2; // 0.1013 (se of log σ̂, as nlme's apVar)
 * ```
 */
export function residualInformation(m: ResidualModel): ResidualInformation {
  const n = m.nobs;
  const nu = m.method === "REML" ? n - m.fixefNames.length : n;
  const k = m.optimum.length;
  const at0 = m.covarianceAt(m.optimum);
  if (!at0) throw new MlmError("The model's covariance could not be evaluated at its optimum; refit it or simplify the residual structure.");
  const psi = new Float64Array(k + 1);
  psi.set(m.optimum);
  psi[k] = Math.log(at0.r2 / nu);
  const H = hessian(fullCriterion(m), psi);
  if (H.some((h) => !Number.isFinite(h))) throw new MlmError("The criterion could not be evaluated around the optimum (a parameter is at a bound), so no standard errors of the covariance parameters can be formed.");
  const Hinv = invertSymmetric(H, k + 1);
  if (!Hinv) throw new MlmError("The information matrix of the covariance parameters is singular; the model may be over-parametrized.");
  return { psi, cov: Hinv.map((v) => 2 * v) };
}
