/**
 * mlm/text: the text forms of results, laid out as R users know them (lme4's `summary()`,
 * `anova()` tables), and the number formatting they share. The model API is in the main entry.
 *
 * @example
 * ```ts
 * import { fit, coefTable } from "mlm";
 * import { summaryText } from "mlm/text";
 * const m = fit("Yield ~ 1 + (1 | Batch)", dyestuff);
 * summaryText(m, { coef: coefTable(m) }).split("\n")[0]; // "Linear mixed model fit by REML. t-tests use Satterthwaite's method"
 * ```
 */
export { summaryText, iccIntervalLine, type SummaryOptions } from "./report/summary.js";
export { formatDescription } from "./report/format-description.js";
export { compareOlsText } from "./report/compare-ols-text.js";
export { fmt as formatSignificant, fmtP as formatPValue, table as formatTable } from "./report/format.js";
export { residualSummaryText, structureBlock } from "./report/residual-summary.js";
