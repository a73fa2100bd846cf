/**
 * Likelihood-ratio tests between nested mixed models, as lme4's `anova(m0, m1, ...)`.
 *
 * The models are sorted by their number of parameters; linear models fitted by REML are refitted
 * by maximum likelihood first (REML criteria of models with different fixed effects are not
 * comparable). Between consecutive models
 *
 *     χ² = 2 (ℓ₁ − ℓ₀),   df = npar₁ − npar₀,   p = P(χ²_df > χ²).
 *
 * When the two models have the same fixed effects and differ only in variance parameters, the
 * simpler model puts a variance on its boundary of zero and the ordinary p-value is conservative;
 * the asymptotic null distribution is then a chi-bar-square mixture (Self & Liang 1987; Stram &
 * Lee 1994): ½χ²₀ + ½χ²₁ for one added variance, ½χ²_{k−1} + ½χ²_k for one added effect correlated
 * with the k − 1 effects of an existing term.
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { chiBarSquareUpper, chiSquareUpper, type MixtureComponent } from "./chi-square.js";
import { refitMl } from "./refit.js";

/** One model of the comparison, as a row of lme4's anova table. */
export interface LrtModelRow {
  readonly formula: string;
  readonly npar: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly logLik: number;
  /** −2 log-likelihood. */
  readonly deviance: number;
}

/** The test of one model against the previous (simpler) one. */
export interface LrtTest {
  /** 2 Δ log-likelihood. */
  readonly chisq: number;
  /** Δ npar. */
  readonly df: number;
  /** P(χ²_df > chisq); NaN when df is 0. */
  readonly p: number;
  /** The p-value from the chi-bar-square mixture, for a variance tested on its boundary of zero. */
  readonly pBoundary?: number;
  /** The mixture used for pBoundary, as text such as `½χ²₁ + ½χ²₂`. */
  readonly mixture?: string;
  /** Why pBoundary differs from p, or why it is not given. */
  readonly note?: string;
}

/** The result of {@link anovaLrt}. */
export interface LrtTable {
  /** The models, sorted by npar, with ML log-likelihoods. */
  readonly models: readonly LrtModelRow[];
  /** `tests[i]` compares `models[i + 1]` with `models[i]`. */
  readonly tests: readonly LrtTest[];
}

/**
 * Likelihood-ratio tests of nested models (lme4's `anova(m0, m1, ...)`).
 *
 * @param models - two or more fits to the same rows and response.
 * @returns the table of models (sorted by npar) and the tests between consecutive models.
 * @throws MlmError for fewer than two models, models of different families, or models fitted to
 *   different rows or responses.
 * @example
 * ```ts
 * const m0 = fitLmm("Reaction ~ Days + (1 | Subject)", sleepstudy);
 * anovaLrt([m0, sleepstudyFit]).tests[0];
 * // { chisq: 42.139, df: 2, p: 7.07e-10, pBoundary: 3.96e-10, mixture: "½χ²₁ + ½χ²₂", note: "The simpler model sets a variance to zero, the edge of its allowed range…" }
 * ```
 */
export function anovaLrt(models: readonly MixedModel[]): LrtTable {
  if (models.length < 2) throw new MlmError("A likelihood-ratio test needs at least two models; give a simpler and a more complex formula.");
  checkComparable(models);
  const fits = models.map((m) => refitMl(m));
  const order = fits.map((_, i) => i).sort((a, b) => fits[a].npar - fits[b].npar || a - b);
  const sorted = order.map((i) => fits[i]);
  const rows: LrtModelRow[] = sorted.map((m) => ({
    formula: m.formula,
    npar: m.npar,
    AIC: m.AIC,
    BIC: m.BIC,
    logLik: m.logLik,
    deviance: -2 * m.logLik,
  }));
  const tests: LrtTest[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const chisq = 2 * (sorted[i].logLik - sorted[i - 1].logLik);
    const df = sorted[i].npar - sorted[i - 1].npar;
    const p = df > 0 ? chiSquareUpper(chisq, df) : NaN;
    const boundary = df > 0 ? (sorted[i - 1].family.name !== sorted[i].family.name ? dispersionBoundary(sorted[i - 1], sorted[i], df) : boundaryMixture(sorted[i - 1], sorted[i], df)) : {};
    const test: LrtTest = { chisq, df, p };
    if (boundary.mixture) {
      tests.push({ ...test, pBoundary: chiBarSquareUpper(chisq, boundary.mixture), mixture: mixtureText(boundary.mixture), note: boundary.note });
    } else {
      tests.push(boundary.note ? { ...test, note: boundary.note } : test);
    }
  }
  return { models: rows, tests };
}

/** Whether one model's family is the limit of the other's at the bound of its dispersion (Poisson in a negative binomial). */
function nestedAsLimit(a: MixedModel, b: MixedModel): boolean {
  const same = a.family.link.name === b.family.link.name;
  return same && (a.family.limitOf === b.family.name || b.family.limitOf === a.family.name);
}

/**
 * A model whose family is the limit of the other's (Poisson against nbinom2 or nbinom1) with the
 * same fixed and random effects: the dispersion is tested on its boundary (1/θ = 0, α = 0), so
 * the null distribution is ½χ²₀ + ½χ²₁ (Self and Liang 1987).
 */
function dispersionBoundary(m0: MixedModel, m1: MixedModel, df: number): { mixture?: MixtureComponent[]; note?: string } {
  const sameFixed = [...m0.fixefNames].sort().join("\u0000") === [...m1.fixefNames].sort().join("\u0000");
  const sameRandom = without(blocksOf(m0), blocksOf(m1)).length === 0 && without(blocksOf(m1), blocksOf(m0)).length === 0;
  if (!sameFixed || !sameRandom || df !== 1 || m1.family.limitOf !== m0.family.name) return {};
  return {
    mixture: [
      { df: 0, weight: 0.5 },
      { df: 1, weight: 0.5 },
    ],
    note: `The ${m1.family.name} dispersion is tested on its boundary (the ${m0.family.name} model is its limit), so the p-value uses the mixture ½χ²₀ + ½χ²₁.`,
  };
}

/** Models fitted to the same rows and response, by the same family. */
function checkComparable(models: readonly MixedModel[]): void {
  const m0 = models[0];
  for (const m of models.slice(1)) {
    const f0 = `${m0.family.name} (${m0.family.link.name})`;
    const f = `${m.family.name} (${m.family.link.name})`;
    if (f !== f0 && !nestedAsLimit(m0, m)) {
      throw new MlmError(`The models have different families (${f0} and ${f}); a likelihood-ratio test compares models of the same family.`);
    }
    if (m.nobs !== m0.nobs) {
      throw new MlmError(`The models were fitted to different numbers of rows (${m0.nobs} for ${m0.formula}, ${m.nobs} for ${m.formula}), probably because of missing values in a variable only one of them uses; fit them to the same rows.`);
    }
    const y0 = m0.frame.response.y;
    const y = m.frame.response.y;
    const t0 = m0.frame.response.trials;
    const t = m.frame.response.trials;
    let same = true;
    for (let i = 0; i < y.length && same; i++) {
      if (y[i] !== y0[i] || (t0?.[i] ?? 1) !== (t?.[i] ?? 1) || m.frame.rows[i] !== m0.frame.rows[i]) same = false;
    }
    if (!same) {
      throw new MlmError(`The models were fitted to different responses or rows (${m0.frame.response.label} and ${m.frame.response.label}); a likelihood-ratio test needs the same response on the same rows.`);
    }
  }
}

/** A covariance block of the random effects: a grouping factor and the effects of one term. */
interface Block {
  readonly group: string;
  readonly effects: readonly string[];
  readonly key: string;
}

function blocksOf(m: MixedModel): Block[] {
  return m.frame.reterms.map((t) => {
    const effects = [...t.cnms].sort();
    return { group: t.group.name, effects, key: `${t.group.name}\u0000${effects.join("\u0000")}` };
  });
}

/** Blocks of `a` not matched by a block of `b` (as multisets). */
function without(a: readonly Block[], b: readonly Block[]): Block[] {
  const left = [...b];
  const out: Block[] = [];
  for (const x of a) {
    const j = left.findIndex((y) => y.key === x.key);
    if (j >= 0) left.splice(j, 1);
    else out.push(x);
  }
  return out;
}

const NOTE_BOUNDARY =
  "The simpler model sets a variance to zero, the edge of its allowed range, so the ordinary chi-square p-value is conservative; pBoundary uses the chi-bar-square mixture for a test on the boundary (Self & Liang 1987; Stram & Lee 1994).";
const NOTE_UNKNOWN =
  "The simpler model sets variance parameters to zero, the edge of their allowed range, so the ordinary chi-square p-value is conservative, but the mixture for this comparison is not one of the known forms (one added variance, or one added effect correlated with an existing term), so no boundary p-value is given.";
const NOTE_CORRELATION =
  "The models differ only in correlations between random effects, whose null value of zero lies inside their range, so the ordinary chi-square p-value applies and no boundary correction is needed.";

/**
 * The chi-bar-square mixture for testing m1 against m0 when they differ only in random effects,
 * or a note saying why there is none.
 */
function boundaryMixture(m0: MixedModel, m1: MixedModel, df: number): { mixture?: MixtureComponent[]; note?: string } {
  const f0 = [...m0.fixefNames].sort().join("\u0000");
  const f1 = [...m1.fixefNames].sort().join("\u0000");
  if (f0 !== f1) return {};
  const b0 = blocksOf(m0);
  const b1 = blocksOf(m1);
  const only0 = without(b0, b1);
  const only1 = without(b1, b0);
  if (only0.length === 0 && only1.length === 0) return {};
  // one added variance: a new scalar term
  if (only0.length === 0 && only1.length === 1 && only1[0].effects.length === 1 && df === 1) {
    return { mixture: [{ df: 0, weight: 0.5 }, { df: 1, weight: 0.5 }], note: NOTE_BOUNDARY };
  }
  if (only1.length === 1 && only0.length >= 1 && only0.every((b) => b.group === only1[0].group)) {
    const added = only1[0].effects;
    const removed = only0.flatMap((b) => b.effects);
    const subset = removed.every((e) => added.includes(e)) && new Set(removed).size === removed.length;
    // one effect added to a correlated term of k − 1 effects
    if (only0.length === 1 && subset && added.length === removed.length + 1 && df === added.length) {
      const k = added.length;
      return { mixture: [{ df: k - 1, weight: 0.5 }, { df: k, weight: 0.5 }], note: NOTE_BOUNDARY };
    }
    // the same effects, now correlated: only covariances added
    if (subset && added.length === removed.length) return { note: NOTE_CORRELATION };
  }
  return { note: NOTE_UNKNOWN };
}

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";

function mixtureText(mixture: readonly MixtureComponent[]): string {
  const sub = (k: number): string => String(k).replace(/\d/g, (d) => SUBSCRIPT[Number(d)]);
  return mixture.map((c) => `${c.weight === 0.5 ? "½" : c.weight}χ²${sub(c.df)}`).join(" + ");
}
