/**
 * mlm: multilevel (mixed-effects) models in TypeScript that agree with R's lme4.
 *
 * The public API. Everything here runs in Node and in browsers; file reading lives in the CLI.
 *
 * @example
 * ```ts
 * import { fitLmm } from "mlm";
 * const m = fitLmm("Reaction ~ Days + (Days | Subject)", { Reaction, Days, Subject });
 * m.fixef; // [{ term: "(Intercept)", estimate: 251.4, se: 6.82, statistic: 36.8 }, …]
 * ```
 */
export { MlmError } from "./errors.js";
export type { DataInput } from "./data/data-input.js";
export type { DataTable, Column, NumericColumn, CategoricalColumn } from "./data/table.js";
export { toDataTable, type ToDataTableOptions } from "./data/to-data-table.js";
export { parseFormula, formatFormula, deparse, columnsOf } from "./formula/index.js";
export type { Formula, Expr, Term, TermList, RandomTerm, Variable } from "./formula/index.js";
export { modelFrame, newDataFrame } from "./model-frame/index.js";
export type { ModelFrame, ReTermFrame, ResponseFrame, GroupingFactor, ModelFrameOptions, NewDataFrame } from "./model-frame/index.js";
export { fitLmm, fitLmmFrame, type LmmOptions } from "./lmm/fit-lmm.js";
export type { LinearMixedModel, MixedModelBase, FixefRow, RanefRow, OptimizerSummary } from "./lmm/linear-mixed-model.js";
export { fitGlmm, fitGlmmFrame, type GlmmOptions, type GeneralizedLinearMixedModel } from "./glmm/fit-glmm.js";
export type { FamilyName } from "./glmm/family.js";
export type { LinkName } from "./glmm/link.js";
export { varCorr, type VarCorrRow } from "./inference/varcorr.js";
export { satterthwaite, tPValue, type DdfResult } from "./inference/satterthwaite.js";
export { kenwardRoger, KENWARD_ROGER_MAX_Q, type KenwardRogerResult } from "./inference/kenward-roger.js";
export { waldZ } from "./inference/wald.js";
export { anovaLrt, type LrtTable, type LrtTest, type LrtModelRow } from "./inference/lrt.js";
export { confint, waldConfint, bootstrapConfint, parameterNames, parameterValues, type ConfintOptions, type ConfintMethod, type ConfintRow } from "./inference/confint.js";
export { profileConfint, type ProfileOptions } from "./inference/profile.js";
export { bootMer, percentileIntervals, type BootstrapOptions, type BootstrapReplicates } from "./inference/bootstrap.js";
export { iccInterval, type IccInterval, type IccIntervalOptions } from "./inference/icc-interval.js";
export { createRng, type Rng } from "./inference/random.js";
export { simulateResponse } from "./inference/simulate.js";
export { refit, refitMl } from "./inference/refit.js";
export { chiSquareUpper, chiBarSquareUpper, type MixtureComponent } from "./inference/chi-square.js";
export { compareOls, compareOlsNote, type CompareOls, type CompareOlsRow, type CompareOlsOptions } from "./inference/compare-ols.js";
export { compareOlsText } from "./report/compare-ols-text.js";
export { bobyqa, type BobyqaOptions, type OptimResult } from "./optim/index.js";
export { fitJson, type FixefTests } from "./report/fit-json.js";
export { summaryText } from "./report/summary.js";
export { describeFrame } from "./report/describe.js";
export { formatDescription } from "./report/format-description.js";
export { fmt as formatSignificant, fmtP as formatPValue, table as formatTable } from "./report/format.js";
export { predict, type PredictOptions, type Prediction } from "./predict/predict.js";
export { simulate, type SimulateOptions } from "./predict/simulate.js";
export { pooling, type Pooling, type PoolingGroup } from "./predict/pooling.js";
// Readers of table files from text or bytes (no file system: they run in browsers too).
export { parseDelimited, type ParseDelimitedOptions } from "./io/parse-delimited.js";
export { parseJsonTable } from "./io/parse-json.js";
export { parseParquet } from "./io/parse-parquet.js";
export { decodeText } from "./io/decode-text.js";
export { simdSupported } from "./linalg/simd-cholesky.js";
