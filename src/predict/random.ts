/**
 * A seeded pseudo-random number generator for simulation: xoshiro128** (Blackman and Vigna 2018)
 * seeded through splitmix32, with the standard normal by the polar method, binomial variates by
 * inversion (small means) or Hörmann's BTRS transformed rejection (1993), and Poisson variates by
 * multiplication (small means) or Hörmann's PTRS transformed rejection (1993). The same seed gives
 * the same stream on every platform.
 */
import { logGamma } from "../glmm/family.js";

/**
 * A seeded random stream.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform();        // 0.0726... (always the same for seed 42)
 * rng.normal();         // a standard normal draw
 * rng.binomial(10, 0.3) // a count from 0 to 10
 * ```
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  /**
   * @param seed - any finite number; its integer part (both 32-bit halves) seeds the stream.
   */
  constructor(seed: number) {
    const whole = Math.trunc(seed);
    const high = Math.floor(whole / 4294967296) >>> 0;
    let x = (whole >>> 0) ^ Math.imul(high, 0x85ebca6b);
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * The next 32 random bits (xoshiro128**).
   *
   * @returns an integer in [0, 2³²).
   * @example
   * ```ts
   * new Random(1).nextUint32(); // an integer below 4294967296
   * ```
   */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform draw on [0, 1) with 53 random bits.
   *
   * @returns u with 0 ≤ u < 1.
   * @example
   * ```ts
   * new Random(7).uniform(); // a number in [0, 1)
   * ```
   */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A standard normal draw (Marsaglia's polar method; the second value of each pair is kept for
   * the next call).
   *
   * @returns z ~ N(0, 1).
   * @example
   * ```ts
   * new Random(7).normal(); // e.g. -0.41
   * ```
   */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /**
   * A binomial draw: the number of successes in n trials with success probability p.
   *
   * Inversion (sequential search from 0) when n·min(p, 1 − p) < 10, otherwise Hörmann's BTRS.
   *
   * @param n - trials, a whole number ≥ 0.
   * @param p - success probability in [0, 1].
   * @returns a whole number from 0 to n.
   * @example
   * ```ts
   * new Random(3).binomial(14, 0.2); // e.g. 3
   * ```
   */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    return n * p < 10 ? this.binomialInversion(n, p) : this.binomialBtrs(n, p);
  }

  /**
   * A Poisson draw with mean λ: multiplication of uniforms for λ < 10, otherwise Hörmann's PTRS.
   *
   * @param lambda - the mean, ≥ 0.
   * @returns a whole number ≥ 0.
   * @example
   * ```ts
   * new Random(3).poisson(4.5); // e.g. 5
   * ```
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let prod = this.uniform();
      while (prod > limit) {
        k++;
        prod *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) return k;
    }
  }

  private binomialInversion(n: number, p: number): number {
    const q = 1 - p;
    const qn = Math.exp(n * Math.log(q));
    const np = n * p;
    const bound = Math.min(n, np + 10 * Math.sqrt(np * q + 1));
    let x = 0;
    let px = qn;
    let u = this.uniform();
    while (u > px) {
      x++;
      if (x > bound) {
        x = 0;
        px = qn;
        u = this.uniform();
      } else {
        u -= px;
        px = ((n - x + 1) * p * px) / (x * q);
      }
    }
    return x;
  }

  private binomialBtrs(n: number, p: number): number {
    const q = 1 - p;
    const spq = Math.sqrt(n * p * q);
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    const alpha = (2.83 + 5.1 / b) * spq;
    const lpq = Math.log(p / q);
    const m = Math.floor((n + 1) * p);
    const h = logGamma(m + 1) + logGamma(n - m + 1);
    for (;;) {
      const u = this.uniform() - 0.5;
      let v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (k < 0 || k > n) continue;
      if (us >= 0.07 && v <= vr) return k;
      v = Math.log((v * alpha) / (a / (us * us) + b));
      if (v <= h - logGamma(k + 1) - logGamma(n - k + 1) + (k - m) * lpq) return k;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
