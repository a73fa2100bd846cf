/**
 * The analysis as code: the `mlm` command line, and the equivalent R code with the package mlm
 * agrees with for that model: lme4 (+ lmerTest) by default, nlme's gls or lme for residual
 * correlation and variance structures, glmmTMB for the families with a dispersion parameter
 * (nbinom2, nbinom1, Gamma) and for random-effect covariance structures (us, diag, cs, ar1, toep).
 */
import { familyChoice } from "./families.js";
import { structured, type ModelSpec } from "./protocol.js";

function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A double-quoted shell word (formulas and nlme calls hold spaces, |, ~ and parentheses). */
function shellDouble(s: string): string {
  return `"${s.replace(/(["\\$`])/g, "\\$1")}"`;
}

function rString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A random-effects term of the formula: `prefix(expr | group)`, prefix a covariance structure or "". */
interface RandomTerm {
  readonly prefix: string;
  readonly expr: string;
  readonly bar: "|" | "||";
  readonly group: string;
}

/** The formula split into its fixed part and its random-effects terms (top-level parentheses holding a bar). */
export function splitFormula(formula: string): { fixed: string; random: RandomTerm[] } {
  const random: RandomTerm[] = [];
  let fixed = "";
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === "(") {
      let depth = 0;
      let j = i;
      for (; j < formula.length; j++) {
        if (formula[j] === "(") depth++;
        else if (formula[j] === ")" && --depth === 0) break;
      }
      const inner = formula.slice(i + 1, j);
      const prefix = /(us|diag|cs|ar1|toep)\s*$/.exec(fixed)?.[1] ?? "";
      const bar = /\|\|?/.exec(inner);
      if (bar && !inner.slice(0, bar.index).includes("(")) {
        if (prefix) fixed = fixed.replace(/(us|diag|cs|ar1|toep)\s*$/, "");
        random.push({ prefix, expr: inner.slice(0, bar.index).trim(), bar: bar[0] as "|" | "||", group: inner.slice(bar.index + bar[0].length).trim() });
        fixed += "§";
        i = j + 1;
        continue;
      }
      fixed += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    fixed += ch;
    i++;
  }
  // drop the placeholders with the + before (or after) them
  // (§ marks where a random term was: no formula holds it)
  let f = fixed.replace(/\s*\+\s*§/g, "").replace(/§\s*\+\s*/g, "").replace(/§/g, "");
  f = f.replace(/~\s*$/, "~ 1").trim();
  return { fixed: f, random };
}

/** Whether the formula writes a covariance structure (glmmTMB syntax). */
function hasCovarianceStructure(formula: string): boolean {
  return splitFormula(formula).random.some((t) => t.prefix !== "");
}

/** Which R package the spec's R code uses. */
export function rPackage(spec: ModelSpec): "lme4" | "nlme" | "glmmTMB" {
  if (structured(spec)) return "nlme";
  if (familyChoice(spec.family).r === "glmmTMB" || hasCovarianceStructure(spec.formula)) return "glmmTMB";
  return "lme4";
}

/** The label of the R code block. */
export function rCodeLabel(spec: ModelSpec): string {
  const pkg = rPackage(spec);
  return pkg === "nlme" ? "R nlme code" : pkg === "glmmTMB" ? "R glmmTMB code" : "R lme4 code";
}

function familyOptions(spec: ModelSpec, withAgq: boolean): string[] {
  const parts: string[] = [];
  if (spec.family === "gaussian") return parts;
  parts.push("--family", spec.family);
  if (spec.link !== "default") parts.push("--link", spec.link);
  if (withAgq && familyChoice(spec.family).agq && spec.nAGQ !== 1) parts.push("--nagq", String(spec.nAGQ));
  return parts;
}

/** `mlm fit DATA FORMULA [options]`. */
export function mlmCommand(file: string, factors: readonly string[], spec: ModelSpec): string {
  const parts = ["mlm", "fit", shellQuote(file), shellDouble(spec.formula)];
  for (const f of factors) parts.push("--factor", shellQuote(f));
  if (spec.family === "gaussian") {
    if (!spec.reml) parts.push("--ml");
    if (structured(spec)) {
      if (spec.correlation.trim()) parts.push("--correlation", shellDouble(spec.correlation.trim()));
      if (spec.variance.trim()) parts.push("--variance", shellDouble(spec.variance.trim()));
      if (spec.ddf === "satterthwaite") parts.push("--ddf", "satterthwaite");
    } else if (spec.ddf !== "satterthwaite") parts.push("--ddf", spec.ddf);
  } else parts.push(...familyOptions(spec, true));
  return parts.join(" ");
}

/** `mlm compare DATA F1 F2 ...` for the models compared (one residual structure, on the last formula, as `mlm compare` takes it). */
export function mlmCompareCommand(file: string, factors: readonly string[], specs: readonly ModelSpec[]): string {
  const parts = ["mlm", "compare", shellQuote(file), ...specs.map((s) => shellDouble(s.formula))];
  for (const f of factors) parts.push("--factor", shellQuote(f));
  const withStructure = specs.filter(structured);
  if (withStructure.length > 0) {
    const last = withStructure[0];
    const plain = specs.filter((s) => !structured(s));
    const one = withStructure.every((s) => s.correlation === last.correlation && s.variance === last.variance && s.reml === last.reml) && withStructure.length === 1;
    if (!one) return [`# mlm compare fits one residual structure (on the last formula); these models differ in theirs, so fit each one:`, ...specs.map((s) => mlmCommand(file, factors, s))].join("\n");
    // the model with the structure goes last; one formula when it is the other model's too
    const formulas = plain.length === 1 && plain[0].formula === last.formula ? [last.formula] : [...plain.map((s) => s.formula), last.formula];
    const out = ["mlm", "compare", shellQuote(file), ...formulas.map(shellDouble)];
    for (const f of factors) out.push("--factor", shellQuote(f));
    if (!last.reml) out.push("--ml");
    if (last.correlation.trim()) out.push("--correlation", shellDouble(last.correlation.trim()));
    if (last.variance.trim()) out.push("--variance", shellDouble(last.variance.trim()));
    return out.join(" ");
  }
  const s = specs[0];
  if (s) parts.push(...familyOptions(s, false));
  return parts.join(" ");
}

function readCall(file: string): string {
  const ext = /\.([^.]+)$/.exec(file.toLowerCase())?.[1];
  if (ext === "tsv" || ext === "tab") return `read.delim(${rString(file)})`;
  if (ext === "json") return `jsonlite::fromJSON(${rString(file)})`;
  if (ext === "parquet" || ext === "pq") return `as.data.frame(arrow::read_parquet(${rString(file)}))`;
  return `read.csv(${rString(file)})`;
}

/** nlme's `random =` argument for the formula's random-effects terms. */
function nlmeRandom(terms: readonly RandomTerm[]): string {
  const one = (t: RandomTerm): string => (t.bar === "||" ? `pdDiag(~ ${t.expr})` : `~ ${t.expr}`);
  if (terms.length === 1) return terms[0].bar === "||" ? `list(${terms[0].group} = ${one(terms[0])})` : `~ ${terms[0].expr} | ${terms[0].group}`;
  // nlme nests the groups of a list in order, outermost first
  return `list(${terms.map((t) => `${t.group} = ${one(t)}`).join(", ")})`;
}

/** The R family of a glmmTMB or glmer call. */
function rFamily(spec: ModelSpec): string {
  const link = spec.link === "default" ? familyChoice(spec.family).links[0] : spec.link;
  if (spec.family === "nbinom2" || spec.family === "nbinom1") return spec.link === "default" ? spec.family : `${spec.family}(link = ${rString(link)})`;
  // R's Gamma() defaults to the inverse link, mlm's to log: always name it
  if (spec.family === "Gamma") return `Gamma(link = ${rString(link)})`;
  return spec.link === "default" ? spec.family : `${spec.family}(link = ${rString(spec.link)})`;
}

function fitCall(spec: ModelSpec, pkg = rPackage(spec)): string {
  if (pkg === "nlme") {
    const { fixed, random } = splitFormula(spec.formula);
    const args = [fixed];
    if (random.length > 0) args.push(`random = ${nlmeRandom(random)}`);
    args.push("data = d");
    if (spec.correlation.trim()) args.push(`correlation = ${spec.correlation.trim()}`);
    if (spec.variance.trim()) args.push(`weights = ${spec.variance.trim()}`);
    args.push(`method = ${rString(spec.reml ? "REML" : "ML")}`);
    return `${random.length > 0 ? "lme" : "gls"}(${args.join(", ")})`;
  }
  if (pkg === "glmmTMB") {
    const fam = spec.family === "gaussian" ? "gaussian" : rFamily(spec);
    return `glmmTMB(${spec.formula}, data = d, family = ${fam}${spec.family === "gaussian" && spec.reml ? ", REML = TRUE" : ""})`;
  }
  if (spec.family === "gaussian") return `lmer(${spec.formula}, data = d${spec.reml ? "" : ", REML = FALSE"})`;
  return `glmer(${spec.formula}, data = d, family = ${rFamily(spec)}${spec.nAGQ !== 1 ? `, nAGQ = ${spec.nAGQ}` : ""})`;
}

function header(file: string, factors: readonly string[], libraries: readonly string[]): string[] {
  const lines = libraries.map((l) => `library(${l})`);
  lines.push(`d <- ${readCall(file)}`);
  for (const f of factors) lines.push(`d[[${rString(f)}]] <- factor(d[[${rString(f)}]])`);
  return lines;
}

/** R code that reads the data, fits the same model (lme4, nlme or glmmTMB) and prints what the studio shows. */
export function rCode(file: string, factors: readonly string[], spec: ModelSpec, name = "fit"): string {
  const pkg = rPackage(spec);
  if (pkg === "nlme") {
    const satterthwaite = spec.ddf === "satterthwaite";
    const lines = header(file, factors, satterthwaite ? ["nlme", "emmeans"] : ["nlme"]);
    const { random } = splitFormula(spec.formula);
    const gls = random.length === 0;
    // emmeans pairs the data's rows, in their order, with nlme's, which nlme sorts by its groups
    const groups = /\|\s*([A-Za-z.][\w.]*)/.exec(spec.correlation)?.[1] ?? (gls ? undefined : random[0].group);
    if (satterthwaite && groups && /^[A-Za-z.][\w.]*$/.test(groups)) lines.push(`d <- d[order(d[[${rString(groups)}]]), ]  # emmeans pairs the data's rows with nlme's, which nlme sorts by ${groups}`);
    lines.push(`${name} <- ${fitCall(spec)}`);
    lines.push(`summary(${name})  # Correlation Structure and Variance function blocks, t tests with nlme's df`);
    if (satterthwaite) {
      // nlme reports no Satterthwaite df; emmeans computes them from nlme's apVar
      lines.push(`# nlme has no Satterthwaite df; emmeans's are the nearest R gives${gls ? "" : " (for lme an approximation from refits, \"appx-satterthwaite\", so they differ a little)"}`);
      lines.push(`rg <- ref_grid(${name}, mode = "satterthwaite")`);
      lines.push(`sapply(seq_along(rg@bhat), function(j) rg@dffun(replace(numeric(length(rg@bhat)), j, 1), rg@dfargs))  # each coefficient's df, as in the table`);
    }
    lines.push(`intervals(${name})  # 95% intervals of the fixed effects${satterthwaite ? " (with nlme's df)" : ""} and the structure parameters`);
    return lines.join("\n");
  }
  if (pkg === "glmmTMB") {
    const lines = header(file, factors, ["glmmTMB"]);
    lines.push(`${name} <- ${fitCall(spec)}`);
    lines.push(`summary(${name})`);
    if (spec.family !== "gaussian" && familyChoice(spec.family).r === "glmmTMB") lines.push(`sigma(${name})  # the dispersion shown in the summary`);
    if (hasCovarianceStructure(spec.formula)) lines.push(`VarCorr(${name})  # the structured covariances; ρ of ar1/cs terms is the first correlation`);
    lines.push(`confint(${name}, method = "wald")  # the table's 95% Wald intervals`);
    return lines.join("\n");
  }
  const lines = ["library(lme4)"];
  const lmm = spec.family === "gaussian";
  if (lmm && spec.ddf !== "none") lines.push("library(lmerTest)  # t tests with Satterthwaite or Kenward-Roger df");
  lines.push(...header(file, factors, []));
  lines.push(`${name} <- ${fitCall(spec)}`);
  const t = lmm && spec.ddf !== "none";
  const ddf = spec.ddf === "kenward-roger" ? `, ddf = "Kenward-Roger"` : "";
  lines.push(`summary(${name}${ddf})`);
  if (t) {
    lines.push(`s <- coef(summary(${name}${ddf}))  # the Fixed effects table`);
    lines.push(`cbind(s, lower = s[, "Estimate"] - qt(0.975, s[, "df"]) * s[, "Std. Error"], upper = s[, "Estimate"] + qt(0.975, s[, "df"]) * s[, "Std. Error"])`);
  } else {
    lines.push(`confint(${name}, parm = "beta_", method = "Wald")  # the table's 95% intervals`);
  }
  lines.push(`confint(${name})  # profile intervals; method = "boot" for the bootstrap`);
  return lines.join("\n");
}

/** R code of the likelihood-ratio comparison of several models. */
export function rCompareCode(file: string, factors: readonly string[], specs: readonly ModelSpec[]): string {
  const nlme = specs.some(structured);
  const tmb = !nlme && specs.some((s) => rPackage(s) === "glmmTMB");
  if (nlme) {
    const lines = header(file, factors, ["nlme"]);
    // models without a structure are fitted by gls or lme too, as the studio does
    specs.forEach((s, i) => lines.push(`fit${i + 1} <- ${fitCall(s, "nlme")}`));
    lines.push(`anova(${specs.map((_, i) => `fit${i + 1}`).join(", ")})  # nlme's likelihood-ratio tests, by each fit's own method`);
    return lines.join("\n");
  }
  const lines = header(file, factors, [tmb ? "glmmTMB" : "lme4"]);
  // the likelihood-ratio test compares ML fits (lme4's anova refits REML ones; glmmTMB's are fitted by ML)
  specs.forEach((s, i) => lines.push(`fit${i + 1} <- ${tmb ? fitCall({ ...s, reml: false }, "glmmTMB") : fitCall(s)}`));
  lines.push(`anova(${specs.map((_, i) => `fit${i + 1}`).join(", ")})${tmb ? "  # likelihood-ratio tests of the ML fits" : "  # refits REML models by ML, as mlm does"}`);
  return lines.join("\n");
}
