/**
 * The families the studio offers, as data: what each is for, its links (the first is the
 * default, as the library's registry has it), whether it takes adaptive quadrature, and which R
 * package fits it (lme4's glmer, or glmmTMB for the families with a dispersion parameter).
 */
import type { FamilyName, LinkChoice } from "./protocol.js";

export interface FamilyChoice {
  readonly name: FamilyName;
  readonly label: string;
  readonly links: readonly LinkChoice[];
  /** Whether nAGQ > 1 applies (families without a dispersion parameter). */
  readonly agq: boolean;
  /** The R package whose fit mlm agrees with. */
  readonly r: "lme4" | "glmmTMB";
}

export const FAMILIES: readonly FamilyChoice[] = [
  { name: "gaussian", label: "gaussian (linear mixed model)", links: [], agq: false, r: "lme4" },
  { name: "binomial", label: "binomial (0/1 or cbind(successes, failures))", links: ["logit", "probit", "cloglog"], agq: true, r: "lme4" },
  { name: "poisson", label: "poisson (counts)", links: ["log"], agq: true, r: "lme4" },
  { name: "nbinom2", label: "nbinom2 (overdispersed counts, variance μ + μ²/θ)", links: ["log"], agq: false, r: "glmmTMB" },
  { name: "nbinom1", label: "nbinom1 (overdispersed counts, variance μ(1 + α))", links: ["log"], agq: false, r: "glmmTMB" },
  { name: "Gamma", label: "Gamma (positive measurements: times, costs)", links: ["log", "inverse"], agq: false, r: "glmmTMB" },
];

/** The studio's description of a family (gaussian for an unknown name). */
export function familyChoice(name: FamilyName): FamilyChoice {
  return FAMILIES.find((f) => f.name === name) ?? FAMILIES[0];
}
