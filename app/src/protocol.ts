/**
 * The messages between the page and the worker that runs mlm, and the plain data a fit comes
 * back as. Everything here is structured-clone data: it crosses postMessage and localStorage.
 */

export type FamilyName = "gaussian" | "binomial" | "poisson" | "nbinom2" | "nbinom1" | "Gamma";
export type LinkChoice = "default" | "logit" | "probit" | "cloglog" | "log" | "inverse";
/** The t tests' df: "nlme" (nlme's containment df) applies to fits with residual structures only, where it is the default. */
export type DdfMethod = "satterthwaite" | "kenward-roger" | "nlme" | "none";
export type TableFormat = "csv" | "tsv" | "json" | "parquet";

/** What to fit: the formula and the options of `mlm fit`. */
export interface ModelSpec {
  readonly formula: string;
  readonly family: FamilyName;
  readonly link: LinkChoice;
  /** REML (true) or ML (false); linear models only. */
  readonly reml: boolean;
  /** Quadrature points of a GLMM with one scalar random effect (1 = Laplace). */
  readonly nAGQ: number;
  readonly ddf: DdfMethod;
  /** nlme's residual correlation structure as written, e.g. `corAR1(form = ~ Days | Subject)`; "" for none. */
  readonly correlation: string;
  /** nlme's residual variance function as written, e.g. `varIdent(form = ~ 1 | Sex)`; "" for none. */
  readonly variance: string;
}

/** Whether a spec has nlme's residual structures (a correlation or a variance function). */
export function structured(spec: Pick<ModelSpec, "correlation" | "variance">): boolean {
  return spec.correlation.trim() !== "" || spec.variance.trim() !== "";
}

/** One column of the loaded table. */
export interface ColumnInfo {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  /** Levels of a categorical column. */
  readonly levels?: number;
  readonly missing: number;
  /** Whether the file holds numbers only (so the column may be switched to categorical). */
  readonly numericInFile: boolean;
  /** Distinct non-missing values (counted up to 1000). */
  readonly distinct: number;
}

/** What the page shows of a loaded table. */
export interface DataSummary {
  readonly name: string;
  readonly nrows: number;
  readonly columns: readonly ColumnInfo[];
  /** The first rows, formatted, one array per row. */
  readonly preview: readonly (readonly string[])[];
}

/** `mlm describe`'s report of a formula on the data. */
export interface DescribeResult {
  readonly nobs: number;
  readonly dropped: number;
  readonly response: string;
  readonly fixef: readonly string[];
  readonly groups: readonly {
    readonly name: string;
    readonly levels: number;
    readonly sizes: { readonly min: number; readonly median: number; readonly max: number };
    readonly nestedIn: readonly string[];
  }[];
  readonly messages: readonly string[];
  /** The same report as `mlm describe` prints it. */
  readonly text: string;
}

export interface FixefResultRow {
  readonly term: string;
  readonly estimate: number;
  readonly se: number;
  /** Denominator df of the t test; null for z tests. */
  readonly df: number | null;
  readonly statistic: number;
  readonly p: number;
  /** 95% interval: estimate ± t quantile (df) × se for t tests, ± 1.96 × se for z tests (the library's coefTable). */
  readonly lower: number;
  readonly upper: number;
}

export interface VarCorrResultRow {
  readonly group: string;
  readonly var1: string | null;
  readonly var2: string | null;
  readonly vcov: number;
  readonly sdcor: number;
  /** The term's covariance structure when it is not us or diag (cs, ar1, toep), as the library's VarCorr row. */
  readonly structure?: string;
  /** ρ of ar1 and cs, ρ by lag for toep. */
  readonly rho?: number | readonly number[];
}

/** A fitted nlme residual structure (the library's StructureResult) with Wald intervals of its parameters where they could be computed. */
export interface StructureResultView {
  readonly structure: string;
  readonly form: string;
  readonly label: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly intervals?: Readonly<Record<string, { readonly lower: number; readonly upper: number }>>;
}

export interface RanefResultRow {
  readonly group: string;
  readonly term: string;
  readonly level: string;
  readonly condval: number;
  readonly condsd: number;
}

/** A message with what to do about it. */
export interface Advice {
  readonly severity: "warning" | "note";
  readonly text: string;
  readonly todo?: string;
}

export interface PoolingResult {
  readonly group: string;
  readonly coefficients: readonly string[];
  readonly complete: readonly number[];
  readonly groups: readonly { readonly level: string; readonly n: number; readonly none: readonly number[] | null; readonly partial: readonly number[] }[];
  readonly messages: readonly string[];
}

export interface CompareOlsResult {
  readonly cluster: string;
  readonly clusters: number;
  readonly rows: readonly {
    readonly term: string;
    readonly olsEstimate: number;
    readonly olsSe: number;
    readonly robustSe: number;
    readonly mlmEstimate: number;
    readonly mlmSe: number;
    readonly designEffect: number;
  }[];
  readonly kishDeff?: number;
  readonly note: string;
}

/** The rows of the fit, for the diagnostic plots. */
export interface FitRows {
  readonly response: string;
  readonly y: readonly number[];
  readonly fitted: readonly number[];
  /** Population-level fitted values x'β (random effects at zero), on the response scale. */
  readonly population: readonly number[];
  readonly residuals: readonly number[];
  /** The first grouping factor: its name, its levels and each row's level index. */
  readonly group: { readonly name: string; readonly levels: readonly string[]; readonly refs: readonly number[] } | null;
  /** Numeric columns of the data at the rows used. */
  readonly numeric: Readonly<Record<string, readonly number[]>>;
}

/** A fitted model as the page shows it. */
export interface FitResult {
  readonly id: string;
  readonly spec: ModelSpec;
  readonly formula: string;
  readonly family: FamilyName;
  readonly link: string;
  readonly method: string;
  /** The library's model kind: lmm, glmm, or nlme's gls and lme (fits with residual structures). */
  readonly kind: "lmm" | "glmm" | "gls" | "lme";
  readonly nobs: number;
  readonly ngroups: Readonly<Record<string, number>>;
  readonly fixef: readonly FixefResultRow[];
  /** "Satterthwaite", "Kenward-Roger", "nlme" or undefined for z tests. */
  readonly ddfName?: string;
  readonly varcorr: readonly VarCorrResultRow[];
  readonly icc: Readonly<Record<string, number>>;
  readonly sigma: number;
  /** glmmTMB's dispersion (sigma()) of nbinom2, nbinom1 and Gamma fits: its symbol, value and meaning. */
  readonly dispersion?: { readonly symbol: string; readonly value: number; readonly meaning: string };
  /** nlme's fitted residual correlation structure. */
  readonly correlation?: StructureResultView;
  /** nlme's fitted residual variance function. */
  readonly variance?: StructureResultView;
  readonly npar: number;
  readonly logLik: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly criterion: { readonly name: string; readonly value: number };
  readonly singular: boolean;
  readonly converged: boolean;
  readonly evaluations: number;
  readonly fitSeconds: number;
  readonly advice: readonly Advice[];
  readonly ranef: readonly RanefResultRow[];
  readonly rows: FitRows;
  readonly pooling: PoolingResult | { readonly unavailable: string };
  readonly compareOls: CompareOlsResult | { readonly unavailable: string };
  /** The lme4-style text summary `mlm fit` prints. */
  readonly summaryText: string;
  /** Whether the worker ran the WebAssembly SIMD kernel's runtime. */
  readonly simd: boolean;
}

export interface ConfintResultRow {
  readonly name: string;
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface LrtResult {
  /** Whose anova() this is: lme4's (models refitted by ML) or nlme's (fits with residual structures, by their own method). */
  readonly style: "lme4" | "nlme";
  readonly models: readonly { readonly id: string; readonly formula: string; readonly npar: number; readonly AIC: number; readonly BIC: number; readonly logLik: number; readonly deviance: number }[];
  readonly tests: readonly { readonly chisq: number; readonly df: number; readonly p: number; readonly pBoundary?: number; readonly mixture?: string; readonly note?: string }[];
}

/** A model the worker may have to fit again (after a restart) before it can answer. */
export interface ModelRef {
  readonly id: string;
  readonly spec: ModelSpec;
}

export type WorkerRequest =
  | { readonly kind: "load"; readonly bytes: ArrayBuffer; readonly name: string; readonly format: TableFormat; readonly factors: readonly string[] }
  | { readonly kind: "describe"; readonly formula: string }
  | { readonly kind: "fit"; readonly model: ModelRef }
  | { readonly kind: "confint"; readonly model: ModelRef; readonly method: "profile" | "bootstrap"; readonly nsim: number; readonly seed: number }
  | { readonly kind: "compare"; readonly models: readonly ModelRef[] }
  | { readonly kind: "structures"; readonly correlation: string; readonly variance: string }
  | { readonly kind: "capabilities" };

/** What is wrong with the residual structures as written (each undefined when it is fine or empty). */
export interface StructureCheck {
  readonly correlation?: string;
  readonly variance?: string;
}

export interface Capabilities {
  readonly simd: boolean;
}

export type WorkerReply =
  | { readonly id: number; readonly kind: "result"; readonly value: unknown }
  | { readonly id: number; readonly kind: "error"; readonly message: string }
  | { readonly id: number; readonly kind: "progress"; readonly done: number; readonly total: number; readonly detail?: string };

export interface WorkerEnvelope {
  readonly id: number;
  readonly request: WorkerRequest;
}
