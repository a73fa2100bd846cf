/**
 * Gauss–Hermite quadrature for the standard normal density: nodes z_k and weights w_k with
 * Σ_k w_k f(z_k) ≈ ∫ f(z) φ(z) dz, exact for polynomials of degree < 2n.
 *
 * Computed by the Golub–Welsch method: the nodes are the eigenvalues of the symmetric
 * tridiagonal Jacobi matrix of the probabilists' Hermite polynomials (zero diagonal,
 * off-diagonal √1, √2, …, √(n−1)), and each weight is the squared first component of the
 * corresponding normalised eigenvector. The eigenproblem is solved by QL iterations with
 * implicit Wilkinson shifts, tracking only the first row of the eigenvector matrix.
 */

/** Nodes and weights of an n-point rule. */
export interface GaussHermiteRule {
  readonly z: Float64Array;
  readonly w: Float64Array;
}

/**
 * The n-point Gauss–Hermite rule for the standard normal density.
 *
 * @param n - number of points (1 to 100).
 * @returns nodes in increasing order and weights summing to 1.
 * @example
 * ```ts
 * const { z, w } = gaussHermite(3);
 * z; // Float64Array [-1.7320508, 0, 1.7320508]
 * w; // Float64Array [0.1666667, 0.6666667, 0.1666667]
 * ```
 */
export function gaussHermite(n: number): GaussHermiteRule {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = Math.sqrt(i + 1);
  const z0 = new Float64Array(n);
  z0[0] = 1;
  for (let l = 0; l < n; l++) {
    for (let iter = 0; iter < 100; iter++) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= 1e-15 * dd) break;
      }
      if (m === l) break;
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        let f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        f = z0[i + 1];
        z0[i + 1] = s * z0[i] + c * f;
        z0[i] = c * z0[i] - s * f;
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  const z = Float64Array.from(idx, (i) => d[i]);
  const w = Float64Array.from(idx, (i) => z0[i] * z0[i]);
  return { z, w };
}
