/**
 * The model frame stage: a parsed formula evaluated on data (response, X, random-effects terms),
 * and new data evaluated the same way for prediction.
 */
export { modelFrame, type ModelFrameOptions } from "./model-frame.js";
export { requireNumericResponse } from "./response.js";
export { newDataFrame, type NewDataFrame } from "./new-data.js";
export type { FittedTransform, FrameTransforms, GroupingFactor, ModelFrame, ReTermFrame, ResponseFrame } from "./types.js";
