/**
 * Confidence intervals for the intraclass correlation of a random-intercept linear model,
 *
 *     ICC_g = τ²_g / (Σ_h τ²_h + σ²) = θ_g² / (1 + Σ_h θ_h²),
 *
 * (τ²_g = σ² θ_g²), a function of θ alone.
 *
 * - `bootstrap` (default, 500 simulations): percentile interval of the ICC of parametric-bootstrap
 *   refits. Transforming the endpoints of the profile intervals of τ and σ is not valid in general
 *   (the ICC depends on both, and the ends of two marginal intervals are not a joint region), so
 *   the bootstrap is the general-purpose method.
 * - `profile`: a proper profile of the ICC itself. Because the ICC depends on θ only, fixing
 *   ICC_g = c and minimising the fitted criterion (REML or ML, with σ and β profiled out) over the
 *   other θ_h, with θ_g² = c (1 + Σ_{h≠g} θ_h²) / (1 − c), gives its profile; the interval is where
 *   ζ(c) = sign(c − ĉ) √(D(c) − D(ĉ)) lies within ±z. For a REML fit this profiles the restricted
 *   likelihood, so it is centred on the REML estimate.
 */
import { MlmError } from "../errors.js";
import type { LinearMixedModel, MixedModel } from "../model/mixed-model.js";
import { bootMer, percentileIntervals, type BootstrapOptions } from "./bootstrap.js";
import { checkLevel, qnorm } from "./profile.js";
import { findLimit, minimiseWithFixed, type ZetaFunction } from "./profile-search.js";

/** The ICC of one grouping factor with its confidence interval. */
export interface IccInterval {
  readonly group: string;
  readonly estimate: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly method: "bootstrap" | "profile";
  readonly level: number;
  /** Bootstrap simulations (bootstrap intervals only). */
  readonly nsim?: number;
}

/** Options of {@link iccInterval}. */
export interface IccIntervalOptions extends BootstrapOptions {
  /** Default `bootstrap`. */
  readonly method?: "bootstrap" | "profile";
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

/**
 * Confidence intervals for the ICC of each grouping factor of a random-intercept linear model.
 *
 * @param m - a fitted random-intercept linear model (`m.icc` not empty).
 * @param options - method (bootstrap by default, nsim 500, seed 1), level, progress.
 * @returns one interval per grouping factor, in the order of `m.icc`.
 * @throws MlmError when the model has no ICC (random slopes, or a GLMM), or the bootstrap fails.
 * @example
 * ```ts
 * iccInterval(dyestuffFit, { method: "profile" });
 * // [{ group: "Batch", estimate: 0.4184, lower: 0.0686, upper: 0.8187, method: "profile", level: 0.95 }]
 * ```
 */
export function iccInterval(m: MixedModel, options: IccIntervalOptions = {}): IccInterval[] {
  const groups = Object.keys(m.icc);
  if (groups.length === 0 || m.kind !== "lmm") {
    throw new MlmError("The intraclass correlation is defined here for linear models whose random effects are intercepts only, such as y ~ x + (1 | g); this model has none.");
  }
  const level = checkLevel(options.level ?? 0.95);
  const method = options.method ?? "bootstrap";
  if (method === "profile") return profileIcc(m, groups, level);
  if (method !== "bootstrap") throw new MlmError(`Unknown ICC interval method '${String(method)}'; use bootstrap or profile.`);
  const nsim = options.nsim ?? 500;
  const r = bootMer(m, (f) => groups.map((g) => f.icc[g] ?? NaN), { ...options, nsim });
  return percentileIntervals(r, level).map(([lower, upper], i) => ({
    group: groups[i],
    estimate: m.icc[groups[i]],
    lower: Number.isNaN(lower) ? null : lower,
    upper: Number.isNaN(upper) ? null : upper,
    method,
    level,
    nsim,
  }));
}

function profileIcc(m: LinearMixedModel, groups: readonly string[], level: number): IccInterval[] {
  const z = qnorm((1 + level) / 2);
  const nt = m.theta.length;
  const base = m.criterion.value;
  const th = new Float64Array(nt);
  return groups.map((group, g) => {
    // v: θ with its g-th element replaced by the ICC of g
    const dev = (v: Float64Array): number => {
      const c = v[g];
      if (!(c >= 0 && c < 1)) return Infinity;
      let others = 0;
      for (let h = 0; h < nt; h++) if (h !== g) others += v[h] * v[h];
      for (let h = 0; h < nt; h++) th[h] = h === g ? Math.sqrt((c * (1 + others)) / (1 - c)) : v[h];
      const d = m.devfun(th);
      return Number.isFinite(d) ? d : Infinity;
    };
    const est = Float64Array.from(m.theta);
    est[g] = m.icc[group];
    const box = {
      lower: new Float64Array(nt),
      upper: new Float64Array(nt).fill(Infinity),
      scale: Float64Array.from(m.theta, (t, h) => (h === g ? 0.1 : Math.max(t, 0.05))),
    };
    box.upper[g] = 1;
    const zeta: ZetaFunction = (x, start) => {
      const r = minimiseWithFixed(dev, start, g, x, box);
      const dd = r.fx - base;
      return { zeta: Number.isNaN(dd) ? NaN : Math.sign(x - est[g]) * Math.sqrt(Math.max(0, dd)), at: r.x };
    };
    const c = est[g];
    const limit = (d: -1 | 1): number =>
      findLimit(zeta, { estimate: c, start: est, direction: d, z, step: Math.max(0.01, 0.3 * (d < 0 ? c : 1 - c)), bound: d < 0 ? 0 : 1 });
    const lower = limit(-1);
    const upper = limit(1);
    return { group, estimate: c, lower: Number.isNaN(lower) ? null : lower, upper: Number.isNaN(upper) ? null : upper, method: "profile" as const, level };
  });
}
