/**
 * Kenward-Roger inference for the fixed effects of a linear mixed model fitted by REML
 * (Kenward and Roger 1997, Biometrics 53:983–997), with the conventions of R's pbkrtest.
 *
 * The marginal covariance is linear in the variance parameters φ: V = Σ_r φ_r G_r, where the
 * φ_r are the unique elements (variances and covariances) of each random-effects term's
 * covariance matrix, with G_r = Z_t E_r Z_t' (E_r holds a one at the element and at its mirror
 * image, repeated for every level), and, last, the residual variance σ² with G = I.
 * With Φ = (X'V⁻¹X)⁻¹ the usual covariance of β̂,
 *
 *     P_r = X'V⁻¹G_rV⁻¹X,   Q_rs = X'V⁻¹G_rV⁻¹G_sV⁻¹X,
 *     J_rs = tr(ΠG_rΠG_s) = tr(V⁻¹G_rV⁻¹G_s) − 2 tr(ΦQ_rs) + tr(ΦP_rΦP_s),
 *
 * Π = V⁻¹ − V⁻¹XΦX'V⁻¹, so that ½J is the expected information of the REML likelihood and
 * W = 2J⁻¹ estimates the covariance of φ̂. The adjusted covariance of β̂ is
 *
 *     Φ_A = Φ + 2Φ {Σ_rs W_rs (Q_rs − P_rΦP_s)} Φ
 *
 * (the term in the second derivatives of V vanishes because V is linear in φ). For a single
 * coefficient (L = e_j, one numerator df) the paper's A₁ and A₂ coincide,
 * A₁ = A₂ = Σ_rs W_rs d_r d_s / Φ_jj² with d_r = (ΦP_rΦ)_jj, the F scale factor is 1 and the
 * denominator df is m = 2 / A₁; the test is t = β̂_j / √(Φ_A)_jj on m df.
 *
 * No n × n matrix is formed. V = σ²(I + ZΛΛ'Z'), so by Woodbury V⁻¹ = σ⁻²(I − ZMZ') with
 * M = Λ(Λ'CΛ + I)⁻¹Λ' = ΛL⁻ᵀL⁻¹Λ', C = Z'Z and L the Cholesky factor of Λ'CΛ + I. With
 * W₁ = L⁻¹Λ'C, W₂ = L⁻¹Λ'Z'X, Y₂ = L⁻ᵀW₂ and N = MZ'X = ΛY₂:
 *
 *     S = Z'V⁻¹Z = σ⁻²(C − W₁'W₁),   T = Z'V⁻¹X = σ⁻²(Z'X − W₁'W₂),   X'V⁻¹X = σ⁻²(X'X − W₂'W₂),
 *     U = Z'V⁻²X = σ⁻²(T − SN),      X'V⁻²X = σ⁻²X'V⁻¹X − σ⁻⁴Y₂'Y₂,
 *     X'V⁻³X = σ⁻⁴(X'V⁻¹X − 2σ⁻²Y₂'Y₂ + N'SN).
 *
 * Writing G_r = ZD_rZ' (D_r has one or two ones per level), P_r = T'D_rT, Q_rs = T'D_rSD_sT,
 * tr(V⁻¹G_rV⁻¹G_s) = tr(D_rSD_sS), and the residual's terms are T'D_rU, X'V⁻²X and X'V⁻³X.
 * The traces with the residual's G = I follow from V = Σ_s φ_s G_s, which gives
 * Σ_s φ_s tr(V⁻¹G_rV⁻¹G_s) = tr(V⁻¹G_r) = tr(D_rS) and tr V⁻¹ = σ⁻²(n − Σ_s φ_s tr(D_sS))
 * (a difference that loses relative precision only when σ² is negligible against the
 * random-effects variances).
 * The work is two dense q × q products (q random effects), less when W₁ is sparse (nested
 * factors).
 */
import { MlmError } from "../errors.js";
import type { DenseCrossProducts, LinearMixedModel } from "../model/mixed-model.js";
import { cholesky, invertSymmetric, solveLower, solveLowerTranspose } from "../linalg/dense.js";
import { inverseOrPseudoInverse } from "../linalg/eigen.js";
import { axpy, dot, matmul, transpose } from "../linalg/small.js";
import type { ReTerm } from "../terms/re-term.js";
import type { RandomEffects } from "../terms/random-effects.js";
import { tPValue } from "./satterthwaite.js";

/** Largest number of random effects for which {@link kenwardRoger} forms dense q × q matrices. */
export const KENWARD_ROGER_MAX_Q = 5000;

/** Kenward-Roger t tests of the fixed effects. */
export interface KenwardRogerResult {
  /** Denominator degrees of freedom, one per coefficient. */
  readonly df: number[];
  /** Two-sided p-values of t = β̂_j / se_j on df_j. */
  readonly p: number[];
  /** Adjusted standard errors √(Φ_A)_jj. */
  readonly se: number[];
  /** The adjusted covariance Φ_A of β̂, p × p column-major. */
  readonly vcovAdj: Float64Array;
}

/**
 * Kenward-Roger adjusted covariance of β̂ and t tests of each fixed effect (pbkrtest's and
 * lmerTest's `ddf = "Kenward-Roger"`).
 *
 * Cost: dense q × q matrices for the q random effects (three of them in memory, 600 MB at the
 * limit q = 5000) and about q³ operations, far fewer for nested grouping factors.
 *
 * @param m - a linear mixed model fitted by REML.
 * @returns KR df, p-values, adjusted standard errors and the adjusted covariance of β̂.
 * @throws MlmError when the model was fitted by ML, has prior weights, or has more than
 *   {@link KENWARD_ROGER_MAX_Q} random effects.
 * @example
 * ```ts
 * const kr = kenwardRoger(sleepstudyFit);
 * kr.df; // [17, 17]
 * kr.se; // [6.8246, 1.5458]
 * ```
 */
export function kenwardRoger(m: LinearMixedModel): KenwardRogerResult {
  const { parts: _parts, ...result } = kenwardRogerWithParts(m);
  return result;
}

/** {@link kenwardRoger} with the matrices {@link kenwardRogerContrasts} reuses. */
function kenwardRogerWithParts(m: LinearMixedModel): KenwardRogerResult & { parts: AdjustParts } {
  if (m.method !== "REML") {
    throw new MlmError("Kenward-Roger's method needs a model fitted by REML, but this one was fitted by maximum likelihood; refit it by REML (the default).");
  }
  if (m.frame.weights) {
    throw new MlmError("Kenward-Roger's method is not available for a linear mixed model with prior weights; use Satterthwaite's method instead.");
  }
  const frame = m.frame;
  const re = m.randomEffects;
  const terms = re.terms;
  const q = terms.reduce((s, t) => s + t.q, 0);
  if (q > KENWARD_ROGER_MAX_Q) {
    throw new MlmError(`Kenward-Roger's method forms dense matrices of the random effects, and this model has ${q} of them (more than ${KENWARD_ROGER_MAX_Q}); use Satterthwaite's method instead.`);
  }
  const p = frame.fixefNames.length;
  const mv = marginalProducts(re, m.crossProducts(), m.theta, m.sigma, p);
  const params = covarianceParameters(terms, m.theta, m.sigma);
  return adjust(mv, params, m.beta, m.sigma, frame.n);
}

/**
 * Kenward-Roger standard errors and df of linear functions l'β̂ (pbkrtest's `Lb_ddf` with its
 * adjusted covariance, as emmeans's `lmer.df = "kenward-roger"` uses them): se = √(l'Φ_A l) and,
 * for one numerator df, m = 2 (l'Φl)² / Σ_rs W_rs d_r d_s with d_r = l'ΦP_rΦl.
 *
 * @param m - a linear mixed model fitted by REML.
 * @param L - the contrast vectors, each of length p.
 * @param phi0 - the covariance Φ of β̂ that enters the df (pbkrtest's `V0`; default the model's):
 *   emmeans passes an ML fit's own vcov with the adjusted covariance of its REML refit.
 * @returns se and df per vector.
 * @throws MlmError as {@link kenwardRoger}.
 * @example
 * ```ts
 * kenwardRogerContrasts(fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy), [[0, 1]]);
 * // [{ se: 1.5458, df: 17 }]
 * ```
 */
export function kenwardRogerContrasts(m: LinearMixedModel, L: readonly ArrayLike<number>[], phi0?: Float64Array): { se: number; df: number }[] {
  const kr = kenwardRogerWithParts(m);
  const { PhiP: PhiPm, W } = kr.parts;
  const p0 = m.beta.length;
  const Phi = phi0 ?? kr.parts.Phi;
  // ΦP_r with the given Φ: P_r = Φ_m⁻¹ (Φ_m P_r)
  const PhiP = phi0 === undefined ? PhiPm : PhiPm.map((A) => {
    const Pr = matmul(invertSymmetric(kr.parts.Phi, p0) ?? kr.parts.Phi, A, p0);
    return matmul(Phi, Pr, p0);
  });
  const p = m.beta.length;
  const np = PhiP.length;
  const d = new Float64Array(np);
  const Pl = new Float64Array(p);
  return L.map((l) => {
    // Φl
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += Phi[i + j * p] * l[j];
      Pl[i] = s;
    }
    let v = 0;
    let va = 0;
    for (let i = 0; i < p; i++) {
      v += l[i] * Pl[i];
      for (let j = 0; j < p; j++) va += l[i] * kr.vcovAdj[i + j * p] * l[j];
    }
    // d_r = l'(ΦP_r)(Φl)
    for (let r = 0; r < np; r++) {
      let s = 0;
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += l[i] * PhiP[r][i + j * p] * Pl[j];
      d[r] = s;
    }
    let a1 = 0;
    for (let r = 0; r < np; r++) for (let s = 0; s < np; s++) a1 += W[r + s * np] * d[r] * d[s];
    return { se: Math.sqrt(va), df: a1 > 0 ? (2 * v * v) / a1 : NaN };
  });
}

/** What {@link kenwardRogerContrasts} needs from the last {@link adjust}: Φ, ΦP_r and W. */
interface AdjustParts {
  readonly Phi: Float64Array;
  readonly PhiP: readonly Float64Array[];
  readonly W: Float64Array;
}

/** Z'V⁻ᵏZ, Z'V⁻ᵏX and X'V⁻ᵏX pieces at the estimates (see the file comment). */
interface MarginalProducts {
  readonly q: number;
  /** S = Z'V⁻¹Z, q × q. */
  readonly S: Float64Array;
  /** T = Z'V⁻¹X, q × p. */
  readonly T: Float64Array;
  /** U = Z'V⁻²X, q × p. */
  readonly U: Float64Array;
  /** Φ = (X'V⁻¹X)⁻¹, p × p. */
  readonly Phi: Float64Array;
  /** X'V⁻²X, p × p. */
  readonly XV2X: Float64Array;
  /** X'V⁻³X, p × p. */
  readonly XV3X: Float64Array;
}

/** Build the pieces of {@link MarginalProducts} from the model's cross products, θ̂ and σ̂. */
function marginalProducts(re: RandomEffects, cp: DenseCrossProducts, theta: Float64Array, sigma: number, p: number): MarginalProducts {
  const terms = re.terms;
  const { q, C, ZX, XX } = cp;
  const offsets: number[] = [];
  let qo = 0;
  for (const t of terms) {
    offsets.push(qo);
    qo += t.q;
  }
  const lambdas = re.lambdas(theta);

  // B ← Λ'B for a q × ncol matrix, in place, level block by level block
  const leftLambdaT = (B: Float64Array, ncol: number): void => {
    for (let c = 0; c < ncol; c++) {
      for (let h = 0; h < terms.length; h++) {
        const t = terms[h];
        const k = t.k;
        const lam = lambdas[h];
        for (let g = 0; g < t.nlev; g++) {
          const base = c * q + offsets[h] + g * k;
          for (let a = 0; a < k; a++) {
            let s = 0;
            for (let b = a; b < k; b++) s += lam[b + a * k] * B[base + b];
            B[base + a] = s; // rows b > a are read before they are overwritten
          }
        }
      }
    }
  };
  // B ← BΛ for a q × q matrix, column by column
  const rightLambda = (B: Float64Array): void => {
    for (let h = 0; h < terms.length; h++) {
      const t = terms[h];
      const k = t.k;
      const lam = lambdas[h];
      for (let g = 0; g < t.nlev; g++) {
        const base = offsets[h] + g * k;
        for (let a = 0; a < k; a++) {
          const ca = (base + a) * q;
          const d = lam[a + a * k];
          for (let r = 0; r < q; r++) B[ca + r] *= d;
          for (let b = a + 1; b < k; b++) axpy(lam[b + a * k], B, (base + b) * q, B, ca, q); // columns b > a are still Λ-free
        }
      }
    }
  };
  // B ← ΛB for a q × ncol matrix, in place
  const leftLambda = (B: Float64Array, ncol: number): void => {
    for (let c = 0; c < ncol; c++) {
      for (let h = 0; h < terms.length; h++) {
        const t = terms[h];
        const k = t.k;
        const lam = lambdas[h];
        for (let g = 0; g < t.nlev; g++) {
          const base = c * q + offsets[h] + g * k;
          for (let a = k - 1; a >= 0; a--) {
            let s = 0;
            for (let b = 0; b <= a; b++) s += lam[a + b * k] * B[base + b];
            B[base + a] = s; // rows b < a are overwritten later
          }
        }
      }
    }
  };

  // W1 = Λ'C (then L⁻¹Λ'C); A = Λ'CΛ + I factored as L L'
  const W1 = Float64Array.from(C);
  leftLambdaT(W1, q);
  const L = Float64Array.from(W1);
  rightLambda(L);
  for (let i = 0; i < q; i++) L[i + i * q] += 1;
  if (cholesky(L, q, q) !== -1) throw new Error("Kenward-Roger: Λ'Z'ZΛ + I is not positive definite");
  for (let c = 0; c < q; c++) solveLower(L, q, q, W1, c * q);
  const W2 = Float64Array.from(ZX);
  leftLambdaT(W2, p);
  for (let c = 0; c < p; c++) solveLower(L, q, q, W2, c * q);

  const s2 = 1 / (sigma * sigma);
  // S = σ⁻²(C − W1'W1), in C's storage; W1 is sparse for nested factors
  const nz = sparseColumns(W1, q);
  const S = C;
  const setS = (i: number, j: number, w: number): void => {
    const v = s2 * (C[i + j * q] - w);
    S[i + j * q] = v;
    S[j + i * q] = v;
  };
  const dense: number[] = [];
  for (let j = 0; j < q; j++) {
    if (!nz[j]) dense.push(j);
    for (let i = j; i < q; i++) {
      const a = nz[i];
      const b = nz[j];
      if (a && (!b || a.length <= b.length)) setS(i, j, sparseDot(a, W1, i * q, W1, j * q));
      else if (b) setS(i, j, sparseDot(b, W1, j * q, W1, i * q));
    }
  }
  const d4 = new Float64Array(4);
  for (let a = 0; a < dense.length; a += 4) {
    const m = Math.min(4, dense.length - a);
    for (let b = a; b < dense.length; b++) {
      const j = dense[b];
      dot4(W1, dense[a] * q, dense[a + Math.min(1, m - 1)] * q, dense[a + Math.min(2, m - 1)] * q, dense[a + m - 1] * q, j * q, q, d4);
      for (let t = 0; t < m && a + t <= b; t++) setS(dense[a + t], j, d4[t]); // each pair once: C is overwritten
    }
  }
  // T = σ⁻²(Z'X − W1'W2)
  const T = new Float64Array(q * p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < q; i++) {
      const a = nz[i];
      T[i + j * q] = s2 * (ZX[i + j * q] - (a ? sparseDot(a, W1, i * q, W2, j * q) : dot(W1, i * q, W2, j * q, q)));
    }
  }
  // X'V⁻¹X = σ⁻²(X'X − W2'W2), Φ its inverse
  const XVX = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) XVX[i + j * p] = s2 * (XX[i + j * p] - dot(W2, i * q, W2, j * q, q));
  const Phi = invertSymmetric(XVX, p);
  if (!Phi) throw new MlmError("Kenward-Roger's method cannot be applied: X'V⁻¹X is singular at the estimates.");
  // Y2 = L⁻ᵀW2, N = ΛY2
  const N = Float64Array.from(W2);
  for (let c = 0; c < p; c++) solveLowerTranspose(L, q, q, N, c * q);
  const Y2tY2 = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) Y2tY2[i + j * p] = dot(N, i * q, N, j * q, q);
  leftLambda(N, p);
  // SN = S N, U = σ⁻²(T − SN)
  const SN = new Float64Array(q * p);
  for (let j = 0; j < p; j++) {
    for (let l = 0; l < q; l++) {
      const v = N[l + j * q];
      if (v === 0) continue;
      axpy(v, S, l * q, SN, j * q, q);
    }
  }
  const U = new Float64Array(q * p);
  for (let i = 0; i < q * p; i++) U[i] = s2 * (T[i] - SN[i]);
  const XV2X = new Float64Array(p * p);
  const XV3X = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) {
      XV2X[i + j * p] = s2 * XVX[i + j * p] - s2 * s2 * Y2tY2[i + j * p];
      const nsn = 0.5 * (dot(N, i * q, SN, j * q, q) + dot(N, j * q, SN, i * q, q));
      XV3X[i + j * p] = s2 * s2 * (XVX[i + j * p] - 2 * s2 * Y2tY2[i + j * p] + nsn);
    }
  }

  return { q, S, T, U, Phi, XV2X, XV3X };
}

/** One covariance element φ_r: its estimate and the non-zeros of D_r (G_r = Z D_r Z'), pairs (rows[m], cols[m]). */
interface CovarianceParameter {
  readonly value: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
}

/** One {@link CovarianceParameter} per unique element of each term's covariance matrix σ²Λ_tΛ_t'. */
function covarianceParameters(terms: readonly ReTerm[], theta: Float64Array, sigma: number): CovarianceParameter[] {
  const out: CovarianceParameter[] = [];
  let off = 0;
  let to = 0;
  for (const t of terms) {
    const k = t.k;
    const lam = new Float64Array(k * k);
    t.fillLambda(theta, to, lam);
    to += t.ntheta;
    for (let b = 0; b < k; b++) {
      for (let a = b; a < k; a++) {
        const nnz = a === b ? t.nlev : 2 * t.nlev;
        const rows = new Int32Array(nnz);
        const cols = new Int32Array(nnz);
        let c = 0;
        for (let g = 0; g < t.nlev; g++) {
          const i = off + g * k + a;
          const j = off + g * k + b;
          rows[c] = i;
          cols[c++] = j;
          if (a !== b) {
            rows[c] = j;
            cols[c++] = i;
          }
        }
        let v = 0;
        for (let c2 = 0; c2 <= b; c2++) v += lam[a + c2 * k] * lam[b + c2 * k];
        out.push({ value: sigma * sigma * v, rows, cols });
      }
    }
    off += t.q;
  }
  return out;
}

/** Φ_A, the KR df and the t tests, from the marginal products and the covariance parameters. */
function adjust(mv: MarginalProducts, params: readonly CovarianceParameter[], beta: Float64Array, sigma: number, n: number): KenwardRogerResult & { parts: AdjustParts } {
  const { q, S, T, U, Phi } = mv;
  const p = beta.length;
  const R = params.length;
  const np = R + 1; // the residual variance is parameter R
  const pp = p * p;

  // P_r = T'D_rT, and P_R = X'V⁻²X
  const P: Float64Array[] = [];
  for (const par of params) P.push(sandwich(T, par, T, q, p));
  P.push(mv.XV2X);

  // Q_rs for every ordered pair
  const Q: Float64Array[] = new Array<Float64Array>(np * np);
  const Y = new Float64Array(q * p);
  for (let s = 0; s < R; s++) {
    // Y = S D_s T
    Y.fill(0);
    const { rows, cols } = params[s];
    for (let mm = 0; mm < rows.length; mm++) {
      const i = rows[mm];
      const j = cols[mm];
      for (let y = 0; y < p; y++) {
        const v = T[j + y * q];
        if (v !== 0) axpy(v, S, i * q, Y, y * q, q);
      }
    }
    for (let r = 0; r < R; r++) Q[r + s * np] = sandwich(T, params[r], Y, q, p);
  }
  for (let r = 0; r < R; r++) {
    const a = sandwich(T, params[r], U, q, p);
    Q[r + R * np] = a;
    Q[R + r * np] = transpose(a, p);
  }
  Q[R + R * np] = mv.XV3X;

  // tr(V⁻¹G_rV⁻¹G_s)
  const tau = new Float64Array(np * np);
  for (let r = 0; r < R; r++) {
    const pr = params[r];
    for (let s = r; s < R; s++) {
      const ps = params[s];
      let t = 0;
      for (let a = 0; a < pr.rows.length; a++) {
        const i = pr.rows[a];
        const j = pr.cols[a];
        for (let b = 0; b < ps.rows.length; b++) t += S[j + ps.rows[b] * q] * S[ps.cols[b] + i * q];
      }
      tau[r + s * np] = t;
      tau[s + r * np] = t;
    }
  }
  // with the residual: σ² tr(V⁻¹G_rV⁻¹) = tr(D_rS) − Σ_s φ_s tr(V⁻¹G_rV⁻¹G_s), and likewise tr V⁻²
  const s2 = sigma * sigma;
  let trSigmaS = 0;
  for (let r = 0; r < R; r++) {
    const pr = params[r];
    let trDS = 0;
    for (let a = 0; a < pr.rows.length; a++) trDS += S[pr.cols[a] + pr.rows[a] * q];
    trSigmaS += pr.value * trDS;
    let t = trDS;
    for (let s = 0; s < R; s++) t -= params[s].value * tau[r + s * np];
    tau[r + R * np] = t / s2;
    tau[R + r * np] = t / s2;
  }
  let trV2 = (n - trSigmaS) / s2;
  for (let s = 0; s < R; s++) trV2 -= params[s].value * tau[R + s * np];
  tau[R + R * np] = trV2 / s2;

  // J = tr(ΠG_rΠG_s) and W = 2 J⁻¹
  const PhiP = P.map((Pr) => matmul(Phi, Pr, p));
  const J = new Float64Array(np * np);
  for (let r = 0; r < np; r++) {
    for (let s = r; s < np; s++) {
      let trPhiQ = 0;
      let trPP = 0;
      const Qrs = Q[r + s * np];
      for (let x = 0; x < p; x++) {
        for (let y = 0; y < p; y++) {
          trPhiQ += Phi[x + y * p] * Qrs[y + x * p];
          trPP += PhiP[r][x + y * p] * PhiP[s][y + x * p];
        }
      }
      const v = tau[r + s * np] - 2 * trPhiQ + trPP;
      J[r + s * np] = v;
      J[s + r * np] = v;
    }
  }
  const W = inverseOrPseudoInverse(J, np).map((v) => 2 * v);

  // Φ_A = Φ + 2Φ {Σ_rs W_rs (Q_rs − P_rΦP_s)} Φ
  const Usum = new Float64Array(pp);
  for (let r = 0; r < np; r++) {
    for (let s = 0; s < np; s++) {
      const w = W[r + s * np];
      if (w === 0) continue;
      const PPhiP = matmul(P[r], PhiP[s], p);
      const Qrs = Q[r + s * np];
      for (let i = 0; i < pp; i++) Usum[i] += w * (Qrs[i] - PPhiP[i]);
    }
  }
  const corr = matmul(Phi, matmul(Usum, Phi, p), p);
  const vcovAdj = new Float64Array(pp);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) vcovAdj[i + j * p] = Phi[i + j * p] + (corr[i + j * p] + corr[j + i * p]);
  }

  // df for each coefficient: 2 Φ_jj² / Σ_rs W_rs d_r d_s, d_r = (ΦP_rΦ)_jj
  const df: number[] = [];
  const se: number[] = [];
  const pv: number[] = [];
  const d = new Float64Array(np);
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < np; r++) {
      let s = 0;
      for (let y = 0; y < p; y++) s += PhiP[r][j + y * p] * Phi[y + j * p];
      d[r] = s;
    }
    let a1 = 0;
    for (let r = 0; r < np; r++) for (let s = 0; s < np; s++) a1 += W[r + s * np] * d[r] * d[s];
    const phi = Phi[j + j * p];
    const m = a1 > 0 ? (2 * phi * phi) / a1 : NaN;
    const sej = Math.sqrt(vcovAdj[j + j * p]);
    df.push(m);
    se.push(sej);
    pv.push(tPValue(beta[j] / sej, m));
  }
  return { df, p: pv, se, vcovAdj, parts: { Phi, PhiP, W } };
}

/** A'D B for q × p matrices A, B and the sparse D of one covariance parameter: p × p. */
function sandwich(A: Float64Array, par: CovarianceParameter, B: Float64Array, q: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  const { rows, cols } = par;
  for (let mm = 0; mm < rows.length; mm++) {
    const i = rows[mm];
    const j = cols[mm];
    for (let y = 0; y < p; y++) {
      const b = B[j + y * q];
      if (b === 0) continue;
      for (let x = 0; x < p; x++) out[x + y * p] += A[i + x * q] * b;
    }
  }
  return out;
}

/** Four dot products with one column: out[t] = Σ_r w[o_t + r] w[oj + r], reading that column once. */
function dot4(w: Float64Array, o0: number, o1: number, o2: number, o3: number, oj: number, len: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let r = 0; r < len; r++) {
    const x = w[oj + r];
    s0 += w[o0 + r] * x;
    s1 += w[o1 + r] * x;
    s2 += w[o2 + r] * x;
    s3 += w[o3 + r] * x;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/** For each column of a q × q matrix, its non-zero rows, or undefined when more than a quarter are non-zero. */
function sparseColumns(W: Float64Array, q: number): (Int32Array | undefined)[] {
  const out: (Int32Array | undefined)[] = [];
  const rows = new Int32Array(q);
  for (let j = 0; j < q; j++) {
    let m = 0;
    for (let r = 0; r < q && m <= q >> 2; r++) if (W[r + j * q] !== 0) rows[m++] = r;
    out.push(m <= q >> 2 ? rows.slice(0, m) : undefined);
  }
  return out;
}

/** Σ_{r ∈ rows} a[ao + r] b[bo + r]. */
function sparseDot(rows: Int32Array, a: Float64Array, ao: number, b: Float64Array, bo: number): number {
  let s = 0;
  for (let m = 0; m < rows.length; m++) s += a[ao + rows[m]] * b[bo + rows[m]];
  return s;
}






