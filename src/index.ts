/**
 * mlm: multilevel (mixed-effects) models in TypeScript that agree with R's lme4.
 *
 * The public API, for Node and browsers alike (file reading lives in the CLI). Text output
 * (lme4-style summaries, tables) comes from the second entry point, `mlm/text`.
 *
 * @example
 * ```ts
 * import { fit, coefTable } from "mlm";
 * const m = fit("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * coefTable(m).rows[1]; // { term: "Days", estimate: 10.467, se: 1.546, statistic: 6.771, df: 17, p: 3.26e-06, lower: 7.206, upper: 13.729 }
 * ```
 */
export { MlmError } from "./errors.js";
export type { Message, MessageCode, MessageSeverity } from "./messages.js";

// data and formulas
export type { DataInput } from "./data/data-input.js";
export type { DataTable, Column, NumericColumn, CategoricalColumn } from "./data/table.js";
export { toDataTable, type ToDataTableOptions } from "./data/to-data-table.js";
export { parseFormula, formatFormula, deparse, columnsOf } from "./formula/index.js";
export type { Formula, Expr, Term, TermList, RandomTerm, Variable } from "./formula/index.js";
export { modelFrame, newDataFrame } from "./model-frame/index.js";
export type { ModelFrame, ReTermFrame, ResponseFrame, GroupingFactor, ModelFrameOptions, NewDataFrame } from "./model-frame/index.js";

// families, random-effects layer, models
export { makeFamily, familyNames, registerFamily, getLink, type Family, type FamilyDefinition, type FamilyName, type Link, type LinkName } from "./family/index.js";
export { RandomEffects, type RanefRow } from "./terms/random-effects.js";
export { ReTerm } from "./terms/re-term.js";
export { covarianceStructure, registerCovarianceStructure, type CovarianceStructure, type NaturalKind, type NaturalParameter } from "./terms/covariance/index.js";
export { varCorr, type VarCorrRow } from "./terms/varcorr.js";
export type { MixedModel, MixedModelBase, LinearMixedModel, GeneralizedLinearMixedModel, FixefRow, OptimizerSummary, FitProgress, DenseCrossProducts, CriterionParts } from "./model/mixed-model.js";
export { fit, fitFrame, type FitOptions } from "./fit/fit.js";
export { fitLmm, fitLmmFrame, type LmmOptions } from "./lmm/fit-lmm.js";
export { fitGlmm, fitGlmmFrame, type GlmmOptions } from "./glmm/fit-glmm.js";

// inference
export { coefTable, type CoefTable, type CoefRow, type CoefTableOptions, type DdfMethod } from "./inference/coef-table.js";
export { satterthwaite, tPValue, type DdfResult } from "./inference/satterthwaite.js";
export { kenwardRoger, KENWARD_ROGER_MAX_Q, type KenwardRogerResult } from "./inference/kenward-roger.js";
export { waldZ } from "./inference/wald.js";
export { anovaLrt, type LrtTable, type LrtTest, type LrtModelRow } from "./inference/lrt.js";
export { confint, waldConfint, bootstrapConfint, parameterNames, parameterValues, type ConfintOptions, type ConfintMethod, type ConfintRow } from "./inference/confint.js";
export { profileConfint, type ProfileOptions } from "./inference/profile.js";
export { bootMer, percentileIntervals, type BootstrapOptions, type BootstrapReplicates } from "./inference/bootstrap.js";
export { iccInterval, type IccInterval, type IccIntervalOptions } from "./inference/icc-interval.js";
export { createRng, type Rng } from "./numerics/random.js";
export { simulateResponse } from "./inference/simulate.js";
export { refit, refitMl } from "./inference/refit.js";
export { chiSquareUpper, chiBarSquareUpper, type MixtureComponent } from "./inference/chi-square.js";
export { compareOls, compareOlsNote, type CompareOls, type CompareOlsRow, type CompareOlsOptions } from "./inference/compare-ols.js";

// prediction and data for reports
export { predict, type PredictOptions, type Prediction } from "./predict/predict.js";
export { simulate, type SimulateOptions } from "./predict/simulate.js";
export { pooling, type Pooling, type PoolingGroup } from "./predict/pooling.js";
export { describeFrame, type Description, type GroupDescription } from "./report/describe.js";
export { fitJson } from "./report/fit-json.js";
export { r2Nakagawa, iccNakagawa, varianceComponents, type R2, type Icc, type VarianceComponents } from "./inference/r2.js";
export { emmeans, pairwiseContrasts, adjustP, type MeansOptions, type MarginalMeans, type EmmTable, type MeansDdf, type PAdjust } from "./predict/means.js";
export { ptukeyUpper } from "./inference/studentized-range.js";
export { satterthwaiteContrasts, type ContrastDf } from "./inference/satterthwaite.js";
export { kenwardRogerContrasts } from "./inference/kenward-roger.js";
export { tidy, glance, augment, AUGMENT_MAX_DIM, type TidyEffect, type TidyOptions, type TidyTable } from "./report/tidy.js";
export { publicationTable, type TableFormat, type PublicationTableOptions } from "./report/publication-table.js";
export { checkModel, ksUniform, type CheckOptions, type CheckTest, type ModelCheck } from "./inference/check.js";
export { fitGls, fitGlsFrame } from "./residual/fit-gls.js";
export { fitLmmResidual, fitLmmResidualFrame } from "./lmm/fit-lmm-residual.js";
export type { ResidualFitOptions, ResidualModel } from "./residual/residual-model.js";
export type { StructureResult } from "./residual/structure.js";
export { parseCorrelation, parseVariance, type CorrelationSpec, type VarianceSpec, type CorrelationInput, type VarianceInput } from "./residual/parse-structure.js";
export { nlmeDf } from "./inference/nlme-df.js";
export { residualJson } from "./report/residual-summary.js";
export { intervalsOf, sigmaInterval, ranefIntervals, residualIntervals, type StructureInterval, type RanefInterval, type ResidualIntervals } from "./inference/structure-intervals.js";
export { anovaResidual, type ResidualLrtRow } from "./inference/residual-lrt.js";
export { fitResidualFrame, type ResidualStructureOptions } from "./fit/fit-residual.js";
export { satterthwaiteResidual, satterthwaiteResidualContrasts } from "./inference/residual-satterthwaite.js";
export type { ResidualDdf } from "./report/residual-summary.js";

// Fitting from SQL aggregates (summary statistics of the cross products)
export { SQL_DIALECTS, dialect, type SqlDialect } from "./sql/dialect.js";
export { statisticsPlan, schemaFreePlan, type StatisticsPlan, type StatisticsPlanOptions, type TableColumn } from "./sql/statistics-plan.js";
export { statisticsSql } from "./sql/statistics-sql.js";
export { statisticsFromRows, statisticsRows, mergeStatistics, checkGroupMeans, asStatistics, type LmmStatistics, type StatisticsRow, type StatisticsBlock } from "./sql/statistics.js";
export { statisticsCrossProducts, type StatisticsCrossProducts } from "./sql/statistics-cross-products.js";
export { fitFromStatistics, isStatisticsModel, rowsNeededMessage, type StatisticsModel } from "./sql/fit-from-stats.js";
export { lazyTable, type TypedColumn } from "./data/lazy-table.js";
export { typeColumn, type TypeColumnOptions } from "./data/infer-column.js";
export {
  parseDelimited,
  DelimitedReader,
  chooseDelimiter,
  parseJsonTable,
  parseParquet,
  readChunksInThread,
  DecodeLimitError,
  readTableBytes,
  decodeText,
  formatFromPath,
  formatFromName,
  sniffFormat,
  isTableFormat,
  TABLE_FORMATS,
} from "./formats/index.js";
export type {
  ParseDelimitedOptions,
  DelimitedReaderOptions,
  TableTypingOptions,
  Delimiter,
  DelimiterChoice,
  ParquetChunk,
  ParquetChunkReader,
  ReadTableBytesOptions,
  TableFormat as DataFileFormat,
} from "./formats/index.js";
export { simdSupported } from "./linalg/simd-cholesky.js";
export { predictResidual, type PredictResidualOptions } from "./predict/predict-residual.js";
export { simulateResidual } from "./predict/simulate-residual.js";
