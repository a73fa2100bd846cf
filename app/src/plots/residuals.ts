/** Residuals against fitted values (lme4's plot(fit)): the spread should not change with the fitted value. */
import { dot, plot, ruleY } from "@observablehq/plot";
import type { FitResult } from "../protocol.js";
import { panels, type PlotOptions } from "./common.js";

export function residualsPlot(r: FitResult, options: PlotOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const points = r.rows.fitted.map((f, i) => ({ fitted: f, residual: r.rows.residuals[i] }));
  return panels(doc, [
    plot({
      document: doc,
      width: options.width ?? 520,
      height: 340,
      grid: true,
      x: { label: "Fitted value", labelAnchor: "center" },
      y: { label: "Residual (observed − fitted)", labelAnchor: "center" },
      marks: [ruleY([0], { stroke: "#888" }), dot(points, { x: "fitted", y: "residual", r: 2, fill: "#4269d0", fillOpacity: points.length > 2000 ? 0.25 : 0.6 })],
    }),
  ]);
}
