/**
 * The random-effects layer of a model (as MixedModels.jl's ReMat list): the terms in fitted
 * order (lme4's order of decreasing levels), the layout of θ over them (offsets, bounds, start),
 * Λ(θ), the random effects b = Λ(θ) u and Z b, the natural (sd/cor) scale of θ, the singular-fit
 * check and the conditional modes with their standard deviations.
 *
 * For term t with k_t columns and level h, b_th = Λ_t u_th and Var(b_th) = σ² Λ_t Λ_t'
 * (Bates et al. 2015, JSS 67(1), section 2.2). A value of this class is built once per model and
 * never changes.
 */
import type { ModelFrame, ReTermFrame } from "../model-frame/types.js";
import type { NaturalParameter } from "./covariance/index.js";
import { ReTerm, reTermOrder } from "./re-term.js";

/** The conditional mode of one random effect and its conditional standard deviation. */
export interface RanefRow {
  readonly group: string;
  readonly term: string;
  readonly level: string;
  readonly condval: number;
  readonly condsd: number;
}

/** The random-effects terms of a model, in fitted order, and everything θ means for them. */
export class RandomEffects {
  /** The terms in fitted order; term s holds θ[terms[s].offset …]. */
  readonly terms: readonly ReTerm[];
  /** Fitted position s holds the model frame's term `order[s]` (formula order). */
  readonly order: readonly number[];
  /** Number of θ elements. */
  readonly ntheta: number;
  /** Number of random effects, Σ_t q_t. */
  readonly q: number;

  /**
   * @param reterms - the model frame's random-effects terms, in formula order.
   * @example
   * ```ts
   * // plate has 24 levels, sample 6: lme4 fits the term with more levels first
   * const re = new RandomEffects(modelFrame(parseFormula("diameter ~ 1 + (1 | sample) + (1 | plate)"), penicillin).reterms);
   * re.order; // [1, 0]
   * re.terms.map((t) => t.nlev); // [24, 6]
   * ```
   */
  constructor(reterms: readonly ReTermFrame[]) {
    this.order = Object.freeze(reTermOrder(reterms.map((t) => t.group.levels.length)));
    let off = 0;
    const terms: ReTerm[] = [];
    for (const i of this.order) {
      const t = new ReTerm(reterms[i], off);
      terms.push(t);
      off += t.ntheta;
    }
    this.terms = Object.freeze(terms);
    this.ntheta = off;
    this.q = terms.reduce((s, t) => s + t.q, 0);
    Object.freeze(this);
  }

  /**
   * The layer of a model frame.
   *
   * @param frame - the model frame.
   * @returns its random-effects layer.
   * @example
   * ```ts
   * RandomEffects.of(penicillinFit.frame).terms.map((t) => t.frame.group.name); // ["plate", "sample"]
   * ```
   */
  static of(frame: ModelFrame): RandomEffects {
    return new RandomEffects(frame.reterms);
  }

  /**
   * Lower bounds of θ: 0 for the elements that are standard deviations on Λ's diagonal, −∞ elsewhere.
   *
   * @returns a new array.
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.lower(); // Float64Array [0, -Infinity, 0] ((Days | Subject): sds ≥ 0)
   * ```
   */
  lower(): Float64Array {
    const out = new Float64Array(this.ntheta);
    for (const t of this.terms) t.cov.lower(t.k, out, t.offset);
    return out;
  }

  /**
   * lme4's starting value of θ (identity Λ).
   *
   * @returns a new array.
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.start(); // Float64Array [1, 0, 1]
   * ```
   */
  start(): Float64Array {
    const out = new Float64Array(this.ntheta);
    for (const t of this.terms) t.cov.start(t.k, out, t.offset);
    return out;
  }

  /**
   * Λ_t(θ) of each term, in fitted order.
   *
   * @param theta - θ.
   * @param out - arrays to fill (new ones by default).
   * @returns one k_t × k_t matrix per term.
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.lambdas([0.9667, 0.0152, 0.2309])[0]; // Float64Array [0.9667, 0.0152, 0, 0.2309]
   * ```
   */
  lambdas(theta: ArrayLike<number>, out?: Float64Array[]): Float64Array[] {
    const lam = out ?? this.terms.map((t) => new Float64Array(t.k * t.k));
    this.terms.forEach((t, s) => t.fillLambda(theta, t.offset, lam[s]));
    return lam;
  }

  /**
   * The random effects on the original scale, b = Λ(θ) u, term by term and level by level.
   *
   * @param lambda - Λ_t of each term.
   * @param u - spherical random effects.
   * @param out - where to write b (a new array by default).
   * @returns b, same layout as u.
   * @example
   * ```ts
   * const re = sleepstudyFit.randomEffects;
   * const u = new Float64Array(36).fill(1);
   * re.sphericalToB(re.lambdas([0.9667, 0.0152, 0.2309]), u).subarray(0, 2); // Float64Array [0.9667, 0.2461] (Λ·[1, 1] for Subject 308)
   * ```
   */
  sphericalToB(lambda: readonly Float64Array[], u: ArrayLike<number>, out?: Float64Array): Float64Array {
    const b = out ?? new Float64Array(u.length);
    const terms = this.terms;
    let o = 0;
    for (let t = 0; t < terms.length; t++) {
      const { k, nlev, q } = terms[t];
      const lam = lambda[t];
      if (k === 1) {
        const l = lam[0];
        for (let h = 0; h < nlev; h++) b[o + h] = l * u[o + h];
      } else {
        for (let h = 0; h < nlev; h++) {
          const base = o + h * k;
          for (let i = 0; i < k; i++) {
            let s = 0;
            for (let r = 0; r <= i; r++) s += lam[i + r * k] * u[base + r];
            b[base + i] = s;
          }
        }
      }
      o += q;
    }
    return b;
  }

  /**
   * Add Z b to a vector of per-row values: out[i] += Σ_t z_t(i) · b_t[level_t(i)].
   *
   * @param b - random effects (layout of u).
   * @param out - per-row values, updated.
   * @example
   * ```ts
   * // b: intercept 2 and Days slope 10 for Subject 308, zero for the others
   * const re = sleepstudyFit.randomEffects;
   * const b = new Float64Array(36);
   * b.set([2, 10]);
   * const fitted = new Float64Array(180);
   * re.addZb(b, fitted);
   * fitted.subarray(0, 3); // Float64Array [2, 12, 22] (Days 0, 1, 2 of Subject 308)
   * ```
   */
  addZb(b: ArrayLike<number>, out: Float64Array): void {
    const n = out.length;
    let o = 0;
    for (const term of this.terms) {
      const k = term.k;
      const refs = term.frame.group.refs;
      const z = term.frame.z;
      if (k === 1) {
        for (let i = 0; i < n; i++) out[i] += z[i] * b[o + refs[i]];
        o += term.q;
        continue;
      }
      for (let i = 0; i < n; i++) {
        const base = o + refs[i] * k;
        let s = 0;
        for (let j = 0; j < k; j++) s += z[i + j * n] * b[base + j];
        out[i] += s;
      }
      o += term.q;
    }
  }

  /**
   * The grouping factors whose θ sits on its boundary (lme4's `isSingular`, tol 1e-4).
   *
   * @param theta - estimates.
   * @param tol - tolerance.
   * @returns the names of those factors (empty for a regular fit).
   * @example
   * ```ts
   * const re = fit("Yield ~ 1 + (1 | Batch)", dyestuff2).randomEffects;
   * re.singularGroups([0], 1e-4); // ["Batch"]
   * re.singularGroups([0.5], 1e-4); // []
   * ```
   */
  singularGroups(theta: ArrayLike<number>, tol: number): string[] {
    const out = new Set<string>();
    for (const t of this.terms) if (t.cov.singular(theta, t.offset, t.k, tol)) out.add(t.frame.group.name);
    return [...out];
  }

  /**
   * Levels per grouping factor, by name.
   *
   * @returns `{ name: levels }`.
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.ngroups(); // { Subject: 18 }
   * ```
   */
  ngroups(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.terms) out[t.frame.group.name] = t.nlev;
    return out;
  }

  /**
   * The names lme4 gives the groups of the terms: a factor's first term keeps its name, later
   * terms on the same factor get `.1`, `.2`, ….
   *
   * @returns one name per term, in fitted order.
   * @example
   * ```ts
   * const frame = modelFrame(parseFormula("Reaction ~ Days + (Days || Subject)"), sleepstudy);
   * RandomEffects.of(frame).groupNames(); // ["Subject", "Subject.1"]
   * ```
   */
  groupNames(): string[] {
    const seen = new Map<string, number>();
    return this.terms.map((t) => {
      const name = t.frame.group.name;
      const m = seen.get(name) ?? 0;
      seen.set(name, m + 1);
      return m === 0 ? name : `${name}.${m}`;
    });
  }

  /**
   * The names of θ on the natural (sd/cor) scale, as lme4's `confint(oldNames = FALSE)`.
   *
   * @param useSc - append `sigma` (models with a residual scale).
   * @returns names and kinds, one per θ element (plus sigma).
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.naturalNames(true).map((p) => p.name);
   * // ["sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sd_Days|Subject", "sigma"]
   * ```
   */
  naturalNames(useSc: boolean): NaturalParameter[] {
    const out = this.terms.flatMap((t) => t.cov.naturalNames(t.frame.cnms, t.frame.group.name));
    if (useSc) out.push({ name: "sigma", kind: "sigma" });
    return out;
  }

  /**
   * θ and σ to the natural scale.
   *
   * @param theta - θ.
   * @param sigma - σ (1 for families without a scale).
   * @param useSc - append σ.
   * @returns the parameters in the order of {@link naturalNames}.
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.toNatural([0.9667, 0.0152, 0.2309], 25.59, true); // Float64Array [24.74, 0.066, 5.92, 25.59]
   * ```
   */
  toNatural(theta: ArrayLike<number>, sigma: number, useSc: boolean): Float64Array {
    const out = new Float64Array(this.ntheta + (useSc ? 1 : 0));
    for (const t of this.terms) t.cov.toNatural(theta, t.offset, t.k, sigma, out, t.offset);
    if (useSc) out[this.ntheta] = sigma;
    return out;
  }

  /**
   * The natural scale back to θ (for sds and correlations, Λ_t = chol(D R D) / σ).
   *
   * @param natural - parameters in θ's positions (a trailing σ is ignored).
   * @param sigma - σ (> 0).
   * @param theta - output, length of θ.
   * @returns true when the parameters describe valid covariance matrices.
   * @example
   * ```ts
   * const th = new Float64Array(3);
   * sleepstudyFit.randomEffects.fromNatural([24.74, 0.066, 5.92], 25.59, th); // true
   * th; // Float64Array [0.9668, 0.0152, 0.2308]
   * ```
   */
  fromNatural(natural: ArrayLike<number>, sigma: number, theta: Float64Array): boolean {
    for (const t of this.terms) if (!t.cov.fromNatural(natural, t.offset, t.k, sigma, theta, t.offset)) return false;
    return true;
  }

  /**
   * The conditional covariance blocks of the random effects up to σ²: per term (fitted order)
   * and level, Λ_t C Λ_t' with C the level's block of u's conditional covariance (condVarU).
   *
   * @param lambda - Λ_t of each term.
   * @param condVarU - per term, blocks of C.
   * @returns per term, nlev blocks of k × k (column-major).
   * @example
   * ```ts
   * // dyestuff's one scalar term (6 batches) with Λ = [2] and C = 0.5 for every batch
   * const re = dyestuffFit.randomEffects;
   * re.conditionalCovariance([Float64Array.of(2)], [new Float64Array(6).fill(0.5)])[0][0]; // 2
   * ```
   */
  conditionalCovariance(lambda: readonly Float64Array[], condVarU: readonly Float64Array[]): Float64Array[] {
    return this.terms.map((term, t) => {
      const k = term.k;
      const kk = k * k;
      const lam = lambda[t];
      const c = condVarU[t];
      const blocks = new Float64Array(term.nlev * kk);
      for (let h = 0; h < term.nlev; h++) {
        for (let a = 0; a < k; a++) {
          for (let d = 0; d < k; d++) {
            // (Λ C Λ')[a, d] with Λ lower triangular
            let sum = 0;
            for (let r = 0; r <= a; r++) for (let e = 0; e <= d; e++) sum += lam[a + r * k] * c[h * kk + r + e * k] * lam[d + e * k];
            blocks[h * kk + a + d * k] = sum;
          }
        }
      }
      return blocks;
    });
  }

  /**
   * Conditional modes and conditional standard deviations of the random effects, in lme4's
   * `as.data.frame(ranef(fit, condVar = TRUE))` order: by term, by column, by level.
   *
   * Var(b_j | y) = σ² (Λ C Λ')_jj, with C the conditional covariance block of u up to σ².
   *
   * @param lambda - Λ_t of each term.
   * @param b - conditional modes (layout of u).
   * @param condVarU - per term, blocks of C.
   * @param sigma - residual standard deviation (1 for GLMMs).
   * @returns one row per group, column and level.
   * @example
   * ```ts
   * import { CrossProducts } from "../lmm/cross-products.js";
   * import { LmmWorkspace } from "../lmm/workspace.js";
   * const re = sleepstudyFit.randomEffects;
   * const A = new CrossProducts(re.terms, 180, 2);
   * A.fill(sleepstudyFrame.X, sleepstudyFrame.response.y);
   * const ws = new LmmWorkspace(A);
   * ws.updateL(sleepstudyFit.theta);
   * const lambda = re.lambdas(sleepstudyFit.theta);
   * const b = re.sphericalToB(lambda, ws.u(ws.beta()));
   * re.ranefRows(lambda, b, ws.condVarU(), sleepstudyFit.sigma)[0];
   * // { group: "Subject", term: "(Intercept)", level: "308", condval: 2.259, condsd: 12.07 }
   * ```
   */
  ranefRows(lambda: readonly Float64Array[], b: ArrayLike<number>, condVarU: readonly Float64Array[], sigma: number): RanefRow[] {
    const rows: RanefRow[] = [];
    const cov = this.conditionalCovariance(lambda, condVarU);
    let o = 0;
    this.terms.forEach((term, t) => {
      const k = term.k;
      const levels = term.frame.group.levels;
      for (let j = 0; j < k; j++) {
        for (let h = 0; h < term.nlev; h++) {
          const v = cov[t][h * k * k + j + j * k];
          rows.push(Object.freeze({ group: term.frame.group.name, term: term.frame.cnms[j], level: levels[h], condval: b[o + h * k + j], condsd: sigma * Math.sqrt(Math.max(v, 0)) }));
        }
      }
      o += term.q;
    });
    return rows;
  }

  /**
   * The structures' own parameters per term (ρ for cs and ar1), for terms that have any.
   *
   * @param theta - θ.
   * @returns one entry per such term, in fitted order, with lme4's group name.
   * @example
   * ```ts
   * sleepstudyFit.randomEffects.structureParameters(sleepstudyFit.theta); // [] (unstructured and diagonal terms have none)
   * ```
   */
  structureParameters(theta: ArrayLike<number>): { group: string; structure: string; parameters: Readonly<Record<string, number>> }[] {
    const names = this.groupNames();
    return this.terms.flatMap((t, s) => {
      const parameters = t.cov.parameters(theta, t.offset, t.k);
      return Object.keys(parameters).length > 0 ? [{ group: names[s], structure: t.cov.name, parameters }] : [];
    });
  }
}
