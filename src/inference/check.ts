/**
 * Simulation-based residual diagnostics, in the manner of R's DHARMa (Hartig 2022).
 *
 * Draw nsim responses y*⁽ˢ⁾ from the fitted model with new random effects (lme4's simulate), and
 * give each observation its scaled residual, the randomized probability integral transform of
 * the observed value within its simulated values:
 *
 *     r_i = (#{s : y*ᵢ⁽ˢ⁾ < y_i} + U_i (#{s : y*ᵢ⁽ˢ⁾ = y_i} + 1)) / (nsim + 1),   U_i ~ U(0, 1),
 *
 * which is uniform on (0, 1) when the model is right, for continuous and discrete responses
 * alike (ties, as in counts and proportions, are broken at random: Dunn and Smyth 1996).
 *
 * Tests:
 * - uniformity: one-sample Kolmogorov–Smirnov test of the r_i against U(0, 1) (p from the
 *   Kolmogorov distribution with Stephens's (1970) small-sample factor √n + 0.12 + 0.11/√n);
 * - dispersion (DHARMa's default `testDispersion`): the spread sd(y − μ̂) of the data against
 *   the spreads sd(y*⁽ˢ⁾ − μ̂) of the simulations, ratio = observed / mean(simulated), two-sided
 *   simulation p-value 2 min(P(sim ≥ obs), P(sim ≤ obs)) with the +1 correction;
 * - zero inflation (`testZeroInflation`, counts and binomial data): the number of zeros against
 *   the simulated numbers of zeros, ratio and p alike.
 *
 * Simulations are conditional on the fitted random effects by default (DHARMa's `use.u = TRUE`,
 * which gives the dispersion test its power for GLMMs) or unconditional, with new random effects.
 * As for any goodness-of-fit test with estimated parameters, the tests of a model fitted to the
 * data it is checked against are conservative (the fit has adapted to those data; Lilliefors 1967);
 * on fresh data from the model (`response`) the uniformity p-values are uniform.
 */
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { createRng } from "../numerics/random.js";
import { simulateResponse } from "./simulate.js";
import { qnorm } from "./profile.js";

/** Options of {@link checkModel}. */
export interface CheckOptions {
  /** Number of simulated responses (default 250, as DHARMa). */
  readonly nsim?: number;
  /** Seed of the simulations and of the randomization (default 1). */
  readonly seed?: number;
  /**
   * "conditional" (default): simulate given the conditional modes b̂, around the fitted μ̂
   * (lme4's `simulate(re.form = NULL)`, DHARMa's `use.u = TRUE`); "unconditional": with new random
   * effects (DHARMa's default for lme4).
   */
  readonly simulation?: "conditional" | "unconditional";
  /**
   * Values to check instead of the response the model was fitted to, one per row (for
   * calibration: data drawn from the model itself should give uniform p-values).
   */
  readonly response?: Float64Array;
}

/** One test of the diagnostics. */
export interface CheckTest {
  readonly name: "uniformity" | "dispersion" | "zero-inflation";
  /** The statistic: KS's D, or observed / mean simulated. */
  readonly statistic: number;
  readonly p: number;
  /** What the test found, in plain words. */
  readonly finding: string;
}

/** The diagnostics of a fitted model. */
export interface ModelCheck {
  readonly nsim: number;
  readonly seed: number;
  /** Scaled residuals, one per row used in the fit. */
  readonly residuals: Float64Array;
  readonly tests: readonly CheckTest[];
  /** Data for the standard plots. */
  readonly plots: {
    /** Scaled residual against the fitted value μ̂ of each row. */
    readonly residualsVsFitted: { readonly fitted: Float64Array; readonly residual: Float64Array };
    /** Uniform QQ plot: expected (i − ½)/n against the sorted scaled residuals. */
    readonly qqResiduals: { readonly expected: Float64Array; readonly observed: Float64Array };
    /** Normal QQ plots of the conditional modes, per grouping factor and term. */
    readonly qqRanef: readonly { readonly group: string; readonly term: string; readonly expected: Float64Array; readonly observed: Float64Array }[];
  };
}

/** Kolmogorov's upper tail Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²). */
function kolmogorovUpper(lambda: number): number {
  if (lambda < 0.2) return 1;
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/**
 * One-sample Kolmogorov–Smirnov test of values against the uniform distribution on (0, 1).
 *
 * D = max_i max(i/n − u_(i), u_(i) − (i − 1)/n); p = Q((√n + 0.12 + 0.11/√n) D) (Stephens 1970).
 *
 * @param u - the values.
 * @returns D and its p-value.
 * @example
 * ```ts
 * ksUniform(Float64Array.of(0.1, 0.4, 0.7, 0.9)); // { D: 0.2, p: 0.9915 }
 * ```
 */
export function ksUniform(u: ArrayLike<number>): { D: number; p: number } {
  const n = u.length;
  const s = Float64Array.from(u).sort();
  let D = 0;
  for (let i = 0; i < n; i++) D = Math.max(D, (i + 1) / n - s[i], s[i] - i / n);
  const sn = Math.sqrt(n);
  return { D, p: kolmogorovUpper((sn + 0.12 + 0.11 / sn) * D) };
}

/** Prior weights per row as the family sees them (binomial trials times the weights). */
function priorWeights(m: MixedModel): Float64Array {
  const f = m.frame;
  const trials = f.response.trials;
  const weights = f.weights;
  return Float64Array.from({ length: f.n }, (_, i) => (trials ? trials[i] : 1) * (weights ? weights[i] : 1));
}

/** Two-sided simulation p-value with the +1 correction. */
function simulationP(sim: Float64Array, obs: number): number {
  let ge = 0;
  let le = 0;
  for (const v of sim) {
    if (v >= obs) ge++;
    if (v <= obs) le++;
  }
  const n = sim.length;
  return Math.min(1, 2 * Math.min((ge + 1) / (n + 1), (le + 1) / (n + 1)));
}

const pText = (p: number): string => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

/**
 * DHARMa-style simulation-based diagnostics of a fitted model: scaled residuals, tests of
 * uniformity, dispersion and zero inflation, and the data for the standard plots.
 *
 * @param m - a fitted model.
 * @param options - nsim (default 250) and seed (default 1).
 * @returns the residuals, the tests with their findings in plain words, and plot data.
 * @throws MlmError for an nsim that is not a whole number of at least 10.
 * @example
 * ```ts
 * checkModel(fit("Reaction ~ Days + (Days | Subject)", sleepstudy)).tests.map((t) => t.name);
 * // ["uniformity", "dispersion"]
 * ```
 */
export function checkModel(m: MixedModel, options: CheckOptions = {}): ModelCheck {
  const nsim = options.nsim ?? 250;
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(nsim) && nsim >= 10)) throw new MlmError(`--nsim takes a whole number of simulations of at least 10, not ${nsim}.`);
  const rng = createRng(seed);
  const mu = m.fitted;
  const n = mu.length;
  const y = options.response ?? m.frame.response.y;
  if (y.length !== n) throw new MlmError(`The response to check has ${y.length} values but the model has ${n} rows; give one value per row.`);
  const conditional = (options.simulation ?? "conditional") === "conditional";
  const w = priorWeights(m);
  const family = m.family;
  const scale = m.kind === "lmm" ? m.sigma : 1;
  const draw = (): Float64Array => {
    if (!conditional) return simulateResponse(m, rng);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = family.draw(rng, mu[i], w[i], m.kind === "lmm" ? scale / Math.sqrt(w[i]) : scale);
    return out;
  };
  const less = new Float64Array(n);
  const equal = new Float64Array(n);
  const simSpread = new Float64Array(nsim);
  const simZeros = new Float64Array(nsim);
  for (let s = 0; s < nsim; s++) {
    const ys = draw();
    let sum = 0;
    let sum2 = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const v = ys[i];
      if (v < y[i]) less[i]++;
      else if (v === y[i]) equal[i]++;
      const d = v - mu[i];
      sum += d;
      sum2 += d * d;
      if (v === 0) zeros++;
    }
    simSpread[s] = Math.sqrt((sum2 - (sum * sum) / n) / (n - 1));
    simZeros[s] = zeros;
  }
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = (less[i] + rng.uniform() * (equal[i] + 1)) / (nsim + 1);

  const tests: CheckTest[] = [];
  const ks = ksUniform(residuals);
  tests.push({
    name: "uniformity",
    statistic: ks.D,
    p: ks.p,
    finding: ks.p < 0.05
      ? `The scaled residuals are not uniform (KS D = ${ks.D.toFixed(3)}, ${pText(ks.p)}): the data do not follow the model's distribution; look at the QQ plot for where they depart.`
      : `The scaled residuals are consistent with uniform (KS D = ${ks.D.toFixed(3)}, ${pText(ks.p)}): no sign that the data depart from the model's distribution.`,
  });
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i] - mu[i];
    sum += d;
    sum2 += d * d;
  }
  const obsSpread = Math.sqrt((sum2 - (sum * sum) / n) / (n - 1));
  const meanSpread = simSpread.reduce((a, b) => a + b, 0) / nsim;
  const ratio = obsSpread / meanSpread;
  const pd = simulationP(simSpread, obsSpread);
  tests.push({
    name: "dispersion",
    statistic: ratio,
    p: pd,
    finding: pd < 0.05
      ? `The residuals are ${ratio > 1 ? "overdispersed" : "underdispersed"}: their spread is ${ratio.toFixed(2)} times what the model predicts (${pText(pd)})${ratio > 1 && m.kind === "glmm" ? "; consider an observation-level random effect or a family with a dispersion parameter" : ""}.`
      : `The spread of the residuals matches the model (ratio ${ratio.toFixed(2)}, ${pText(pd)}): no sign of over- or underdispersion.`,
  });
  if (m.kind === "glmm") {
    let zeros = 0;
    for (let i = 0; i < n; i++) if (y[i] === 0) zeros++;
    const meanZeros = simZeros.reduce((a, b) => a + b, 0) / nsim;
    const zr = meanZeros > 0 ? zeros / meanZeros : zeros > 0 ? Infinity : 1;
    const pz = simulationP(simZeros, zeros);
    tests.push({
      name: "zero-inflation",
      statistic: zr,
      p: pz,
      finding: pz < 0.05
        ? `The data have ${zeros} zeros where the model expects ${meanZeros.toFixed(1)} (ratio ${zr.toFixed(2)}, ${pText(pz)}): ${zr > 1 ? "zero inflation; consider a zero-inflated or hurdle model" : "fewer zeros than the model predicts"}.`
        : `The number of zeros (${zeros}) matches the model's ${meanZeros.toFixed(1)} (ratio ${zr.toFixed(2)}, ${pText(pz)}): no sign of zero inflation.`,
    });
  }

  const observed = Float64Array.from(residuals).sort();
  const expected = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
  const ranef = m.ranef();
  const keys: string[] = [];
  for (const r of ranef) if (!keys.includes(`${r.group}\u0000${r.term}`)) keys.push(`${r.group}\u0000${r.term}`);
  const qqRanef = keys.map((k) => {
    const [group, term] = k.split("\u0000");
    const v = Float64Array.from(ranef.filter((r) => r.group === group && r.term === term).map((r) => r.condval)).sort();
    return { group, term, expected: Float64Array.from({ length: v.length }, (_, i) => qnorm((i + 0.5) / v.length)), observed: v };
  });
  return {
    nsim,
    seed,
    residuals,
    tests,
    plots: { residualsVsFitted: { fitted: mu, residual: residuals }, qqResiduals: { expected, observed }, qqRanef },
  };
}
