/**
 * `mlm predict DATA FORMULA --newdata FILE`: fit the model, then predict it on the rows of
 * another file (lme4's `predict(fit, newdata, allow.new.levels = TRUE)`), optionally without the
 * random effects (`--re-form none`) and with confidence or prediction intervals; with
 * `--correlation` or `--variance`, nlme's predict() of the gls or lme fit (level 0 with
 * `--re-form none`, level 1 otherwise), with the intervals of predictResidual.
 */
import { Option, type Command } from "commander";
import { MlmError, predict, predictResidual, type Message, type Prediction } from "../../index.js";
import { formatSignificant as fmt, formatTable as table } from "../../text.js";
import { readTable } from "../../io/read-table.js";
import { printMessages, type CliIo } from "../cli-io.js";
import { dataCommand, loadData, readOptions, type DataOptions } from "../data-options.js";
import { addModelOptions, fitFromOptions, type ModelOptions } from "../model-options.js";
import { addResidualOptions, fitResidualFromOptions, hasResidualStructure, type ResidualOptions } from "../residual-options.js";

/** Options of `mlm predict`. */
export interface PredictCliOptions extends DataOptions, ModelOptions, ResidualOptions {
  readonly newdata: string;
  readonly reForm?: "none";
  readonly interval?: "confidence" | "prediction";
  readonly level: string;
  readonly type: "response" | "link";
}

/**
 * Registers `mlm predict` on the program.
 *
 * Text output is one row per new-data row (fit, and lower and upper with `--interval`), notes go
 * to stderr; with `--json` stdout holds `{ "predictions": [{ fit, lower, upper }], "messages": [...] }`
 * in new-data row order, `null` where a predictor is missing.
 *
 * @param program - the `mlm` program.
 * @param io - where to write.
 * @example
 * ```ts
 * import { memoryIo } from "../cli-io.js";
 * import { main } from "../main.js";
 * const io = memoryIo();
 * await main(["predict", dataFile("sleepstudy.csv"), "Reaction ~ Days + (Days | Subject)", "--newdata", dataFile("sleepstudy.csv"), "--json"], io); // 0
 * JSON.parse(io.out()).predictions.slice(0, 2); // [{ fit: 253.664 }, { fit: 273.330 }]
 * ```
 */
export function registerPredict(program: Command, io: CliIo): void {
  const command = dataCommand(program, {
    name: "predict",
    summary: "fit a model and predict it on new data",
    examples: [
      'predict sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --newdata new.csv',
      'predict sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --newdata new.csv --re-form none --interval confidence --json',
      'predict cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial --factor period --newdata new.csv --type link',
    ],
  })
    .requiredOption("--newdata <file>", "the rows to predict (.csv, .tsv, .json or .parquet): predictors and grouping factors")
    .addOption(new Option("--re-form <form>", "'none': population predictions without random effects (lme4's re.form = NA)").choices(["none"]))
    .addOption(new Option("--interval <kind>", "add an interval for the mean (confidence) or a new observation (prediction)").choices(["confidence", "prediction"]))
    .option("--level <p>", "coverage of the intervals", "0.95")
    .addOption(new Option("--type <type>", "scale of GLMM predictions: response (μ) or link (η)").choices(["response", "link"]).default("response"));
  addResidualOptions(addModelOptions(command)).action(async (data: string, formulaText: string, options: PredictCliOptions) => {
    const level = Number(options.level);
    if (options.level.trim() === "" || !(level > 0 && level < 1)) {
      throw new MlmError(`--level takes a number between 0 and 1 (e.g. 0.95), not '${options.level}'.`);
    }
    const train = await loadData(data, options, io);
    const newdata = await readTable(options.newdata, { ...readOptions(options), format: undefined });
    // nlme's predict() for residual structures: population (--re-form none, level 0) or with the groups' effects (level 1)
    let fitMessages: readonly Message[];
    let result: Prediction;
    if (hasResidualStructure(options)) {
      const r = fitResidualFromOptions(train, formulaText, options);
      fitMessages = r.messages;
      result = predictResidual(r, newdata, { reForm: options.reForm, interval: options.interval, level, factors: options.factor });
    } else {
      const m = fitFromOptions(train, formulaText, options, io);
      fitMessages = m.messages;
      result = predict(m, newdata, { reForm: options.reForm, interval: options.interval, level, type: options.type, factors: options.factor });
    }
    const rows = result.fit.map((fit, i) =>
      result.lower && result.upper ? { fit, lower: result.lower[i], upper: result.upper[i] } : { fit },
    );
    if (options.json) {
      io.stdout(`${JSON.stringify({ predictions: rows, messages: result.messages }, null, 2)}\n`);
      return;
    }
    const header = options.interval ? ["row", "fit", "lower", "upper"] : ["row", "fit"];
    const body = rows.map((r, i) => [String(i + 1), ...Object.values(r).map((x: number) => fmt(x, 6))]);
    io.stdout(`${table([header, ...body]).join("\n")}\n`);
    if (options.interval) {
      io.stdout(`\n${Math.round(level * 1000) / 10}% ${options.interval} intervals (normal approximation; see mlm's predict documentation).\n`);
    }
    printMessages(io, [...fitMessages, ...result.messages]);
  });
}
