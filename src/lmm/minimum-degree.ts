/**
 * A fill-reducing order for a sparse symmetric matrix by the minimum-degree rule (Tinney and
 * Walker 1967; George and Liu 1989): eliminate next the vertex of the graph with the fewest
 * uneliminated neighbours, then join its neighbours into a clique (the fill its elimination
 * creates). Eliminating in this order makes the Cholesky factor sparser than the natural order
 * when the factors are crossed, as students crossed with teachers nested in schools.
 *
 * The graph is kept explicitly, so the work is that of the symbolic factorisation in the order
 * found. Up to {@link BITSET_MAX} vertices the neighbours are bit sets: eliminating a vertex of
 * degree d ORs d rows of n / 32 words, so even a graph whose last few hundred vertices are all
 * joined (InstEval's 1,128 lecturers) is ordered in milliseconds; larger graphs keep a set of
 * neighbours per vertex (their factor must be sparse anyway).
 */

/** The most vertices ordered with bit-set rows (n² / 8 bytes: 8 MB at the limit). */
const BITSET_MAX = 8192;

/**
 * The minimum-degree order of a graph given as cliques (each level of a grouping factor joins
 * the rows it meets). Ties go to the lowest vertex, so the order is reproducible.
 *
 * @param n - number of vertices.
 * @param cliqueStart - start of each clique in `cliqueVertex` (length cliques + 1).
 * @param cliqueVertex - the vertices of each clique.
 * @returns `order`, with `order[k]` the vertex eliminated k-th.
 * @example
 * ```ts
 * // a star: 0 joined to 1, 2, 3 (cliques {0, 1}, {0, 2}, {0, 3}); the centre goes last
 * minimumDegreeOrder(4, Int32Array.of(0, 2, 4, 6), Int32Array.of(0, 1, 0, 2, 0, 3)); // Int32Array [1, 2, 0, 3]
 * ```
 */
export function minimumDegreeOrder(n: number, cliqueStart: Int32Array, cliqueVertex: Int32Array): Int32Array {
  if (n <= BITSET_MAX) return bitsetOrder(n, cliqueStart, cliqueVertex);
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let c = 0; c + 1 < cliqueStart.length; c++) {
    for (let a = cliqueStart[c]; a < cliqueStart[c + 1]; a++) {
      for (let b = a + 1; b < cliqueStart[c + 1]; b++) {
        const u = cliqueVertex[a];
        const v = cliqueVertex[b];
        if (u === v) continue;
        adj[u].add(v);
        adj[v].add(u);
      }
    }
  }
  const heap = new DegreeHeap();
  for (let v = 0; v < n; v++) heap.push(adj[v].size, v);
  const done = new Uint8Array(n);
  const order = new Int32Array(n);
  for (let k = 0; k < n; ) {
    const v = heap.pop();
    if (done[v] || heap.poppedKey !== adj[v].size) continue; // a stale entry
    done[v] = 1;
    order[k++] = v;
    const nb = [...adj[v]];
    for (const a of nb) {
      const s = adj[a];
      s.delete(v);
      for (const b of nb) if (b !== a) s.add(b);
      heap.push(s.size, a);
    }
    adj[v].clear();
  }
  return order;
}

/** {@link minimumDegreeOrder} on bit-set rows: the same order (least degree, then lowest vertex). */
function bitsetOrder(n: number, cliqueStart: Int32Array, cliqueVertex: Int32Array): Int32Array {
  const w = (n + 31) >>> 5;
  const adj = new Int32Array(n * w);
  for (let c = 0; c + 1 < cliqueStart.length; c++) {
    for (let a = cliqueStart[c]; a < cliqueStart[c + 1]; a++) {
      const u = cliqueVertex[a];
      for (let b = cliqueStart[c]; b < cliqueStart[c + 1]; b++) {
        const v = cliqueVertex[b];
        if (u !== v) adj[u * w + (v >>> 5)] |= 1 << (v & 31);
      }
    }
  }
  const degree = new Int32Array(n);
  for (let v = 0; v < n; v++) degree[v] = popcount(adj, v * w, w);
  const done = new Uint8Array(n);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let v = -1;
    for (let x = 0; x < n; x++) if (!done[x] && (v < 0 || degree[x] < degree[v])) v = x;
    if (degree[v] === n - k - 1) {
      // the rest is one clique (InstEval: its last 550 lecturers): every degree stays equal, so
      // the ties put the remaining vertices in ascending order
      for (let x = 0; x < n; x++) if (!done[x]) order[k++] = x;
      break;
    }
    done[v] = 1;
    order[k] = v;
    const rv = v * w;
    // each neighbour a joins the others: row a |= row v, without a and v
    for (let word = 0; word < w; word++) {
      for (let bits = adj[rv + word]; bits !== 0; bits &= bits - 1) {
        const a = (word << 5) + (31 - Math.clz32(bits & -bits));
        const ra = a * w;
        for (let i = 0; i < w; i++) adj[ra + i] |= adj[rv + i];
        adj[ra + (a >>> 5)] &= ~(1 << (a & 31));
        adj[ra + (v >>> 5)] &= ~(1 << (v & 31));
        degree[a] = popcount(adj, ra, w);
      }
    }
    adj.fill(0, rv, rv + w);
  }
  return order;
}

/** The number of set bits in words [at, at + w) of `a`. */
function popcount(a: Int32Array, at: number, w: number): number {
  let c = 0;
  for (let i = at; i < at + w; i++) {
    let x = a[i] - ((a[i] >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return c;
}

/** A binary min-heap of (degree, vertex), ordered by degree then vertex; stale entries are skipped by the caller. */
class DegreeHeap {
  private readonly keys: number[] = [];
  private readonly vals: number[] = [];
  /** The key of the last popped entry. */
  poppedKey = 0;

  private less(i: number, j: number): boolean {
    return this.keys[i] < this.keys[j] || (this.keys[i] === this.keys[j] && this.vals[i] < this.vals[j]);
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i];
    const v = this.vals[i];
    this.keys[i] = this.keys[j];
    this.vals[i] = this.vals[j];
    this.keys[j] = k;
    this.vals[j] = v;
  }

  push(key: number, val: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.vals.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): number {
    const top = this.vals[0];
    this.poppedKey = this.keys[0];
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.keys.pop();
    this.vals.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}
