/**
 * The commands of `mlm`. A new command is one file in this folder exporting a
 * {@link RegisterCommand}, plus one line in {@link COMMANDS}.
 */
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { registerDescribe } from "./describe.js";
import { registerFit } from "./fit.js";
import { registerCompare } from "./compare.js";
import { registerConfint } from "./confint.js";
import { registerPooling } from "./pooling.js";
import { registerPredict } from "./predict.js";
import { registerSimulate } from "./simulate.js";
import { registerMeans } from "./means.js";
import { registerTidy, registerGlance, registerAugment } from "./tidy.js";
import { registerTable } from "./table.js";
import { registerCheck } from "./check.js";

/** Adds one subcommand (with its action) to the `mlm` program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every command, in the order `mlm --help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerDescribe,
  registerFit,
  registerCompare,
  registerConfint,
  registerPredict,
  registerSimulate,
  registerPooling,
  registerMeans,
  registerTidy,
  registerGlance,
  registerAugment,
  registerTable,
  registerCheck,
];
