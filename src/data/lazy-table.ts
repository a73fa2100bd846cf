/**
 * A {@link DataTable} whose columns are typed on first use: readers of large files keep each
 * column's raw cells and type only the columns a model asks for, so an unused column costs no
 * typing time and its bad cells never stop a fit.
 */
import type { Message } from "../messages.js";
import type { Column, DataTable } from "./table.js";

/** The outcome of typing one column: the column, a problem, or both (see `DataTable.problems`). */
export interface TypedColumn {
  readonly column?: Column;
  readonly problem?: string;
}

/** A read-only map over fixed keys whose values are computed on first access. */
class LazyMap<V> extends Map<string, V> {
  readonly #keys: readonly string[];
  readonly #value: (key: string) => V | undefined;
  readonly #known = new Set<string>();
  #complete = false;

  constructor(keys: readonly string[], value: (key: string) => V | undefined) {
    super();
    this.#keys = keys;
    this.#value = value;
  }

  #load(key: string): void {
    if (this.#known.has(key) || !this.#keys.includes(key)) return;
    this.#known.add(key);
    const v = this.#value(key);
    if (v !== undefined) super.set(key, v);
  }

  #loadAll(): void {
    if (this.#complete) return;
    for (const k of this.#keys) this.#load(k);
    this.#complete = true;
  }

  override get(key: string): V | undefined {
    this.#load(key);
    return super.get(key);
  }
  override has(key: string): boolean {
    this.#load(key);
    return super.has(key);
  }
  override get size(): number {
    this.#loadAll();
    return super.size;
  }
  override keys(): MapIterator<string> {
    this.#loadAll();
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.#loadAll();
    return super.values();
  }
  override entries(): MapIterator<[string, V]> {
    this.#loadAll();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.#loadAll();
    super.forEach(callback, thisArg);
  }
  override set(): this {
    throw new TypeError("The columns of a data table cannot be changed.");
  }
  override delete(): boolean {
    throw new TypeError("The columns of a data table cannot be changed.");
  }
  override clear(): void {
    throw new TypeError("The columns of a data table cannot be changed.");
  }
}

/**
 * A table whose columns are typed by `type` when first read (each column at most once).
 *
 * @param names - the column names, in order.
 * @param nrows - the number of rows.
 * @param type - types one column: returns the column, a problem, or both.
 * @param notes - notes of the reader.
 * @returns the table; `columns` and `problems` are maps that type columns on access.
 * @example
 * ```ts
 * const t = lazyTable(["y"], 2, () => ({ column: { kind: "numeric", name: "y", values: Float64Array.of(1, 2) } }));
 * t.columns.get("y")?.kind; // "numeric"
 * t.problems?.get("y");     // undefined
 * ```
 */
export function lazyTable(names: readonly string[], nrows: number, type: (name: string) => TypedColumn, notes?: readonly Message[]): DataTable {
  const cache = new Map<string, TypedColumn>();
  const typed = (name: string): TypedColumn => {
    let t = cache.get(name);
    if (t === undefined) {
      t = type(name);
      cache.set(name, t);
    }
    return t;
  };
  const columns = new LazyMap<Column>(names, (name) => typed(name).column);
  const problems = new LazyMap<string>(names, (name) => typed(name).problem);
  return notes !== undefined && notes.length > 0 ? { nrows, names, columns, problems, notes } : { nrows, names, columns, problems };
}
