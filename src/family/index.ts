/**
 * The family registry with the built-in families loaded: import families from here.
 */
import "./gaussian.js";
import "./binomial.js";
import "./poisson.js";
import "./nbinom2.js";
import "./nbinom1.js";
import "./gamma.js";

export { makeFamily, familyNames, registerFamily, type Family, type FamilyDefinition, type FamilyName } from "./family.js";
export { getLink, type Link, type LinkName } from "./link.js";
export { muEta2, type DispersionFunctions } from "./dispersion.js";
