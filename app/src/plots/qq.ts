/**
 * Normal quantile plots of the residuals and of the random effects of the first grouping factor
 * (lme4's qqmath): points on the line mean the normal assumption fits.
 */
import { dot, line, plot } from "@observablehq/plot";
import type { FitResult } from "../protocol.js";
import { panels, qqPoints, type PlotOptions } from "./common.js";

function qqPanel(doc: Document, values: readonly number[], label: string, width: number): SVGSVGElement | HTMLElement {
  const points = qqPoints(values);
  // R's qqline: the line through the first and third quartiles
  const q = (p: number): number => points[Math.min(points.length - 1, Math.max(0, Math.round(p * (points.length - 1))))]?.sample ?? 0;
  const z = 0.6744897501960817;
  const slope = (q(0.75) - q(0.25)) / (2 * z);
  const mid = (q(0.75) + q(0.25)) / 2;
  const ends = points.length > 0 ? [points[0].theoretical, points[points.length - 1].theoretical] : [];
  return plot({
    document: doc,
    width,
    height: width * 0.85,
    grid: true,
    x: { label: "Normal quantile", labelAnchor: "center" },
    y: { label, labelAnchor: "center" },
    marks: [
      line(ends.map((t) => ({ t, v: mid + slope * t })), { x: "t", y: "v", stroke: "#d62728" }),
      dot(points, { x: "theoretical", y: "sample", r: 2, fill: "#4269d0", fillOpacity: points.length > 2000 ? 0.3 : 0.7 }),
    ],
  });
}

export function qqPlot(r: FitResult, options: PlotOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const group = r.ranef[0]?.group;
  const terms = [...new Set(r.ranef.filter((d) => d.group === group).map((d) => d.term))];
  const width = options.width ?? (terms.length > 1 ? 270 : 320);
  return panels(doc, [
    qqPanel(doc, r.rows.residuals, "Residual", width),
    ...terms.map((t) => qqPanel(doc, r.ranef.filter((d) => d.group === group && d.term === t).map((d) => d.condval), `Random effect: ${t} | ${group}`, width)),
  ]);
}
