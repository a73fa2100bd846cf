/**
 * The model options of commands that fit a model before doing something with it (`mlm predict`,
 * `mlm simulate`, `mlm pooling`): `--ml`, `--family`, `--link`, `--nagq`, `--weights`, with the
 * meanings they have in `mlm fit`, and the fit itself.
 */
import { Option, type Command } from "commander";
import { MlmError, parseFormula, fitFrame, familyNames, modelFrame } from "../index.js";
import type { DataTable, LinkName, MixedModel } from "../index.js";
import type { CliIo } from "./cli-io.js";
import { fitProgress } from "./progress.js";

/** The parsed model options. */
export interface ModelOptions {
  readonly ml?: boolean;
  readonly family?: string;
  readonly link?: LinkName;
  readonly nagq?: string;
  readonly weights?: string;
}

/**
 * Adds the model options to a command.
 *
 * @param command - a data command.
 * @param gaussianOnly - true for commands that take linear models only (no `--family` etc.).
 * @returns the command.
 * @example
 * ```ts
 * import { Command } from "commander";
 * const command = addModelOptions(new Command("fit"));
 * command.options.map((o) => o.long); // ["--ml", "--family", "--link", "--nagq", "--weights"]
 * ```
 */
export function addModelOptions(command: Command, gaussianOnly = false): Command {
  command.option("--ml", "fit a linear model by maximum likelihood instead of REML");
  if (gaussianOnly) return command;
  return command
    .addOption(new Option("--family <family>", "response distribution").choices(familyNames()).default("gaussian"))
    .addOption(new Option("--link <link>", "link function (default: the family's canonical link: logit for binomial, log for poisson)").choices(["logit", "probit", "cloglog", "log", "identity", "inverse"]))
    .option("--nagq <n>", "quadrature points for a GLMM with one scalar random effect (1 = Laplace)")
    .option("--weights <column>", "prior weights: binomial trials when the response is a proportion; for a linear model, residual variance σ² / weight");
}

/**
 * Fits the model a command's options describe: a linear mixed model (REML, or ML with `--ml`)
 * or, with `--family`, a GLMM.
 *
 * @param table - the data.
 * @param formulaText - the formula.
 * @param options - the parsed model options.
 * @param io - where a long fit shows its progress (stderr on a terminal); none when omitted.
 * @param t0 - `performance.now()` when the command started (the model's `fitSeconds` counts from it).
 * @returns the fitted model.
 * @throws MlmError for bad options, formulas, data or models.
 * @example
 * ```ts
 * const m = fitFromOptions(sleepstudy, "Reaction ~ Days + (Days | Subject)", { ml: true });
 * m.method; // "ML"
 * m.logLik; // -875.97
 * ```
 */
export function fitFromOptions(table: DataTable, formulaText: string, options: ModelOptions, io?: CliIo, t0 = performance.now()): MixedModel {
  // a linear model refuses a categorical response (lme4's lmer does); a GLMM codes it 0/1
  const numericResponse = (options.family ?? "gaussian") === "gaussian";
  const frame = modelFrame(parseFormula(formulaText), table, { weights: options.weights, numericResponse });
  const nAGQ = options.nagq === undefined ? undefined : Number(options.nagq);
  if (nAGQ !== undefined && !Number.isInteger(nAGQ)) throw new MlmError(`--nagq takes a whole number, not '${options.nagq}'.`);
  const progress = io ? fitProgress(io) : undefined;
  const m = fitFrame(frame, { family: options.family, link: options.link, reml: options.ml ? false : undefined, nAGQ, onProgress: progress?.onProgress }, t0);
  progress?.done();
  return m;
}
