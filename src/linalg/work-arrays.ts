/**
 * Work arrays as views on one buffer.
 *
 * V8 keeps a typed array of at most 64 bytes on its heap, but gives a longer one a buffer of its
 * own outside the heap, which costs about half a microsecond to allocate and to collect. An
 * object with a dozen work arrays (the optimizer's, a workspace's) then spends more on them than
 * a small fit spends on its evaluations; views on one buffer cost one such allocation.
 *
 * @param lengths - the length of each array.
 * @returns zero-filled arrays of those lengths, in order, on one buffer and not overlapping.
 * @example
 * ```ts
 * const [a, b] = float64Views([2, 3]);
 * b[0] = 1;
 * [a.length, b.length, a[1], a.buffer === b.buffer]; // [2, 3, 0, true]
 * ```
 */
export function float64Views(lengths: readonly number[]): Float64Array[] {
  let total = 0;
  for (const len of lengths) total += len;
  const buffer = new ArrayBuffer(8 * total);
  const views = new Array<Float64Array>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    views[i] = new Float64Array(buffer, 8 * at, lengths[i]);
    at += lengths[i];
  }
  return views;
}
