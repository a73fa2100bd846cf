/**
 * The unstructured covariance `us(1 + x | g)` (lme4's default): θ holds the lower triangle of
 * Λ_t column by column (Bates et al. 2015, JSS 67(1), section 2.2), the diagonal bounded below
 * by zero; θ starts at the identity. Natural parameters: k standard deviations and the
 * k(k − 1)/2 correlations, in θ's order (lme4's `sdcor` layout).
 */
import type { CovarianceStructure } from "./structure.js";

/** The unstructured covariance. */
export const us: CovarianceStructure = {
  name: "us",
  ntheta: (k) => (k * (k + 1)) / 2,
  lowerBounds: (k, out, off) => {
    let m = off;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) out[m++] = i === j ? 0 : -Infinity;
  },
  initialTheta: (k, out, off) => {
    let m = off;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) out[m++] = i === j ? 1 : 0;
  },
  fillLambda: (theta, off, k, lambda) => {
    let m = off;
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < j; i++) lambda[i + j * k] = 0;
      for (let i = j; i < k; i++) lambda[i + j * k] = theta[m++];
    }
  },
  naturalNames: (c, g) => {
    const out: { name: string; kind: "sd" | "cor" }[] = [];
    for (let j = 0; j < c.length; j++) for (let i = j; i < c.length; i++) out.push(i === j ? { name: `sd_${c[i]}|${g}`, kind: "sd" } : { name: `cor_${c[i]}.${c[j]}|${g}`, kind: "cor" });
    return out;
  },
  toNatural: (theta, off, k, sigma, out, m) => {
    const lam = new Float64Array(k * k);
    us.fillLambda(theta, off, k, lam);
    const sd = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let r = 0; r <= i; r++) s += lam[i + r * k] ** 2;
      sd[i] = Math.sqrt(s);
    }
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++) {
        if (i === j) out[m++] = sigma * sd[i];
        else {
          let s = 0;
          for (let r = 0; r <= j; r++) s += lam[i + r * k] * lam[j + r * k];
          out[m++] = sd[i] > 0 && sd[j] > 0 ? s / (sd[i] * sd[j]) : 0;
        }
      }
    }
  },
  fromNatural: (nat, m, k, sigma, theta, off) => {
    if (!(sigma > 0)) return false;
    const sd = new Float64Array(k);
    const S = new Float64Array(k * k);
    let q = m;
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++) {
        if (i === j) sd[i] = nat[q];
        q++;
      }
    }
    q = m;
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++) {
        S[i + j * k] = i === j ? sd[i] * sd[i] : nat[q] * sd[i] * sd[j];
        q++;
      }
    }
    if (sd.some((v) => !(v >= 0))) return false;
    // lower Cholesky factor in place, zero columns for zero pivots (singular fits)
    for (let j = 0; j < k; j++) {
      let d = S[j + j * k];
      for (let r = 0; r < j; r++) d -= S[j + r * k] ** 2;
      const tol = 1e-12 * (sd[j] * sd[j] + 1e-300);
      if (d < -tol * 1e4) return false;
      const ljj = d > tol ? Math.sqrt(d) : 0;
      S[j + j * k] = ljj;
      for (let i = j + 1; i < k; i++) {
        let t = S[i + j * k];
        for (let r = 0; r < j; r++) t -= S[i + r * k] * S[j + r * k];
        if (ljj === 0) {
          if (Math.abs(t) > 1e-8 * sd[i] * sd[j] + 1e-300) return false;
          S[i + j * k] = 0;
        } else S[i + j * k] = t / ljj;
      }
    }
    let o = off;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) theta[o++] = S[i + j * k] / sigma;
    return true;
  },
  rho: () => undefined,
};
