/**
 * corSymm: a general (unstructured) correlation matrix C over K positions 1…K, shared by all
 * groups; a group observed at some positions uses the corresponding block of C (nlme's
 * corSymm; its constrained parameters are the correlations cor(1,2), cor(1,3), …, cor(K−1,K),
 * by rows of the upper triangle).
 *
 * C = L Lᵀ with L lower triangular with unit rows, in spherical coordinates (Pinheiro and Bates
 * 1996, Statistics and Computing 6): row i has L_i1 = cos a_i1, L_ij = cos a_ij Π_{k<j} sin a_ik,
 * L_ii = Π_{k<i} sin a_ik, each angle a = π / (1 + e^(−u)) in (0, π) for an unconstrained u.
 * Any u gives a positive-definite C; u = 0 gives the identity. Groups are whitened by their
 * dense blocks (dense-whiten.ts).
 */
import { MlmError } from "../errors.js";
import { denseWhiten } from "./dense-whiten.js";
import type { GroupLayout } from "./residual-groups.js";
import type { CorrelationStructure } from "./structure.js";

/** corSymm bound to a data set's groups. */
export class CorSymm implements CorrelationStructure {
  readonly structure = "corSymm" as const;
  readonly label = "General correlation";
  readonly npar: number;
  readonly names: readonly string[];
  /** Number of distinct positions. */
  readonly K: number;
  private readonly first: number;
  private readonly C: Float64Array;
  private readonly L: Float64Array;
  private readonly work: Float64Array;

  /**
   * @param layout - rows grouped and sorted by position.
   * @param form - the form as written.
   * @example
   * ```ts
   * import { groupLayout } from "./residual-groups.js";
   * const un = new CorSymm(groupLayout(3, Int32Array.of(0, 0, 0), 1, Float64Array.of(1, 2, 3), "corSymm", "occasion"), "~ occasion | Subject");
   * un.names; // ["cor(1,2)", "cor(1,3)", "cor(2,3)"]
   * un.natural(Float64Array.of(0, 0, 0), 0); // [0, 0, 0] (u = 0: the identity)
   * ```
   */
  constructor(
    readonly layout: GroupLayout,
    readonly form: string,
  ) {
    const seen = new Set<number>();
    for (const t of layout.pos) {
      if (!Number.isInteger(t)) throw new MlmError(`corSymm needs whole-number positions, but ${form} has the value ${t}.`);
      seen.add(t);
    }
    const vals = [...seen].sort((a, b) => a - b);
    for (let i = 1; i < vals.length; i++) {
      if (vals[i] !== vals[i - 1] + 1) throw new MlmError(`The positions of corSymm must be consecutive whole numbers, but ${form} jumps from ${vals[i - 1]} to ${vals[i]}; number the occasions 1, 2, 3, ….`);
    }
    this.first = vals[0] ?? 1;
    const K = vals.length;
    if (K < 2) throw new MlmError(`corSymm needs at least two positions, but ${form} has ${K}.`);
    this.K = K;
    this.npar = (K * (K - 1)) / 2;
    const names: string[] = [];
    for (let i = 1; i < K; i++) for (let j = i + 1; j <= K; j++) names.push(`cor(${i},${j})`);
    this.names = names;
    this.C = new Float64Array(K * K);
    this.L = new Float64Array(K * K);
    this.work = new Float64Array(layout.maxSize * layout.maxSize);
  }

  start(out: Float64Array, off: number): void {
    for (let i = 0; i < this.npar; i++) out[off + i] = 0;
  }

  /** C from u (column-major K × K, full). */
  private fill(u: ArrayLike<number>, off: number): void {
    const { K, L, C } = this;
    L.fill(0);
    L[0] = 1;
    // angles of row i are u[off + i(i−1)/2 + j], j < i
    for (let i = 1; i < K; i++) {
      let prod = 1;
      const base = off + (i * (i - 1)) / 2;
      for (let j = 0; j < i; j++) {
        const a = Math.PI / (1 + Math.exp(-u[base + j]));
        L[i + j * K] = Math.cos(a) * prod;
        prod *= Math.sin(a);
      }
      L[i + i * K] = prod;
    }
    for (let i = 0; i < K; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += L[i + k * K] * L[j + k * K];
        C[i + j * K] = s;
        C[j + i * K] = s;
      }
    }
  }

  natural(u: ArrayLike<number>, off: number): number[] {
    this.fill(u, off);
    const out: number[] = [];
    for (let i = 0; i < this.K; i++) for (let j = i + 1; j < this.K; j++) out.push(this.C[i + j * this.K]);
    return out;
  }

  set(u: ArrayLike<number>, off: number): boolean {
    this.fill(u, off);
    return this.C.every(Number.isFinite);
  }

  whiten(g: number, buf: Float64Array, off: number, c: number): number {
    const { start, pos } = this.layout;
    const a = start[g];
    const m = start[g + 1] - a;
    const w = this.work;
    const K = this.K;
    for (let j = 0; j < m; j++) {
      const pj = pos[a + j] - this.first;
      for (let i = j; i < m; i++) w[i + j * m] = this.C[pos[a + i] - this.first + pj * K];
    }
    return denseWhiten(w, m, buf, off, c);
  }
}
