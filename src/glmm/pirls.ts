/**
 * Penalized iteratively reweighted least squares (PIRLS) and the Laplace and adaptive
 * Gauss–Hermite approximations to the deviance of a GLMM (Bates et al., lme4's "Computational
 * methods" vignette; Pinheiro and Chao 2006 for AGQ).
 *
 * For fixed θ (and β), PIRLS finds the conditional mode û of the spherical random effects by
 * minimising the penalized deviance Σᵢ d(yᵢ, μᵢ) + ‖u‖², d the deviance residuals (R's
 * `dev.resids`), with η = offset + Xβ + ZΛu and μ = g⁻¹(η). Each step solves the weighted
 * penalized least-squares problem
 *
 *     (Λ'Z'WZΛ + I) u = Λ'Z'W z,   W = diag(wᵢ (dμ/dη)² / V(μ)),  z = ZΛu + (y − μ) / (dμ/dη),
 *
 * with the LMM workspace (the same blocked Cholesky factor L), halving the step while the
 * penalized deviance increases. The Laplace approximation to −2 log L(θ, β) is then
 *
 *     Σᵢ −2 log p(yᵢ | μ̂ᵢ) + ‖û‖² + log|L|².
 *
 * For whole counts d(y, μ) and −2 log p(y | μ) differ by a constant of the data, so the two
 * criteria have the same minimiser. A binomial proportion without weights (successes y·w not
 * whole) is fitted as lme4 fits it: PIRLS on the deviance residuals of the proportions, and
 * −2 log p(y | μ) of the binomial density at round(y·w) successes of round(w) trials (R's
 * `binomial()$aic`) in the Laplace criterion.
 *
 * For a single scalar random-effects term, nAGQ > 1 integrates each group's contribution with
 * an nAGQ-point Gauss–Hermite rule centred at ûⱼ and scaled by 1 / Lⱼⱼ.
 */
import { MlmError } from "../errors.js";
import type { ModelFrame } from "../model-frame/types.js";
import { CrossProducts } from "../lmm/cross-products.js";
import { LmmWorkspace } from "../lmm/workspace.js";
import type { RandomEffects } from "../terms/random-effects.js";
import type { Family } from "../family/index.js";
import { gaussHermite, type GaussHermiteRule } from "./gauss-hermite.js";
import { addXbeta } from "../linalg/dense.js";

const MAX_ITER = 100;
const MAX_HALVINGS = 10;
/** lme4's `tolPwrss`: relative change of the penalized deviance at which PIRLS stops. */
const TOL_PWRSS = 1e-7;
/** The number of random effects from which PIRLS refreshes an unsettled factor at convergence (see pirls). */
const REFRESH_Q = 10_000;
/** The change of log|L|² in PIRLS's last step below which its factor counts as settled. */
const LOGDET_TOL = 1e-3;
const SINGULAR = "PIRLS failed: the weighted fixed-effects matrix became singular; check for complete separation or collinear predictors.";

/** The PIRLS state of one GLMM; internal to the fitting code. */
export class PirlsWorkspace {
  readonly n: number;
  readonly p: number;
  readonly q: number;
  /** Prior weights (binomial trials or user weights). */
  readonly pw: Float64Array;
  readonly offset: Float64Array;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  /** dμ/dη at η. */
  private readonly dmu: Float64Array;
  /** offset + Xβ at the β of the u-only PIRLS (stage 2), where it does not change. */
  private readonly xb: Float64Array;
  /** Current spherical random effects. */
  readonly u: Float64Array;
  /** Current fixed effects (updated by the joint PIRLS of the first stage). */
  readonly beta: Float64Array;
  /** Workspace for u alone (β held fixed): its p is 0. */
  readonly wsU: LmmWorkspace;
  /** Workspace for β and u together (first stage). */
  readonly wsB: LmmWorkspace;
  private readonly sqrtw: Float64Array;
  private readonly work: Float64Array;
  private readonly uOld: Float64Array;
  private readonly betaOld: Float64Array;
  private readonly b: Float64Array;
  private readonly noX = new Float64Array(0);
  private rule: GaussHermiteRule | undefined;
  private lp0: Float64Array | undefined;
  /**
   * Whether PIRLS refreshes an unsettled factor at convergence (`REFRESH_Q` random effects or
   * more; see pirls), so that the Laplace deviance is smooth enough for finite differences.
   */
  get smooth(): boolean {
    return this.q >= REFRESH_Q;
  }
  /** Σᵢ of the μ-free part of −2 log p(yᵢ | μᵢ). */
  private readonly constant: number;
  /** Σᵢ −2 log p(yᵢ | μ = yᵢ), the saturated model's (the AGQ deviance is relative to it). */
  private readonly saturated: number;
  /** Whether every row's −2 log p − d is free of μ (Family.devianceIsLogLik): Σ −2 log p is then the saturated value plus Σ d. */
  private readonly whole: boolean;

  /**
   * @param frame - the model frame.
   * @param re - the random-effects layer.
   * @param family - the response family and link.
   * @param pw - prior weights per row.
   * @example
   * ```ts
   * const family = makeFamily("binomial");
   * const w = new Float64Array(cbppFit.frame.n).fill(1);
   * family.prepareResponse(cbppFit.frame.response, w, cbppFit.frame.rows); // [] (w now holds the trials)
   * const ws = new PirlsWorkspace(cbppFit.frame, cbppFit.randomEffects, family, w);
   * ws.laplace(cbppFit.theta, Float64Array.from(cbppFit.beta)); // 184.053
   * ```
   */
  constructor(readonly frame: ModelFrame, readonly re: RandomEffects, readonly family: Family, pw: Float64Array) {
    const terms = re.terms;
    const n = frame.n;
    this.n = n;
    this.p = frame.fixefNames.length;
    this.pw = pw;
    this.offset = frame.offset ?? new Float64Array(n);
    this.q = terms.reduce((s, t) => s + t.q, 0);
    this.eta = new Float64Array(n);
    this.mu = new Float64Array(n);
    this.dmu = new Float64Array(n);
    this.xb = new Float64Array(n);
    this.u = new Float64Array(this.q);
    this.uOld = new Float64Array(this.q);
    this.b = new Float64Array(this.q);
    this.beta = new Float64Array(this.p);
    this.betaOld = new Float64Array(this.p);
    this.sqrtw = new Float64Array(n);
    this.work = new Float64Array(n);
    this.wsU = new LmmWorkspace(new CrossProducts(terms, n, 0));
    this.wsB = new LmmWorkspace(new CrossProducts(terms, n, this.p));
    const y = frame.response.y;
    let c = 0;
    let whole = family.devianceIsLogLik !== undefined;
    for (let i = 0; i < n; i++) {
      c += family.minus2LogLikConstant(y[i], pw[i]);
      whole &&= family.devianceIsLogLik!(y[i], pw[i]);
    }
    this.constant = c;
    for (let i = 0; i < n; i++) c += family.minus2LogLik(y[i], y[i], pw[i]);
    this.saturated = c;
    this.whole = whole;
    this.reset();
  }

  /** Start again from μ = family start values, u = 0, β = 0. */
  reset(): void {
    const { family, frame, pw } = this;
    const y = frame.response.y;
    this.u.fill(0);
    this.beta.fill(0);
    for (let i = 0; i < this.n; i++) {
      this.mu[i] = family.muStart(y[i], pw[i]);
      this.eta[i] = family.link.linkfun(this.mu[i]);
      this.dmu[i] = family.link.muEta(this.eta[i]);
    }
  }

  /**
   * η and μ from the current β and u under θ (Λ must be current in `ws`); `joint`: β changes
   * with u, otherwise offset + Xβ is the one {@link pirls} stored in `xb`.
   */
  private updateEta(ws: LmmWorkspace, beta: Float64Array, joint: boolean): void {
    const { n, p, frame, re, eta, mu, u, b } = this;
    re.sphericalToB(ws.lambda, u, b);
    if (joint) {
      eta.set(this.offset);
      addXbeta(frame.X, n, p, beta, eta);
    } else eta.set(this.xb);
    re.addZb(b, eta);
    this.family.link.evaluate(eta, mu, this.dmu);
  }

  /** Σᵢ −2 log p(yᵢ | μᵢ), right after {@link devResid}. */
  private minus2LogLik(): number {
    if (this.whole) return this.saturated + this.devResidSum;
    const y = this.frame.response.y;
    let s = this.constant;
    for (let i = 0; i < this.n; i++) s += this.family.minus2LogLik(y[i], this.mu[i], this.pw[i]);
    return s;
  }

  /** The last value of {@link devResid}. */
  private devResidSum = 0;

  /** Σᵢ d(yᵢ, μᵢ), the deviance residuals PIRLS minimises (lme4's `resDev`). */
  private devResid(): number {
    const y = this.frame.response.y;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.family.devResid(y[i], this.mu[i], this.pw[i]);
    this.devResidSum = s;
    return s;
  }

  private sumSqU(): number {
    let s = 0;
    for (let j = 0; j < this.q; j++) s += this.u[j] * this.u[j];
    return s;
  }

  /**
   * Fill the workspace with the IRLS weights and working response at the current μ.
   * `withX`: the working response keeps Xβ (joint stage); otherwise it is the random part only
   * (η less the `xb` of {@link pirls}).
   */
  private fillWorking(ws: LmmWorkspace, withX: boolean): void {
    const { n, frame, eta, mu, dmu, sqrtw, work, pw } = this;
    const y = frame.response.y;
    const variance = this.family.variance;
    const origin = withX ? this.offset : this.xb;
    for (let i = 0; i < n; i++) {
      const d = dmu[i];
      const m = mu[i];
      sqrtw[i] = Math.sqrt((pw[i] * d * d) / variance(m));
      work[i] = eta[i] - origin[i] + (y[i] - m) / d;
    }
    ws.A.fill(withX ? frame.X : this.noX, work, sqrtw, false);
  }

  /**
   * Run PIRLS at θ, updating u only (β fixed, stage 2) or β and u together (stage 1), as lme4
   * runs it: start from the first stage's linear predictor (stage 2) or the current state
   * (stage 1), stop when the penalized deviance changes by less than `TOL_PWRSS` relative, and
   * keep the factor L of the last iteration (at the weights of the μ before its step). Keeping
   * these details makes the deviance, and lme4's finite-difference standard errors, agree.
   *
   * That factor makes the Laplace deviance jump with the number of iterations PIRLS takes, by
   * an amount that grows with the number of random effects. With `REFRESH_Q` random effects or
   * more, where L has not settled (log|L|² moved by more than `LOGDET_TOL` in the last step) it
   * is formed once more at the converged μ: on 200,000 groups, stopping one iteration earlier
   * left log|L|² at the first step's weights, 11 units off, and the optimizer stopped at such a
   * jump 2.2 deviance units above lme4's optimum (lme4 itself warned that it had not converged).
   *
   * @returns the penalized deviance Σ −2 log p(yᵢ | μᵢ) + ‖u‖² at convergence.
   */
  private pirls(theta: ArrayLike<number>, beta: Float64Array, joint: boolean): number {
    const ws = joint ? this.wsB : this.wsU;
    const { u, uOld, betaOld, eta, mu } = this;
    if (!joint) {
      this.xb.set(this.offset);
      addXbeta(this.frame.X, this.n, this.p, beta, this.xb);
    }
    if (!joint && this.lp0) {
      eta.set(this.lp0);
      this.family.link.evaluate(eta, mu, this.dmu);
    }
    let pdev = Infinity;
    let logdetBefore = NaN;
    for (let iter = 0; iter < MAX_ITER; iter++) {
      this.fillWorking(ws, joint);
      if (!ws.updateL(theta)) throw new MlmError(SINGULAR);
      const logdet = this.smooth ? ws.logdetL() : NaN;
      uOld.set(u);
      betaOld.set(beta);
      if (joint) beta.set(ws.beta());
      u.set(ws.u(joint ? beta : this.noX));
      this.updateEta(ws, beta, joint);
      let newDev = this.devResid() + this.sumSqU();
      if (Math.abs((pdev - newDev) / newDev) < TOL_PWRSS) {
        const value = this.minus2LogLik() + (newDev - this.devResidSum);
        if (this.smooth && !(Math.abs(logdet - logdetBefore) <= LOGDET_TOL)) {
          this.fillWorking(ws, joint);
          if (!ws.updateL(theta)) throw new MlmError(SINGULAR);
        }
        return value;
      }
      logdetBefore = logdet;
      for (let k = 0; k < MAX_HALVINGS && !(newDev <= pdev); k++) {
        for (let j = 0; j < this.q; j++) u[j] = (uOld[j] + u[j]) / 2;
        if (joint) for (let j = 0; j < this.p; j++) beta[j] = (betaOld[j] + beta[j]) / 2;
        this.updateEta(ws, beta, joint);
        newDev = this.devResid() + this.sumSqU();
      }
      if (!(newDev <= pdev) && Number.isFinite(pdev)) throw new MlmError("PIRLS could not reduce the penalized deviance by step-halving; the model may be too complex for the data (try fewer random effects) or the data completely separated.");
      pdev = newDev;
    }
    throw new MlmError(`PIRLS did not converge in ${MAX_ITER} iterations; the model may be too complex for the data or a predictor separates the outcomes completely.`);
  }

  /**
   * Remember the current linear predictor (less the offset) as the start of every second-stage
   * PIRLS run, as lme4 does after its first stage.
   */
  saveLp0(): void {
    this.lp0 = Float64Array.from(this.eta);
  }

  /**
   * Laplace approximation to −2 log L at θ with β fixed (stage 2).
   *
   * @param theta - covariance parameters.
   * @param beta - fixed effects.
   * @returns the deviance, or +∞ when PIRLS fails.
   * @example
   * ```ts
   * const ws = new PirlsWorkspace(cbppFit.frame, cbppFit.randomEffects, makeFamily("binomial"), Float64Array.from(cbppFit.frame.response.trials));
   * ws.laplace(cbppFit.theta, Float64Array.from(cbppFit.beta)); // 184.053 (lme4: deviance(gm1) at its optimum)
   * ```
   */
  laplace(theta: ArrayLike<number>, beta: Float64Array): number {
    const pdev = this.pirls(theta, beta, false);
    return pdev + this.wsU.logdetL();
  }

  /**
   * Laplace deviance at θ with β profiled by the joint PIRLS (stage 1, lme4's nAGQ = 0).
   *
   * @param theta - covariance parameters.
   * @returns the deviance; `this.beta` holds β̂(θ) afterwards.
   * @example
   * ```ts
   * const ws = new PirlsWorkspace(cbppFit.frame, cbppFit.randomEffects, makeFamily("binomial"), Float64Array.from(cbppFit.frame.response.trials));
   * ws.laplaceJoint(cbppFit.theta); // 184.109
   * ```
   */
  laplaceJoint(theta: ArrayLike<number>): number {
    const pdev = this.pirls(theta, this.beta, true);
    return pdev + this.wsB.logdetL();
  }

  /**
   * Adaptive Gauss–Hermite deviance for a model with one scalar random-effects term, in full
   * (with the constants of −2 log p(y | μ)), so that it is comparable with the Laplace deviance.
   * lme4 1.1 reports it relative to the saturated model instead (Σᵢ −2 log p(yᵢ | μᵢ = yᵢ)
   * subtracted, lme4 issue #161): on cbpp with nAGQ = 25 its logLik is −50.005 where the full
   * log-likelihood is −91.98.
   *
   * −2 log L ≈ Σᵢ −2 log p(yᵢ | μ = yᵢ)
   *            + Σⱼ [2 log Lⱼⱼ + gⱼ(ûⱼ) − 2 log Σ_k w_k exp(−(gⱼ(ûⱼ + z_k/Lⱼⱼ) − gⱼ(ûⱼ))/2 + z_k²/2)]
   * with gⱼ(u) = Σ_{i∈j} d(yᵢ, μᵢ(u)) + u², d the deviance residuals (lme4's integrand; for whole
   * counts d(y, μ) = −2 log p(y | μ) + 2 log p(y | μ = y)).
   *
   * @param theta - covariance parameters (one element).
   * @param beta - fixed effects.
   * @param nAGQ - number of quadrature points.
   * @returns the deviance.
   * @example
   * ```ts
   * const ws = new PirlsWorkspace(cbppFit.frame, cbppFit.randomEffects, makeFamily("binomial"), Float64Array.from(cbppFit.frame.response.trials));
   * ws.agq(cbppFit.theta, Float64Array.from(cbppFit.beta), 25); // 183.968
   * ```
   */
  agq(theta: ArrayLike<number>, beta: Float64Array, nAGQ: number): number {
    this.laplace(theta, beta);
    if (!this.rule || this.rule.z.length !== nAGQ) this.rule = gaussHermite(nAGQ);
    const { z: nodes, w: weights } = this.rule;
    const K = nodes.length;
    const term = this.re.terms[0];
    const nlev = term.nlev;
    const refs = term.frame.group.refs;
    const zc = term.frame.z;
    const lam = this.wsU.lambda[0][0];
    const L = this.wsU.L11;
    const y = this.frame.response.y;
    const link = this.family.link;
    const dev = new Float64Array(nlev * K);
    const dev0 = new Float64Array(nlev);
    for (let i = 0; i < this.n; i++) {
      const g = refs[i];
      dev0[g] += this.family.devResid(y[i], this.mu[i], this.pw[i]);
      const zl = zc[i] * lam;
      for (let k = 0; k < K; k++) {
        const eta = this.eta[i] + (zl * nodes[k]) / L[g];
        dev[g * K + k] += this.family.devResid(y[i], link.linkinv(eta), this.pw[i]);
      }
    }
    let total = this.saturated;
    for (let g = 0; g < nlev; g++) {
      const u0 = this.u[g];
      const g0 = dev0[g] + u0 * u0;
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const uk = u0 + nodes[k] / L[g];
        const gk = dev[g * K + k] + uk * uk;
        sum += weights[k] * Math.exp(-(gk - g0) / 2 + (nodes[k] * nodes[k]) / 2);
      }
      total += 2 * Math.log(L[g]) + g0 - 2 * Math.log(sum);
    }
    return total;
  }

  /**
   * (X'WX − X'WZΛ(Λ'Z'WZΛ + I)⁻¹Λ'Z'WX)⁻¹ = R_X⁻¹R_X⁻ᵀ at θ and β, with the IRLS weights at the
   * conditional modes: lme4's default covariance of β̂ for GLMMs (`vcov(fit, use.hessian = FALSE)`).
   *
   * @param theta - covariance parameters.
   * @param beta - fixed effects.
   * @returns p × p column-major.
   * @example
   * ```ts
   * const ws = new PirlsWorkspace(cbppFit.frame, cbppFit.randomEffects, makeFamily("binomial"), Float64Array.from(cbppFit.frame.response.trials));
   * ws.vcovRX(cbppFit.theta, Float64Array.from(cbppFit.beta)).subarray(0, 2); // Float64Array [0.05192, -0.02445]
   * ```
   */
  vcovRX(theta: ArrayLike<number>, beta: Float64Array): Float64Array {
    this.laplace(theta, beta);
    this.fillWorking(this.wsB, true);
    this.wsB.updateL(theta);
    return this.wsB.unscaledVcov();
  }

  /**
   * Conditional variances of u at the current state (after {@link laplace}), blocks per term.
   *
   * @returns per term, nlev blocks of k × k.
   * @example
   * ```ts
   * const ws = new PirlsWorkspace(cbppFit.frame, cbppFit.randomEffects, makeFamily("binomial"), Float64Array.from(cbppFit.frame.response.trials));
   * ws.laplace(cbppFit.theta, Float64Array.from(cbppFit.beta));
   * ws.condVarU()[0].subarray(0, 2); // Float64Array [0.29415, 0.33318]
   * ```
   */
  condVarU(): Float64Array[] {
    return this.wsU.condVarU();
  }
}
