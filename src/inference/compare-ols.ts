/**
 * The case against single-level regression: refit a mixed model's fixed effects ignoring the
 * grouping, and set the naive and cluster-robust standard errors beside the multilevel ones.
 *
 * Single-level fit. Linear models: weighted least squares β̂ = (X'WX)⁻¹X'W(y − o) (W the prior
 * weights, o the offset), naive covariance σ̂²(X'WX)⁻¹ with σ̂² = Σ wᵢrᵢ²/(n − p). GLMMs: the
 * ordinary GLM of the same family, link, offset and prior weights (binomial trials), fitted by
 * iteratively reweighted least squares, naive covariance (X'WX)⁻¹ at the IRLS weights
 * Wᵢ = wᵢ μ'(ηᵢ)²/V(μᵢ) (dispersion 1). Families with a dispersion parameter σ (nbinom2, nbinom1,
 * Gamma): β̂ and σ̂ by maximum likelihood (Fisher scoring in β at each σ, golden-section search
 * in log σ), the covariance as the family's single-level regression in R reports it (see
 * `SingleLevelVcov` in src/family/dispersion.ts): (X'WX)⁻¹ at σ̂ (MASS::glm.nb), the same
 * scaled by the Pearson dispersion (glm(family = Gamma)), or the β block of the inverse observed
 * information in (β, log σ) (glmmTMB without random effects, nbinom1).
 *
 * Cluster-robust covariance (Liang & Zeger 1986; the CR1 small-sample factor of Stata and of R's
 * `sandwich::vcovCL(type = "HC1")`, Zeileis, Köll & Graham 2020, JSS 95(1)):
 *   V = G/(G − 1) · (n − 1)/(n − p) · B (Σ_g s_g s_g') B,   s_g = Σ_{i ∈ g} ψᵢ xᵢ,
 * with B the unscaled covariance (X'WX)⁻¹ and ψᵢ the score weight of row i: wᵢrᵢ for least squares,
 * wᵢ(yᵢ − μᵢ)μ'(ηᵢ)/V(μᵢ) for a GLM, wᵢ ∂ℓᵢ/∂μ · μ'(ηᵢ) for a dispersion family at σ̂ (the same for
 * nbinom2 and Gamma).
 *
 * Design effect of coefficient j: (SE_mlm / SE_ols)², the factor by which the naive variance
 * understates the multilevel one. Kish's design effect for a random-intercept model with one
 * grouping factor: 1 + (m̄ − 1)·ICC, m̄ = n/G the mean cluster size (Kish 1965, Survey Sampling).
 */
import { MlmError } from "../errors.js";
import { crossProductFactor, inverseFromCholesky, leastSquares as weightedLeastSquares } from "../linalg/least-squares.js";
import type { MixedModel } from "../model/mixed-model.js";
import type { GroupingFactor, ModelFrame } from "../model-frame/types.js";
import type { Family } from "../family/index.js";
import { hessianCompact } from "../numerics/derivatives.js";
import { invertSymmetric } from "../linalg/dense.js";

/** One coefficient of {@link compareOls}. */
export interface CompareOlsRow {
  readonly term: string;
  /** The single-level (OLS or GLM) estimate. */
  readonly olsEstimate: number;
  /** Its naive standard error, which assumes independent rows. */
  readonly olsSe: number;
  /** Its cluster-robust (CR1) standard error. */
  readonly robustSe: number;
  /** The multilevel estimate (the model's fixed effect). */
  readonly mlmEstimate: number;
  /** Its standard error. */
  readonly mlmSe: number;
  /** (mlmSe / olsSe)². */
  readonly designEffect: number;
}

/** What {@link compareOls} returns. */
export interface CompareOls {
  /** The grouping factor the robust standard errors cluster on. */
  readonly cluster: string;
  /** Its number of levels G. */
  readonly clusters: number;
  readonly rows: readonly CompareOlsRow[];
  /** Kish's 1 + (m̄ − 1)·ICC, for a linear random-intercept model with one grouping factor. */
  readonly kishDeff?: number;
  /** One sentence saying what ignoring the grouping did. */
  readonly note: string;
}

/** Options of {@link compareOls}. */
export interface CompareOlsOptions {
  /** The grouping factor to cluster on (lme4's name, e.g. `batch` or `cask:batch`); default: the one with the fewest levels. */
  readonly cluster?: string;
}

/** A single-level fit: β̂, naive covariance, unscaled covariance and the score weight of each row. */
interface SingleLevelFit {
  readonly beta: Float64Array;
  /** Naive covariance, p × p column-major. */
  readonly vcov: Float64Array;
  /** (X'WX)⁻¹, p × p column-major. */
  readonly bread: Float64Array;
  /** ψᵢ: row i's score is ψᵢxᵢ. */
  readonly score: Float64Array;
}

/** A design effect outside [1/1.1, 1.1] is worth a sentence. */
const NOTABLE = 1.1;
const MAX_IRLS = 100;
const IRLS_TOL = 1e-12;

/**
 * Compare a mixed model's fixed effects with the single-level regression that ignores its grouping.
 *
 * @param m - the fitted model (linear or generalized).
 * @param options - `cluster`: the grouping factor to cluster the robust standard errors on.
 * @returns per coefficient the single-level estimate with naive and cluster-robust standard errors,
 *   the multilevel estimate and standard error and the design effect; Kish's design effect when it
 *   applies; a one-sentence note.
 * @throws MlmError when `cluster` is not a grouping factor of the model, when the cluster has fewer
 *   than two levels, when there are no more rows than coefficients, or when the single-level GLM
 *   does not converge.
 * @example
 * ```ts
 * compareOls(sleepstudyFit);
 * // { cluster: "Subject", clusters: 18,
 * //   rows: [{ term: "(Intercept)", olsEstimate: 251.405, olsSe: 6.610, robustSe: 6.844, mlmEstimate: 251.405, mlmSe: 6.825, designEffect: 1.066 },
 * //          { term: "Days", olsEstimate: 10.467, olsSe: 1.238, robustSe: 1.550, mlmEstimate: 10.467, mlmSe: 1.546, designEffect: 1.559 }],
 * //   note: "Ignoring the grouping by Subject understates the standard error of Days by a factor of 1.25 (design effect 1.56)." }
 * ```
 */
export function compareOls(m: MixedModel, options: CompareOlsOptions = {}): CompareOls {
  const frame = m.frame;
  const { n } = frame;
  const p = frame.fixefNames.length;
  if (n <= p) throw new MlmError(`There are ${n} observations for ${p} fixed effects, too few for a single-level regression to estimate its residual variance.`);
  const group = clusterFactor(frame, options.cluster);
  const G = group.levels.length;
  if (G < 2) throw new MlmError(`The grouping factor ${group.name} has a single level, so there is nothing to cluster on; choose another grouping factor.`);
  const fit = m.kind === "lmm" ? leastSquares(frame) : m.family.dispersion ? glmDispersion(frame, m.family) : glmIrls(frame, m.family);
  const robust = clusterRobust(frame, fit, group, p);
  const rows: CompareOlsRow[] = frame.fixefNames.map((term, j) => {
    const olsSe = Math.sqrt(fit.vcov[j + j * p]);
    const mlmSe = m.fixef[j].se;
    return {
      term,
      olsEstimate: fit.beta[j],
      olsSe,
      robustSe: Math.sqrt(robust[j + j * p]),
      mlmEstimate: m.fixef[j].estimate,
      mlmSe,
      designEffect: (mlmSe / olsSe) ** 2,
    };
  });
  const kishDeff = kish(m, frame);
  return { cluster: group.name, clusters: G, rows, ...(kishDeff === undefined ? {} : { kishDeff }), note: compareOlsNote(group.name, rows) };
}

/**
 * The sentence summarising a comparison: which coefficient's standard error ignoring the grouping
 * understates (or overstates) most, by what factor, with its design effect.
 *
 * @param cluster - the grouping factor's name.
 * @param rows - the compared coefficients.
 * @returns one sentence.
 * @example
 * ```ts
 * compareOlsNote("Subject", [{ term: "Days", olsSe: 1.238, mlmSe: 1.546, designEffect: 1.559 }]);
 * // "Ignoring the grouping by Subject understates the standard error of Days by a factor of 1.25 (design effect 1.56)."
 * ```
 */
export function compareOlsNote(cluster: string, rows: readonly Pick<CompareOlsRow, "term" | "olsSe" | "mlmSe" | "designEffect">[]): string {
  const num = (x: number): string => String(Number(x.toPrecision(3)));
  const lead = `Ignoring the grouping by ${cluster}`;
  if (rows.length === 0) return `${lead} leaves no fixed effect to compare.`;
  const most = rows.reduce((a, r) => (r.designEffect > a.designEffect ? r : a));
  if (most.designEffect >= NOTABLE) {
    return `${lead} understates the standard error of ${most.term} by a factor of ${num(most.mlmSe / most.olsSe)} (design effect ${num(most.designEffect)}).`;
  }
  const least = rows.reduce((a, r) => (r.designEffect < a.designEffect ? r : a));
  if (least.designEffect <= 1 / NOTABLE) {
    return `${lead} overstates the standard error of ${least.term} by a factor of ${num(least.olsSe / least.mlmSe)} (design effect ${num(least.designEffect)}).`;
  }
  return `${lead} changes the standard errors little (design effects from ${num(least.designEffect)} to ${num(most.designEffect)}).`;
}

/** The grouping factor to cluster on: the named one, else the one with the fewest levels. */
function clusterFactor(frame: ModelFrame, name: string | undefined): GroupingFactor {
  const groups: GroupingFactor[] = [];
  for (const t of frame.reterms) if (!groups.some((g) => g.name === t.group.name)) groups.push(t.group);
  if (groups.length === 0) throw new MlmError("The model has no grouping factor to cluster on.");
  if (name === undefined) return groups.reduce((a, g) => (g.levels.length < a.levels.length ? g : a));
  const parts = (s: string): string => s.split(":").map((x) => x.trim()).sort().join(":");
  const found = groups.find((g) => g.name === name) ?? groups.find((g) => parts(g.name) === parts(name));
  if (!found) throw new MlmError(`'${name}' is not a grouping factor of the model; cluster on ${groups.map((g) => g.name).join(" or ")}.`);
  return found;
}

/** Prior weight of each row: the weights column times the binomial trials (1 when neither is given). */
function priorWeights(frame: ModelFrame): Float64Array {
  const w = frame.weights ? Float64Array.from(frame.weights) : new Float64Array(frame.n).fill(1);
  const trials = frame.response.trials;
  if (trials) for (let i = 0; i < frame.n; i++) w[i] *= trials[i];
  return w;
}

/** Weighted least squares of z on X, or the one-sentence error when X'WX is singular. */
function weightedFit(X: Float64Array, n: number, p: number, z: Float64Array, w: Float64Array): { beta: Float64Array; factor: Float64Array } {
  const fit = weightedLeastSquares(X, n, p, z, { weights: w });
  if (!fit) throw new MlmError(collinearMessage);
  return fit;
}

const collinearMessage = "The fixed-effects columns are collinear once the grouping is ignored, so the single-level regression cannot be fitted.";

/** Ordinary (prior-weighted) least squares of y − offset on X, as R's `lm()`. */
function leastSquares(frame: ModelFrame): SingleLevelFit {
  const { n, X } = frame;
  const p = frame.fixefNames.length;
  const w = priorWeights(frame);
  const z = Float64Array.from(frame.response.y);
  if (frame.offset) for (let i = 0; i < n; i++) z[i] -= frame.offset[i];
  const { beta, factor } = weightedFit(X, n, p, z, w);
  const score = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let r = z[i];
    for (let a = 0; a < p; a++) r -= X[a * n + i] * beta[a];
    score[i] = w[i] * r;
    rss += w[i] * r * r;
  }
  const bread = inverseFromCholesky(factor, p);
  const s2 = rss / (n - p);
  return { beta, bread, vcov: bread.map((v) => v * s2), score };
}

/** The GLM of the frame's family and link ignoring the grouping, by IRLS, as R's `glm()`. */
function glmIrls(frame: ModelFrame, family: Family): SingleLevelFit {
  const { n, X } = frame;
  const p = frame.fixefNames.length;
  const { y } = frame.response;
  const pw = priorWeights(frame);
  const offset = frame.offset ?? new Float64Array(n);
  const { link } = family;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = family.muStart(y[i], pw[i]);
    eta[i] = link.linkfun(mu[i]);
  }
  const deviance = (): number => {
    let d = 0;
    for (let i = 0; i < n; i++) if (pw[i] > 0) d += family.devResid(y[i], mu[i], pw[i]);
    return d;
  };
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  let dev = deviance();
  let beta: Float64Array = new Float64Array(p);
  let converged = false;
  for (let iter = 0; iter < MAX_IRLS && !converged; iter++) {
    for (let i = 0; i < n; i++) {
      const d = link.muEta(eta[i]);
      z[i] = eta[i] - offset[i] + (y[i] - mu[i]) / d;
      w[i] = (pw[i] * d * d) / family.variance(mu[i]);
    }
    beta = weightedFit(X, n, p, z, w).beta;
    linearPredictor(frame, offset, link, beta, eta, mu);
    const next = deviance();
    converged = Math.abs(next - dev) / (Math.abs(next) + 0.1) < IRLS_TOL;
    dev = next;
  }
  if (!converged) throw new MlmError(`The single-level ${family.name} regression did not converge in ${MAX_IRLS} iterations (perhaps a coefficient is infinite, as under complete separation), so there is no single-level fit to compare with.`);
  // covariance and scores at the final μ
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = link.muEta(eta[i]);
    const v = family.variance(mu[i]);
    w[i] = (pw[i] * d * d) / v;
    score[i] = (pw[i] * (y[i] - mu[i]) * d) / v;
  }
  const factor = crossProductFactor(X, n, p, { weights: w });
  if (!factor) throw new MlmError(collinearMessage);
  const bread = inverseFromCholesky(factor, p);
  return { beta, bread, vcov: bread, score };
}

/**
 * The single-level GLM of a family with a dispersion parameter σ, by maximum likelihood: at each
 * σ, Fisher scoring in β (weights wᵢμ'²/V(μᵢ, σ), working response η − o + ℓ_μ V/μ'), whose fixed
 * point solves the score equations Σ wᵢ ℓ_μ μ' xᵢ = 0; σ̂ maximises the profiled log-likelihood
 * by golden-section search in log σ.
 */
function glmDispersion(frame: ModelFrame, family: Family): SingleLevelFit {
  const disp = family.dispersion!;
  const { n, X } = frame;
  const p = frame.fixefNames.length;
  const { y } = frame.response;
  const pw = priorWeights(frame);
  const offset = frame.offset ?? new Float64Array(n);
  const { link } = family;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const deriv = new Float64Array(2);
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = link.linkfun(disp.muStart(y[i]));
  const setEta = (beta: ArrayLike<number>): void => linearPredictor(frame, offset, link, beta, eta, mu);
  const logLik = (sigma: number): number => {
    let l = 0;
    for (let i = 0; i < n; i++) if (pw[i] > 0) l += pw[i] * disp.logDensity(y[i], mu[i], sigma);
    return l;
  };
  let beta: Float64Array = new Float64Array(p);
  /** β̂(σ) by Fisher scoring from the last β (or the starting μ); returns the log-likelihood. */
  let warm = false;
  const fitBeta = (sigma: number): number => {
    if (warm) setEta(beta);
    else {
      eta.set(start);
      for (let i = 0; i < n; i++) mu[i] = link.linkinv(eta[i]);
    }
    let ll = logLik(sigma);
    // the starting μ = y is the saturated fit, whose likelihood no β reaches: the first step
    // from it is taken whole, later steps are halved while they lower the likelihood
    let fromBeta = warm;
    for (let iter = 0; iter < MAX_IRLS; iter++) {
      for (let i = 0; i < n; i++) {
        const d = link.muEta(eta[i]);
        const v = disp.variance(mu[i], sigma);
        disp.logDensityDerivatives(y[i], mu[i], sigma, deriv);
        z[i] = eta[i] - offset[i] + (deriv[0] * v) / d;
        w[i] = (pw[i] * d * d) / v;
      }
      const next = weightedFit(X, n, p, z, w).beta;
      setEta(next);
      let llNext = logLik(sigma);
      // halve a step that lowers the likelihood (or leaves the support of the inverse link)
      for (let k = 0; fromBeta && k < 30 && !(llNext >= ll - 1e-12 * Math.abs(ll)); k++) {
        for (let a = 0; a < p; a++) next[a] = (next[a] + beta[a]) / 2;
        setEta(next);
        llNext = logLik(sigma);
      }
      const change = Math.abs(llNext - ll) / (Math.abs(llNext) + 0.1);
      beta = next;
      warm = true;
      fromBeta = true;
      ll = llNext;
      if (change < IRLS_TOL) return ll;
    }
    throw new MlmError(`The single-level ${family.name} regression did not converge in ${MAX_IRLS} iterations, so there is no single-level fit to compare with.`);
  };
  // golden-section search for log σ̂ in an interval around the moment estimate, widened while
  // the maximum lies at its end
  let lo = Math.log(disp.sigmaStart(y)) - 3;
  let hi = lo + 6;
  const prof = (ls: number): number => -fitBeta(Math.exp(ls));
  const g = (Math.sqrt(5) - 1) / 2;
  for (let widen = 0; widen < 6; widen++) {
    let a = lo;
    let b = hi;
    let c = b - g * (b - a);
    let d = a + g * (b - a);
    let fc = prof(c);
    let fd = prof(d);
    while (b - a > 1e-9) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = prof(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = prof(d);
      }
    }
    const x = (a + b) / 2;
    if (x - lo < 1e-3 && lo > -20) [lo, hi] = [lo - 5, lo + 1];
    else if (hi - x < 1e-3 && hi < 20) [lo, hi] = [hi - 1, hi + 5];
    else {
      lo = hi = x;
      break;
    }
    lo = Math.max(lo, -20);
    hi = Math.min(hi, 20);
  }
  const sigma = Math.exp((lo + hi) / 2);
  fitBeta(sigma);
  // Fisher information, scores and the Pearson statistic at (β̂, σ̂)
  const score = new Float64Array(n);
  let pearson = 0;
  for (let i = 0; i < n; i++) {
    const d = link.muEta(eta[i]);
    const v = disp.variance(mu[i], sigma);
    disp.logDensityDerivatives(y[i], mu[i], sigma, deriv);
    w[i] = (pw[i] * d * d) / v;
    score[i] = pw[i] * deriv[0] * d;
    pearson += (pw[i] * (y[i] - mu[i]) ** 2) / v;
  }
  const factor = crossProductFactor(X, n, p, { weights: w });
  if (!factor) throw new MlmError(collinearMessage);
  const fisher = inverseFromCholesky(factor, p);
  let vcov: Float64Array;
  let bread = fisher;
  if (disp.singleLevelVcov === "pearson") vcov = fisher.map((v) => (v * pearson) / (n - p));
  else if (disp.singleLevelVcov === "fisher") vcov = fisher;
  else {
    // the β block of the inverse Hessian of −log L in (β, log σ)
    const at = Float64Array.of(...beta, Math.log(sigma));
    const H = hessianCompact((v) => {
      setEta(v.subarray(0, p));
      return -logLik(Math.exp(v[p]));
    }, at, 1e-4);
    setEta(beta);
    const Hi = invertSymmetric(H, p + 1);
    if (!Hi) throw new MlmError(`The information matrix of the single-level ${family.name} regression is singular, so its standard errors are not available.`);
    vcov = new Float64Array(p * p);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) vcov[a + b * p] = Hi[a + b * (p + 1)];
    bread = vcov;
  }
  return { beta, bread, vcov, score };
}

/** η = offset + Xβ and μ = g⁻¹(η), into `eta` and `mu`. */
function linearPredictor(frame: ModelFrame, offset: Float64Array, link: Family["link"], beta: ArrayLike<number>, eta: Float64Array, mu: Float64Array): void {
  const { n, X } = frame;
  const p = frame.fixefNames.length;
  for (let i = 0; i < n; i++) {
    let e = offset[i];
    for (let a = 0; a < p; a++) e += X[a * n + i] * beta[a];
    eta[i] = e;
    mu[i] = link.linkinv(e);
  }
}

/** The CR1 cluster-robust covariance G/(G − 1)·(n − 1)/(n − p)·B M B, M = Σ_g s_g s_g'. */
function clusterRobust(frame: ModelFrame, fit: SingleLevelFit, group: GroupingFactor, p: number): Float64Array {
  const { n, X } = frame;
  const G = group.levels.length;
  // per-cluster score sums s_g, G × p column-major
  const s = new Float64Array(G * p);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    const sa = a * G;
    for (let i = 0; i < n; i++) s[sa + group.refs[i]] += fit.score[i] * X[ca + i];
  }
  // U = S B (G × p), then V = U'U
  const u = new Float64Array(G * p);
  for (let b = 0; b < p; b++) {
    for (let a = 0; a < p; a++) {
      const bab = fit.bread[a + b * p];
      if (bab === 0) continue;
      for (let g = 0; g < G; g++) u[g + b * G] += s[g + a * G] * bab;
    }
  }
  const factor = (G / (G - 1)) * ((n - 1) / (n - p));
  const v = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let t = 0;
      for (let g = 0; g < G; g++) t += u[g + a * G] * u[g + b * G];
      v[a + b * p] = v[b + a * p] = factor * t;
    }
  }
  return v;
}

/** Kish's design effect for a linear random-intercept model with a single grouping factor. */
function kish(m: MixedModel, frame: ModelFrame): number | undefined {
  if (m.kind !== "lmm") return undefined;
  const names = new Set(frame.reterms.map((t) => t.group.name));
  if (names.size !== 1) return undefined;
  const [name] = names;
  const icc = m.icc[name];
  if (icc === undefined) return undefined;
  const G = frame.reterms[0].group.levels.length;
  return 1 + (frame.n / G - 1) * icc;
}
