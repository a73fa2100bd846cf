/**
 * Caterpillar plot: the conditional modes of the random effects of the first grouping factor
 * with 95% intervals (mode ± 1.96 conditional SD, lme4's dotplot(ranef(fit, condVar = TRUE))),
 * levels sorted by their first effect; one panel per effect.
 */
import { axisY, dot, plot, ruleX, ruleY } from "@observablehq/plot";
import type { FitResult } from "../protocol.js";
import { panels, type PlotOptions } from "./common.js";

const Z = 1.959963984540054;

export function caterpillarPlot(r: FitResult, options: PlotOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const group = r.ranef[0]?.group;
  const rows = r.ranef.filter((d) => d.group === group);
  const terms = [...new Set(rows.map((d) => d.term))];
  const first = rows.filter((d) => d.term === terms[0]).sort((a, b) => a.condval - b.condval);
  const order = first.map((d) => d.level);
  const many = order.length > 60;
  const height = many ? 480 : Math.max(160, order.length * 14 + 60);
  const width = options.width ?? (terms.length > 1 ? 340 : 520);
  return panels(
    doc,
    terms.map((term, k) =>
      plot({
        document: doc,
        width,
        height,
        marginLeft: many || k > 0 ? 20 : 70,
        x: { label: `${term} (conditional mode ± 1.96 SD)`, grid: true, labelAnchor: "center" },
        y: { domain: order, label: k === 0 ? group : null, axis: null },
        marks: [
          k === 0 && !many ? axisY({ label: group, tickSize: 0 }) : null,
          ruleX([0], { stroke: "#888" }),
          ruleY(rows.filter((d) => d.term === term), { y: "level", x1: (d: { condval: number; condsd: number }) => d.condval - Z * d.condsd, x2: (d: { condval: number; condsd: number }) => d.condval + Z * d.condsd, stroke: "#4269d0", strokeOpacity: 0.7 }),
          dot(rows.filter((d) => d.term === term), { x: "condval", y: "level", fill: "#1b1b1b", r: many ? 1.5 : 2.5, tip: true, title: (d: { level: string; condval: number }) => `${group} ${d.level}: ${d.condval.toPrecision(4)}` }),
        ],
      }),
    ),
  );
}
