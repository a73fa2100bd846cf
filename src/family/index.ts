/**
 * The family registry with the built-in families loaded: import families from here.
 */
import "./gaussian.js";
import "./binomial.js";
import "./poisson.js";

export { makeFamily, familyNames, registerFamily, type Family, type FamilyDefinition, type FamilyName } from "./family.js";
export { getLink, type Link, type LinkName } from "./link.js";
