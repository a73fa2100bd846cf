/**
 * The one store of the analysis: the data source, the model being written, the models fitted,
 * what is compared and shown. The persistent part is plain JSON kept in localStorage, so a
 * reload restores the analysis (fits are recomputed from their specifications).
 */
import { useEffect, useState } from "preact/hooks";
import { structured, type ConfintResultRow, type DataSummary, type DescribeResult, type FitResult, type LrtResult, type ModelSpec, type TableFormat } from "./protocol.js";

export type DataRef = { readonly kind: "example"; readonly example: string } | { readonly kind: "file"; readonly name: string; readonly format: TableFormat };

export interface ModelEntry {
  readonly id: string;
  readonly spec: ModelSpec;
  readonly status: "fitting" | "done" | "error";
  readonly result?: FitResult;
  readonly error?: string;
}

export interface IntervalsState {
  readonly method: "profile" | "bootstrap";
  readonly status: "running" | "done" | "error";
  readonly done?: number;
  readonly total?: number;
  readonly rows?: readonly ConfintResultRow[];
  readonly error?: string;
  readonly nsim: number;
  /** performance.now() when it started. */
  readonly started: number;
}

export type Tab = "summary" | "plots" | "compare" | "reproduce";

export interface State {
  readonly data: DataRef | null;
  readonly factors: readonly string[];
  readonly summary: DataSummary | null;
  readonly loading: boolean;
  readonly dataError: string | null;
  readonly draft: ModelSpec;
  readonly describe: DescribeResult | null;
  readonly formulaError: string | null;
  /** Messages about the residual structures as written, shown next to their fields. */
  readonly structureErrors: { readonly correlation?: string; readonly variance?: string };
  readonly models: readonly ModelEntry[];
  readonly activeId: string | null;
  readonly compareIds: readonly string[];
  readonly lrt: { readonly status: "running" | "done" | "error"; readonly result?: LrtResult; readonly error?: string } | null;
  readonly intervals: Readonly<Record<string, IntervalsState>>;
  readonly tab: Tab;
  readonly plotPredictor: string | null;
  /** The long job running in the worker, for the progress bar and Cancel. */
  readonly busy: { readonly label: string; readonly started: number; readonly evaluations?: number; readonly detail?: string } | null;
  readonly simd: boolean | null;
  readonly nextId: number;
}

export const DEFAULT_SPEC: ModelSpec = { formula: "", family: "gaussian", link: "default", reml: true, nAGQ: 1, ddf: "satterthwaite", correlation: "", variance: "" };

/**
 * The df method of a draft after a change: nlme's df (their default) when a residual structure
 * is added, Satterthwaite's again when the last one is removed, else the one chosen.
 */
export function ddfAfterChange(before: ModelSpec, after: ModelSpec, patch: Partial<ModelSpec>): ModelSpec["ddf"] {
  if (patch.ddf !== undefined) return after.ddf;
  if (!structured(before) && structured(after)) return "nlme";
  if (structured(before) && !structured(after) && after.ddf === "nlme") return "satterthwaite";
  return after.ddf;
}

/** A spec saved by version 1, where every fit with a residual structure used nlme's df whatever ddf said. */
function fromVersion1(spec: ModelSpec): ModelSpec {
  return structured(spec) ? { ...spec, ddf: "nlme" } : spec;
}

const initial: State = {
  data: null,
  factors: [],
  summary: null,
  loading: false,
  dataError: null,
  draft: DEFAULT_SPEC,
  describe: null,
  formulaError: null,
  structureErrors: {},
  models: [],
  activeId: null,
  compareIds: [],
  lrt: null,
  intervals: {},
  tab: "summary",
  plotPredictor: null,
  busy: null,
  simd: null,
  nextId: 1,
};

/** The part of the state that survives a reload. */
export interface Persisted {
  /** 2 since nlme's df became a choice (version 1 is read too). */
  readonly version: 2;
  readonly data: DataRef | null;
  readonly factors: readonly string[];
  readonly draft: ModelSpec;
  readonly models: readonly { readonly id: string; readonly spec: ModelSpec }[];
  readonly activeId: string | null;
  readonly compareIds: readonly string[];
  readonly tab: Tab;
  readonly plotPredictor: string | null;
  readonly nextId: number;
}

const STATE_KEY = "mlm-studio:analysis";
const FILE_KEY = "mlm-studio:file";
/** Uploaded files up to this size are kept for the reload (localStorage holds a few MB). */
const MAX_KEPT_FILE = 2_000_000;

let state: State = initial;
const listeners = new Set<() => void>();

export function getState(): State {
  return state;
}

/** Applies a change and tells the views. */
export function update(change: Partial<State> | ((s: State) => Partial<State>)): void {
  const patch = typeof change === "function" ? change(state) : change;
  state = { ...state, ...patch };
  save();
  for (const l of listeners) l();
}

export function updateModel(id: string, patch: Partial<ModelEntry>): void {
  update((s) => ({ models: s.models.map((m) => (m.id === id ? { ...m, ...patch } : m)) }));
}

/** The Preact hook of the views: the current state, re-rendering on change. */
export function useStore(): State {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = (): void => setTick((t) => t + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return state;
}

export function persisted(s: State): Persisted {
  return {
    version: 2,
    data: s.data,
    factors: s.factors,
    draft: s.draft,
    models: s.models.filter((m) => m.status !== "error").map((m) => ({ id: m.id, spec: m.spec })),
    activeId: s.activeId,
    compareIds: s.compareIds,
    tab: s.tab,
    plotPredictor: s.plotPredictor,
    nextId: s.nextId,
  };
}

let lastSaved = "";
function save(): void {
  const text = JSON.stringify(persisted(state));
  if (text === lastSaved) return;
  lastSaved = text;
  try {
    localStorage.setItem(STATE_KEY, text);
  } catch {
    // storage full or disabled: the analysis just won't survive a reload
  }
}

/** Restores the persisted analysis into the store (without the fits, which the caller redoes). */
export function restore(): Persisted | null {
  try {
    const text = localStorage.getItem(STATE_KEY);
    if (!text) return null;
    const saved = JSON.parse(text) as Omit<Persisted, "version"> & { version: number };
    if (saved.version !== 1 && saved.version !== 2) return null;
    const p: Persisted = saved.version === 2 ? (saved as Persisted) : { ...saved, version: 2, draft: fromVersion1({ ...DEFAULT_SPEC, ...saved.draft }), models: saved.models.map((m) => ({ ...m, spec: fromVersion1({ ...DEFAULT_SPEC, ...m.spec }) })) };
    state = {
      ...state,
      data: p.data,
      factors: p.factors,
      draft: { ...DEFAULT_SPEC, ...p.draft },
      activeId: p.activeId,
      compareIds: p.compareIds,
      tab: p.tab,
      plotPredictor: p.plotPredictor,
      nextId: p.nextId,
    };
    lastSaved = text;
    return p;
  } catch {
    return null;
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): ArrayBuffer {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}

/** Keeps an uploaded file's bytes for the reload; false when it is too large to keep. */
export function keepFile(name: string, bytes: ArrayBuffer): boolean {
  try {
    localStorage.removeItem(FILE_KEY);
    if (bytes.byteLength > MAX_KEPT_FILE) return false;
    localStorage.setItem(FILE_KEY, JSON.stringify({ name, data: toBase64(new Uint8Array(bytes)) }));
    return true;
  } catch {
    return false;
  }
}

/** The kept bytes of an uploaded file, if they were kept. */
export function keptFile(name: string): ArrayBuffer | null {
  try {
    const text = localStorage.getItem(FILE_KEY);
    if (!text) return null;
    const kept = JSON.parse(text) as { name: string; data: string };
    return kept.name === name ? fromBase64(kept.data) : null;
  } catch {
    return null;
  }
}

/** Forgets the analysis (the "Start over" button). */
export function clearSaved(): void {
  localStorage.removeItem(STATE_KEY);
  localStorage.removeItem(FILE_KEY);
}
