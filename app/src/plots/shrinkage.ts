/**
 * Shrinkage plot (from the library's `pooling`): for each coefficient, every group's no-pooling
 * estimate (its own regression) against its partial-pooling estimate (the mixed model's coef()),
 * dots sized by the group's rows; the dashed diagonal is "no shrinkage", the horizontal line the
 * complete-pooling estimate every group would get if the grouping were ignored.
 */
import { dot, line, plot, ruleY } from "@observablehq/plot";
import type { PoolingResult } from "../protocol.js";
import { panels, type PlotOptions } from "./common.js";

/**
 * @param pl - the pooling estimates.
 * @param random - the coefficients that have random effects (the plot shows those).
 * @returns the plot, or why there is none (no group has its own regression estimate).
 */
export function shrinkagePlot(pl: PoolingResult, random: readonly string[], options: PlotOptions = {}): HTMLElement | string {
  const doc = options.document ?? document;
  const shown = pl.coefficients.map((name, j) => ({ name, j })).filter((c) => random.includes(c.name));
  if (!pl.groups.some((g) => g.none !== null)) {
    return `No ${pl.group} has a regression of its own (no pooling), so there is nothing to shrink: ${pl.messages.join(" ")} A model without predictors that are constant within ${pl.group} has them.`;
  }
  const width = options.width ?? (shown.length > 1 ? 340 : 480);
  return panels(
    doc,
    shown.map(({ name, j }) => {
      const points = pl.groups.filter((g) => g.none !== null).map((g) => ({ level: g.level, n: g.n, none: g.none![j], partial: g.partial[j] }));
      const xs = points.flatMap((p) => [p.none, p.partial]);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return plot({
        document: doc,
        width,
        height: width,
        grid: true,
        x: { label: `No pooling: ${name}`, labelAnchor: "center" },
        y: { label: `Partial pooling: ${name}`, labelAnchor: "center" },
        r: { range: [1.5, 7] },
        marks: [
          line([{ x: lo, y: lo }, { x: hi, y: hi }], { x: "x", y: "y", stroke: "#999", strokeDasharray: "4,3" }),
          ruleY([pl.complete[j]], { stroke: "#d62728", strokeWidth: 1.5 }),
          dot(points, { x: "none", y: "partial", r: "n", fill: "#4269d0", fillOpacity: 0.55, stroke: "white", strokeWidth: 0.5, tip: true, title: (p: { level: string; n: number }) => `${pl.group} ${p.level} (${p.n} rows)` }),
        ],
      });
    }),
  );
}
