/**
 * The coefficient table of a fitted model: each fixed effect's estimate, standard error, test
 * statistic, degrees of freedom, p-value and confidence interval, with the df method as an
 * option (lmerTest's `summary(fit, ddf = …)` and `confint(…, method = "Wald")`):
 *
 *     t_j = β̂_j / se_j on df_j:  Satterthwaite (default for linear models) or Kenward-Roger
 *                               (which also adjusts se_j);
 *     z_j = β̂_j / se_j:          Wald (GLMMs, or linear models without a df method),
 *     CI_j = β̂_j ± q se_j,       q the (1 + level) / 2 quantile of t_df or of N(0, 1).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { MlmError } from "../errors.js";
import type { MixedModel } from "../model/mixed-model.js";
import { kenwardRoger } from "./kenward-roger.js";
import { checkLevel, qnorm } from "./profile.js";
import { satterthwaite } from "./satterthwaite.js";
import { waldZ } from "./wald.js";
import type { ResidualModel } from "../residual/residual-model.js";
import { satterthwaiteResidual } from "./residual-satterthwaite.js";
import { nlmeDf } from "./nlme-df.js";

/** How the fixed effects are tested ("nlme": nlme's containment df, for fits with residual structures). */
export type DdfMethod = "satterthwaite" | "kenward-roger" | "wald" | "nlme";

/** One row of the coefficient table. */
export interface CoefRow {
  readonly term: string;
  readonly estimate: number;
  /** Standard error (Kenward-Roger's adjusted one under that method). */
  readonly se: number;
  /** t (Satterthwaite, Kenward-Roger) or z (Wald). */
  readonly statistic: number;
  /** Denominator degrees of freedom; null for Wald z tests. */
  readonly df: number | null;
  /** Two-sided p-value. */
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
}

/** The coefficient table with how it was computed. */
export interface CoefTable {
  readonly ddf: DdfMethod;
  /** The method's name for people: "Satterthwaite", "Kenward-Roger" or "Wald". */
  readonly name: string;
  /** "t" or "z". */
  readonly statistic: "t" | "z";
  readonly level: number;
  readonly rows: readonly CoefRow[];
}

/** Options of {@link coefTable}. */
export interface CoefTableOptions {
  /** Default: Satterthwaite for linear models, Wald for GLMMs. */
  readonly ddf?: DdfMethod;
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
}

const NAMES: Readonly<Record<DdfMethod, string>> = { satterthwaite: "Satterthwaite", "kenward-roger": "Kenward-Roger", wald: "Wald", nlme: "nlme" };

function isResidual(m: MixedModel | ResidualModel): m is ResidualModel {
  return m.kind === "gls" || m.kind === "lme";
}

/** The df and p of a fit with residual structures by the chosen method. */
function residualDf(m: ResidualModel, ddf: DdfMethod): { df: readonly (number | null)[]; p: readonly number[] } {
  if (ddf === "kenward-roger") throw new MlmError("Kenward-Roger degrees of freedom are not available for fits with residual structures; use satterthwaite or nlme.");
  if (ddf === "wald") return { df: m.fixef.map(() => null), p: waldZ(m).p };
  if (ddf === "satterthwaite") return satterthwaiteResidual(m);
  const d = nlmeDf(m);
  if (!d) throw new MlmError("nlme's degrees of freedom are defined for one grouping factor; use satterthwaite for this model.");
  return d;
}

/**
 * The coefficient table of a fitted model.
 *
 * @param m - a fitted model.
 * @param options - the df method and the confidence level.
 * @returns the rows, one per fixed effect, with the method used.
 * @throws MlmError for a t-test method on a GLMM, Kenward-Roger on an ML fit, or a bad level.
 * @example
 * ```ts
 * const t = coefTable(sleepstudyFit);
 * t.rows[1]; // { term: "Days", estimate: 10.467, se: 1.546, statistic: 6.771, df: 17, p: 3.26e-06, lower: 7.206, upper: 13.729 }
 * ```
 */
export function coefTable(m: MixedModel | ResidualModel, options: CoefTableOptions = {}): CoefTable {
  const level = checkLevel(options.level ?? 0.95);
  const ddf = options.ddf ?? (m.kind === "glmm" ? "wald" : "satterthwaite");
  if (!Object.hasOwn(NAMES, ddf)) throw new MlmError(`Unknown df method '${String(ddf)}'; use satterthwaite, kenward-roger, nlme or wald.`);
  if (isResidual(m)) return table(m.fixef, residualDf(m, ddf), ddf, level);
  if (ddf === "nlme") throw new MlmError("nlme's degrees of freedom apply to fits with residual structures; use satterthwaite, kenward-roger or wald.");
  if (ddf !== "wald" && m.kind !== "lmm") {
    throw new MlmError(`The ${NAMES[ddf]} method gives t tests for linear mixed models; a ${m.family.name} model's fixed effects are tested by Wald z tests, so use ddf wald.`);
  }
  let df: readonly (number | null)[];
  let p: readonly number[];
  let se = m.fixef.map((f) => f.se);
  if (ddf === "wald" || m.kind !== "lmm") {
    df = m.fixef.map(() => null);
    p = waldZ(m).p;
  } else if (ddf === "kenward-roger") {
    const kr = kenwardRoger(m);
    ({ df, p } = kr);
    se = kr.se;
  } else {
    ({ df, p } = satterthwaite(m));
  }
  return table(m.fixef, { df, p }, ddf, level, se);
}

function table(fixef: readonly { term: string; estimate: number; se: number }[], dp: { df: readonly (number | null)[]; p: readonly number[] }, ddf: DdfMethod, level: number, se = fixef.map((f) => f.se)): CoefTable {
  const { df, p } = dp;
  const zq = qnorm((1 + level) / 2);
  const rows = fixef.map((f, j): CoefRow => {
    const d = df[j];
    const q = d === null ? zq : d > 0 ? tQuantile((1 + level) / 2, d) : NaN;
    return Object.freeze({ term: f.term, estimate: f.estimate, se: se[j], statistic: f.estimate / se[j], df: d, p: p[j], lower: f.estimate - q * se[j], upper: f.estimate + q * se[j] });
  });
  return Object.freeze({ ddf, name: NAMES[ddf], statistic: df.every((d) => d === null) ? "z" : "t", level, rows: Object.freeze(rows) });
}
