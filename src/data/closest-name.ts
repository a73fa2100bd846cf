/**
 * Suggestions for misspelt names ("did you mean 'Yield'?"), by optimal-string-alignment edit
 * distance: insertions, deletions, substitutions and swaps of adjacent characters each cost 1.
 */

/** Edit distance allowing adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * The candidate closest to a misspelt name, if one is close enough to be a plausible intent.
 *
 * A candidate equal up to letter case wins; otherwise the one with the smallest edit distance,
 * provided that distance is at most max(1, floor(length / 3)) of the typed name.
 *
 * @param name - the name the user typed.
 * @param candidates - the names that exist.
 * @returns the suggested name, or undefined when none is close.
 * @example
 * ```ts
 * closestName("Yeild", ["Batch", "Yield"]); // "Yield"
 * closestName("subject", ["Subject"]);      // "Subject"
 * closestName("height", ["Batch", "Yield"]); // undefined
 * ```
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
