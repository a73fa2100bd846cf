// BOBYQA-class bounded derivative-free minimisation (after Powell 2009, "The BOBYQA algorithm for
// bound constrained optimization without derivatives", Cambridge DAMTP 2009/NA06).
//
//   minimise f(x) subject to lower <= x <= upper (bounds may be infinite).
//
// A quadratic model Q(x_opt + d) = Q_opt + g'd + (1/2) d'Hd interpolates f at m points (m = 2n+1
// by default). Each iteration minimises Q in a trust region {|d| <= delta} intersected with the
// box (trust-region-step.ts), evaluates f there, and puts the new point in place of the one whose
// replacement keeps the point set best poised. After every change of the point set the model is
// changed by the least Frobenius norm change of its Hessian that restores interpolation
// (interpolation-system.ts). When the model is unhelpful and points lie far from x_opt, a
// geometry step (geometry-step.ts) moves the farthest point to improve poisedness. A lower bound
// rho on delta decreases from rhoBeg to rhoEnd, and the run ends when the model cannot make
// progress at rho = rhoEnd.
//
// Simplifications relative to the report: the model is refitted to all m residuals after each
// change (the inverse of the KKT matrix is updated by the Woodbury formula and refactored from
// scratch every m updates or when the update loses accuracy), the trust-region and geometry
// steps are simpler, a point set that becomes degenerate is rebuilt around x_opt instead of
// being rescued, and a value of f far above the others (or not finite) is kept out of the model
// and treated as a failed step.

import { MlmError } from "../errors.js";
import { float64Views } from "../linalg/work-arrays.js";
import { GeometryWork, geometryStep } from "./geometry-step.js";
import { InterpolationSystem } from "./interpolation-system.js";
import { TrustRegionWork, trustRegionStep } from "./trust-region-step.js";

/** Options of {@link bobyqa}. */
export interface BobyqaOptions {
  /** Lower bounds (length n; -Infinity for none). Default: no lower bounds. */
  lower?: Float64Array;
  /** Upper bounds (length n; +Infinity for none). Default: no upper bounds. */
  upper?: Float64Array;
  /** Initial trust-region radius: the first steps have this length. Default 0.2 (as in lme4). */
  rhoBeg?: number;
  /** Final trust-region radius, the accuracy sought in x. Default 2e-7 (as in lme4). */
  rhoEnd?: number;
  /** Largest number of evaluations of f. Default 10000. */
  maxEval?: number;
  /** Number of interpolation points, n + 2 <= npt <= (n+1)(n+2)/2. Default 2n + 1. */
  npt?: number;
}

/** Result of an optimiser run. */
export interface OptimResult {
  /** The best point found. */
  x: Float64Array;
  /** f at x. */
  fx: number;
  /** Number of evaluations of f. */
  evaluations: number;
  /** true when the run ended by reaching rhoEnd, false when it stopped early. */
  converged: boolean;
  /** One plain sentence on how the run ended. */
  message: string;
  /** The optimiser's name. */
  name: "bobyqa";
}

/** Outcome of an evaluation request. */
type Stop = { converged: boolean; message: string };

/** The state of one run on the free variables. */
class BobyqaRun {
  private readonly n: number;
  private readonly m: number;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly rhoEnd: number;
  private readonly maxEval: number;
  private readonly f: (x: Float64Array) => number;

  /** Interpolation points (n x m, column-major) and their f values. */
  private readonly xpt: Float64Array;
  private readonly fval: Float64Array;
  private kopt = 0;
  private readonly xopt: Float64Array;
  private fopt = Infinity;
  /** Model: Q(xopt + d) = qopt + gopt'd + (1/2) d'Hd. */
  private qopt = 0;
  private readonly gopt: Float64Array;
  private readonly hq: Float64Array;

  private rho: number;

  private delta: number;
  /** Whether sys holds the current points and a usable inverse. */
  private systemValid = false;
  /** Distance of the farthest point from xopt, set by farthest(). */
  private farDistance = 0;
  /** |f - Q| at the three most recent trust-region trial points (newest first). */
  private readonly errors = new Float64Array([Infinity, Infinity, Infinity]);
  nf = 0;

  private readonly sys: InterpolationSystem;
  private readonly trWork: TrustRegionWork;
  private readonly geoWork: GeometryWork;
  // work arrays
  private readonly xeval: Float64Array;
  private readonly d: Float64Array;
  private readonly xnew: Float64Array;
  private readonly sl: Float64Array;
  private readonly su: Float64Array;
  private readonly disp: Float64Array;
  private readonly hd: Float64Array;
  private readonly rhs: Float64Array;
  private readonly sol: Float64Array;
  private readonly wv: Float64Array;
  private readonly vv: Float64Array;
  private readonly off1: Float64Array;
  private readonly off2: Float64Array;
  // saved state for undoing a failed inclusion
  private readonly saveX: Float64Array;
  private readonly saveG: Float64Array;
  private readonly saveH: Float64Array;
  private readonly saveXopt: Float64Array;

  constructor(
    f: (x: Float64Array) => number,
    lower: Float64Array,
    upper: Float64Array,
    m: number,
    rhoBeg: number,
    rhoEnd: number,
    maxEval: number,
    xeval: Float64Array,
  ) {
    const n = lower.length;
    this.n = n;
    this.m = m;
    this.f = f;
    this.lower = lower;
    this.upper = upper;
    this.rho = rhoBeg;
    this.delta = rhoBeg;
    this.rhoEnd = rhoEnd;
    this.maxEval = maxEval;
    this.xeval = xeval;
    const size = m + n + 1;
    // one buffer for the work arrays (see float64Views), in the order of their lengths below
    [this.xpt, this.fval, this.xopt, this.gopt, this.hq, this.d, this.xnew, this.sl, this.su, this.disp, this.hd,
      this.rhs, this.sol, this.wv, this.vv, this.off1, this.off2, this.saveX, this.saveG, this.saveH, this.saveXopt] =
      float64Views([n * m, m, n, n, n * n, n, n, n, n, n, n, size, size, size, size, n, n, n, n, n * n, n]);
    this.sys = new InterpolationSystem(n, m);
    this.trWork = new TrustRegionWork(n);
    this.geoWork = new GeometryWork(n, m);
  }

  /** Evaluates f at x after clamping x into the box (x is updated to the point used). */
  private evaluate(x: Float64Array): number {
    const { n, lower, upper, xeval } = this;
    for (let i = 0; i < n; i++) {
      const v = Math.min(Math.max(x[i], lower[i]), upper[i]);
      x[i] = v;
      xeval[i] = v;
    }
    this.nf++;
    const v = this.f(xeval);
    return typeof v === "number" && Number.isFinite(v) ? v : NaN;
  }

  /**
   * Whether a finite value is so far above the values in the point set (more than 1000 times
   * their spread above fopt) that putting it in the model would wreck the model's curvature for
   * many iterations; such a point is handled like a non-finite value.
   */
  private isOutlier(fx: number): boolean {
    let fmax = this.fopt;
    for (let j = 0; j < this.m; j++) fmax = Math.max(fmax, this.fval[j]);
    const spread = fmax - this.fopt;
    return spread > 0 && fx - this.fopt > 1000 * spread;
  }

  private budgetLeft(): boolean {
    return this.nf < this.maxEval;
  }

  private stopForBudget(): Stop {
    return {
      converged: false,
      message: `Stopped after the maximum of ${this.maxEval} evaluations before reaching the requested accuracy; increase maxEval.`,
    };
  }

  /** Sets xopt, fopt and kopt from the point set. */
  private pickBest(): void {
    const { n, m, fval } = this;
    let k = 0;
    for (let j = 1; j < m; j++) if (fval[j] < fval[k]) k = j;
    this.kopt = k;
    this.fopt = fval[k];
    for (let i = 0; i < n; i++) this.xopt[i] = this.xpt[i + k * n];
  }

  /**
   * Places the m points around centre (whose value is fcentre) with steps of length rho along
   * the coordinates (and pairs of coordinates when m > 2n + 1), inside the box.
   *
   * @returns null on success, or why the run must stop.
   */
  private buildPointSet(centre: Float64Array, fcentre: number, rho: number): Stop | null {
    const { n, m, lower, upper, xpt, fval, off1, off2 } = this;
    for (let i = 0; i < n; i++) {
      const above = upper[i] - centre[i];
      const below = centre[i] - lower[i];
      if (above >= rho && below >= rho) {
        off1[i] = rho;
        off2[i] = -rho;
      } else if (above >= below) {
        const r = Math.min(rho, above / 2);
        off1[i] = r;
        off2[i] = 2 * r;
      } else {
        const r = Math.min(rho, below / 2);
        off1[i] = -r;
        off2[i] = -2 * r;
      }
    }
    for (let i = 0; i < n; i++) xpt[i] = centre[i];
    fval[0] = fcentre;
    const x = this.xnew;
    for (let k = 1; k < m; k++) {
      // which coordinates move, and by how much
      let p: number;
      let q = -1;
      let sp: number;
      let sq = 0;
      if (k <= n) {
        p = k - 1;
        sp = off1[p];
      } else if (k <= 2 * n) {
        p = k - n - 1;
        sp = off2[p];
      } else {
        // pairs (p, q) in the order (0,1), (1,2), ..., (0,2), (1,3), ...
        let idx = k - 2 * n - 1;
        let gap = 1;
        while (idx >= n - gap) {
          idx -= n - gap;
          gap++;
        }
        p = idx;
        q = idx + gap;
        sp = off1[p];
        sq = off1[q];
      }
      let fx = NaN;
      for (let attempt = 0; attempt < 12; attempt++) {
        if (!this.budgetLeft()) return this.stopForBudget();
        x.set(centre);
        x[p] += sp;
        if (q >= 0) x[q] += sq;
        fx = this.evaluate(x);
        if (!Number.isNaN(fx)) break;
        // f is not finite there: come closer to the centre, avoiding the other point on this axis
        sp *= 0.5;
        sq *= 0.5;
        if (q < 0 && k > n && Math.abs(sp - off1[p]) < 0.25 * Math.abs(off1[p])) sp *= 0.5;
      }
      if (Number.isNaN(fx)) {
        return {
          converged: false,
          message: "Stopped because the objective is not finite at points near the best point found.",
        };
      }
      if (k <= n) off1[p] = sp;
      for (let i = 0; i < n; i++) xpt[i + k * n] = x[i];
      fval[k] = fx;
    }
    this.pickBest();
    this.systemValid = false;
    this.qopt = this.fopt;
    this.gopt.fill(0);
    this.hq.fill(0);
    if (!this.refit()) {
      return { converged: false, message: "Stopped because the interpolation points became degenerate." };
    }
    return null;
  }

  /**
   * Makes sure sys holds the current points: it is kept (with its own centre and scale) while it
   * has had fewer than m updates since being factored, its centre lies within 3 scales of xopt
   * and its scale is within a factor 4 of the points' root-mean-square distance from xopt;
   * otherwise it is refactored about xopt.
   *
   * @returns false if the points are not poised.
   */
  private ensureSystem(): boolean {
    const { n, m, xpt, xopt, sys, kopt } = this;
    let sum = 0;
    for (let j = 0; j < m; j++) {
      if (j === kopt) continue;
      for (let i = 0; i < n; i++) sum += (xpt[i + j * n] - xopt[i]) ** 2;
    }
    const scale = Math.sqrt(sum / (m - 1));
    if (!(scale > 0)) return false;
    if (this.systemValid && sys.updates < m) {
      let c2 = 0;
      for (let i = 0; i < n; i++) c2 += (xopt[i] - sys.centre[i]) ** 2;
      const ratio = scale / sys.scale;
      if (c2 <= 9 * sys.scale * sys.scale && ratio >= 0.25 && ratio <= 4) return true;
    }
    this.systemValid = sys.factor(xpt, xopt, scale);
    return this.systemValid;
  }

  /**
   * Refits the model to the current points: the least Frobenius norm change of the Hessian that
   * makes Q interpolate f at every point (rounding errors included).
   *
   * @returns false if the points are not poised or the model is not finite.
   */
  private refit(): boolean {
    const { n, m, xpt, fval, xopt, gopt, hq, sys, disp, hd, rhs, sol } = this;
    if (!this.ensureSystem()) return false;
    rhs.fill(0);
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) disp[i] = xpt[i + j * n] - xopt[i];
      let q = this.qopt;
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += hq[r + c * n] * disp[r];
        hd[c] = s;
        q += disp[c] * (gopt[c] + 0.5 * s);
      }
      rhs[j] = fval[j] - q;
    }
    sys.solve(rhs, sol);
    // the change D(x) = a + g'z + (1/2) sum_j lambda_j (z_j'z)^2, z = (x - centre)/scale, about xopt
    const { z, centre, scale } = sys;
    for (let i = 0; i < n; i++) disp[i] = (xopt[i] - centre[i]) / scale; // z at xopt
    let dval = sol[m];
    for (let i = 0; i < n; i++) {
      dval += sol[m + 1 + i] * disp[i];
      hd[i] = sol[m + 1 + i];
    }
    for (let j = 0; j < m; j++) {
      const lam = sol[j];
      if (lam === 0) continue;
      let t = 0;
      for (let i = 0; i < n; i++) t += z[i + j * n] * disp[i];
      dval += 0.5 * lam * t * t;
      for (let i = 0; i < n; i++) hd[i] += lam * t * z[i + j * n];
      const ls = lam / (scale * scale);
      for (let c = 0; c < n; c++) {
        const zc = ls * z[c + j * n];
        for (let r = 0; r < n; r++) hq[r + c * n] += zc * z[r + j * n];
      }
    }
    this.qopt += dval;
    for (let i = 0; i < n; i++) gopt[i] += hd[i] / scale;
    for (let i = 0; i < n; i++) if (!Number.isFinite(gopt[i])) return false;
    for (let i = 0; i < n * n; i++) if (!Number.isFinite(hq[i])) return false;
    return Number.isFinite(this.qopt);
  }

  /** Moves the model's centre from xopt to x (Q unchanged, expressed about x). */
  private shiftModel(x: Float64Array): void {
    const { n, xopt, gopt, hq, disp, hd } = this;
    for (let i = 0; i < n; i++) disp[i] = x[i] - xopt[i];
    let dq = 0;
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += hq[r + c * n] * disp[r];
      hd[c] = s;
      dq += disp[c] * (gopt[c] + 0.5 * s);
    }
    this.qopt += dq;
    for (let i = 0; i < n; i++) gopt[i] += hd[i];
  }

  /**
   * Chooses which point a new trial point x should replace: the one maximising
   * |sigma_k| * max(1, |y_k - centre|^2 / delta^2)^2, so that the set stays poised and far points
   * leave first. The best point may go only if x is better.
   */
  private chooseReplacement(x: Float64Array, improved: boolean): number {
    const { n, m, sys, xpt, wv, vv, kopt, xopt } = this;
    const size = sys.size;
    const half4 = sys.basis(x, wv);
    sys.solve(wv, vv);
    let wHw = 0;
    for (let i = 0; i < size; i++) wHw += wv[i] * vv[i];
    const beta = half4 - wHw;
    const centre = improved ? x : xopt;
    const delta2 = this.delta * this.delta;
    let best = -1;
    let kbest = -1;
    for (let k = 0; k < m; k++) {
      if (k === kopt && !improved) continue;
      const sigma = Math.abs(sys.inverse[k + k * size] * beta + vv[k] * vv[k]);
      let dist2 = 0;
      for (let i = 0; i < n; i++) dist2 += (xpt[i + k * n] - centre[i]) ** 2;
      const weight = Math.max(1, dist2 / delta2);
      const score = sigma * weight * weight;
      if (score > best) {
        best = score;
        kbest = k;
      }
    }
    return kbest;
  }

  /**
   * Puts (x, fx) in place of point knew and refits the model.
   *
   * @returns false if the new point set is degenerate; the previous state is then restored.
   */
  private include(knew: number, x: Float64Array, fx: number): boolean {
    const { n, xpt, fval, saveX, saveG, saveH, saveXopt } = this;
    for (let i = 0; i < n; i++) saveX[i] = xpt[i + knew * n];
    const saveF = fval[knew];
    saveG.set(this.gopt);
    saveH.set(this.hq);
    saveXopt.set(this.xopt);
    const saveQ = this.qopt;
    const saveFopt = this.fopt;
    const saveKopt = this.kopt;

    for (let i = 0; i < n; i++) xpt[i + knew * n] = x[i];
    fval[knew] = fx;
    if (this.systemValid) this.systemValid = this.sys.replacePoint(knew, x);
    if (fx < this.fopt) {
      this.shiftModel(x);
      this.xopt.set(x);
      this.fopt = fx;
      this.kopt = knew;
    }
    if (this.refit()) return true;

    for (let i = 0; i < n; i++) xpt[i + knew * n] = saveX[i];
    fval[knew] = saveF;
    this.gopt.set(saveG);
    this.hq.set(saveH);
    this.xopt.set(saveXopt);
    this.qopt = saveQ;
    this.fopt = saveFopt;
    this.kopt = saveKopt;
    this.systemValid = false;
    this.refit();
    return false;
  }

  /**
   * After a short step, whether the model is trustworthy at resolution rho: the last three
   * prediction errors are below (1/8) curvature rho^2 for the free variables (an error that small
   * cannot hide a step of length rho), and every variable held at a bound is pushed against it by
   * a model gradient larger than error/rho.
   */
  private modelIsAccurate(): boolean {
    const { n, gopt, xopt, lower, upper, rho } = this;
    const err = Math.max(this.errors[0], this.errors[1], this.errors[2]);
    if (!Number.isFinite(err)) return false;
    let anyFree = false;
    for (let i = 0; i < n; i++) {
      const atLower = xopt[i] <= lower[i] && gopt[i] >= 0;
      const atUpper = xopt[i] >= upper[i] && gopt[i] <= 0;
      if (atLower || atUpper) {
        if (Math.abs(gopt[i]) * rho < err) return false;
      } else {
        anyFree = true;
      }
    }
    if (!anyFree) return true;
    const crv = this.trWork.curvature;
    return crv > 0 && err <= 0.125 * crv * rho * rho;
  }

  /** Index of the point farthest from xopt; its distance is left in farDistance. */
  private farthest(): number {
    const { n, m, xpt, xopt } = this;
    let kfar = -1;
    let dmax = -1;
    for (let k = 0; k < m; k++) {
      let dist2 = 0;
      for (let i = 0; i < n; i++) dist2 += (xpt[i + k * n] - xopt[i]) ** 2;
      if (dist2 > dmax) {
        dmax = dist2;
        kfar = k;
      }
    }
    this.farDistance = Math.sqrt(dmax);
    return kfar;
  }

  /** A point is rejected or the set degenerated after an improvement: rebuild around the best point. */
  private rebuild(centre: Float64Array, fcentre: number): Stop | null {
    const c = this.saveXopt;
    c.set(centre);
    const stop = this.buildPointSet(c, fcentre, this.rho);
    this.delta = this.rho;
    return stop;
  }

  /**
   * Moves the farthest point (index kfar, at distance dist) by a geometry step and includes it;
   * where f is not finite (or an outlier) the step is retried closer to xopt, three times at most.
   *
   * @returns true if a point was moved, false if every attempt failed, or why the run must stop.
   */
  private improveGeometry(kfar: number, dist: number): Stop | boolean {
    let radius = Math.max(Math.min(0.1 * dist, this.delta), this.rho);
    const x = this.xnew;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (!this.budgetLeft()) return this.stopForBudget();
      geometryStep(this.sys, this.xpt, this.kopt, kfar, this.lower, this.upper, radius, x, this.geoWork);
      const fx = this.evaluate(x);
      if (!Number.isNaN(fx) && !this.isOutlier(fx)) {
        if (this.include(kfar, x, fx)) return true;
        // the set became degenerate (points at very different distances): start afresh at rho
        return (fx < this.fopt ? this.rebuild(x, fx) : this.rebuild(this.xopt, this.fopt)) ?? true;
      }
      radius *= 0.5;
    }
    return false;
  }

  /**
   * Lowers rho (Powell's schedule), or reports convergence when rho is already rhoEnd.
   *
   * @returns null to continue, or the final status.
   */
  private reduceRho(): Stop | null {
    if (this.rho <= this.rhoEnd) {
      return { converged: true, message: "Converged: the trust-region radius reached rhoEnd." };
    }

    this.delta = 0.5 * this.rho;
    const ratio = this.rho / this.rhoEnd;
    if (ratio <= 16) this.rho = this.rhoEnd;
    else if (ratio <= 250) this.rho = Math.sqrt(ratio) * this.rhoEnd;
    else this.rho *= 0.1;
    this.delta = Math.max(this.delta, this.rho);
    // prediction errors seen at the old resolution say nothing about the new one
    this.errors.fill(Infinity);
    return null;
  }

  /** Runs the method from x0 (already in the box). */
  run(x0: Float64Array): Stop {
    const { n, lower, upper, d, sl, su, xnew } = this;
    const f0 = this.evaluate(x0);
    if (Number.isNaN(f0)) {
      throw new MlmError("The objective function is not finite at the starting point; choose other starting values.");
    }
    this.xopt.set(x0);
    this.fopt = f0;
    let stop = this.buildPointSet(x0, f0, this.rho);
    if (stop) return stop;

    for (;;) {
      if (!this.systemValid) {
        // the point set could not be restored after a failed update: start afresh
        stop = this.rebuild(this.xopt, this.fopt);
        if (stop) return stop;
      }
      // ---- trust-region step ----
      for (let i = 0; i < n; i++) {
        sl[i] = lower[i] - this.xopt[i];
        su[i] = upper[i] - this.xopt[i];
      }
      const predicted = trustRegionStep(n, this.gopt, this.hq, this.delta, sl, su, d, this.trWork);
      let dnorm = 0;
      for (let i = 0; i < n; i++) dnorm += d[i] * d[i];
      dnorm = Math.sqrt(dnorm);

      let ratio: number;
      if (dnorm < 0.5 * this.rho) {
        // the model sees no worthwhile step at this resolution
        this.delta *= 0.1;
        if (this.delta <= 1.5 * this.rho) this.delta = this.rho;
        ratio = -1;
        if (this.delta <= this.rho && this.modelIsAccurate()) {
          // the recent predictions were accurate at this resolution: no geometry work is needed
          stop = this.reduceRho();
          if (stop) return stop;
          continue;
        }
      } else {
        if (!this.budgetLeft()) return this.stopForBudget();
        for (let i = 0; i < n; i++) xnew[i] = this.xopt[i] + d[i];
        const fnew = this.evaluate(xnew);
        if (Number.isNaN(fnew) || this.isOutlier(fnew)) {
          // treat as a very bad value: shrink, and keep the point out of the model
          ratio = -1;
          this.delta = 0.5 * Math.min(this.delta, dnorm);
          if (this.delta <= 1.5 * this.rho) this.delta = this.rho;
        } else {
          const fold = this.fopt;
          this.errors[2] = this.errors[1];
          this.errors[1] = this.errors[0];
          this.errors[0] = Math.abs(fnew - fold + predicted);
          ratio = predicted > 0 ? (fold - fnew) / predicted : fnew < fold ? 1 : -1;
          if (ratio <= 0.1) this.delta = Math.min(0.5 * this.delta, dnorm);
          else if (ratio <= 0.7) this.delta = Math.max(0.5 * this.delta, dnorm);
          else this.delta = Math.max(0.5 * this.delta, 2 * dnorm);
          if (this.delta <= 1.5 * this.rho) this.delta = this.rho;
          const improved = fnew < fold;
          const knew = this.chooseReplacement(xnew, improved);
          if (knew >= 0 && !this.include(knew, xnew, fnew) && improved) {
            stop = this.rebuild(xnew, fnew);
            if (stop) return stop;
            continue;
          }
          if (ratio >= 0.1) continue;
        }
      }

      // ---- the step failed or was too short: fix the geometry, or refine rho ----
      const kfar = this.farthest();
      const dist = this.farDistance;
      if (dist > Math.max(this.delta, 2 * this.rho)) {
        const moved = this.improveGeometry(kfar, dist);
        if (typeof moved !== "boolean") return moved;
        // when f is bad all around, fall through: smaller steps may find good values
        if (moved) continue;
      }
      if (ratio > 0 || Math.max(this.delta, dnorm) > 1.001 * this.rho) continue;
      stop = this.reduceRho();
      if (stop) return stop;
    }
  }

  /** The best point and value found. */
  best(): { x: Float64Array; fx: number } {
    return { x: Float64Array.from(this.xopt), fx: this.fopt };
  }
}

function checkVector(v: Float64Array | undefined, n: number, what: string): void {
  if (v !== undefined && v.length !== n) {
    throw new MlmError(`The ${what} has length ${v.length} but the starting point has length ${n}; give one value per parameter.`);
  }
}

/**
 * Minimises a function subject to simple bounds without derivatives, by a BOBYQA-class
 * trust-region method on quadratic interpolation models.
 *
 * minimise f(x) subject to lower <= x <= upper. f is never evaluated outside the bounds. The
 * starting point is projected into the bounds first. Variables whose lower and upper bounds are
 * equal are held fixed. A value of f that is NaN or infinite, or more than 1000 times the spread
 * of the current interpolation values above the best one, is treated as "very bad": the point is
 * kept out of the model and the trust region shrinks. The run ends when the trust-region radius
 * has been reduced to rhoEnd and the model promises no further progress (converged = true), or
 * when maxEval evaluations are used (converged = false). f receives a buffer that is reused
 * between calls: copy it if you keep it (changing it does no harm).
 *
 * Reference: M. J. D. Powell (2009), The BOBYQA algorithm for bound constrained optimization
 * without derivatives, Report DAMTP 2009/NA06, University of Cambridge.
 *
 * @param f - the objective.
 * @param x0 - starting point (length n >= 1).
 * @param options - bounds, radii, evaluation budget and number of interpolation points.
 * @returns the best point found, its value, the number of evaluations and whether the run converged.
 * @throws {MlmError} if the inputs are inconsistent (lengths, lower > upper, non-finite x0, bad
 *   radii or npt) or f is not finite at the (projected) starting point.
 * @example
 * ```ts
 * // (x0 − 1)² + (x1 + 2)² with x ≥ 0: the bound stops x1 at 0
 * const r = bobyqa((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, new Float64Array([0, 0]),
 *   { lower: new Float64Array([0, 0]), rhoBeg: 0.5, rhoEnd: 1e-8 });
 * r.x; // Float64Array [1.0000000, 0]
 * r.fx; // 4.00000000
 * r.converged; // true
 * ```
 */
export function bobyqa(f: (x: Float64Array) => number, x0: Float64Array, options: BobyqaOptions = {}): OptimResult {
  const nAll = x0.length;
  if (nAll < 1) throw new MlmError("The starting point is empty; give at least one parameter.");
  checkVector(options.lower, nAll, "lower bound");
  checkVector(options.upper, nAll, "upper bound");
  const lowerAll = options.lower ?? new Float64Array(nAll).fill(-Infinity);
  const upperAll = options.upper ?? new Float64Array(nAll).fill(Infinity);
  for (let i = 0; i < nAll; i++) {
    if (Number.isNaN(lowerAll[i]) || Number.isNaN(upperAll[i]) || lowerAll[i] > upperAll[i] || lowerAll[i] === Infinity || upperAll[i] === -Infinity) {
      throw new MlmError(`The bounds of parameter ${i + 1} are invalid (lower ${lowerAll[i]}, upper ${upperAll[i]}); give lower <= upper.`);
    }
    if (!Number.isFinite(x0[i])) {
      throw new MlmError(`Parameter ${i + 1} of the starting point is not a finite number; give finite starting values.`);
    }
  }
  let rhoBeg = options.rhoBeg ?? 0.2;
  let rhoEnd = options.rhoEnd ?? 2e-7;
  const maxEval = options.maxEval ?? 10000;
  if (!(rhoBeg > 0) || !Number.isFinite(rhoBeg) || !(rhoEnd > 0) || rhoEnd > rhoBeg) {
    throw new MlmError(`The radii rhoBeg = ${rhoBeg} and rhoEnd = ${rhoEnd} are invalid; give 0 < rhoEnd <= rhoBeg.`);
  }
  if (!(maxEval >= 1) || !Number.isInteger(maxEval)) {
    throw new MlmError(`maxEval = ${maxEval} is invalid; give a positive whole number of evaluations.`);
  }

  // the starting point, projected into the box
  const xAll = new Float64Array(nAll);
  for (let i = 0; i < nAll; i++) xAll[i] = Math.min(Math.max(x0[i], lowerAll[i]), upperAll[i]);

  // variables with equal bounds are fixed; the method runs on the others
  const freeIdx: number[] = [];
  for (let i = 0; i < nAll; i++) if (lowerAll[i] < upperAll[i]) freeIdx.push(i);
  const n = freeIdx.length;
  const xeval = Float64Array.from(xAll);
  if (n === 0) {
    const fx = f(xeval);
    if (!Number.isFinite(fx)) {
      throw new MlmError("The objective function is not finite at the starting point; choose other starting values.");
    }
    return { x: xAll, fx, evaluations: 1, converged: true, message: "Every parameter is fixed by its bounds; nothing to optimise.", name: "bobyqa" };
  }
  const m = options.npt ?? 2 * n + 1;
  if (!Number.isInteger(m) || m < n + 2 || m > ((n + 1) * (n + 2)) / 2) {
    throw new MlmError(`npt = ${m} is invalid for ${n} free parameters; give a whole number from ${n + 2} to ${((n + 1) * (n + 2)) / 2}.`);
  }
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const x = new Float64Array(n);
  let minRange = Infinity;
  for (let k = 0; k < n; k++) {
    lower[k] = lowerAll[freeIdx[k]];
    upper[k] = upperAll[freeIdx[k]];
    x[k] = xAll[freeIdx[k]];
    minRange = Math.min(minRange, upper[k] - lower[k]);
  }
  // every coordinate must have room for two steps of length rhoBeg
  if (2 * rhoBeg > minRange) {
    rhoBeg = 0.5 * minRange;
    rhoEnd = Math.min(rhoEnd, rhoBeg);
  }

  const reduced = new Float64Array(n);
  const objective =
    n === nAll
      ? f
      : (xr: Float64Array): number => {
          xeval.set(xAll); // the fixed values, rewritten in case f changed its argument
          for (let k = 0; k < n; k++) xeval[freeIdx[k]] = xr[k];
          return f(xeval);
        };
  const runner = new BobyqaRun(objective, lower, upper, m, rhoBeg, rhoEnd, maxEval, n === nAll ? xeval : reduced);
  const stop = runner.run(x);
  const best = runner.best();
  const xOut = Float64Array.from(xAll);
  for (let k = 0; k < n; k++) xOut[freeIdx[k]] = best.x[k];
  return { x: xOut, fx: best.fx, evaluations: runner.nf, converged: stop.converged, message: stop.message, name: "bobyqa" };
}
