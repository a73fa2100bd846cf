/**
 * Profile-likelihood confidence intervals, as lme4's `confint(fit, method = "profile")`.
 *
 * The profiled deviance of a parameter ψ is D(ψ) = min over the other parameters of the deviance
 * with ψ held fixed; the interval at level 1 − α is where the signed root
 *
 *     ζ(ψ) = sign(ψ − ψ̂) √(D(ψ) − D(ψ̂))
 *
 * lies within ±z_{1−α/2} (Bates et al. 2015, JSS 67(1), section 5.1). As lme4 does, every linear
 * model is profiled on its maximum-likelihood deviance (a REML fit is refitted by ML first), so
 * the intervals of a REML fit are those of the ML fit.
 *
 * - Linear models, variance parameters (sds and correlations of the random effects, and σ): the
 *   deviance at (θ, σ) with β profiled out, −2ℓ = log|L_θ|² + r²_θ/σ² + n log(2πσ²), minimised
 *   over the other parameters on the sd/cor scale.
 * - Linear models, fixed effect β_j: the ML fit with β_j held fixed (x_j β_j moved into the
 *   offset, column j dropped from X), minimised over θ with σ and the other β profiled out.
 * - GLMMs: the Laplace/AGQ deviance in (θ, β), with one parameter (sd/cor or β_j) fixed and the
 *   others minimised. A family with a dispersion parameter (nbinom2, nbinom1, Gamma) adds σ (as
 *   glmmTMB's sigma(): θ, α or 1/√shape), profiled like the others on the deviance in
 *   (θ, β, log σ); glmmTMB profiles log σ and log sd, whose intervals are the logs of these.
 *
 * A limit the profile does not reach before the end of the parameter's range is that end: 0 for
 * a standard deviation, ±1 for a correlation.
 */
import { MlmError } from "../errors.js";
import type { LinearMixedModel, MixedModel } from "../model/mixed-model.js";
import type { GeneralizedLinearMixedModel } from "../model/mixed-model.js";
import { getLink } from "../family/index.js";
import { CrossProducts } from "../lmm/cross-products.js";
import { isRowlessModel } from "../lmm/rowless-model.js";
import { heldFixedEffect } from "../lmm/held-fixed-effect.js";
import { LmmWorkspace } from "../lmm/workspace.js";
import { bobyqa } from "../optim/index.js";
import type { NaturalKind } from "../terms/covariance/index.js";
import type { RandomEffects } from "../terms/random-effects.js";
import { findLimit, minimiseWithFixed, type ParameterBox, type ZetaFunction } from "./profile-search.js";
import { refitMl } from "./refit.js";

/** A confidence interval for one parameter; null where the method gives none (lme4's NA). */
export interface ConfintRow {
  readonly name: string;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** Options of {@link profileConfint}. */
export interface ProfileOptions {
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /** Called after each parameter with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Profile only these parameters (names as in the result, lme4's `parm`); default all. GLMMs only. */
  readonly parm?: readonly string[];
}

/** The standard normal quantile. */
export const qnorm = getLink("probit").linkfun;

/**
 * Profile-likelihood confidence intervals of every parameter, in lme4's order and with its names
 * (`confint(fit, method = "profile", oldNames = FALSE)`).
 *
 * @param m - a fitted model (linear, or a GLMM fitted with nAGQ ≥ 1).
 * @param options - level and a progress callback.
 * @returns one row per parameter: sds and correlations, σ (linear models and dispersion families), then fixed effects.
 * @throws MlmError for a level outside (0, 1) or a GLMM fitted with nAGQ = 0.
 * @example
 * ```ts
 * profileConfint(sleepstudyFit);
 * // [{ name: "sd_(Intercept)|Subject", lower: 14.38, upper: 37.72 },
 * //  { name: "cor_Days.(Intercept)|Subject", lower: -0.4815, upper: 0.6850 },
 * //  { name: "sd_Days|Subject", lower: 3.801, upper: 8.753 }, { name: "sigma", lower: 22.90, upper: 28.86 },
 * //  { name: "(Intercept)", lower: 237.68, upper: 265.13 }, { name: "Days", lower: 7.359, upper: 13.58 }]
 * ```
 */
export function profileConfint(m: MixedModel, options: ProfileOptions = {}): ConfintRow[] {
  const level = checkLevel(options.level ?? 0.95);
  const z = qnorm((1 + level) / 2);
  if (m.kind === "lmm") return profileLmm(refitMl(m), z, options.onProgress);
  const g = m;
  if (g.nAGQ === 0) throw new MlmError("A GLMM fitted with nAGQ = 0 has no deviance in the fixed effects to profile; refit with nAGQ = 1 or use the Wald or bootstrap method.");
  return profileGlmm(g, z, options.onProgress, options.parm);
}

/**
 * Check a confidence level.
 *
 * @param level - the level.
 * @returns the level.
 * @throws MlmError when it is not strictly between 0 and 1.
 * @example
 * ```ts
 * checkLevel(0.95); // 0.95
 * ```
 */
export function checkLevel(level: number): number {
  if (!(level > 0 && level < 1)) throw new MlmError(`The confidence level must lie strictly between 0 and 1, not ${level}.`);
  return level;
}

/** Bounds and scales of sd/cor parameters (and σ). */
function sdcorBox(kinds: readonly NaturalKind[], est: Float64Array, ref: number): { lower: number[]; upper: number[]; scale: number[] } {
  const lower: number[] = [];
  const upper: number[] = [];
  const scale: number[] = [];
  kinds.forEach((k, i) => {
    const cor = k === "cor" || k === "rho";
    lower.push(cor ? -1 : 0);
    upper.push(cor ? 1 : Infinity);
    scale.push(cor ? 0.5 : Math.max(est[i], 0.05 * ref));
  });
  return { lower, upper, scale };
}

/** The first step of the search for a variance parameter. */
function sdcorStep(kind: NaturalKind, est: number, ref: number, d: -1 | 1): number {
  if (kind === "cor" || kind === "rho") return Math.max(0.02, 0.25 * (1 - d * est));
  return est > 0 ? 0.25 * est : 0.1 * ref;
}

function profileLmm(m: LinearMixedModel, z: number, onProgress?: (done: number, total: number) => void): ConfintRow[] {
  const re = m.randomEffects;
  const nt = re.ntheta;
  const params = re.naturalNames(true);
  const kinds = params.map((p) => p.kind);
  const est = re.toNatural(m.theta, m.sigma, true);
  const base = m.criterion.value;
  const total = params.length + m.beta.length;
  let done = 0;

  const th = new Float64Array(nt);
  const dev = (v: Float64Array): number => {
    const sigma = v[nt];
    if (!re.fromNatural(v, sigma, th)) return Infinity;
    return m.devianceAt(th, sigma, false);
  };
  const b = sdcorBox(kinds, est, m.sigma);
  const box: ParameterBox = { lower: Float64Array.from(b.lower), upper: Float64Array.from(b.upper), scale: Float64Array.from(b.scale) };

  const rows: ConfintRow[] = [];
  params.forEach((p, w) => {
    const zeta: ZetaFunction = (x, start) => {
      const r = minimiseWithFixed(dev, start, w, x, box);
      return { zeta: signedRoot(x - est[w], r.fx - base), at: r.x };
    };
    const limit = (d: -1 | 1): number =>
      findLimit(zeta, { estimate: est[w], start: est, direction: d, z, step: sdcorStep(p.kind, est[w], m.sigma, d), bound: d < 0 ? box.lower[w] : box.upper[w] });
    rows.push({ name: p.name, lower: finiteOrNull(limit(-1)), upper: finiteOrNull(limit(1)) });
    onProgress?.(++done, total);
  });

  const fixed = fixedEffectProfiler(m, re);
  m.fixefNames.forEach((name, j) => {
    const se = m.fixef[j].se;
    const zeta: ZetaFunction = (x, start) => {
      const r = fixed(j, x, start);
      return { zeta: signedRoot(x - m.beta[j], r.fx - base), at: r.theta };
    };
    const limit = (d: -1 | 1): number => findLimit(zeta, { estimate: m.beta[j], start: m.theta, direction: d, z, step: z * se, bound: d * Infinity });
    rows.push({ name, lower: finiteOrNull(limit(-1)), upper: finiteOrNull(limit(1)) });
    onProgress?.(++done, total);
  });
  return rows;
}

/**
 * The ML deviance of a linear model with β_j held at a value, minimised over θ: the response
 * becomes y − x_j β_j and X loses column j.
 */
function fixedEffectProfiler(m: LinearMixedModel, re: RandomEffects): (j: number, value: number, start: Float64Array) => { fx: number; theta: Float64Array } {
  if (isRowlessModel(m)) {
    // no rows: hold β_j at the value by changing the cross products themselves
    const held = heldFixedEffect(m.crossProductBlocks());
    const wsHeld = new LmmWorkspace(held.A);
    const lowerHeld = re.lower();
    return (j, value, start) => {
      held.set(j, value);
      const f = (t: Float64Array): number => wsHeld.objective(t, false);
      if (!Number.isFinite(f(start))) return { fx: NaN, theta: Float64Array.from(start) };
      const r = bobyqa(f, start, { lower: lowerHeld, rhoBeg: 0.05, rhoEnd: 1e-8, maxEval: 20000 });
      return { fx: r.fx, theta: Float64Array.from(r.x) };
    };
  }
  const frame = m.frame;
  const n = frame.n;
  const p = m.beta.length;
  const X = frame.X;
  const y = frame.response.y;
  const offset = frame.offset;
  const Xd = new Float64Array(n * (p - 1));
  const yd = new Float64Array(n);
  const A = new CrossProducts(re.terms, n, p - 1);
  const ws = new LmmWorkspace(A);
  const lower = re.lower();
  let current = -1;
  return (j, value, start) => {
    if (j !== current) {
      for (let c = 0, o = 0; c < p; c++) {
        if (c === j) continue;
        Xd.set(X.subarray(c * n, (c + 1) * n), o * n);
        o++;
      }
      current = j;
    }
    for (let i = 0; i < n; i++) yd[i] = y[i] - (offset?.[i] ?? 0) - X[i + j * n] * value;
    A.fill(Xd, yd);
    const f = (t: Float64Array): number => ws.objective(t, false);
    if (!Number.isFinite(f(start))) return { fx: NaN, theta: Float64Array.from(start) };
    const r = bobyqa(f, start, { lower, rhoBeg: 0.05, rhoEnd: 1e-8, maxEval: 20000 });
    return { fx: r.fx, theta: Float64Array.from(r.x) };
  };
}

function profileGlmm(m: GeneralizedLinearMixedModel, z: number, onProgress?: (done: number, total: number) => void, parm?: readonly string[]): ConfintRow[] {
  const re = m.randomEffects;
  const nt = re.ntheta;
  const p = m.fixefNames.length;
  const sd = re.naturalNames(false);
  const kinds = sd.map((s) => s.kind);
  const estSd = re.toNatural(m.theta, 1, false);
  // a dispersion family's σ is the last parameter (on its natural scale; the deviance takes log σ)
  const ds = m.dispersion ? 1 : 0;
  const est = Float64Array.of(...estSd, ...m.beta, ...(ds ? [m.sigma] : []));
  const base = m.criterion.value;
  const b = sdcorBox(kinds, estSd, 1);
  const box: ParameterBox = {
    lower: Float64Array.of(...b.lower, ...new Array<number>(p).fill(-Infinity), ...(ds ? [0] : [])),
    upper: Float64Array.of(...b.upper, ...new Array<number>(p).fill(Infinity), ...(ds ? [Infinity] : [])),
    scale: Float64Array.of(...b.scale, ...m.fixef.map((f) => (f.se > 0 && Number.isFinite(f.se) ? f.se : 1)), ...(ds ? [m.sigma] : [])),
  };
  const tb = new Float64Array(nt + p + ds);
  const th = new Float64Array(nt);
  const dev = (v: Float64Array): number => {
    if (!re.fromNatural(v, 1, th)) return Infinity;
    tb.set(th, 0);
    tb.set(v.subarray(nt, nt + p), nt);
    if (ds) {
      if (!(v[nt + p] > 0)) return Infinity;
      tb[nt + p] = Math.log(v[nt + p]);
    }
    const d = m.devfun(tb);
    return Number.isFinite(d) ? d : Infinity;
  };
  // rows in lme4's order: sds and correlations, σ, fixed effects
  const nameOf = (w: number): string => (w < nt ? sd[w].name : w < nt + p ? m.fixefNames[w - nt] : "sigma");
  const all = [...sd.keys(), ...(ds ? [nt + p] : []), ...m.fixefNames.map((_, j) => nt + j)];
  const unknown = parm?.find((name) => !all.some((w) => nameOf(w) === name));
  if (unknown !== undefined) throw new MlmError(`'${unknown}' is not a parameter of the model; profile one of ${all.map(nameOf).join(", ")}.`);
  const order = parm ? all.filter((w) => parm.includes(nameOf(w))) : all;
  const total = order.length;
  const rows: ConfintRow[] = [];
  try {
    order.forEach((w, done) => {
      const zeta: ZetaFunction = (x, start) => {
        const r = minimiseWithFixed(dev, start, w, x, box);
        return { zeta: signedRoot(x - est[w], r.fx - base), at: r.x };
      };
      const step = (d: -1 | 1): number => (w < nt ? sdcorStep(kinds[w], est[w], 1, d) : w >= nt + p ? sdcorStep("sd", est[w], 1, d) : z * box.scale[w]);
      const limit = (d: -1 | 1): number => findLimit(zeta, { estimate: est[w], start: est, direction: d, z, step: step(d), bound: d < 0 ? box.lower[w] : box.upper[w] });
      rows.push({ name: nameOf(w), lower: finiteOrNull(limit(-1)), upper: finiteOrNull(limit(1)) });
      onProgress?.(done + 1, total);
    });
  } finally {
    // leave the model's workspace at its optimum
    m.devfun(Float64Array.of(...m.theta, ...m.beta, ...(ds ? [Math.log(m.sigma)] : [])));
  }
  return rows;
}

/** sign(dx) √max(0, ddev); NaN stays NaN. */
function signedRoot(dx: number, ddev: number): number {
  if (Number.isNaN(ddev)) return NaN;
  return Math.sign(dx) * Math.sqrt(Math.max(0, ddev));
}

function finiteOrNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
