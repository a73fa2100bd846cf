/**
 * Predictions against a chosen predictor by group: every group's fitted values as a line (fixed
 * plus random effects), over the population predictions (fixed effects only) in red.
 */
import { dot, line, plot } from "@observablehq/plot";
import type { FitResult } from "../protocol.js";
import { panels, type PlotOptions } from "./common.js";

/** Whether the population predictions are one function of x (so they can be drawn as one line). */
function oneLine(x: readonly number[], pop: readonly number[]): boolean {
  const seen = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const v = seen.get(x[i]);
    if (v === undefined) seen.set(x[i], pop[i]);
    else if (Math.abs(v - pop[i]) > 1e-8 * (1 + Math.abs(v))) return false;
  }
  return true;
}

export function predictionsPlot(r: FitResult, predictor: string, options: PlotOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const g = r.rows.group;
  const x = r.rows.numeric[predictor];
  const rows = x
    .map((xi, i) => ({ x: xi, fitted: r.rows.fitted[i], population: r.rows.population[i], level: g ? g.levels[g.refs[i]] : "all" }))
    .filter((d) => Number.isFinite(d.x))
    .sort((a, b) => a.x - b.x);
  const many = (g?.levels.length ?? 1) > 40;
  const popAsLine = oneLine(rows.map((d) => d.x), rows.map((d) => d.population));
  return panels(doc, [
    plot({
      document: doc,
      width: options.width ?? 620,
      height: 380,
      grid: true,
      x: { label: predictor, labelAnchor: "center" },
      y: { label: `Predicted ${r.rows.response}`, labelAnchor: "center" },
      marks: [
        line(rows, { x: "x", y: "fitted", z: "level", stroke: "#4269d0", strokeOpacity: many ? 0.25 : 0.55, strokeWidth: 1 }),
        popAsLine
          ? line(rows, { x: "x", y: "population", stroke: "#d62728", strokeWidth: 2.5 })
          : dot(rows, { x: "x", y: "population", r: 1.2, fill: "#d62728", fillOpacity: 0.5 }),
      ],
    }),
  ]);
}
