// The minimum-degree order: a permutation that eliminates low-degree vertices first and, on
// crossed designs, fills the factor less than the natural order.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { minimumDegreeOrder } from "../../src/lmm/minimum-degree.js";

/** Fill-in (entries of the factor below the diagonal) of eliminating `order` on the graph of the cliques. */
function fill(n: number, cliques: number[][], order: ArrayLike<number>): number {
  const adj = Array.from({ length: n }, () => new Set<number>());
  for (const c of cliques) for (const a of c) for (const b of c) if (a !== b) adj[a].add(b);
  const done = new Uint8Array(n);
  let nnz = 0;
  for (let k = 0; k < n; k++) {
    const v = order[k];
    const nb = [...adj[v]].filter((u) => !done[u]);
    nnz += nb.length;
    for (const a of nb) for (const b of nb) if (a !== b) adj[a].add(b);
    done[v] = 1;
  }
  return nnz;
}

/** The minimum-degree rule done plainly: least uneliminated neighbours, ties to the lowest vertex. */
function plainOrder(n: number, cliques: number[][]): number[] {
  const adj = Array.from({ length: n }, () => new Set<number>());
  for (const c of cliques) for (const a of c) for (const b of c) if (a !== b) adj[a].add(b);
  const order: number[] = [];
  const done = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    let v = -1;
    for (let x = 0; x < n; x++) if (!done[x] && (v < 0 || adj[x].size < adj[v].size)) v = x;
    order.push(v);
    done[v] = 1;
    for (const a of adj[v]) {
      adj[a].delete(v);
      for (const b of adj[v]) if (b !== a) adj[a].add(b);
    }
  }
  return order;
}

function flat(cliques: number[][]): [Int32Array, Int32Array] {
  const start = [0];
  for (const c of cliques) start.push(start[start.length - 1] + c.length);
  return [Int32Array.from(start), Int32Array.from(cliques.flat())];
}

describe("minimumDegreeOrder", () => {
  it("eliminates the leaves of a star before its centre", () => {
    const cliques = [[0, 1], [0, 2], [0, 3], [0, 4]];
    const order = minimumDegreeOrder(5, ...flat(cliques));
    assert.deepEqual(Array.from(order), [1, 2, 3, 0, 4]); // the centre and the last leaf tie at one neighbour
    assert.equal(fill(5, cliques, order), 4); // no fill: the 4 edges only
    assert.equal(fill(5, cliques, [0, 1, 2, 3, 4]), 10); // the centre first joins all leaves
  });
  it("returns a permutation with less fill than the natural order on a crossed design", () => {
    // 60 teachers in 10 schools; 400 students each meeting 3 teachers (cliques of teacher rows)
    // plus each teacher's school row (60 + school)
    const n = 70;
    const cliques: number[][] = [];
    for (let s = 0; s < 400; s++) {
      const t = [(s * 7) % 60, (s * 13 + 5) % 60, (s * 29 + 11) % 60];
      cliques.push([...new Set([...t, 60 + (t[0] % 10), 60 + (t[1] % 10)])]);
    }
    const order = minimumDegreeOrder(n, ...flat(cliques));
    assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    const natural = fill(n, cliques, Array.from({ length: n }, (_, i) => i));
    const md = fill(n, cliques, order);
    assert.ok(md <= natural, `minimum degree ${md} vs natural ${natural}`);
  });
  it("follows the plain rule to the end when the last vertices become one clique", () => {
    // 120 students each meeting 5 of 40 lecturers: the lecturers left last are all joined
    let seed = 7;
    const next = (): number => (seed = (seed * 48271) % 2147483647) % 40;
    const cliques = Array.from({ length: 120 }, () => [...new Set(Array.from({ length: 5 }, next))]);
    const order = minimumDegreeOrder(40, ...flat(cliques));
    assert.deepEqual(Array.from(order), plainOrder(40, cliques));
  });
  it("keeps the order of an already perfect nested design's leaves before their parents", () => {
    // 6 classes nested in 2 schools: each class row meets its school row
    const cliques = [[0, 6], [1, 6], [2, 6], [3, 7], [4, 7], [5, 7]];
    const order = minimumDegreeOrder(8, ...flat(cliques));
    assert.equal(fill(8, cliques, order), 6);
  });
});
