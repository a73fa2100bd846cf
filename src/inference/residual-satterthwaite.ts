/**
 * Satterthwaite degrees of freedom for the fixed effects of fits with residual structures (gls,
 * and lme with correlated or heteroscedastic residuals), over ALL covariance parameters: the
 * random-effect θ, the structure's parameters ϱ and σ. This is lmerTest's definition
 * (Kuznetsova et al. 2017, JSS 82(13)) with ψ = (θ, ϱ, log σ²) in place of (θ, σ):
 *
 *     A     = Cov(ψ̂) = 2 H⁻¹, H the Hessian of −2ℓ(ψ), σ² not profiled (residual-information.ts)
 *     v(ψ)  = l' σ² (X'V(θ, ϱ)⁻¹X)⁻¹ l,  g = ∂v/∂ψ  (the other parameters held fixed)
 *     df    = 2 v² / (g' A g).
 *
 * df does not depend on how ψ is parametrized (at a stationary point H and g transform by the
 * same Jacobian), so the optimizer's scale is used. emmeans's mode = "satterthwaite" for gls
 * computes the same quantity from nlme's apVar; see test/fixtures/generate/nlme-satterthwaite.R
 * for where emmeans differs (data not sorted by the correlation groups; lme's random
 * "appx-satterthwaite"; its ML adjustment of vcov but not of the gradient).
 */
import { MlmError } from "../errors.js";
import { jacobian } from "../numerics/derivatives.js";
import { residualInformation } from "./residual-information.js";
import type { ResidualModel } from "../residual/residual-model.js";
import { tPValue, type DdfResult } from "./satterthwaite.js";

/** The pieces shared by every contrast: ψ̂, A and the covariance of β̂ as a function of ψ. */
interface SatterthwaitePieces {
  readonly psi: Float64Array;
  readonly A: Float64Array;
  readonly vcovAt: (psi: Float64Array) => Float64Array;
}

function pieces(m: ResidualModel): SatterthwaitePieces {
  const p = m.fixefNames.length;
  const { psi, cov: A } = residualInformation(m);
  const k = psi.length - 1;
  const vcovAt = (v: Float64Array): Float64Array => {
    const c = m.covarianceAt(v.subarray(0, k));
    const s2 = Math.exp(v[k]);
    return c ? c.unscaledVcov.map((u) => u * s2) : new Float64Array(p * p).fill(NaN);
  };
  return { psi, A, vcovAt };
}

function contrastDf(pc: SatterthwaitePieces, L: readonly ArrayLike<number>[], p: number): number[] {
  const quad = (V: Float64Array, l: ArrayLike<number>): number => {
    let s = 0;
    for (let a = 0; a < p; a++) {
      if (l[a] === 0) continue;
      for (let b = 0; b < p; b++) s += l[a] * V[a + b * p] * l[b];
    }
    return s;
  };
  const V0 = pc.vcovAt(pc.psi);
  const grads = jacobian((v) => Float64Array.from(L, (l) => quad(pc.vcovAt(v), l)), pc.psi);
  const k = pc.psi.length;
  return L.map((l, c) => {
    const v = quad(V0, l);
    let s = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += grads[i][c] * pc.A[i + j * k] * grads[j][c];
    return (2 * v * v) / s;
  });
}

/**
 * Satterthwaite df and p-values of every fixed effect of a gls or lme fit with residual
 * structures.
 *
 * @param m - a fit of fitGls or fitLmmResidual (with or without structures).
 * @returns df and two-sided t p-values, one per coefficient.
 * @throws MlmError when the information matrix is singular or the criterion cannot be evaluated near the optimum.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * satterthwaiteResidual(m).df.map((d) => +d.toFixed(1)); // [37.6, 90.2]
 * ```
 */
export function satterthwaiteResidual(m: ResidualModel): DdfResult {
  const p = m.fixefNames.length;
  const L = m.fixefNames.map((_, j) => Float64Array.from({ length: p }, (_, a) => (a === j ? 1 : 0)));
  const df = contrastDf(pieces(m), L, p);
  return { df, p: m.fixef.map((f, j) => tPValue(f.statistic, df[j])) };
}

/**
 * Satterthwaite df of contrasts l'β of a fit with residual structures.
 *
 * @param m - a fit of fitGls or fitLmmResidual.
 * @param L - contrast vectors, each of length p.
 * @returns one df per contrast.
 * @throws MlmError for a contrast of the wrong length, or as {@link satterthwaiteResidual}.
 * @example
 * ```ts
 * const m = fitGls("Reaction ~ Days", sleepstudy, { correlation: "corAR1(form = ~ Days | Subject)" });
 * satterthwaiteResidualContrasts(m, [[1, 5]]).map((d) => +d.toFixed(1)); // [21.1]
 * ```
 */
export function satterthwaiteResidualContrasts(m: ResidualModel, L: readonly ArrayLike<number>[]): number[] {
  const p = m.fixefNames.length;
  for (const l of L) if (l.length !== p) throw new MlmError(`A contrast has ${l.length} coefficients but the model has ${p} fixed effects; give one weight per fixed effect.`);
  return contrastDf(pieces(m), L, p);
}
