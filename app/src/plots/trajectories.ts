/**
 * Per-group trajectories (growth models): each group's observations against a predictor, its
 * fitted line (fixed + random effects) and the population line (fixed effects only), one small
 * panel per group for the first groups.
 */
import { dot, line, plot, text } from "@observablehq/plot";
import type { FitResult } from "../protocol.js";
import { panels, type PlotOptions } from "./common.js";

/** At most this many groups get a panel. */
export const MAX_TRAJECTORY_GROUPS = 24;

export function trajectoriesPlot(r: FitResult, predictor: string, options: PlotOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const g = r.rows.group!;
  const x = r.rows.numeric[predictor];
  const shown = g.levels.slice(0, MAX_TRAJECTORY_GROUPS);
  const cols = Math.min(6, shown.length);
  const rows: { x: number; y: number; fitted: number; population: number; level: string; fx: number; fy: number }[] = [];
  for (let i = 0; i < x.length; i++) {
    const k = g.refs[i];
    if (k >= shown.length || !Number.isFinite(x[i])) continue;
    rows.push({ x: x[i], y: r.rows.y[i], fitted: r.rows.fitted[i], population: r.rows.population[i], level: g.levels[k], fx: k % cols, fy: Math.floor(k / cols) });
  }
  rows.sort((a, b) => a.x - b.x);
  const labels = shown.map((level, k) => ({ level, fx: k % cols, fy: Math.floor(k / cols) }));
  const width = options.width ?? 760;
  return panels(doc, [
    plot({
      document: doc,
      width,
      height: Math.ceil(shown.length / cols) * 110 + 50,
      marginTop: 10,
      grid: true,
      fx: { axis: null, padding: 0.08 },
      fy: { axis: null, padding: 0.12 },
      x: { label: predictor, labelAnchor: "center" },
      y: { label: r.rows.response, labelAnchor: "center" },
      marks: [
        dot(rows, { x: "x", y: "y", fx: "fx", fy: "fy", r: 1.6, fill: "#555" }),
        line(rows, { x: "x", y: "population", fx: "fx", fy: "fy", z: "level", stroke: "#d62728", strokeDasharray: "4,3" }),
        line(rows, { x: "x", y: "fitted", fx: "fx", fy: "fy", z: "level", stroke: "#4269d0", strokeWidth: 1.5 }),
        text(labels, { fx: "fx", fy: "fy", text: (d: { level: string }) => `${g.name} ${d.level}`, frameAnchor: "top-left", dx: 3, dy: 3, fontSize: 10 }),
      ],
    }),
  ]);
}
