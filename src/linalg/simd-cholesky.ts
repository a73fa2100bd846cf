/**
 * A WebAssembly SIMD kernel for the dense Cholesky factorisation of large trailing blocks
 * (crossed grouping factors), two rows per instruction with `f64x2`.
 *
 * The module is assembled here from its instructions (no build step, no binary blob): one
 * exported function
 *
 *     upd(y, a, b, c, d, i, end, la, lb, lc, ld):
 *         for rows r in [i, end): Y[r] −= la A[r] + lb B[r] + lc C[r] + ld D[r]
 *
 * on columns given as byte offsets into the module's memory. {@link choleskySimd} runs the same
 * blocked algorithm as `cholesky` in dense.ts, with this kernel doing the column updates. Where
 * WebAssembly SIMD is not available, {@link simdMatrix} returns undefined and callers keep the
 * plain kernel.
 */
import { NB, pivotColumn } from "./dense.js";

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: id, size, contents. */
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A vector of items, each already encoded. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const SIMD = 0xfd;
const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...uleb(v)],
  i32Add: [0x6a],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  f64Load: [0x2b, 3, 0],
  f64Store: [0x39, 3, 0],
  f64Mul: [0xa2],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  v128Load: [SIMD, ...uleb(0), 3, 0],
  v128Store: [SIMD, ...uleb(11), 3, 0],
  f64x2Splat: [SIMD, ...uleb(20)],
  f64x2Add: [SIMD, ...uleb(240)],
  f64x2Sub: [SIMD, ...uleb(241)],
  f64x2Mul: [SIMD, ...uleb(242)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (l: number) => [0x0c, ...uleb(l)],
  brIf: (l: number) => [0x0d, ...uleb(l)],
};

/**
 * The row loop both kernels share: `pair` on rows i and i + 1 while i + 1 < end, then `odd` on a
 * last row; each sees the byte offset 8 i in local `off`.
 */
function rowLoop(i: number, end: number, off: number, pair: number[], odd: number[]): number[] {
  const offset = [...op.localGet(i), ...op.i32Const(3), ...op.i32Shl, ...op.localSet(off)];
  return [
    ...op.block,
    ...op.loop,
    // exit when i + 1 >= end
    ...op.localGet(i), ...op.i32Const(1), ...op.i32Add, ...op.localGet(end), ...op.i32GeU, ...op.brIf(1),
    ...offset,
    ...pair,
    ...op.localGet(i), ...op.i32Const(2), ...op.i32Add, ...op.localSet(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.localGet(i), ...op.localGet(end), ...op.i32LtU,
    ...op.if,
    ...offset,
    ...odd,
    ...op.end,
  ];
}

/**
 * The body of `upd2(y0, y1, a, b, c, d, i, end, l0a, l0b, l0c, l0d, l1a, l1b, l1c, l1d)`: for rows
 * r in [i, end), Y0[r] −= l0a A[r] + … + l0d D[r] and Y1[r] −= l1a A[r] + … + l1d D[r], two
 * target columns from one load of the four source columns.
 */
function upd2Code(): number[] {
  // params: 0 y0, 1 y1, 2 a, 3 b, 4 c, 5 d, 6 i, 7 end (i32); 8..11 first column's multipliers,
  // 12..15 the second's (f64); locals: 16 off (i32), 17..24 splats, 25..28 the loaded rows (v128)
  const [Y0, Y1, I, END, OFF] = [0, 1, 6, 7, 16];
  const SRC = [2, 3, 4, 5];
  const SPLAT = 17;
  const ROW = 25;
  const target = (y: number, first: number): number[] => [
    ...op.localGet(y), ...op.localGet(OFF), ...op.i32Add,
    ...op.localGet(y), ...op.localGet(OFF), ...op.i32Add, ...op.v128Load,
    ...op.localGet(first), ...op.localGet(ROW), ...op.f64x2Mul, ...op.localGet(first + 1), ...op.localGet(ROW + 1), ...op.f64x2Mul, ...op.f64x2Add,
    ...op.localGet(first + 2), ...op.localGet(ROW + 2), ...op.f64x2Mul, ...op.localGet(first + 3), ...op.localGet(ROW + 3), ...op.f64x2Mul, ...op.f64x2Add,
    ...op.f64x2Add, ...op.f64x2Sub, ...op.v128Store,
  ];
  const scalarTarget = (y: number, first: number): number[] => {
    const t = (k: number): number[] => [...op.localGet(first + k), ...op.localGet(SRC[k]), ...op.localGet(OFF), ...op.i32Add, ...op.f64Load, ...op.f64Mul];
    return [
      ...op.localGet(y), ...op.localGet(OFF), ...op.i32Add,
      ...op.localGet(y), ...op.localGet(OFF), ...op.i32Add, ...op.f64Load,
      ...t(0), ...t(1), ...op.f64Add, ...t(2), ...t(3), ...op.f64Add, ...op.f64Add, ...op.f64Sub, ...op.f64Store,
    ];
  };
  const body = [
    ...Array.from({ length: 8 }, (_, k) => [...op.localGet(8 + k), ...op.f64x2Splat, ...op.localSet(SPLAT + k)]).flat(),
    ...rowLoop(I, END, OFF, [
      ...SRC.flatMap((c, k) => [...op.localGet(c), ...op.localGet(OFF), ...op.i32Add, ...op.v128Load, ...op.localSet(ROW + k)]),
      ...target(Y0, SPLAT),
      ...target(Y1, SPLAT + 4),
    ], [...scalarTarget(Y0, 8), ...scalarTarget(Y1, 12)]),
    ...op.end,
  ];
  return [...vec([[1, I32], [12, V128]]), ...body];
}

/** The module's bytes. */
function moduleBytes(): Uint8Array {
  // params: 0 y, 1 a, 2 b, 3 c, 4 d, 5 i, 6 end (i32); 7 la, 8 lb, 9 lc, 10 ld (f64)
  // locals: 11 off (i32); 12..15 splats (v128)
  const [Y, A, B, C, D, I, END, LA, LB, LC, LD, OFF] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const VA = 12;
  const term = (col: number, lane: number): number[] => [...op.localGet(lane), ...op.localGet(col), ...op.localGet(OFF), ...op.i32Add, ...op.v128Load, ...op.f64x2Mul];
  const sterm = (col: number, l: number): number[] => [...op.localGet(l), ...op.localGet(col), ...op.localGet(OFF), ...op.i32Add, ...op.f64Load, ...op.f64Mul];
  const body = [
    // splat the four multipliers
    ...[LA, LB, LC, LD].flatMap((l, k) => [...op.localGet(l), ...op.f64x2Splat, ...op.localSet(VA + k)]),
    // Y[i..i+2] −= (la A + lb B) + (lc C + ld D); a last odd row with scalars
    ...rowLoop(I, END, OFF, [
      ...op.localGet(Y), ...op.localGet(OFF), ...op.i32Add,
      ...op.localGet(Y), ...op.localGet(OFF), ...op.i32Add, ...op.v128Load,
      ...term(A, VA), ...term(B, VA + 1), ...op.f64x2Add,
      ...term(C, VA + 2), ...term(D, VA + 3), ...op.f64x2Add,
      ...op.f64x2Add,
      ...op.f64x2Sub,
      ...op.v128Store,
    ], [
      ...op.localGet(Y), ...op.localGet(OFF), ...op.i32Add,
      ...op.localGet(Y), ...op.localGet(OFF), ...op.i32Add, ...op.f64Load,
      ...sterm(A, LA), ...sterm(B, LB), ...op.f64Add,
      ...sterm(C, LC), ...sterm(D, LD), ...op.f64Add,
      ...op.f64Add,
      ...op.f64Sub,
      ...op.f64Store,
    ]),
    ...op.end,
  ];
  const locals = vec([[1, I32], [4, V128]]);
  const code = [...locals, ...body];
  const code2 = upd2Code();
  const name = (t: string): number[] => [...uleb(t.length), ...[...t].map((ch) => ch.charCodeAt(0))];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec([I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64].map((t) => [t])), 0],
      [0x60, ...vec([I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64].map((t) => [t])), 0],
    ])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name("upd"), 0x00, 0], [...name("upd2"), 0x00, 1]])),
    ...section(10, vec([[...uleb(code.length), ...code], [...uleb(code2.length), ...code2]])),
  ];
  return Uint8Array.from(bytes);
}

/** The part of the WebAssembly JavaScript API used here (present in Node and every current browser). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

type Upd = (y: number, a: number, b: number, c: number, d: number, i: number, end: number, la: number, lb: number, lc: number, ld: number) => void;
type Upd2 = (y0: number, y1: number, a: number, b: number, c: number, d: number, i: number, end: number, ...l: number[]) => void;

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function simdModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(moduleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** An n × n matrix in WebAssembly memory with the SIMD kernel bound to it. */
export interface SimdMatrix {
  /** The matrix, column-major with leading dimension n. */
  readonly a: Float64Array;
  readonly upd: Upd;
  readonly upd2: Upd2;
  /** Scratch: the panel columns with non-zero multipliers (NB + 4 entries, room for a padded last group). */
  readonly nonzero: Int32Array;
}

/**
 * Allocate an n × n matrix in its own WebAssembly memory, or undefined without SIMD support.
 *
 * @param n - the order.
 * @returns the matrix and its kernel.
 * @example
 * ```ts
 * const m = simdMatrix(1100);
 * m?.a.length; // 1210000
 * ```
 */
export function simdMatrix(n: number): SimdMatrix | undefined {
  const mod = simdModule();
  if (!mod || !wasm) return undefined;
  const bytes = n * n * 8;
  if (bytes > 2 ** 31) return undefined;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm.Instance(mod, { env: { memory } });
  return { a: new Float64Array(memory.buffer, 0, n * n), upd: instance.exports.upd as Upd, upd2: instance.exports.upd2 as Upd2, nonzero: new Int32Array(NB + 4) };
}


/**
 * Cholesky factorisation in place of the matrix of a {@link SimdMatrix} (lower triangle), by
 * the blocked algorithm of `cholesky` in dense.ts with the SIMD kernel for column updates.
 *
 * @param m - the matrix and its kernel.
 * @param n - the order (the leading dimension is n too).
 * @returns -1 on success, or the first column whose pivot was not positive.
 * @example
 * ```ts
 * const m = simdMatrix(2)!;
 * m.a.set([4, 2, 0, 3]);
 * choleskySimd(m, 2); // -1
 * m.a; // Float64Array [2, 1, 0, 1.4142136]
 * ```
 */
export function choleskySimd(m: SimdMatrix, n: number): number {
  const { a, upd, upd2 } = m;
  const nz = m.nonzero;
  // column j −= Σ_k L[j, k] L[:, k] over the panel columns k ∈ [k0, k1) whose L[j, k] is not zero,
  // four at a time (a last group padded with zero multipliers)
  const update = (j: number, k0: number, k1: number): void => {
    let c = 0;
    for (let k = k0; k < k1; k++) if (a[k * n + j] !== 0) nz[c++] = k;
    if (c === 0) return;
    for (let r = c; r % 4 !== 0; r++) nz[r] = nz[c - 1];
    for (let g = 0; g < c; g += 4) {
      const c0 = nz[g] * n;
      const c1 = nz[g + 1] * n;
      const c2 = nz[g + 2] * n;
      const c3 = nz[g + 3] * n;
      upd(j * n * 8, c0 * 8, c1 * 8, c2 * 8, c3 * 8, j, n, a[c0 + j], g + 1 < c ? a[c1 + j] : 0, g + 2 < c ? a[c2 + j] : 0, g + 3 < c ? a[c3 + j] : 0);
    }
  };
  // columns j and j + 1 together, over the panel columns where either has a non-zero multiplier:
  // row j of column j first, then rows j + 1 … of both from one load of the four source columns
  const updatePair = (j: number, k0: number, k1: number): void => {
    let c = 0;
    for (let k = k0; k < k1; k++) if (a[k * n + j] !== 0 || a[k * n + j + 1] !== 0) nz[c++] = k;
    if (c === 0) return;
    const cj = j * n;
    for (let r = c; r % 4 !== 0; r++) nz[r] = nz[c - 1];
    for (let g = 0; g < c; g += 4) {
      const c0 = nz[g] * n;
      const c1 = nz[g + 1] * n;
      const c2 = nz[g + 2] * n;
      const c3 = nz[g + 3] * n;
      // padded columns get zero multipliers
      const l0 = a[c0 + j];
      const l1 = g + 1 < c ? a[c1 + j] : 0;
      const l2 = g + 2 < c ? a[c2 + j] : 0;
      const l3 = g + 3 < c ? a[c3 + j] : 0;
      const m0 = a[c0 + j + 1];
      const m1 = g + 1 < c ? a[c1 + j + 1] : 0;
      const m2 = g + 2 < c ? a[c2 + j + 1] : 0;
      const m3 = g + 3 < c ? a[c3 + j + 1] : 0;
      a[cj + j] -= l0 * a[c0 + j] + l1 * a[c1 + j] + l2 * a[c2 + j] + l3 * a[c3 + j];
      upd2(cj * 8, (cj + n) * 8, c0 * 8, c1 * 8, c2 * 8, c3 * 8, j + 1, n, l0, l1, l2, l3, m0, m1, m2, m3);
    }
  };
  for (let kb = 0; kb < n; kb += NB) {
    const ke = Math.min(kb + NB, n);
    for (let k = kb; k < ke; k++) {
      update(k, kb, k);
      if (!pivotColumn(a, k * n, k, n)) return k;
    }
    let j = ke;
    for (; j + 1 < n; j += 2) updatePair(j, kb, ke);
    if (j < n) update(j, kb, ke);
  }
  return -1;
}

/**
 * Whether this runtime compiles the WebAssembly SIMD kernel (Node 16.4+, every current browser,
 * in windows and in workers alike); where it does not, fits use the plain JavaScript Cholesky.
 *
 * @returns true when {@link simdMatrix} can allocate matrices with the SIMD kernel.
 * @example
 * ```ts
 * simdSupported(); // true (in Node 20 and in Chromium)
 * ```
 */
export function simdSupported(): boolean {
  return simdModule() !== null;
}
