/**
 * What the plot builders share: the container of a plot's panels, the normal quantiles of QQ
 * plots, and the choice of a predictor for the x axis.
 */
import type { FitResult } from "../protocol.js";

/** Options every plot builder takes: the document to build in (a browser's, or jsdom's in Node) and the width of a panel. */
export interface PlotOptions {
  readonly document?: Document;
  readonly width?: number;
}

/** Wraps one or more Plot panels in a container (exports lay the panels side by side). */
export function panels(doc: Document, elements: readonly (SVGSVGElement | HTMLElement)[]): HTMLElement {
  const div = doc.createElement("div");
  div.className = "plot-panels";
  for (const e of elements) div.append(e);
  return div;
}

/** Φ(x), from the complementary error function (W. J. Cody's rational bounds replaced by a continued fraction for |x| > 3). */
export function normalCdf(x: number): number {
  // Φ(x) = erfc(−x/√2)/2; erfc by the series of erf below 3, by its continued fraction above.
  const z = Math.abs(x) / Math.SQRT2;
  let erfc: number;
  if (z < 3) {
    // erf z = 2/√π Σ (−1)^k z^(2k+1) / (k! (2k+1))
    let term = z;
    let sum = z;
    for (let k = 1; k < 100; k++) {
      term *= (-z * z) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc z = exp(−z²)/√π · 1/(z + 1/2/(z + 1/(z + 3/2/(z + …)))), evaluated from the tail
    let f = z;
    for (let k = 60; k >= 1; k--) f = z + k / 2 / f;
    erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Φ⁻¹(p) by bisection on {@link normalCdf} (plot positions need no more than 1e-10). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** R's ppoints(n): (i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10 and 1/2 otherwise. */
export function ppoints(n: number): number[] {
  const a = n <= 10 ? 3 / 8 : 0.5;
  return Array.from({ length: n }, (_, i) => (i + 1 - a) / (n + 1 - 2 * a));
}

/** Normal QQ points of values: theoretical quantile against sorted value. */
export function qqPoints(values: readonly number[]): { theoretical: number; sample: number }[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const probs = ppoints(sorted.length);
  return sorted.map((sample, i) => ({ theoretical: normalQuantile(probs[i]), sample }));
}

/** Whether a column takes more than one value within at least half of the groups. */
function variesWithinGroups(values: readonly number[], group: FitResult["rows"]["group"]): boolean {
  if (!group) return true;
  const lo = new Float64Array(group.levels.length).fill(Infinity);
  const hi = new Float64Array(group.levels.length).fill(-Infinity);
  values.forEach((v, i) => {
    const k = group.refs[i];
    if (v < lo[k]) lo[k] = v;
    if (v > hi[k]) hi[k] = v;
  });
  let varying = 0;
  for (let k = 0; k < lo.length; k++) if (hi[k] > lo[k]) varying++;
  return varying >= lo.length / 2;
}

/**
 * The numeric predictors of a fit a person would put on the x axis, best first: random slopes
 * (Days, cses, year), then fixed effects that vary within groups, then other fixed effects, then
 * the other numeric columns.
 */
export function predictorChoices(r: FitResult): string[] {
  const numeric = Object.keys(r.rows.numeric).filter((c) => c !== r.rows.response);
  const names = (terms: readonly string[]): string[] => numeric.filter((c) => terms.some((t) => t === c || t.split(":").includes(c) || t.includes(`(${c}`)));
  const slopes = names([...new Set(r.ranef.map((d) => d.term))]);
  const fixed = names(r.fixef.map((f) => f.term)).filter((c) => !slopes.includes(c));
  const within = fixed.filter((c) => variesWithinGroups(r.rows.numeric[c], r.rows.group));
  const ordered = [...slopes, ...within, ...fixed.filter((c) => !within.includes(c))];
  return [...ordered, ...numeric.filter((c) => !ordered.includes(c))];
}

/** The chosen predictor if the fit has it, else the first choice. */
export function predictorOf(r: FitResult, chosen: string | null): string | null {
  const choices = predictorChoices(r);
  return chosen !== null && choices.includes(chosen) ? chosen : (choices[0] ?? null);
}
