/**
 * Read nlme's calls for residual structures, as R users write them:
 *
 *     corAR1(form = ~ Days | Subject)        corCAR1(form = ~ time | g)
 *     corARMA(form = ~ 1 | Mare, p = 1, q = 1)
 *     corCompSymm(form = ~ 1 | Subject)      corSymm(form = ~ occasion | Subject)
 *     varIdent(form = ~ 1 | Sex)             varPower(form = ~ x)   varPower()
 *     varExp(form = ~ x | stratum)           varConstPower(form = ~ x)
 *
 * The result is plain data (a {@link CorrelationSpec} or {@link VarianceSpec}); binding it to a
 * data set happens in residual-groups.ts and the structure files.
 */
import { MlmError } from "../errors.js";

/** The correlation structures mlm fits, by nlme's class names. */
export type CorrelationName = "corAR1" | "corCAR1" | "corARMA" | "corCompSymm" | "corSymm";
/** The variance functions mlm fits, by nlme's class names. */
export type VarianceName = "varIdent" | "varPower" | "varExp" | "varConstPower";

/** A correlation structure as written: its class, covariate (position) and grouping. */
export interface CorrelationSpec {
  readonly structure: CorrelationName;
  /** Position covariate, or undefined for `~ 1` (row order within the group). */
  readonly covariate: string | undefined;
  /** Grouping variable, or undefined when the whole data set is one group (or, with random effects, the innermost grouping). */
  readonly group: string | undefined;
  /** AR order (corARMA; 1 for corAR1 and corCAR1, 0 otherwise). */
  readonly p: number;
  /** MA order (corARMA). */
  readonly q: number;
  /** Starting values on nlme's constrained scale (nlme's `value`), or undefined. */
  readonly value: readonly number[] | undefined;
}

/** A variance function as written: its class, covariate and strata. */
export interface VarianceSpec {
  readonly structure: VarianceName;
  /** Covariate, `"fitted(.)"` for the fitted values, or undefined (varIdent). */
  readonly covariate: string | undefined;
  /** Stratum variable (`| s`), or undefined. */
  readonly stratum: string | undefined;
}

/** Both kinds, as the library options accept them: an nlme string or the parsed object. */
export type CorrelationInput = string | CorrelationSpec;
/** A variance function as an nlme string or the parsed object. */
export type VarianceInput = string | VarianceSpec;

interface Call {
  name: string;
  positional: string[];
  named: Map<string, string>;
}

/** Split `name(a, b = c)` into its parts, keeping commas inside parentheses together. */
function splitCall(text: string, what: string): Call {
  const s = text.trim();
  const m = /^([A-Za-z][A-Za-z0-9_.]*)\s*\(([\s\S]*)\)$/.exec(s);
  if (!m) throw new MlmError(`The ${what} ${JSON.stringify(text)} is not a call such as corAR1(form = ~ time | group); write it as nlme does.`);
  const args: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of m[2]) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      args.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim() !== "") args.push(cur);
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const a of args) {
    const eq = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*=(?!=)([\s\S]*)$/.exec(a);
    if (eq) named.set(eq[1], eq[2].trim());
    else positional.push(a.trim());
  }
  return { name: m[1], positional, named };
}

/** `~ x | g` → { covariate: "x", group: "g" }; `~ 1 | g` → covariate undefined. */
function parseForm(form: string, call: string): { covariate: string | undefined; group: string | undefined } {
  const s = form.trim();
  if (!s.startsWith("~")) throw new MlmError(`The form of ${call} must be a one-sided formula such as ~ time | group, not ${JSON.stringify(form)}.`);
  const body = s.slice(1).trim();
  const bar = body.split("|");
  if (bar.length > 2) throw new MlmError(`The form of ${call} has more than one "|"; write ~ covariate | group.`);
  const lhs = bar[0].trim();
  const rhs = bar.length === 2 ? bar[1].trim() : undefined;
  const name = /^[A-Za-z.][A-Za-z0-9_.]*$/;
  let covariate: string | undefined;
  if (lhs === "1" || lhs === "") covariate = undefined;
  else if (/^fitted\s*\(\s*\.?\s*\)$/.test(lhs)) covariate = "fitted(.)";
  else if (name.test(lhs)) covariate = lhs;
  else throw new MlmError(`The covariate ${JSON.stringify(lhs)} in the form of ${call} must be a column name, 1 or fitted(.).`);
  if (rhs !== undefined && !name.test(rhs)) {
    throw new MlmError(`The grouping ${JSON.stringify(rhs)} in the form of ${call} must be one column name (make a column for nested or combined groups).`);
  }
  return { covariate, group: rhs };
}

function parseNumber(text: string, what: string): number {
  const v = Number(text);
  if (!Number.isFinite(v)) throw new MlmError(`${what} must be a number, not ${JSON.stringify(text)}.`);
  return v;
}

/** `c(0.2, 0.3)` or `0.5` → numbers. */
function parseValues(text: string, call: string): number[] {
  const m = /^c\s*\(([\s\S]*)\)$/.exec(text.trim());
  const parts = m ? m[1].split(",") : [text];
  return parts.map((p) => parseNumber(p.trim(), `The value of ${call}`));
}

function checkKnown(c: Call, allowed: readonly string[], call: string): void {
  for (const k of c.named.keys()) {
    if (k === "fixed") throw new MlmError(`${call}: fixed structure parameters are not supported; leave out fixed = ….`);
    if (!allowed.includes(k)) throw new MlmError(`${call} has an argument ${k} that mlm does not know; it accepts ${allowed.join(", ")}.`);
  }
}

const CORRELATIONS: readonly CorrelationName[] = ["corAR1", "corCAR1", "corARMA", "corCompSymm", "corSymm"];
const VARIANCES: readonly VarianceName[] = ["varIdent", "varPower", "varExp", "varConstPower"];

/**
 * Parse an nlme correlation call.
 *
 * @param text - for example `"corAR1(form = ~ Days | Subject)"`.
 * @returns the structure, its covariate, grouping and orders.
 * @throws MlmError for unknown structures, bad forms or orders.
 * @example
 * ```ts
 * parseCorrelation("corARMA(form = ~ 1 | Mare, p = 1, q = 1)");
 * // { structure: "corARMA", covariate: undefined, group: "Mare", p: 1, q: 1, value: undefined }
 * ```
 */
export function parseCorrelation(text: string): CorrelationSpec {
  const c = splitCall(text, "correlation structure");
  if (!CORRELATIONS.includes(c.name as CorrelationName)) {
    throw new MlmError(`The correlation structure ${c.name} is not one mlm fits; use ${CORRELATIONS.join(", ")}.`);
  }
  const structure = c.name as CorrelationName;
  checkKnown(c, ["form", "value", "p", "q"], structure);
  // nlme's positional order: value, form (corARMA: value, form, p, q)
  const valueText = c.named.get("value") ?? c.positional[0];
  const formText = c.named.get("form") ?? c.positional[1];
  const { covariate, group } = formText === undefined ? { covariate: undefined, group: undefined } : parseForm(formText, structure);
  if (covariate === "fitted(.)") throw new MlmError(`${structure} takes a position covariate, not fitted(.).`);
  let p = structure === "corAR1" || structure === "corCAR1" ? 1 : 0;
  let q = 0;
  if (structure === "corARMA") {
    const pt = c.named.get("p") ?? c.positional[2];
    const qt = c.named.get("q") ?? c.positional[3];
    p = pt === undefined ? 0 : parseNumber(pt, "corARMA's p");
    q = qt === undefined ? 0 : parseNumber(qt, "corARMA's q");
    if (!Number.isInteger(p) || !Number.isInteger(q) || p < 0 || q < 0) throw new MlmError("corARMA's p and q must be whole numbers of zero or more.");
    if (p + q === 0) throw new MlmError("corARMA needs p or q above zero, for example corARMA(form = ~ 1 | g, p = 1, q = 1).");
    if (p + q > 3) throw new MlmError(`corARMA with p + q = ${p + q} is not supported; mlm fits p + q up to 3.`);
  } else if (c.named.has("p") || c.named.has("q")) {
    throw new MlmError(`${structure} has no orders p and q; use corARMA for those.`);
  }
  const value = valueText === undefined || valueText === "numeric(0)" ? undefined : parseValues(valueText, structure);
  return { structure, covariate, group, p, q, value };
}

/**
 * Parse an nlme variance function call.
 *
 * @param text - for example `"varIdent(form = ~ 1 | Sex)"` or `"varPower()"`.
 * @returns the function, its covariate and stratum.
 * @throws MlmError for unknown functions or bad forms.
 * @example
 * ```ts
 * parseVariance("varPower()"); // { structure: "varPower", covariate: "fitted(.)", stratum: undefined }
 * ```
 */
export function parseVariance(text: string): VarianceSpec {
  const c = splitCall(text, "variance function");
  if (!VARIANCES.includes(c.name as VarianceName)) {
    throw new MlmError(`The variance function ${c.name} is not one mlm fits; use ${VARIANCES.join(", ")}.`);
  }
  const structure = c.name as VarianceName;
  checkKnown(c, ["form", "value"], structure);
  if (c.named.has("value")) throw new MlmError(`${structure}: starting values (value = …) are not supported; leave them out.`);
  // nlme's positional order: value, form
  const formText = c.named.get("form") ?? c.positional[1];
  const parsed = formText === undefined ? { covariate: structure === "varIdent" ? undefined : "fitted(.)", group: undefined } : parseForm(formText, structure);
  if (structure === "varIdent") {
    if (parsed.covariate !== undefined) throw new MlmError(`varIdent takes only strata, as in varIdent(form = ~ 1 | Sex).`);
    if (parsed.group === undefined) throw new MlmError(`varIdent needs strata, as in varIdent(form = ~ 1 | Sex).`);
  } else if (parsed.covariate === undefined) {
    throw new MlmError(`${structure} needs a covariate, as in ${structure}(form = ~ x), or no form for the fitted values.`);
  }
  return { structure, covariate: parsed.covariate, stratum: parsed.group };
}

/**
 * The form as nlme prints it: `~ Days | Subject`, `~ 1 | Mare`, `~ fitted(.)`.
 *
 * @param covariate - covariate or undefined for 1.
 * @param group - grouping or stratum, or undefined.
 * @returns the one-sided formula text.
 * @example
 * ```ts
 * formText("Days", "Subject"); // "~ Days | Subject"
 * ```
 */
export function formText(covariate: string | undefined, group: string | undefined): string {
  return `~ ${covariate ?? "1"}${group ? ` | ${group}` : ""}`;
}
