// Derivative-free bounded optimisation: the public surface of src/optim.
export { bobyqa } from "./bobyqa.js";
export type { BobyqaOptions, OptimResult } from "./bobyqa.js";
export { InterpolationSystem } from "./interpolation-system.js";
export { trustRegionStep, TrustRegionWork } from "./trust-region-step.js";
export { geometryStep, GeometryWork } from "./geometry-step.js";
export { newtonPolish } from "./newton-polish.js";
export type { PolishOptions, PolishResult } from "./newton-polish.js";
