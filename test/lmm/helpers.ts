// Test helpers for the LMM kernels: the dense matrices that the blocked kernels must reproduce,
// built straight from the model frame with none of the code under test.
import { parseFormula } from "../../src/formula/index.js";
import { modelFrame } from "../../src/model-frame/index.js";
import type { ModelFrame } from "../../src/model-frame/types.js";
import { toDataTable } from "../../src/data/to-data-table.js";
import { RandomEffects } from "../../src/terms/random-effects.js";
import type { ReTerm } from "../../src/terms/re-term.js";

/** A model frame and its random-effects terms in fitted order, from plain columns. */
export function frameOf(formula: string, columns: Record<string, (number | string)[]>, weights?: string): { frame: ModelFrame; terms: readonly ReTerm[] } {
  const frame = modelFrame(parseFormula(formula), toDataTable(columns), weights ? { weights } : {});
  return { frame, terms: RandomEffects.of(frame).terms };
}

/** The dense n × m matrix [Z X y] (column-major), Z's columns by term (fitted order), level, then column. */
export function denseZXy(frame: ModelFrame, terms: readonly ReTerm[]): { M: Float64Array; m: number; q: number } {
  const n = frame.n;
  const p = frame.fixefNames.length;
  const q = terms.reduce((s, t) => s + t.q, 0);
  const m = q + p + 1;
  const M = new Float64Array(n * m);
  let off = 0;
  for (const t of terms) {
    const refs = t.frame.group.refs;
    for (let i = 0; i < n; i++) for (let j = 0; j < t.k; j++) M[i + (off + refs[i] * t.k + j) * n] = t.frame.z[i + j * n];
    off += t.q;
  }
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) M[i + (q + j) * n] = frame.X[i + j * n];
  for (let i = 0; i < n; i++) M[i + (m - 1) * n] = frame.response.y[i];
  return { M, m, q };
}

/** M' diag(w) M, both triangles (m × m, column-major). */
export function crossprod(M: Float64Array, n: number, m: number, w?: ArrayLike<number>): Float64Array {
  const C = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += M[i + a * n] * M[i + b * n] * (w ? w[i] : 1);
      C[a + b * m] = s;
      C[b + a * m] = s;
    }
  }
  return C;
}

/** Largest absolute entry. */
export function maxAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
}

/** A small deterministic pseudo-random sequence in [0, 1) (for data; fast-check drives the properties). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
