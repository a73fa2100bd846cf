/**
 * The worker that runs mlm: it holds the loaded table and the fitted models, and answers the
 * page's requests (protocol.ts). Long work (fits, profiles, bootstraps) runs here so the page
 * never freezes; cancelling terminates this worker and the page starts a new one.
 */
import {
  MlmError,
  anovaLrt,
  anovaResidual,
  intervalsOf,
  makeFamily,
  nlmeDf,
  parseCorrelation,
  parseVariance,
  coefTable,
  compareOls,
  confint,
  decodeText,
  describeFrame,
  fit,
  fitResidualFrame,
  modelFrame,
  parseDelimited,
  parseFormula,
  parseJsonTable,
  parseParquet,
  pooling,
  predict,
  simdSupported,
} from "mlm";
import type { CoefTable, DataTable, FitProgress, MixedModel, ResidualModel, StructureResult } from "mlm";
import { formatDescription, residualSummaryText, summaryText } from "mlm/text";
import type {
  Advice,
  ColumnInfo,
  DataSummary,
  DescribeResult,
  FitResult,
  FitRows,
  LrtResult,
  ModelRef,
  ModelSpec,
  StructureCheck,
  StructureResultView,
  TableFormat,
  WorkerEnvelope,
  WorkerReply,
} from "./protocol.js";

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerEnvelope>) => void) | null;
  postMessage(message: WorkerReply): void;
}
const scope = self as unknown as WorkerScope;

let table: DataTable | undefined;
let factors: readonly string[] = [];
type AnyModel = MixedModel | ResidualModel;
const models = new Map<string, { spec: ModelSpec; model: AnyModel }>();
let tableName = "data";

const PREVIEW_ROWS = 6;

/** Parses the bytes of a table file with the library's readers. */
async function readTable(bytes: Uint8Array, name: string, format: TableFormat, asFactors: readonly string[]): Promise<DataTable> {
  switch (format) {
    case "csv":
    case "tsv":
      return parseDelimited(decodeText(bytes, name, format.toUpperCase()), { delimiter: format === "csv" ? "," : "\t", source: name, factors: asFactors });
    case "json":
      return parseJsonTable(decodeText(bytes, name, "JSON"), name, asFactors);
    case "parquet":
      return parseParquet(bytes, name, asFactors);
  }
}

function cell(t: DataTable, name: string, i: number): string {
  const c = t.columns.get(name)!;
  if (c.kind === "numeric") {
    const v = c.values[i];
    return Number.isNaN(v) ? "NA" : String(Number(v.toPrecision(7)));
  }
  const code = c.codes[i];
  return code < 0 ? "NA" : c.levels[code];
}

function summarizeTable(t: DataTable, name: string): DataSummary {
  const columns: ColumnInfo[] = t.names.map((col) => {
    const c = t.columns.get(col)!;
    if (c.kind === "numeric") {
      let missing = 0;
      const seen = new Set<number>();
      for (const v of c.values) {
        if (Number.isNaN(v)) missing++;
        else if (seen.size < 1000) seen.add(v);
      }
      return { name: col, kind: "numeric", missing, numericInFile: true, distinct: seen.size };
    }
    let missing = 0;
    for (const code of c.codes) if (code < 0) missing++;
    const numericInFile = factors.includes(col) && c.levels.every((l) => l.trim() !== "" && Number.isFinite(Number(l)));
    return { name: col, kind: "categorical", levels: c.levels.length, missing, numericInFile, distinct: c.levels.length };
  });
  const preview: string[][] = [];
  for (let i = 0; i < Math.min(PREVIEW_ROWS, t.nrows); i++) preview.push(t.names.map((col) => cell(t, col, i)));
  return { name, nrows: t.nrows, columns, preview };
}

function requireTable(): DataTable {
  if (!table) throw new MlmError("No data are loaded; open a data file or choose an example data set first.");
  return table;
}

/** Whether the spec asks for nlme's residual structures (then the fit is gls or lme). */
function hasStructure(spec: ModelSpec): boolean {
  return (spec.correlation ?? "").trim() !== "" || (spec.variance ?? "").trim() !== "";
}

function isResidual(m: AnyModel): m is ResidualModel {
  return m.kind === "gls" || m.kind === "lme";
}

/** The spec's structures for the library's options (empty strings left out). */
function structureOptions(spec: ModelSpec): { correlation?: string; variance?: string } {
  const c = (spec.correlation ?? "").trim();
  const v = (spec.variance ?? "").trim();
  return { ...(c ? { correlation: c } : {}), ...(v ? { variance: v } : {}) };
}

function fitSpec(spec: ModelSpec, onProgress?: FitProgress): AnyModel {
  const table = requireTable();
  const gaussian = spec.family === "gaussian";
  if (gaussian && spec.link !== "default") throw new MlmError("A linear model (family gaussian) has the identity link; set Link to default, or choose another family.");
  if (hasStructure(spec)) {
    if (!gaussian) throw new MlmError(`Residual correlation and variance structures (nlme) apply to linear models; set Family to gaussian, or clear the residual structures to fit the ${spec.family} model.`);
    const opts = structureOptions(spec);
    if (opts.correlation !== undefined) return fit(spec.formula, table, { reml: spec.reml, correlation: opts.correlation, variance: opts.variance });
    return fit(spec.formula, table, { reml: spec.reml, variance: opts.variance! });
  }
  if (gaussian) return fit(spec.formula, table, { reml: spec.reml, onProgress });
  // families with a dispersion parameter are fitted by the Laplace approximation only
  const nAGQ = makeFamily(spec.family).hasDispersion ? undefined : spec.nAGQ;
  return fit(spec.formula, table, { family: spec.family, link: spec.link === "default" ? undefined : spec.link, nAGQ, onProgress });
}

function modelFor(ref: ModelRef, onProgress?: FitProgress): AnyModel {
  const known = models.get(ref.id);
  if (known) return known.model;
  const model = fitSpec(ref.spec, onProgress);
  models.set(ref.id, { spec: ref.spec, model });
  return model;
}

function mixedModelFor(ref: ModelRef, what: string): MixedModel {
  const m = modelFor(ref);
  if (isResidual(m)) throw new MlmError(`${what} are not available for fits with residual structures (nlme's gls and lme); the summary shows Wald intervals of the structure parameters.`);
  return m;
}

/** The coefficient table with the spec's df method (Kenward-Roger falls back to Satterthwaite where it does not apply, with a note). */
function coefficients(m: MixedModel, spec: ModelSpec, advice: Advice[]): CoefTable {
  if (m.kind !== "lmm" || spec.ddf === "none") return coefTable(m, { ddf: "wald" });
  if (spec.ddf === "kenward-roger") {
    const kr = tableOrNote(() => coefTable(m, { ddf: "kenward-roger" }), advice, "The table shows Satterthwaite's df instead.");
    if (kr) return kr;
  }
  return coefTable(m, { ddf: "satterthwaite" });
}

/** The table `make` builds, or undefined with a note when it cannot be formed for this model (an MlmError). */
function tableOrNote(make: () => CoefTable, advice: Advice[], instead: string): CoefTable | undefined {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof MlmError)) throw error;
    advice.push({ severity: "note", text: error.message, todo: instead });
    return undefined;
  }
}

const SINGULAR_TODO =
  "A variance is estimated at (or next to) zero, or a correlation at ±1: the data do not support this many random effects. Simplify the random part (drop a random slope, or use || to drop its correlation), refit, and compare the two fits in Compare; or keep the fit if the simpler model is what you want to report.";
const CONVERGENCE_TODO =
  "The optimizer stopped before it was sure of the optimum. Centre or rescale the predictors (for example scale(x)), simplify the random effects, or check that each grouping factor has enough levels; then fit again.";

function adviceOf(m: AnyModel): Advice[] {
  const out: Advice[] = [];
  for (const { code, severity, text } of m.messages) {
    if (code === "singular-fit" || code === "boundary") out.push({ severity: "warning", text, todo: SINGULAR_TODO });
    else if (code === "not-converged" || code === "hessian-not-positive-definite") out.push({ severity: "warning", text, todo: CONVERGENCE_TODO });
    else out.push({ severity, text });
  }
  if (!isResidual(m) && m.singular && !out.some((a) => a.todo === SINGULAR_TODO)) out.push({ severity: "warning", text: "The fit is singular.", todo: SINGULAR_TODO });
  if (!m.converged && !out.some((a) => a.todo === CONVERGENCE_TODO)) out.push({ severity: "warning", text: "The optimizer did not converge.", todo: CONVERGENCE_TODO });
  return out;
}

function fitRows(m: MixedModel, t: DataTable): FitRows {
  const frame = m.frame;
  const rows = frame.rows;
  let population: number[];
  try {
    const all = predict(m, t, { reForm: "none" }).fit;
    population = Array.from(rows, (r) => all[r]);
  } catch {
    population = Array.from(rows, () => NaN);
  }
  const numeric: Record<string, number[]> = {};
  for (const name of t.names) {
    const c = t.columns.get(name)!;
    if (c.kind === "numeric") numeric[name] = Array.from(rows, (r) => c.values[r]);
  }
  const g = frame.reterms[0]?.group;
  return {
    response: frame.response.label,
    y: Array.from(frame.response.y),
    fitted: Array.from(m.fitted),
    population,
    residuals: Array.from(m.residuals),
    group: g ? { name: g.name, levels: [...g.levels], refs: Array.from(g.refs) } : null,
    numeric,
  };
}

function unavailable(error: unknown): { unavailable: string } {
  if (error instanceof MlmError) return { unavailable: error.message };
  throw error;
}

/** glmmTMB's dispersion of the fit (nbinom2's θ, nbinom1's α, Gamma's 1/√shape), with what the family says it means. */
function dispersionOf(m: MixedModel): FitResult["dispersion"] {
  const d = (m as { dispersion?: { symbol: string; value: number } }).dispersion;
  const meaning = m.family.dispersion?.dispersionMeaning;
  return d ? { symbol: d.symbol, value: d.value, meaning: meaning ?? "" } : undefined;
}

function fitResult(id: string, spec: ModelSpec, model: AnyModel): FitResult {
  if (isResidual(model)) return residualFitResult(id, spec, model);
  const m = model;
  const advice = adviceOf(m);
  const coef = coefficients(m, spec, advice);
  const fixef = coef.rows.map((r) => ({ ...r }));
  let pool: FitResult["pooling"];
  try {
    const pl = pooling(m);
    pool = {
      group: pl.group,
      coefficients: [...pl.coefficients],
      complete: [...pl.complete],
      groups: pl.groups.map((g) => ({ level: g.level, n: g.n, none: g.none && [...g.none], partial: [...g.partial] })),
      messages: pl.messages.map((msg) => msg.text),
    };
  } catch (error) {
    pool = unavailable(error);
  }
  let ols: FitResult["compareOls"];
  try {
    const c = compareOls(m);
    ols = { cluster: c.cluster, clusters: c.clusters, rows: c.rows.map((r) => ({ ...r })), kishDeff: c.kishDeff, note: c.note };
  } catch (error) {
    ols = unavailable(error);
  }
  return {
    id,
    spec,
    formula: m.formula,
    family: m.family.name as FitResult["family"],
    link: m.family.link.name,
    method: m.method,
    kind: m.kind,
    nobs: m.nobs,
    ngroups: { ...m.ngroups },
    fixef,
    ddfName: coef.statistic === "t" ? coef.name : undefined,
    varcorr: m.varcorr.map((v) => ({ ...v })),
    icc: { ...m.icc },
    sigma: m.sigma,
    dispersion: dispersionOf(m),
    npar: m.npar,
    logLik: m.logLik,
    AIC: m.AIC,
    BIC: m.BIC,
    criterion: { ...m.criterion },
    singular: m.singular,
    converged: m.converged,
    evaluations: m.optimizer.evaluations,
    fitSeconds: m.fitSeconds,
    advice,
    ranef: m.ranef().map((r) => ({ ...r })),
    rows: fitRows(m, requireTable()),
    pooling: pool,
    compareOls: ols,
    summaryText: summaryText(m, { coef }),
    simd: simdSupported(),
  };
}

/** A fitted structure as the page shows it: the library's parameters and its Wald intervals (intervalsOf) when they are given. */
function structureView(st: StructureResult, kind: "correlation" | "variance", intervals: ReturnType<typeof intervalsOf> | undefined): StructureResultView {
  const own = intervals?.filter((iv) => iv.part === kind);
  return {
    structure: st.structure,
    form: st.form,
    label: st.label,
    parameters: { ...st.parameters },
    intervals: own && own.length > 0 ? Object.fromEntries(own.map((iv) => [iv.name, { lower: iv.lower, upper: iv.upper }])) : undefined,
  };
}

/** The rows of a gls or lme fit for the plots (no random-effect modes: the plots that need them say so). */
function residualRows(m: ResidualModel, t: DataTable): FitRows {
  const rows = m.frame.rows;
  const numeric: Record<string, number[]> = {};
  for (const name of t.names) {
    const c = t.columns.get(name)!;
    if (c.kind === "numeric") numeric[name] = Array.from(rows, (r) => c.values[r]);
  }
  // x'β at each row: the fitted values of gls, the fixed part of lme's
  const X = m.frame.X;
  const n = m.nobs;
  const population = Array.from({ length: n }, (_, i) => {
    let eta = 0;
    for (let j = 0; j < m.beta.length; j++) eta += X[i + j * n] * m.beta[j];
    return eta;
  });
  const g = m.frame.reterms[0]?.group;
  return {
    response: m.frame.response.label,
    y: Array.from(m.frame.response.y),
    fitted: Array.from(m.fitted),
    population,
    residuals: Array.from(m.residuals),
    group: g ? { name: g.name, levels: [...g.levels], refs: Array.from(g.refs) } : null,
    numeric,
  };
}

/**
 * The coefficient table of a fit with residual structures: nlme's df (the default) or, when the
 * spec asks for them, Satterthwaite's over all covariance parameters (falling back to nlme's,
 * with a note, where they cannot be formed); undefined where nlme gives no df (several grouping
 * factors) and Satterthwaite's were not asked for.
 */
function residualCoefficients(m: ResidualModel, spec: ModelSpec, advice: Advice[]): CoefTable | undefined {
  if (spec.ddf === "satterthwaite") {
    const st = tableOrNote(() => coefTable(m, { ddf: "satterthwaite" }), advice, "The table shows nlme's df instead.");
    if (st) return st;
  }
  return nlmeDf(m) ? coefTable(m, { ddf: "nlme" }) : undefined;
}

const NOT_FOR_RESIDUAL = "not available for fits with residual structures (nlme's gls and lme).";

function residualFitResult(id: string, spec: ModelSpec, m: ResidualModel): FitResult {
  const advice = adviceOf(m);
  const coef = residualCoefficients(m, spec, advice);
  const fixef = coef
    ? coef.rows.map((r) => ({ ...r }))
    : m.fixef.map((f) => ({ term: f.term, estimate: f.estimate, se: f.se, df: null, statistic: f.statistic, p: NaN, lower: f.estimate - 1.959963984540054 * f.se, upper: f.estimate + 1.959963984540054 * f.se }));
  let intervals: ReturnType<typeof intervalsOf> | undefined;
  try {
    intervals = intervalsOf(m);
  } catch (error) {
    if (!(error instanceof MlmError)) throw error;
    advice.push({ severity: "note", text: error.message, todo: "The structure parameters are shown without intervals." });
  }
  return {
    id,
    spec,
    formula: m.formula,
    family: "gaussian",
    link: "identity",
    method: m.method,
    kind: m.kind,
    nobs: m.nobs,
    ngroups: { ...m.ngroups },
    fixef,
    ddfName: coef?.name,
    varcorr: m.varcorr.map((v) => ({ ...v })),
    icc: {},
    sigma: m.sigma,
    correlation: m.correlation && structureView(m.correlation, "correlation", intervals),
    variance: m.variance && structureView(m.variance, "variance", intervals),
    npar: m.npar,
    logLik: m.logLik,
    AIC: m.AIC,
    BIC: m.BIC,
    criterion: { name: m.method === "REML" ? "REML" : "deviance", value: -2 * m.logLik },
    singular: false,
    converged: m.converged,
    evaluations: m.optimizer.evaluations,
    fitSeconds: m.fitSeconds,
    advice,
    ranef: m.ranefRows().map((r) => ({ ...r })),
    rows: residualRows(m, requireTable()),
    pooling: { unavailable: `The pooling estimates are ${NOT_FOR_RESIDUAL}` },
    compareOls: { unavailable: NOT_FOR_RESIDUAL.replace(/^not/, "Not") },
    summaryText: residualSummaryText(m, tableName, coef?.ddf === "satterthwaite" ? "satterthwaite" : "nlme"),
    simd: simdSupported(),
  };
}

/** What is wrong with the structures as written: nlme syntax, then the columns they name. */
function checkStructures(correlation: string, variance: string): StructureCheck {
  const out: { correlation?: string; variance?: string } = {};
  const columns = (names: (string | undefined)[], what: string): string | undefined => {
    const t = table;
    if (!t) return undefined;
    const missing = names.filter((n): n is string => n !== undefined && n !== "fitted(.)" && !t.columns.has(n));
    return missing.length > 0 ? `The ${what} names ${missing.join(" and ")}, which ${missing.length > 1 ? "are" : "is"} not a column of the data; the data have ${t.names.join(", ")}.` : undefined;
  };
  const guard = (f: () => string | undefined): string | undefined => {
    try {
      return f();
    } catch (error) {
      if (error instanceof MlmError) return error.message;
      throw error;
    }
  };
  if (correlation.trim() !== "")
    out.correlation = guard(() => {
      const c = parseCorrelation(correlation);
      return columns([c.covariate, c.group], "correlation structure");
    });
  if (variance.trim() !== "")
    out.variance = guard(() => {
      const v = parseVariance(variance);
      return columns([v.covariate, v.stratum], "variance function");
    });
  return out;
}

function describe(formula: string): DescribeResult {
  const d = describeFrame(modelFrame(parseFormula(formula), requireTable()));
  return {
    nobs: d.nobs,
    dropped: d.dropped,
    response: d.response,
    fixef: [...d.fixef],
    groups: d.groups.map((g) => ({ name: g.name, levels: g.levels, sizes: { ...g.sizes }, nestedIn: [...g.nestedIn] })),
    messages: d.messages.map((msg) => msg.text),
    text: formatDescription(d),
  };
}

function compare(refs: readonly ModelRef[]): LrtResult {
  // anovaLrt and anovaResidual take the models in order of their number of parameters, ties in the order given
  if (refs.some((ref) => hasStructure(ref.spec))) return compareResidual(refs);
  const fits = refs.map((ref) => mixedModelFor(ref, "Likelihood-ratio tests"));
  const table = anovaLrt(fits);
  const order = fits.map((_, i) => i).sort((a, b) => fits[a].npar - fits[b].npar || a - b);
  return { style: "lme4", models: table.models.map((row, k) => ({ id: refs[order[k]].id, ...row })), tests: table.tests.map((t) => ({ ...t })) };
}

/** nlme's anova() of fits with and without residual structures: those without are fitted as gls or lme too, by their own method. */
function compareResidual(refs: readonly ModelRef[]): LrtResult {
  const table = requireTable();
  const fits = refs.map((ref) => {
    if (ref.spec.family !== "gaussian") throw new MlmError("Fits with residual structures are compared with linear models only; untick the generalized models.");
    const m = modelFor(ref);
    return isResidual(m) ? m : fitResidualFrame(m.frame, table, { reml: ref.spec.reml });
  });
  const order = fits.map((_, i) => i).sort((a, b) => fits[a].npar - fits[b].npar || a - b);
  const rows = anovaResidual(order.map((i) => fits[i]));
  return {
    style: "nlme",
    models: rows.map((row, k) => ({ id: refs[order[k]].id, formula: fits[order[k]].formula, npar: row.df, AIC: row.AIC, BIC: row.BIC, logLik: row.logLik, deviance: -2 * row.logLik })),
    tests: rows.slice(1).map((row, k) => ({ chisq: row.lRatio ?? NaN, df: Math.abs(row.df - rows[k].df), p: row.p ?? NaN })),
  };
}

async function handle(id: number, envelope: WorkerEnvelope): Promise<unknown> {
  const request = envelope.request;
  // progress at most ten times a second, so the page is not flooded with messages
  let last = 0;
  const progress = (done: number, total: number, detail?: string): void => {
    const now = performance.now();
    if (now - last < 100 && done < total) return;
    last = now;
    scope.postMessage({ id, kind: "progress", done, total, detail });
  };
  switch (request.kind) {
    case "capabilities":
      return { simd: simdSupported() };
    case "load": {
      factors = [...request.factors];
      table = await readTable(new Uint8Array(request.bytes), request.name, request.format, factors);
      tableName = request.name;
      models.clear();
      return summarizeTable(table, request.name);
    }
    case "describe":
      return describe(request.formula);
    case "fit": {
      models.delete(request.model.id);
      // the optimizer's evaluations so far (total 0: not known in advance)
      const m = modelFor(request.model, (p) => progress(p.evaluations, 0, `criterion ${p.criterion.toPrecision(8)}`));
      return fitResult(request.model.id, request.model.spec, m);
    }
    case "confint": {
      const m = mixedModelFor(request.model, request.method === "bootstrap" ? "Bootstrap intervals" : "Profile intervals");
      const rows = confint(m, { method: request.method, nsim: request.nsim, seed: request.seed, onProgress: progress });
      return rows.map((r) => ({ ...r }));
    }
    case "compare":
      return compare(request.models);
    case "structures":
      return checkStructures(request.correlation, request.variance);
  }
}

// Requests run one at a time, in the order they arrive.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  const envelope = event.data;
  queue = queue.then(async () => {
    try {
      const value = await handle(envelope.id, envelope);
      scope.postMessage({ id: envelope.id, kind: "result", value });
    } catch (error) {
      const message = error instanceof MlmError ? error.message : `Something went wrong inside mlm (${error instanceof Error ? error.message : String(error)}); please report it with the data and formula.`;
      scope.postMessage({ id: envelope.id, kind: "error", message });
    }
  });
};
