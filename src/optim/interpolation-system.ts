// Minimum-Frobenius-norm quadratic interpolation (Powell 2004, "Least Frobenius norm updating of
// quadratic models that satisfy interpolation conditions", Math. Program. 100; used by BOBYQA,
// Powell 2009, DAMTP 2009/NA06, section 2).
//
// Given m points y_1..y_m in R^n, a centre c and a scale s, write z_j = (y_j - c)/s. Among the
// quadratics D with D(y_j) = r_j for every j, the one whose Hessian has least Frobenius norm is
//
//   D(x) = a + g'z + (1/2) sum_j lambda_j (z_j'z)^2,        z = (x - c)/s,
//
// where (lambda, a, g) solves the symmetric saddle-point (KKT) system
//
//   W [lambda; a; g] = [r; 0; 0],   W = [ A  E' ],  A_ij = (1/2)(z_i'z_j)^2,  E = [ 1 ... 1 ]
//                                        [ E  0  ]                              [ z_1 ... z_m ].
//
// Its Hessian in x is sum_j lambda_j (y_j - c)(y_j - c)' / s^4. Column k of the inverse of W holds
// the coefficients of the k-th Lagrange function l_k (r = e_k), so l_k(x) = (W^-1 w(x))_k with
// w(x) = [(1/2)(z_j'z)^2; 1; z]. Replacing point k by x multiplies det W by
// sigma_k = (W^-1)_kk beta + l_k(x)^2, beta = (1/2)|z|^4 - w'W^-1 w (the matrix determinant lemma),
// which is what keeps a new interpolation set well poised.
//
// The scale s is a diagonal equilibration of W (W(s) = D W(1) D): it changes nothing in exact
// arithmetic but keeps the entries of order one.
//
// Replacing one point changes row and column k of W only: W' = W + U C U' with U = [e_k, d],
// d = (new column) - (old column), C = [[-d_k, 1], [1, 0]], so by the Sherman-Morrison-Woodbury
// formula W'^-1 = W^-1 - (W^-1 U) M^-1 (W^-1 U)' with the 2 x 2 matrix M = C^-1 + U'W^-1 U
// = [[H_kk, v_k], [v_k, w'v - w_k]] (H = W^-1, w the new column, v = H w). This costs O(size^2)
// instead of O(size^3); the caller refactors from scratch now and then to shed rounding errors.

import { float64Views } from "../linalg/work-arrays.js";

/**
 * Workspace holding the interpolation (KKT) matrix W of a point set and its explicit inverse.
 *
 * The matrix is rebuilt and inverted from scratch by {@link InterpolationSystem.factor} whenever
 * the point set or centre changes: with m <= (n+1)(n+2)/2 and small n this costs O((m+n)^3)
 * flops, far below one objective evaluation in mlm's uses, and it never accumulates rounding error.
 *
 * @example
 * ```ts
 * // the 3 points 0, 1, -1 on a line: l_2 (the Lagrange function of y_2 = 1) is (x + x^2)/2
 * const sys = new InterpolationSystem(1, 3);
 * sys.factor(new Float64Array([0, 1, -1]), new Float64Array([0]), 1); // true
 * sys.lagrangeValues(new Float64Array([0.5]), new Float64Array(5))[1]; // 0.375
 * ```
 */
export class InterpolationSystem {
  /** Number of variables. */
  readonly n: number;
  /** Number of interpolation points. */
  readonly m: number;
  /** Order of W, m + n + 1. */
  readonly size: number;
  /** W as last built (size x size, column-major). */
  readonly matrix: Float64Array;
  /** W^-1 (size x size, column-major, symmetric), valid after a successful factor(). */
  readonly inverse: Float64Array;
  /** Scaled displacements z_j = (y_j - centre)/scale (n x m, column-major). */
  readonly z: Float64Array;
  /** Centre of the scaled coordinates. */
  readonly centre: Float64Array;
  /** Scale s of the coordinates. */
  scale = 1;
  private readonly work: Float64Array;
  private readonly zx: Float64Array;
  private readonly colK: Float64Array;
  private readonly perm: Int32Array;
  private readonly v: Float64Array;
  /** Number of replacePoint() updates since the last factor(). */
  updates = 0;

  /**
   * Allocates a workspace for n variables and m points.
   *
   * @param n - number of variables (>= 1).
   * @param m - number of interpolation points (n + 2 <= m <= (n+1)(n+2)/2).
   */
  constructor(n: number, m: number) {
    this.n = n;
    this.m = m;
    this.size = m + n + 1;
    const size = this.size;
    [this.matrix, this.inverse, this.work, this.colK, this.v, this.z, this.centre, this.zx] = float64Views([size * size, size * size, size, size, size, n * m, n, n]);
    this.perm = new Int32Array(size);
  }

  /**
   * Builds W for the points about a centre and inverts it by Gauss-Jordan elimination with
   * partial pivoting.
   *
   * @param points - the m points, column-major n x m.
   * @param centre - the centre c (usually the best point so far).
   * @param scale - the scale s > 0 (typically the root-mean-square distance of the points from c).
   * @returns false if W is numerically singular (the points are not poised); the inverse is then
   *   unusable.
   * @example
   * ```ts
   * const sys = new InterpolationSystem(1, 3);
   * sys.factor(new Float64Array([0, 1, 1]), new Float64Array([0]), 1); // false (repeated point)
   * ```
   */
  factor(points: Float64Array, centre: Float64Array, scale: number): boolean {
    const { n, m, size, matrix, z } = this;
    this.centre.set(centre);
    this.scale = scale;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) z[i + j * n] = (points[i + j * n] - centre[i]) / scale;
    }
    matrix.fill(0);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k <= j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += z[i + j * n] * z[i + k * n];
        const a = 0.5 * dot * dot;
        matrix[j + k * size] = a;
        matrix[k + j * size] = a;
      }
      matrix[m + j * size] = 1;
      matrix[j + m * size] = 1;
      for (let i = 0; i < n; i++) {
        matrix[m + 1 + i + j * size] = z[i + j * n];
        matrix[j + (m + 1 + i) * size] = z[i + j * n];
      }
    }
    this.updates = 0;
    return this.invert();
  }

  /**
   * Replaces point k by x, updating W and W^-1 in O(size^2) operations (same centre and scale).
   *
   * @param k - index of the point to replace.
   * @param x - its new position (length n).
   * @returns false if the new W is numerically singular or the update lost accuracy; W and its
   *   inverse are then unusable until the next factor().
   * @example
   * ```ts
   * const sys = new InterpolationSystem(1, 3);
   * sys.factor(new Float64Array([0, 1, -1]), new Float64Array([0]), 1);
   * sys.replacePoint(2, new Float64Array([2])); // true (the points are now 0, 1, 2)
   * sys.lagrangeValues(new Float64Array([3]), new Float64Array(5)); // [1, -3, 3, ...]
   * ```
   */
  replacePoint(k: number, x: Float64Array): boolean {
    const { n, size, matrix, inverse: h, z, work: w, colK: hk, v } = this;
    const half4 = this.basis(x, w);
    w[k] = half4;
    this.solve(w, v);
    const m11 = h[k + k * size];
    const m12 = v[k];
    let wv = 0;
    for (let i = 0; i < size; i++) wv += w[i] * v[i];
    const m22 = wv - half4;
    const det = m11 * m22 - m12 * m12;
    if (!(Math.abs(det) > 1e-12 * (Math.abs(m11 * m22) + m12 * m12)) || !Number.isFinite(det)) return false;
    // H' = H - [hk, u] M^-1 [hk, u]' with hk = H e_k and u = v - e_k
    for (let i = 0; i < size; i++) hk[i] = h[i + k * size];
    v[k] -= 1;
    const i11 = m22 / det;
    const i12 = -m12 / det;
    const i22 = m11 / det;
    for (let c = 0; c < size; c++) {
      const a = i11 * hk[c] + i12 * v[c];
      const b = i12 * hk[c] + i22 * v[c];
      const off = c * size;
      for (let r = 0; r < size; r++) h[r + off] -= hk[r] * a + v[r] * b;
    }
    // W' and z
    for (let i = 0; i < n; i++) z[i + k * n] = this.zx[i];
    for (let j = 0; j < size; j++) {
      matrix[j + k * size] = w[j];
      matrix[k + j * size] = w[j];
    }
    this.updates++;
    // accuracy check on column k: W' H' e_k = e_k, relative to the largest term of the products
    let err = 0;
    let big = 0;
    for (let r = 0; r < size; r++) {
      let sum = 0;
      for (let c = 0; c < size; c++) {
        const t = matrix[r + c * size] * h[c + k * size];
        sum += t;
        big = Math.max(big, Math.abs(t));
      }
      err = Math.max(err, Math.abs(sum - (r === k ? 1 : 0)));
    }
    return err <= 1e-8 * big && Number.isFinite(big);
  }

  /**
   * In-place Gauss-Jordan inversion of W with partial pivoting (row interchanges, undone as
   * column interchanges of the inverse at the end); inner loops run down contiguous columns.
   */
  private invert(): boolean {
    const { size, matrix, inverse: a, colK, perm } = this;
    a.set(matrix);
    let norm = 0;
    for (let i = 0; i < matrix.length; i++) norm = Math.max(norm, Math.abs(matrix[i]));
    if (!(norm > 0) || !Number.isFinite(norm)) return false;
    const tol = norm * 1e-14 * size;
    for (let k = 0; k < size; k++) {
      const offK = k * size;
      let p = k;
      let best = Math.abs(a[k + offK]);
      for (let r = k + 1; r < size; r++) {
        const v = Math.abs(a[r + offK]);
        if (v > best) {
          best = v;
          p = r;
        }
      }
      if (!(best > tol)) return false;
      perm[k] = p;
      if (p !== k) {
        for (let c = 0; c < size; c++) {
          const off = c * size;
          const t = a[k + off];
          a[k + off] = a[p + off];
          a[p + off] = t;
        }
      }
      const pivInv = 1 / a[k + offK];
      // the multipliers of column k; column k then starts as the k-th unit column
      for (let r = 0; r < size; r++) {
        colK[r] = r === k ? 0 : a[r + offK];
        a[r + offK] = 0;
      }
      a[k + offK] = 1;
      for (let c = 0; c < size; c++) {
        const off = c * size;
        const rk = a[k + off] * pivInv;
        a[k + off] = rk;
        if (rk === 0) continue;
        for (let r = 0; r < size; r++) a[r + off] -= colK[r] * rk;
      }
    }
    for (let k = size - 1; k >= 0; k--) {
      const p = perm[k];
      if (p === k) continue;
      const offK = k * size;
      const offP = p * size;
      for (let r = 0; r < size; r++) {
        const t = a[r + offK];
        a[r + offK] = a[r + offP];
        a[r + offP] = t;
      }
    }
    // symmetrise (W is symmetric, so is its inverse; this removes rounding asymmetry)
    for (let j = 0; j < size; j++) {
      for (let i = 0; i < j; i++) {
        const v = 0.5 * (a[i + j * size] + a[j + i * size]);
        a[i + j * size] = v;
        a[j + i * size] = v;
      }
    }
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    return true;
  }

  /**
   * Fills w(x) = [(1/2)(z_j'z)^2 (j = 1..m); 1; z] for z = (x - centre)/scale.
   *
   * @param x - a point (length n).
   * @param out - receives w(x) (length m + n + 1).
   * @returns (1/2)|z|^4, the entry of W a point at x would bring to the diagonal.
   * @example
   * ```ts
   * const sys = new InterpolationSystem(1, 3);
   * sys.factor(new Float64Array([0, 1, -1]), new Float64Array([0]), 1);
   * const w = new Float64Array(5);
   * sys.basis(new Float64Array([2]), w); // 8
   * w; // Float64Array [0, 2, 2, 1, 2]
   * ```
   */
  basis(x: Float64Array, out: Float64Array): number {
    const { n, m, z, zx, centre, scale } = this;
    let zz = 0;
    for (let i = 0; i < n; i++) {
      zx[i] = (x[i] - centre[i]) / scale;
      zz += zx[i] * zx[i];
    }
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += z[i + j * n] * zx[i];
      out[j] = 0.5 * dot * dot;
    }
    out[m] = 1;
    for (let i = 0; i < n; i++) out[m + 1 + i] = zx[i];
    return 0.5 * zz * zz;
  }

  /**
   * Multiplies by W^-1: out = W^-1 v.
   *
   * @param v - a vector of length m + n + 1.
   * @param out - receives the product (must not alias v).
   * @returns out.
   * @example
   * ```ts
   * // interpolating r = (0, 1, 1) at the points 0, 1, -1 gives the quadratic x^2:
   * // lambda = (-2, 1, 1), Hessian sum_j lambda_j z_j^2 = 2, constant 0, slope 0
   * const sys = new InterpolationSystem(1, 3);
   * sys.factor(new Float64Array([0, 1, -1]), new Float64Array([0]), 1);
   * sys.solve(new Float64Array([0, 1, 1, 0, 0]), new Float64Array(5)); // Float64Array [-2, 1, 1, 0, 0]
   * ```
   */
  solve(v: Float64Array, out: Float64Array): Float64Array {
    const { size, inverse } = this;
    for (let i = 0; i < size; i++) out[i] = 0;
    for (let j = 0; j < size; j++) {
      const vj = v[j];
      if (vj === 0) continue;
      const off = j * size;
      for (let i = 0; i < size; i++) out[i] += inverse[off + i] * vj;
    }
    return out;
  }

  /**
   * Values of all Lagrange functions at x: l_k(x) = (W^-1 w(x))_k for k < m.
   *
   * @param x - a point (length n).
   * @param out - work/result vector of length m + n + 1; entries 0..m-1 receive l_k(x).
   * @returns out.
   * @example
   * ```ts
   * const sys = new InterpolationSystem(1, 3);
   * sys.factor(new Float64Array([0, 1, -1]), new Float64Array([0]), 1);
   * sys.lagrangeValues(new Float64Array([0.5]), new Float64Array(5)); // [0.75, 0.375, -0.125, ...]
   * ```
   */
  lagrangeValues(x: Float64Array, out: Float64Array): Float64Array {
    this.basis(x, this.work);
    return this.solve(this.work, out);
  }
}
