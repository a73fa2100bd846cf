/**
 * corARMA(p, q): autoregressive moving-average correlation within groups at integer positions,
 *
 *     εₜ = Σᵢ φᵢ εₜ₋ᵢ + aₜ + Σⱼ θⱼ aₜ₋ⱼ,   cor(εₛ, εₜ) = ρ(|s − t|)
 *
 * (nlme's corARMA, parameters Phi1…Phip, Theta1…Thetaq). ρ(h) is the ARMA autocorrelation:
 * with ψ₀ = 1, ψⱼ = θⱼ + Σᵢ φᵢ ψⱼ₋ᵢ, the autocovariances γ(0..p) solve
 * γ(k) − Σᵢ φᵢ γ(|k − i|) = Σ_{j ≥ k} θⱼ ψⱼ₋ₖ (θ₀ = 1), and γ(k) = Σᵢ φᵢ γ(k − i) + Σ_{j ≥ k} θⱼ ψⱼ₋ₖ
 * for k > p (Brockwell and Davis 1991, section 3.3). Stationarity and invertibility hold by
 * construction: the optimizer's parameters are log((1 + r) / (1 − r)) of partial
 * autocorrelations r, mapped to coefficients by the Durbin–Levinson recursion (the
 * parametrization nlme uses). Each group is whitened by its dense block (dense-whiten.ts).
 */
import { MlmError } from "../errors.js";
import { cholesky, solveLower } from "../linalg/dense.js";
import { denseWhiten } from "./dense-whiten.js";
import type { GroupLayout } from "./residual-groups.js";
import type { CorrelationStructure } from "./structure.js";

/**
 * Coefficients of a stationary AR polynomial from partial autocorrelations (Durbin–Levinson).
 *
 * @param r - partial autocorrelations, each in (−1, 1).
 * @returns φ₁…φₖ.
 * @example
 * ```ts
 * pacfToCoef([0.5]); // [0.5]
 * pacfToCoef([0.5, 0.2]); // [0.4, 0.2]
 * ```
 */
export function pacfToCoef(r: readonly number[]): number[] {
  let phi: number[] = [];
  for (let k = 0; k < r.length; k++) {
    const next = phi.map((v, j) => v - r[k] * phi[k - 1 - j]);
    next.push(r[k]);
    phi = next;
  }
  return phi;
}

/**
 * Inverse of {@link pacfToCoef}.
 *
 * @param phi - AR coefficients of a stationary process.
 * @returns the partial autocorrelations.
 * @example
 * ```ts
 * coefToPacf([0.4, 0.2]); // [0.5, 0.2]
 * ```
 */
export function coefToPacf(phi: readonly number[]): number[] {
  let a = phi.slice();
  const r = new Array<number>(phi.length);
  for (let k = phi.length - 1; k >= 0; k--) {
    const rk = a[k];
    r[k] = rk;
    const prev: number[] = [];
    for (let j = 0; j < k; j++) prev.push((a[j] + rk * a[k - 1 - j]) / (1 - rk * rk));
    a = prev;
  }
  return r;
}

/**
 * Autocorrelations ρ(0..maxLag) of an ARMA process.
 *
 * @param phi - AR coefficients.
 * @param theta - MA coefficients.
 * @param maxLag - largest lag.
 * @returns ρ, with ρ(0) = 1.
 * @example
 * ```ts
 * armaAcf([0.5], [], 2); // Float64Array [1, 0.5, 0.25]
 * armaAcf([], [0.5], 2); // Float64Array [1, 0.4, 0]
 * ```
 */
export function armaAcf(phi: readonly number[], theta: readonly number[], maxLag: number): Float64Array {
  const p = phi.length;
  const q = theta.length;
  const th = (j: number): number => (j === 0 ? 1 : j <= q ? theta[j - 1] : 0);
  const psi = new Float64Array(q + 1);
  for (let j = 0; j <= q; j++) {
    let s = th(j);
    for (let i = 1; i <= Math.min(j, p); i++) s += phi[i - 1] * psi[j - i];
    psi[j] = s;
  }
  const rhs = (k: number): number => {
    let s = 0;
    for (let j = k; j <= q; j++) s += th(j) * psi[j - k];
    return s;
  };
  // (p + 1) × (p + 1) system for γ(0..p), solved by Gaussian elimination with pivoting
  const m = p + 1;
  const A = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  for (let k = 0; k < m; k++) {
    A[k][k] += 1;
    for (let i = 1; i <= p; i++) A[k][Math.abs(k - i)] -= phi[i - 1];
    A[k][m] = rhs(k);
  }
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= m; k++) A[r][k] -= f * A[c][k];
    }
  }
  const gamma = new Float64Array(Math.max(maxLag, p) + 1);
  for (let k = 0; k < m; k++) gamma[k] = A[k][m] / A[k][k];
  for (let k = m; k < gamma.length; k++) {
    let s = k <= q ? rhs(k) : 0;
    for (let i = 1; i <= p; i++) s += phi[i - 1] * gamma[k - i];
    gamma[k] = s;
  }
  const out = new Float64Array(maxLag + 1);
  for (let k = 0; k <= maxLag; k++) out[k] = gamma[k] / gamma[0];
  return out;
}

/** corARMA bound to a data set's groups. */
export class CorARMA implements CorrelationStructure {
  readonly structure = "corARMA" as const;
  readonly label: string;
  readonly npar: number;
  readonly names: readonly string[];
  private acf: Float64Array = new Float64Array(1);
  private readonly maxLag: number;
  private readonly work: Float64Array;

  /**
   * @param layout - rows grouped and sorted by position.
   * @param form - the form as written.
   * @param p - AR order.
   * @param q - MA order.
   * @param value - nlme's starting coefficients (φ then θ), or undefined for zeros.
   * @example
   * ```ts
   * import { groupLayout } from "./residual-groups.js";
   * const arma = new CorARMA(groupLayout(3, Int32Array.of(0, 0, 0), 1, undefined, "corARMA", undefined), "~ 1 | Mare", 1, 1);
   * arma.names; // ["Phi1", "Theta1"]
   * ```
   */
  constructor(
    readonly layout: GroupLayout,
    readonly form: string,
    readonly p: number,
    readonly q: number,
    private readonly value?: readonly number[],
  ) {
    for (const t of layout.pos) {
      if (!Number.isInteger(t)) throw new MlmError(`corARMA needs whole-number positions, but ${form} has the value ${t}.`);
    }
    if (value !== undefined && value.length !== p + q) throw new MlmError(`corARMA with p = ${p} and q = ${q} needs ${p + q} starting values, not ${value.length}.`);
    this.npar = p + q;
    this.names = [...Array.from({ length: p }, (_, i) => `Phi${i + 1}`), ...Array.from({ length: q }, (_, i) => `Theta${i + 1}`)];
    this.label = `ARMA(${p},${q})`;
    let maxLag = 0;
    for (let g = 0; g < layout.ngroups; g++) {
      const a = layout.start[g];
      const b = layout.start[g + 1];
      if (b > a) maxLag = Math.max(maxLag, layout.pos[b - 1] - layout.pos[a]);
    }
    this.maxLag = maxLag;
    this.work = new Float64Array(layout.maxSize * layout.maxSize);
    // groups at consecutive positions: C_g is the leading block of one Toeplitz matrix
    this.consecutive = new Uint8Array(layout.ngroups);
    let longest = 0;
    for (let g = 0; g < layout.ngroups; g++) {
      const a = layout.start[g];
      const m = layout.start[g + 1] - a;
      let ok = m > 0;
      for (let i = 1; i < m && ok; i++) ok = layout.pos[a + i] === layout.pos[a] + i;
      this.consecutive[g] = ok ? 1 : 0;
      if (ok) longest = Math.max(longest, m);
    }
    this.shared = new Float64Array(longest * longest);
    this.sharedSize = longest;
    this.sharedLogdet = new Float64Array(longest + 1);
  }

  /** Per group: 1 when its positions are consecutive (then {@link shared} factors its C_g). */
  private readonly consecutive: Uint8Array;
  /**
   * The Cholesky factor of the Toeplitz correlation matrix of the longest consecutive group, at
   * the current parameters: the factor of a leading block is the leading block of the factor, so
   * one factorisation per evaluation serves every consecutive group (Ovary: 11 mares, one 31 × 31
   * factor instead of eleven).
   */
  private readonly shared: Float64Array;
  private readonly sharedSize: number;
  /** log|C| of the leading k × k block, k = 0 … sharedSize; NaN when not positive definite. */
  private readonly sharedLogdet: Float64Array;
  /** Whether {@link shared} is current. */
  private sharedReady = false;

  /** Factor the shared Toeplitz matrix at the current autocorrelations. */
  private factorShared(): void {
    const M = this.sharedSize;
    const L = this.shared;
    const acf = this.acf;
    for (let j = 0; j < M; j++) for (let i = j; i < M; i++) L[i + j * M] = acf[i - j];
    const ld = this.sharedLogdet;
    ld[0] = 0;
    if (cholesky(L, M, M) >= 0) ld.fill(NaN);
    else for (let i = 0; i < M; i++) ld[i + 1] = ld[i] + 2 * Math.log(L[i + i * M]);
    this.sharedReady = true;
  }

  start(out: Float64Array, off: number): void {
    if (this.value === undefined) {
      for (let i = 0; i < this.npar; i++) out[off + i] = 0;
      return;
    }
    const ar = coefToPacf(this.value.slice(0, this.p));
    const ma = coefToPacf(this.value.slice(this.p).map((v) => -v)).map((r) => -r);
    [...ar, ...ma].forEach((r, i) => {
      if (!(Math.abs(r) < 1)) throw new MlmError("The starting values of corARMA must give a stationary and invertible process.");
      out[off + i] = 2 * Math.atanh(r);
    });
  }

  natural(u: ArrayLike<number>, off: number): number[] {
    const r = Array.from({ length: this.npar }, (_, i) => Math.tanh(u[off + i] / 2));
    const phi = pacfToCoef(r.slice(0, this.p));
    // θ = −(coefficients of the partial autocorrelations −r): invertible, and increasing in r for q = 1
    const theta = pacfToCoef(r.slice(this.p).map((v) => -v)).map((v) => -v);
    return [...phi, ...theta];
  }

  set(u: ArrayLike<number>, off: number): boolean {
    const c = this.natural(u, off);
    this.acf = armaAcf(c.slice(0, this.p), c.slice(this.p), this.maxLag);
    this.sharedReady = false;
    return this.acf.every(Number.isFinite);
  }

  whiten(g: number, buf: Float64Array, off: number, c: number): number {
    const { start, pos } = this.layout;
    const a = start[g];
    const m = start[g + 1] - a;
    if (this.consecutive[g]) {
      if (!this.sharedReady) this.factorShared();
      const logdet = this.sharedLogdet[m];
      if (Number.isNaN(logdet)) return NaN;
      for (let j = 0; j < c; j++) solveLower(this.shared, m, this.sharedSize, buf, off + j, c);
      return logdet;
    }
    const w = this.work;
    const acf = this.acf;
    for (let j = 0; j < m; j++) for (let i = j; i < m; i++) w[i + j * m] = acf[pos[a + i] - pos[a + j]];
    return denseWhiten(w, m, buf, off, c);
  }
}
