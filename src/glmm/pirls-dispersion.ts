/**
 * The Laplace approximation for families with a dispersion parameter σ (nbinom2, nbinom1, Gamma),
 * as glmmTMB computes it: at θ, β and σ, the conditional mode û of the spherical random effects
 * minimises the penalized deviance
 *
 *     pdev(u) = −2 Σᵢ wᵢ log p(yᵢ | μᵢ, σ) + ‖u‖²,   η = offset + Xβ + ZΛu,  μ = g⁻¹(η),
 *
 * found by Newton's method (PIRLS with the observed information as weights): each step solves
 *
 *     (Λ'Z'WZΛ + I) u⁺ = Λ'Z'W (ZΛu + s / W),   sᵢ = wᵢ ∂ℓᵢ/∂η,  Wᵢ = −wᵢ ∂²ℓᵢ/∂η²,
 *
 * halving the step while pdev increases, until a step moves u by less than 1e-9. Then
 *
 *     −2 log L(θ, β, σ) ≈ pdev(û) + log|Λ'Z'WZΛ + I|   with W at û,
 *
 * the exact Hessian of pdev (the observed information), as TMB's Laplace approximation uses.
 * For the canonical inverse link of the Gamma family W is the Fisher weight; for the log links of
 * the negative binomial and Gamma families it is not (lme4's glmer.nb uses the Fisher weights, a
 * different likelihood). Newton's steps floor W at a tenth of the Fisher weight, so that each
 * step descends where a count far above μ makes its own curvature negative (nbinom1); the
 * log-determinant uses the signed W all the same.
 */
import { MlmError } from "../errors.js";
import type { ModelFrame } from "../model-frame/types.js";
import { CrossProducts } from "../lmm/cross-products.js";
import { LmmWorkspace } from "../lmm/workspace.js";
import type { RandomEffects } from "../terms/random-effects.js";
import { addXbeta } from "../linalg/dense.js";
import { muEta2, type DispersionFunctions, type Family } from "../family/index.js";

const MAX_ITER = 200;
const MAX_HALVINGS = 20;
/**
 * Newton's method stops when a full step (no halving) moves no element of u or β by more than
 * STEP_TOL, or when no step, however short, lowers the penalized deviance. Newton converges
 * quadratically, so the mode is then exact to rounding, and the deviance is smooth enough in
 * (θ, β, σ) for the optimizer and for a finite-difference Hessian.
 */
const STEP_TOL = 1e-9;
/** The predicted size of the next Newton step below which the iteration stops (see `newton`). */
const PREDICTED_TOL = 1e-12;
/** Newton steps use max(W, FLOOR × Fisher weight), positive, so that each step descends. */
const FLOOR = 0.1;
/** Relative rounding error of the penalized deviance. */
const ROUNDING = 1e-12;

/** Newton/PIRLS state of a dispersion-family GLMM; internal to the fitting code. */
export class DispersionPirls {
  readonly n: number;
  readonly p: number;
  readonly q: number;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly u: Float64Array;
  /** Fixed effects of the joint (β and u) Newton iteration of the first stage. */
  readonly beta: Float64Array;
  /** Workspace for u alone (β fixed). */
  readonly wsU: LmmWorkspace;
  /** Workspace for β and u together (first stage). */
  readonly wsB: LmmWorkspace;
  private readonly offset: Float64Array;
  private readonly dmu: Float64Array;
  private readonly xb: Float64Array;
  private readonly sqrtw: Float64Array;
  private readonly work: Float64Array;
  private readonly uOld: Float64Array;
  private readonly betaOld: Float64Array;
  private readonly b: Float64Array;
  private readonly uWarm: Float64Array;
  private readonly betaWarm: Float64Array;
  private warm = false;
  private constant = 0;
  private constantSigma = NaN;
  private warmJoint = false;
  private readonly noX = new Float64Array(0);
  /** The observed information per row at the last fill (may be negative). */
  private readonly wObs: Float64Array;
  /** ℓ_μ and ℓ_μμ of one row. */
  private readonly deriv = new Float64Array(2);
  /** A zero response for the log-determinant's fills. */
  private readonly zero: Float64Array;
  /** The sign of each row's W (signed log-determinant). */
  private readonly signs: Float64Array;

  /**
   * @param frame - the model frame.
   * @param re - the random-effects layer.
   * @param family - the family and link.
   * @param pw - prior weights (multipliers of each row's log-density).
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("incidence ~ period + (1 | herd)"), cbpp);
   * const ws = new DispersionPirls(frame, RandomEffects.of(frame), makeFamily("nbinom2"), new Float64Array(frame.n).fill(1));
   * ws.laplace(Float64Array.of(0.5), Float64Array.of(0, -1, -1, -1.5), 1.3); // 215.154
   * ```
   */
  /** The family's σ-dependent functions. */
  private readonly disp: DispersionFunctions;

  constructor(readonly frame: ModelFrame, readonly re: RandomEffects, readonly family: Family, readonly pw: Float64Array) {
    if (!family.dispersion) throw new MlmError(`The ${family.name} family has no dispersion parameter.`);
    this.disp = family.dispersion;
    const terms = re.terms;
    const n = frame.n;
    this.n = n;
    this.p = frame.fixefNames.length;
    this.q = terms.reduce((s, t) => s + t.q, 0);
    this.offset = frame.offset ?? new Float64Array(n);
    this.eta = new Float64Array(n);
    this.mu = new Float64Array(n);
    this.dmu = new Float64Array(n);
    this.xb = new Float64Array(n);
    this.sqrtw = new Float64Array(n);
    this.wObs = new Float64Array(n);
    this.work = new Float64Array(n);
    this.zero = new Float64Array(n);
    this.signs = new Float64Array(n);
    this.u = new Float64Array(this.q);
    this.uOld = new Float64Array(this.q);
    this.uWarm = new Float64Array(this.q);
    this.b = new Float64Array(this.q);
    this.beta = new Float64Array(this.p);
    this.betaOld = new Float64Array(this.p);
    this.betaWarm = new Float64Array(this.p);
    this.wsU = new LmmWorkspace(new CrossProducts(terms, n, 0));
    this.wsB = new LmmWorkspace(new CrossProducts(terms, n, this.p));
  }

  /**
   * η and μ from β and u under the current Λ of `ws`; with `joint` false, β is that of the last
   * {@link setFixed} (offset + Xβ cached in `xb`).
   */
  private updateEta(ws: LmmWorkspace, beta: Float64Array, joint: boolean): void {
    const { n, p, frame, re, eta, u, b, offset } = this;
    re.sphericalToB(ws.lambda, u, b);
    if (joint) {
      eta.set(offset);
      addXbeta(frame.X, n, p, beta, eta);
    } else eta.set(this.xb);
    re.addZb(b, eta);
    this.family.link.evaluate(eta, this.mu, this.dmu);
  }

  /** xb = offset + Xβ, for the Newton iterations in u alone at this β. */
  private setFixed(beta: Float64Array): void {
    this.xb.set(this.offset);
    addXbeta(this.frame.X, this.n, this.p, beta, this.xb);
  }

  /** −2 Σᵢ wᵢ log p(yᵢ | μᵢ, σ) + ‖u‖² (the μ-free part cached per σ). */
  private pdev(sigma: number): number {
    const y = this.frame.response.y;
    const { disp: family, mu, pw } = this;
    if (sigma !== this.constantSigma) {
      let c = 0;
      for (let i = 0; i < this.n; i++) c -= 2 * pw[i] * family.logDensityConstant(y[i], sigma);
      this.constant = c;
      this.constantSigma = sigma;
    }
    let s = this.constant;
    for (let i = 0; i < this.n; i++) s -= 2 * pw[i] * family.logDensityKernel(y[i], mu[i], sigma);
    for (let j = 0; j < this.q; j++) s += this.u[j] * this.u[j];
    return s;
  }

  /** Observed-information weights and the Newton working response at the current μ (`xb` = offset + Xβ when not joint). */
  private fillWorking(ws: LmmWorkspace, joint: boolean, sigma: number): void {
    const { n, eta, mu, dmu, sqrtw, work, pw, offset, xb, disp, deriv, wObs } = this;
    const y = this.frame.response.y;
    const link = this.family.link;
    const logLink = link.name === "log";
    for (let i = 0; i < n; i++) {
      const d1 = dmu[i];
      disp.logDensityDerivatives(y[i], mu[i], sigma, deriv);
      const l1 = deriv[0];
      const fisher = (pw[i] * d1 * d1) / disp.variance(mu[i], sigma);
      const obs = -pw[i] * (deriv[1] * d1 * d1 + l1 * (logLink ? mu[i] : muEta2(link, eta[i], mu[i])));
      wObs[i] = obs;
      const w = Math.max(obs, FLOOR * fisher);
      sqrtw[i] = Math.sqrt(w);
      const r = eta[i] + (pw[i] * l1 * d1) / w;
      work[i] = joint ? r - offset[i] : r - xb[i];
    }
    ws.A.fill(joint ? this.frame.X : this.noX, work, sqrtw, false);
  }

  /**
   * Newton's method for û (and β̂ when `joint`) at θ and σ, from the last mode found (or from
   * the family's starting μ on the first call). Leaves L factored at the weights of the mode.
   *
   * @returns pdev(û).
   */
  private newton(theta: ArrayLike<number>, beta: Float64Array, sigma: number, joint: boolean): number {
    const ws = joint ? this.wsB : this.wsU;
    const { u, uOld, betaOld, q, p } = this;
    let pdev = Infinity;
    this.re.lambdas(theta, ws.lambda);
    if (!joint) this.setFixed(beta);
    if (joint ? this.warmJoint : this.warm) {
      u.set(this.uWarm);
      if (joint) beta.set(this.betaWarm);
      this.updateEta(ws, beta, joint);
      pdev = this.pdev(sigma);
    } else if (joint) {
      // first call: IRLS from the family's starting μ
      const y = this.frame.response.y;
      u.fill(0);
      for (let i = 0; i < this.n; i++) this.mu[i] = this.disp.muStart(y[i]);
      for (let i = 0; i < this.n; i++) this.eta[i] = this.family.link.linkfun(this.mu[i]);
      this.family.link.evaluate(this.eta, this.mu, this.dmu);
    } else {
      u.fill(0);
      this.updateEta(ws, beta, joint);
      pdev = this.pdev(sigma);
    }
    let lastStep = Infinity;
    for (let iter = 0; iter < MAX_ITER; iter++) {
      this.fillWorking(ws, joint, sigma);
      if (!ws.updateL(theta)) throw new MlmError("Newton's method for the random effects failed: the weighted fixed-effects matrix became singular; check for collinear predictors or extreme values.");
      if (!Number.isFinite(pdev) && iter > 0) throw new MlmError("The penalized deviance is not finite; check the response for extreme values.");
      uOld.set(u);
      betaOld.set(beta);
      if (joint) beta.set(ws.beta());
      u.set(ws.u(joint ? beta : this.noX));
      this.updateEta(ws, beta, joint);
      let newDev = this.pdev(sigma);
      let step = 0;
      for (let j = 0; j < q; j++) step = Math.max(step, Math.abs(u[j] - uOld[j]));
      if (joint) for (let j = 0; j < p; j++) step = Math.max(step, Math.abs(beta[j] - betaOld[j]));
      let halved = false;
      // a rise within rounding of pdev is no reason to halve: near the mode a Newton step changes
      // pdev by less than its rounding error while it still improves û
      const slack = Number.isFinite(pdev) ? ROUNDING * Math.abs(pdev) : 0;
      for (let k = 0; k < MAX_HALVINGS && !(newDev <= pdev + slack); k++) {
        halved = true;
        for (let j = 0; j < q; j++) u[j] = (uOld[j] + u[j]) / 2;
        if (joint) for (let j = 0; j < p; j++) beta[j] = (betaOld[j] + beta[j]) / 2;
        this.updateEta(ws, beta, joint);
        newDev = this.pdev(sigma);
      }
      if (!(newDev <= pdev + slack)) {
        if (!Number.isFinite(pdev)) throw new MlmError("The penalized deviance is not finite at the start; check the response for extreme values.");
        // no decrease even for tiny steps: the previous point is the mode to rounding
        u.set(uOld);
        beta.set(betaOld);
        this.updateEta(ws, beta, joint);
        newDev = pdev;
      }
      // Newton's steps shrink quadratically near the mode (step_{k+1} ≈ C step_k², C estimated
      // from the last two steps): stop when the next step would be below PREDICTED_TOL
      const quadratic = !halved && Number.isFinite(lastStep) && step < 1e-4 && (step * step * step) / (lastStep * lastStep) < PREDICTED_TOL;
      const done = (Number.isFinite(pdev) && !halved && (step < STEP_TOL || quadratic)) || (halved && newDev === pdev);
      lastStep = halved ? Infinity : step;
      pdev = newDev;
      if (done) {
        // L at the weights of the mode itself
        this.fillWorking(ws, joint, sigma);
        if (!ws.updateL(theta)) throw new MlmError("The random-effects covariance could not be factored at the mode.");
        this.uWarm.set(u);
        if (joint) {
          this.betaWarm.set(beta);
          this.warmJoint = true;
        } else this.warm = true;
        return pdev;
      }
    }
    throw new MlmError(`Newton's method for the random effects did not converge in ${MAX_ITER} iterations; the model may be too complex for the data.`);
  }

  /**
   * Laplace approximation to −2 log L at θ, β and σ (the second stage's criterion).
   *
   * @param theta - covariance parameters.
   * @param beta - fixed effects.
   * @param sigma - the dispersion (glmmTMB's sigma()).
   * @returns the deviance.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("incidence ~ period + (1 | herd)"), cbpp);
   * const ws = new DispersionPirls(frame, RandomEffects.of(frame), makeFamily("nbinom2"), new Float64Array(frame.n).fill(1));
   * ws.laplace(Float64Array.of(0.5), Float64Array.of(0, -1, -1, -1.5), 1.34); // 215.302
   * ```
   */
  laplace(theta: ArrayLike<number>, beta: Float64Array, sigma: number): number {
    const pdev = this.newton(theta, beta, sigma, false);
    return pdev + this.signedLogdet(theta);
  }

  /**
   * log|Λ'Z'WZΛ + I| with W the observed information at the mode, also where some Wᵢ < 0 (the
   * nbinom1 log-density is not concave in η for counts far above μ): the cross products are then
   * refilled with the signed weights. +∞ when the sum is not positive
   * definite (the Laplace approximation does not exist there).
   */
  private signedLogdet(theta: ArrayLike<number>): number {
    const { wObs, sqrtw, n } = this;
    const ws = this.wsU;
    let negative = false;
    for (let i = 0; i < n; i++) if (wObs[i] < sqrtw[i] * sqrtw[i] * (1 - 1e-12)) negative = true;
    if (!negative) return ws.logdetL();
    const A = ws.A;
    const root = this.work;
    const signs = this.signs;
    for (let i = 0; i < n; i++) {
      root[i] = Math.sqrt(Math.abs(wObs[i]));
      signs[i] = wObs[i] < 0 ? -1 : 1;
    }
    A.fill(this.noX, this.zero, root, false, signs);
    // the response column is zero: give it a unit pivot so that L exists (it is not in log|L|)
    A.A22[A.D * A.D - 1] = 1;
    if (!ws.updateL(theta)) return Infinity;
    const ld = ws.logdetL();
    return Number.isFinite(ld) ? ld : Infinity;
  }

  /**
   * The deviance at θ and σ with β found jointly with u (the first stage, a start for the second).
   *
   * @param theta - covariance parameters.
   * @param sigma - the dispersion.
   * @returns the deviance; `this.beta` holds β afterwards.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("incidence ~ period + (1 | herd)"), cbpp);
   * const ws = new DispersionPirls(frame, RandomEffects.of(frame), makeFamily("nbinom2"), new Float64Array(frame.n).fill(1));
   * ws.laplaceJoint(Float64Array.of(0.5), 1.34); // 183.738
   * ```
   */
  laplaceJoint(theta: ArrayLike<number>, sigma: number): number {
    const pdev = this.newton(theta, this.beta, sigma, true);
    return pdev + this.wsB.logdetL();
  }

  /**
   * (X'WX − X'WZΛ(Λ'Z'WZΛ + I)⁻¹Λ'Z'WX)⁻¹ at the mode for θ, β and σ: the covariance of β̂ when
   * the Hessian of the deviance is not positive definite.
   *
   * @param theta - covariance parameters.
   * @param beta - fixed effects.
   * @param sigma - the dispersion.
   * @returns p × p column-major.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("incidence ~ period + (1 | herd)"), cbpp);
   * const ws = new DispersionPirls(frame, RandomEffects.of(frame), makeFamily("nbinom2"), new Float64Array(frame.n).fill(1));
   * ws.vcovRX(Float64Array.of(0.5), Float64Array.of(0, -1, -1, -1.5), 1.34).length; // 16 (4 × 4)
   * ```
   */
  vcovRX(theta: ArrayLike<number>, beta: Float64Array, sigma: number): Float64Array {
    this.laplace(theta, beta, sigma);
    this.fillWorking(this.wsB, true, sigma);
    this.wsB.updateL(theta);
    return this.wsB.unscaledVcov();
  }
}
