/**
 * What the views ask for: each action posts to the worker and puts what comes back in the store.
 */
import { EXAMPLES } from "./examples.js";
import type { ConfintResultRow, DataSummary, DescribeResult, FitResult, LrtResult, ModelRef, ModelSpec, StructureCheck, TableFormat } from "./protocol.js";
import { DEFAULT_SPEC, clearSaved, ddfAfterChange, getState, keepFile, keptFile, update, updateModel, type DataRef, type Persisted } from "./store.js";
import { Cancelled, MlmWorker } from "./worker-client.js";

const worker = new MlmWorker();

/** The format of a file from its name. */
export function formatOf(name: string): TableFormat | null {
  const ext = /\.([^.]+)$/.exec(name.toLowerCase())?.[1];
  switch (ext) {
    case "csv":
    case "txt":
      return "csv";
    case "tsv":
    case "tab":
      return "tsv";
    case "json":
      return "json";
    case "parquet":
    case "pq":
      return "parquet";
    default:
      return null;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Long jobs (fits, intervals) in the worker: the progress bar shows while there is one. */
let jobs = 0;
function jobStarted(label: string): void {
  jobs++;
  update({ busy: { label, started: performance.now() } });
}
function jobEnded(): void {
  jobs = Math.max(0, jobs - 1);
  if (jobs === 0) update({ busy: null });
}

let dataBytes: { name: string; format: TableFormat; bytes: ArrayBuffer } | null = null;

async function loadBytes(ref: DataRef, name: string, format: TableFormat, bytes: ArrayBuffer, factors: readonly string[]): Promise<boolean> {
  dataBytes = { name, format, bytes };
  update({ loading: true, dataError: null });
  try {
    const summary = await worker.request<DataSummary>({ kind: "load", bytes: bytes.slice(0), name, format, factors });
    update({ data: ref, factors, summary, loading: false });
    return true;
  } catch (error) {
    if (error instanceof Cancelled) return false;
    update({ loading: false, dataError: message(error) });
    return false;
  }
}

/** What a new data set clears: the models, and the residual structures (they name the old data's columns). */
function resetModels(): Partial<ReturnType<typeof getState>> {
  const draft = getState().draft;
  const cleared = { ...draft, correlation: "", variance: "" };
  return { models: [], activeId: null, compareIds: [], lrt: null, intervals: {}, describe: null, formulaError: null, structureErrors: {}, draft: { ...cleared, ddf: ddfAfterChange(draft, cleared, {}) } };
}

/** Opens a file the user picked or dropped. */
export async function openFile(file: File): Promise<void> {
  const format = formatOf(file.name);
  if (!format) {
    update({ dataError: `'${file.name}' is not a CSV, TSV, JSON or Parquet file (by its name); open a file ending in .csv, .tsv, .json or .parquet.` });
    return;
  }
  const bytes = await file.arrayBuffer();
  update(resetModels());
  keepFile(file.name, bytes);
  if (await loadBytes({ kind: "file", name: file.name, format }, file.name, format, bytes, [])) checkFormula();
}

async function fetchExample(id: string): Promise<ArrayBuffer> {
  const ex = EXAMPLES.find((e) => e.id === id);
  if (!ex) throw new Error(`There is no example called '${id}'.`);
  const response = await fetch(ex.url);
  if (!response.ok) throw new Error(`The example '${ex.file}' could not be loaded (HTTP ${response.status}).`);
  return response.arrayBuffer();
}

/** Opens a shipped example, with its starting formula. */
export async function openExample(id: string): Promise<void> {
  const ex = EXAMPLES.find((e) => e.id === id)!;
  update({ ...resetModels(), draft: { ...DEFAULT_SPEC, formula: ex.formula } });
  try {
    const bytes = await fetchExample(id);
    if (await loadBytes({ kind: "example", example: id }, ex.file, "csv", bytes, ex.factors)) checkFormula();
  } catch (error) {
    update({ dataError: message(error) });
  }
}

/** Switches a numeric column between numeric and categorical, then refits the models. */
export async function setFactor(column: string, categorical: boolean): Promise<void> {
  const s = getState();
  if (!dataBytes || !s.data) return;
  const factors = categorical ? [...new Set([...s.factors, column])] : s.factors.filter((f) => f !== column);
  if (await loadBytes(s.data, dataBytes.name, dataBytes.format, dataBytes.bytes, factors)) {
    checkFormula();
    for (const m of getState().models) void runFit(m.id, m.spec);
  }
}

let describeTimer: ReturnType<typeof setTimeout> | undefined;
let describeSeq = 0;

/** Checks the formula against the data (after a short pause in typing): `mlm describe`. */
export function checkFormula(delay = 0): void {
  clearTimeout(describeTimer);
  describeTimer = setTimeout(async () => {
    const s = getState();
    const formula = s.draft.formula.trim();
    if (!s.summary || formula === "") {
      update({ describe: null, formulaError: null });
      return;
    }
    const seq = ++describeSeq;
    try {
      const d = await worker.request<DescribeResult>({ kind: "describe", formula });
      if (seq === describeSeq) update({ describe: d, formulaError: null });
    } catch (error) {
      if (error instanceof Cancelled) return;
      if (seq === describeSeq) update({ describe: null, formulaError: message(error) });
    }
  }, delay);
}

let structureTimer: ReturnType<typeof setTimeout> | undefined;
let structureSeq = 0;

/** Checks the residual structures as written (nlme syntax, the columns they name), after a short pause in typing. */
export function checkStructures(delay = 0): void {
  clearTimeout(structureTimer);
  structureTimer = setTimeout(async () => {
    const s = getState();
    const { correlation, variance } = s.draft;
    if (correlation.trim() === "" && variance.trim() === "") {
      update({ structureErrors: {} });
      return;
    }
    const seq = ++structureSeq;
    try {
      const check = await worker.request<StructureCheck>({ kind: "structures", correlation, variance });
      if (seq === structureSeq) update({ structureErrors: check });
    } catch (error) {
      if (error instanceof Cancelled) return;
      if (seq === structureSeq) update({ structureErrors: { correlation: message(error) } });
    }
  }, delay);
}

export function setDraft(patch: Partial<ModelSpec>): void {
  update((s) => {
    const draft = { ...s.draft, ...patch };
    return { draft: { ...draft, ddf: ddfAfterChange(s.draft, draft, patch) } };
  });
  if (patch.formula !== undefined) checkFormula(250);
  if (patch.correlation !== undefined || patch.variance !== undefined) checkStructures(250);
}

/** Where a fit's error belongs: next to the residual structure it names, else under the formula. */
function placeError(spec: ModelSpec, text: string): Partial<ReturnType<typeof getState>> {
  const name = (call: string): string => /^\s*(\w+)/.exec(call)?.[1] ?? "\u0000";
  if (spec.correlation.trim() !== "" && (text.includes(name(spec.correlation)) || /correlation structure/i.test(text))) return { structureErrors: { correlation: text } };
  if (spec.variance.trim() !== "" && (text.includes(name(spec.variance)) || /variance function/i.test(text))) return { structureErrors: { variance: text } };
  return { formulaError: text };
}

async function runFit(id: string, spec: ModelSpec): Promise<void> {
  updateModel(id, { status: "fitting", error: undefined });
  jobStarted(`Fitting ${spec.formula}`);
  try {
    const result = await worker.request<FitResult>({ kind: "fit", model: { id, spec } }, (done, _total, detail) =>
      update((s) => ({ busy: s.busy && { ...s.busy, evaluations: done, detail } })),
    );
    updateModel(id, { status: "done", result });
  } catch (error) {
    if (error instanceof Cancelled) {
      update((s) => ({ models: s.models.filter((m) => m.id !== id), activeId: s.activeId === id ? (s.models.find((m) => m.id !== id && m.status === "done")?.id ?? null) : s.activeId }));
    } else {
      updateModel(id, { status: "error", error: message(error) });
      if (getState().activeId === id) update(placeError(spec, message(error)));
    }
  } finally {
    jobEnded();
  }
}

/** Fits the model in the form: a new model beside the others, or a refit of the same one. */
export async function fit(): Promise<void> {
  const s = getState();
  const spec: ModelSpec = { ...s.draft, formula: s.draft.formula.trim(), correlation: s.draft.correlation.trim(), variance: s.draft.variance.trim() };
  if (!s.summary) {
    update({ formulaError: "Open a data file or choose an example before fitting." });
    return;
  }
  if (spec.formula === "") {
    update({ formulaError: "Write a model formula first, such as y ~ x + (1 | group)." });
    return;
  }
  const same = s.models.find((m) => JSON.stringify(m.spec) === JSON.stringify(spec));
  const id = same?.id ?? `m${s.nextId}`;
  update((st) => ({
    models: same ? st.models : [...st.models, { id, spec, status: "fitting" }],
    nextId: same ? st.nextId : st.nextId + 1,
    activeId: id,
    tab: st.tab === "compare" ? "summary" : st.tab,
    formulaError: null,
    structureErrors: {},
  }));
  await runFit(id, spec);
  const after = getState();
  if (after.models.find((m) => m.id === id)?.status === "done" && after.compareIds.length >= 2) void runCompare();
}

/** Stops the running job (terminates the worker; a new one takes over with the same data). */
export function cancel(): void {
  worker.cancel();
  jobs = 0;
  update((s) => ({
    busy: null,
    intervals: Object.fromEntries(Object.entries(s.intervals).filter(([, v]) => v.status !== "running")),
    lrt: s.lrt?.status === "running" ? null : s.lrt,
  }));
}

export function removeModel(id: string): void {
  update((s) => {
    const models = s.models.filter((m) => m.id !== id);
    return { models, activeId: s.activeId === id ? (models.at(-1)?.id ?? null) : s.activeId, compareIds: s.compareIds.filter((c) => c !== id) };
  });
  void runCompare();
}

export function showModel(id: string): void {
  const m = getState().models.find((x) => x.id === id);
  if (!m) return;
  update({ activeId: id, draft: m.spec });
  checkStructures();
}

function refOf(id: string): ModelRef {
  const m = getState().models.find((x) => x.id === id)!;
  return { id, spec: m.spec };
}

/** Profile or bootstrap intervals of a model, with progress. */
export async function runIntervals(id: string, method: "profile" | "bootstrap", nsim: number): Promise<void> {
  const set = (patch: Partial<ReturnType<typeof getState>["intervals"][string]>): void =>
    update((s) => ({ intervals: { ...s.intervals, [id]: { ...s.intervals[id], ...patch } as ReturnType<typeof getState>["intervals"][string] } }));
  set({ method, status: "running", done: 0, total: method === "bootstrap" ? nsim : undefined, rows: undefined, error: undefined, nsim, started: performance.now() });
  try {
    const rows = await worker.request<ConfintResultRow[]>({ kind: "confint", model: refOf(id), method, nsim, seed: 1 }, (done, total) => {
      set({ done, total });
    });
    set({ status: "done", rows });
  } catch (error) {
    if (!(error instanceof Cancelled)) set({ status: "error", error: message(error) });
  }
}

export function toggleCompare(id: string, on: boolean): void {
  update((s) => ({ compareIds: on ? [...new Set([...s.compareIds, id])] : s.compareIds.filter((c) => c !== id) }));
  void runCompare();
}

let compareSeq = 0;
async function runCompare(): Promise<void> {
  const s = getState();
  const ids = s.compareIds.filter((id) => s.models.some((m) => m.id === id && m.status === "done"));
  const seq = ++compareSeq;
  if (ids.length < 2) {
    update({ lrt: null });
    return;
  }
  update({ lrt: { status: "running" } });
  try {
    const result = await worker.request<LrtResult>({ kind: "compare", models: ids.map(refOf) });
    if (seq === compareSeq) update({ lrt: { status: "done", result } });
  } catch (error) {
    if (error instanceof Cancelled) return;
    if (seq === compareSeq) update({ lrt: { status: "error", error: message(error) } });
  }
}

export function setTab(tab: ReturnType<typeof getState>["tab"]): void {
  update({ tab });
}

export function setPlotPredictor(name: string): void {
  update({ plotPredictor: name });
}

/** Forgets everything and shows the empty studio. */
export function startOver(): void {
  clearSaved();
  location.reload();
}

/** At start: the worker's capabilities, then the saved analysis (restored into the store before the first render): data loaded, models refitted. */
export async function start(saved: Persisted | null): Promise<void> {
  void worker.request<{ simd: boolean }>({ kind: "capabilities" }).then((c) => update({ simd: c.simd }));
  if (!saved?.data) return;
  const ref = saved.data;
  let ok = false;
  if (ref.kind === "example") {
    const ex = EXAMPLES.find((e) => e.id === ref.example);
    if (!ex) return;
    try {
      ok = await loadBytes(ref, ex.file, "csv", await fetchExample(ex.id), saved.factors);
    } catch (error) {
      update({ dataError: message(error) });
    }
  } else {
    const bytes = keptFile(ref.name);
    if (!bytes) {
      update({ data: null, dataError: `'${ref.name}' was too large to keep in this browser; open it again to continue the analysis.` });
      return;
    }
    ok = await loadBytes(ref, ref.name, ref.format, bytes, saved.factors);
  }
  if (!ok) return;
  checkFormula();
  checkStructures();
  // analyses saved before the residual structures existed have specs without them
  const specs = saved.models.map((m) => ({ id: m.id, spec: { ...DEFAULT_SPEC, ...m.spec } }));
  update({ models: specs.map((m) => ({ ...m, status: "fitting" as const })) });
  for (const m of specs) await runFit(m.id, m.spec);
  if (getState().compareIds.length >= 2) void runCompare();
}
