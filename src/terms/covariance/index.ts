/**
 * The registry of covariance structures: one file each, looked up by glmmTMB's name.
 */
import { MlmError } from "../../errors.js";
import { diagonal } from "./diag.js";
import type { CovarianceStructure } from "./structure.js";
import { unstructured } from "./us.js";
import { cs } from "./cs.js";
import { ar1 } from "./ar1.js";
import { toep } from "./toep.js";

export type { CovarianceStructure, NaturalKind, NaturalParameter } from "./structure.js";

const STRUCTURES = new Map<string, CovarianceStructure>([
  [unstructured.name, unstructured],
  [diagonal.name, diagonal],
  [cs.name, cs],
  [ar1.name, ar1],
  [toep.name, toep],
]);

/**
 * Add a covariance structure to the registry (a new structure is one file that calls this).
 *
 * @param structure - the structure.
 * @example
 * ```ts
 * // a new structure's file calls this once; here the diagonal structure registers again
 * registerCovarianceStructure(covarianceStructure("diag"));
 * covarianceStructure("diag").name; // "diag"
 * ```
 */
export function registerCovarianceStructure(structure: CovarianceStructure): void {
  STRUCTURES.set(structure.name, structure);
}

/**
 * The covariance structure of a name.
 *
 * @param name - `us` (default) or `diag`, or a registered structure.
 * @returns the structure.
 * @throws MlmError for an unknown name.
 * @example
 * ```ts
 * covarianceStructure("diag").ntheta(2); // 2
 * ```
 */
export function covarianceStructure(name = "us"): CovarianceStructure {
  const s = STRUCTURES.get(name);
  if (!s) throw new MlmError(`Unknown covariance structure '${name}'; use one of ${[...STRUCTURES.keys()].join(", ")}.`);
  return s;
}
