/**
 * The analysis as code: the `mlm` command line and the equivalent R lme4 (+ lmerTest) code.
 */
import type { ModelSpec } from "./protocol.js";

function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function rString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `mlm fit DATA FORMULA [options]`. */
export function mlmCommand(file: string, factors: readonly string[], spec: ModelSpec): string {
  const parts = ["mlm", "fit", shellQuote(file), `"${spec.formula.replace(/(["\\$`])/g, "\\$1")}"`];
  for (const f of factors) parts.push("--factor", shellQuote(f));
  if (spec.family === "gaussian") {
    if (!spec.reml) parts.push("--ml");
    if (spec.ddf !== "satterthwaite") parts.push("--ddf", spec.ddf);
  } else {
    parts.push("--family", spec.family);
    if (spec.link !== "default") parts.push("--link", spec.link);
    if (spec.nAGQ !== 1) parts.push("--nagq", String(spec.nAGQ));
  }
  return parts.join(" ");
}

/** `mlm compare DATA F1 F2 ...` for the models compared. */
export function mlmCompareCommand(file: string, factors: readonly string[], specs: readonly ModelSpec[]): string {
  const parts = ["mlm", "compare", shellQuote(file), ...specs.map((s) => `"${s.formula.replace(/(["\\$`])/g, "\\$1")}"`)];
  for (const f of factors) parts.push("--factor", shellQuote(f));
  const s = specs[0];
  if (s && s.family !== "gaussian") {
    parts.push("--family", s.family);
    if (s.link !== "default") parts.push("--link", s.link);
  }
  return parts.join(" ");
}

function readCall(file: string): string {
  const ext = /\.([^.]+)$/.exec(file.toLowerCase())?.[1];
  if (ext === "tsv" || ext === "tab") return `read.delim(${rString(file)})`;
  if (ext === "json") return `jsonlite::fromJSON(${rString(file)})`;
  if (ext === "parquet" || ext === "pq") return `as.data.frame(arrow::read_parquet(${rString(file)}))`;
  return `read.csv(${rString(file)})`;
}

function fitCall(spec: ModelSpec): string {
  if (spec.family === "gaussian") return `lmer(${spec.formula}, data = d${spec.reml ? "" : ", REML = FALSE"})`;
  const link = spec.link === "default" ? "" : `(link = ${rString(spec.link)})`;
  return `glmer(${spec.formula}, data = d, family = ${spec.family}${link}${spec.nAGQ !== 1 ? `, nAGQ = ${spec.nAGQ}` : ""})`;
}

/** R code that reads the data, fits the same model with lme4 and prints what the studio shows. */
export function rCode(file: string, factors: readonly string[], spec: ModelSpec, name = "fit"): string {
  const lines = ["library(lme4)"];
  const lmm = spec.family === "gaussian";
  if (lmm && spec.ddf !== "none") lines.push("library(lmerTest)  # t tests with Satterthwaite or Kenward-Roger df");
  lines.push(`d <- ${readCall(file)}`);
  for (const f of factors) lines.push(`d[[${rString(f)}]] <- factor(d[[${rString(f)}]])`);
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
  const lines = ["library(lme4)", `d <- ${readCall(file)}`];
  for (const f of factors) lines.push(`d[[${rString(f)}]] <- factor(d[[${rString(f)}]])`);
  specs.forEach((s, i) => lines.push(`fit${i + 1} <- ${fitCall(s)}`));
  lines.push(`anova(${specs.map((_, i) => `fit${i + 1}`).join(", ")})  # refits REML models by ML, as mlm does`);
  return lines.join("\n");
}
