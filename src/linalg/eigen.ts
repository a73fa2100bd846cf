/**
 * The symmetric eigenvalue problem for small matrices by cyclic Jacobi rotations (Golub and Van
 * Loan, Matrix Computations, section 8.5), and the inverse it gives: A = V diag(λ) V', so
 * A⁻¹ = V diag(1/λ) V', and the Moore-Penrose inverse keeps only the eigenvalues that are not
 * negligible (as pbkrtest's use of MASS::ginv).
 */
import { invertSymmetric } from "./dense.js";

/**
 * The inverse of a small symmetric matrix, or, as pbkrtest does, its Moore-Penrose inverse when
 * an eigenvalue is within 1e-10 of zero (eigenvalues below √ε times the largest are dropped).
 *
 * @param a - n × n symmetric, column-major.
 * @param n - the order.
 * @returns a new n × n matrix.
 * @example
 * ```ts
 * inverseOrPseudoInverse(Float64Array.of(2, 0, 0, 0), 2); // Float64Array [0.5, 0, 0, 0]
 * ```
 */
export function inverseOrPseudoInverse(a: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const absMin = Math.min(...values.map(Math.abs));
  if (absMin > 1e-10) {
    const inv = invertSymmetric(a, n);
    if (inv) return inv;
  }
  const tol = Math.sqrt(Number.EPSILON) * Math.max(...values.map(Math.abs));
  const out = new Float64Array(n * n);
  values.forEach((lam, k) => {
    if (!(Math.abs(lam) > tol)) return;
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i + j * n] += (vectors[i + k * n] * vectors[j + k * n]) / lam;
  });
  return out;
}

/**
 * Eigenvalues and eigenvectors (columns) of a small symmetric matrix by cyclic Jacobi rotations.
 *
 * @param a0 - n × n symmetric, column-major (not changed).
 * @param n - the order.
 * @returns eigenvalues and the eigenvectors as columns of an n × n matrix.
 * @example
 * ```ts
 * symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values.sort(); // [1, 3]
 * ```
 */
export function symmetricEigen(a0: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(a0);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i + i * n] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let all = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const x = a[i + j * n] * a[i + j * n];
        all += x;
        if (i !== j) off += x;
      }
    }
    if (!(off > 1e-30 * all)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p + r * n];
        if (apr === 0) continue;
        const th = (a[r + r * n] - a[p + p * n]) / (2 * apr);
        const t = (th >= 0 ? 1 : -1) / (Math.abs(th) + Math.sqrt(th * th + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k + p * n];
          const akr = a[k + r * n];
          a[k + p * n] = c * akp - s * akr;
          a[k + r * n] = s * akp + c * akr;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p + k * n];
          const ark = a[r + k * n];
          a[p + k * n] = c * apk - s * ark;
          a[r + k * n] = s * apk + c * ark;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k + p * n];
          const vkr = v[k + r * n];
          v[k + p * n] = c * vkp - s * vkr;
          v[k + r * n] = s * vkp + c * vkr;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i + i * n]), vectors: v };
}
