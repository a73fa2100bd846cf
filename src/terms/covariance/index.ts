/**
 * The registry of covariance structures: one file each (us, diag, cs, ar1, toep).
 */
import { MlmError } from "../../errors.js";
import { ar1 } from "./ar1.js";
import { cs } from "./cs.js";
import { diag } from "./diag.js";
import type { CovarianceStructure, CovStructureName } from "./structure.js";
import { toep } from "./toep.js";
import { us } from "./us.js";

export type { CovarianceStructure, CovStructureName, NaturalParameter } from "./structure.js";

const registry: Record<CovStructureName, CovarianceStructure> = { us, diag, cs, ar1, toep };

/**
 * The covariance structure of a name.
 *
 * @param name - us, diag, cs, ar1 or toep.
 * @returns the structure.
 * @throws MlmError for an unknown name.
 * @example
 * ```ts
 * covarianceStructure("ar1").ntheta(5); // 2
 * ```
 */
export function covarianceStructure(name: CovStructureName): CovarianceStructure {
  const s = registry[name];
  if (!s) throw new MlmError(`Unknown covariance structure '${String(name)}'; use us, diag, cs, ar1 or toep.`);
  return s;
}
