/**
 * A seeded pseudo-random number generator for simulation and the parametric bootstrap, so that
 * results are reproducible for a seed on every platform.
 *
 * - Uniforms: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 *   generators"), 32-bit state words so that it needs no BigInt; its state is filled from the seed
 *   by the SplitMix32 mixing function. A double takes 53 bits from two outputs: u = (a·2²⁶ + b) / 2⁵³.
 * - Normals: Marsaglia's polar method (Marsaglia & Bray 1964): draw (v₁, v₂) uniform in the unit
 *   disc, s = v₁² + v₂², then v₁·√(−2 log s / s) and v₂·√(−2 log s / s) are independent N(0, 1).
 * - Poisson and binomial counts: exact inversion of the cdf searched outwards from the mode
 *   (Kemp & Kemp 1991, "Poisson random variate generation"): the pmf at the mode from log Γ, then
 *   the neighbours by the recurrences p(k+1) = p(k)·λ/(k+1) (Poisson) and
 *   p(k+1) = p(k)·(n−k)/(k+1)·π/(1−π) (binomial); expected cost O(standard deviation).
 */
import { logGamma } from "../numerics/log-gamma.js";

/** A stream of pseudo-random numbers. */
export interface Rng {
  /** A uniform number in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal number. */
  normal(): number;
  /** A Poisson count with mean `lambda` ≥ 0. */
  poisson(lambda: number): number;
  /** A binomial count of successes in `size` trials with success probability `prob`. */
  binomial(size: number, prob: number): number;
}

/** SplitMix32: a well-mixed 32-bit value from a 32-bit counter. */
function splitMix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded generator (xoshiro128** uniforms, polar-method normals, inversion counts).
 *
 * @param seed - any finite number; its integer part (mod 2³²) and, for non-integers, its
 *   fractional bits select the stream.
 * @returns the generator.
 * @throws RangeError for a seed that is not finite.
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.uniform();         // 0.6606157208001621 (the same for seed 42 everywhere)
 * rng.normal();          // 1.5576636 (a N(0, 1) draw)
 * rng.binomial(10, 0.3); // 4 (a count from 0 to 10)
 * createRng(42).uniform() === createRng(42).uniform(); // true
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`The seed must be a finite number, not ${seed}.`);
  const whole = Math.floor(seed);
  const init = { s: (whole % 4294967296) | 0 };
  const frac = seed - whole;
  if (frac !== 0) init.s ^= Math.floor(frac * 4294967296) | 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) s[i] = splitMix32(init);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;

  const next = xoshiro128StarStar(s);
  const uniform = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;

  let spare = NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const v = spare;
      spare = NaN;
      return v;
    }
    for (;;) {
      const v1 = 2 * uniform() - 1;
      const v2 = 2 * uniform() - 1;
      const q = v1 * v1 + v2 * v2;
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q);
        spare = v2 * f;
        return v1 * f;
      }
    }
  };

  const poisson = (lambda: number): number => {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`The Poisson mean must be finite and non-negative, not ${lambda}.`);
    if (lambda === 0) return 0;
    const mode = Math.floor(lambda);
    const pMode = Math.exp(mode * Math.log(lambda) - lambda - logGamma(mode + 1));
    return searchFromMode(uniform(), mode, pMode, Infinity, (k, pk) => (pk * k) / lambda, (k, pk) => (pk * lambda) / (k + 1));
  };

  const binomial = (size: number, prob: number): number => {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`The number of trials must be a whole number of zero or more, not ${size}.`);
    if (!(prob >= 0 && prob <= 1)) throw new RangeError(`The success probability must lie in [0, 1], not ${prob}.`);
    if (size === 0 || prob === 0) return 0;
    if (prob === 1) return size;
    const odds = prob / (1 - prob);
    const mode = Math.min(size, Math.floor((size + 1) * prob));
    const logPMode = logGamma(size + 1) - logGamma(mode + 1) - logGamma(size - mode + 1) + mode * Math.log(prob) + (size - mode) * Math.log1p(-prob);
    return searchFromMode(
      uniform(),
      mode,
      Math.exp(logPMode),
      size,
      (k, pk) => (pk * k) / ((size - k + 1) * odds),
      (k, pk) => (pk * (size - k) * odds) / (k + 1),
    );
  };

  return { uniform, normal, poisson, binomial };
}

/**
 * The xoshiro128** generator on a state of four 32-bit words (not all zero), which it updates.
 *
 * @param s - the state.
 * @returns a function giving the next 32-bit output as an unsigned integer.
 * @example
 * ```ts
 * const next = xoshiro128StarStar(Uint32Array.of(1, 2, 3, 4));
 * [next(), next(), next()]; // [11520, 0, 5927040]
 * ```
 */
export function xoshiro128StarStar(s: Uint32Array): () => number {
  return () => {
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Invert a discrete cdf by visiting the support from the mode outwards, alternately below and
 * above, subtracting each probability from u until it is used up.
 */
function searchFromMode(
  u: number,
  mode: number,
  pMode: number,
  max: number,
  down: (k: number, pk: number) => number,
  up: (k: number, pk: number) => number,
): number {
  let rest = u - pMode;
  if (rest <= 0) return mode;
  let lo = mode;
  let pLo = pMode;
  let hi = mode;
  let pHi = pMode;
  for (;;) {
    const canDown = lo > 0 && pLo > 0;
    const canUp = hi < max && pHi > 0;
    if (!canDown && !canUp) return mode;
    if (canDown) {
      pLo = down(lo, pLo);
      lo--;
      rest -= pLo;
      if (rest <= 0) return lo;
    }
    if (canUp) {
      pHi = up(hi, pHi);
      hi++;
      rest -= pHi;
      if (rest <= 0) return hi;
    }
  }
}
