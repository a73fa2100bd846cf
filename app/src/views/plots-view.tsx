/** The plots view: each plot of the model shown, built by a plot function, with SVG and PNG export. */
import { useEffect, useRef } from "preact/hooks";
import { setPlotPredictor } from "../actions.js";
import { exportPng, exportSvg } from "../export.js";
import type { FitResult } from "../protocol.js";
import type { State } from "../store.js";
import { caterpillarPlot } from "../plots/caterpillar.js";
import { predictorChoices, predictorOf } from "../plots/common.js";
import { predictionsPlot } from "../plots/predictions.js";
import { qqPlot } from "../plots/qq.js";
import { residualsPlot } from "../plots/residuals.js";
import { shrinkagePlot } from "../plots/shrinkage.js";
import { MAX_TRAJECTORY_GROUPS, trajectoriesPlot } from "../plots/trajectories.js";

interface FigureProps {
  readonly id: string;
  readonly title: string;
  readonly about: string;
  /** Builds the plot, or says why there is none. */
  readonly build: () => HTMLElement | string;
  readonly deps: readonly unknown[];
}

function Figure(props: FigureProps) {
  const host = useRef<HTMLDivElement>(null);
  const made = useRef<HTMLElement | string | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let built: HTMLElement | string;
    try {
      built = props.build();
    } catch (error) {
      built = `This plot could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    }
    made.current = built;
    el.replaceChildren(typeof built === "string" ? Object.assign(document.createElement("p"), { className: "hint", textContent: built }) : built);
  }, props.deps);
  const container = (): HTMLElement | null => (made.current && typeof made.current !== "string" ? made.current : null);
  return (
    <figure class="plot" aria-labelledby={`${props.id}-title`} data-plot={props.id}>
      <figcaption>
        <h3 id={`${props.id}-title`}>{props.title}</h3>
        <p class="hint">{props.about}</p>
        <span class="plot-actions">
          <button type="button" class="small" aria-label={`Export ${props.title} as SVG`} onClick={() => container() && exportSvg(container()!, props.id)}>
            SVG
          </button>
          <button type="button" class="small" aria-label={`Export ${props.title} as PNG`} onClick={() => container() && void exportPng(container()!, props.id)}>
            PNG
          </button>
        </span>
      </figcaption>
      <div ref={host} class="plot-host" />
    </figure>
  );
}

export function PlotsView({ s }: { s: State }) {
  const entry = s.models.find((m) => m.id === s.activeId);
  const r: FitResult | undefined = entry?.result;
  if (!r) return <p class="hint">Fit a model to see its plots here.</p>;
  const choices = predictorChoices(r);
  const x = predictorOf(r, s.plotPredictor);
  const g = r.rows.group;
  return (
    <div class="plots">
      <p class="hint">
        Plots of <code>{r.formula}</code>
        {g ? `; random effects of ${g.name}.` : "."}
      </p>
      {choices.length > 0 && (
        <div class="predictor">
          <label class="field" for="predictor">
            Predictor on the x axis
          </label>
          <select id="predictor" value={x ?? ""} onChange={(e) => setPlotPredictor(e.currentTarget.value)} aria-describedby="predictor-hint">
            {choices.map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
          <span id="predictor-hint" class="hint">
            for the trajectory and prediction plots
          </span>
        </div>
      )}
      <Figure id="caterpillar" title="Random effects (caterpillar plot)" about="Each group's conditional mode with a 95% interval, sorted; groups whose interval misses 0 differ from the average." build={() => (r.ranef.length ? caterpillarPlot(r) : "The model has no random effects.")} deps={[r]} />
      <Figure
        id="shrinkage"
        title="Shrinkage: no pooling against partial pooling"
        about="One dot per group (area: rows in the group). On the dashed diagonal there is no shrinkage; the red line is complete pooling. Small groups are pulled furthest towards it."
        build={() => ("unavailable" in r.pooling ? r.pooling.unavailable : shrinkagePlot(r.pooling, [...new Set(r.ranef.map((d) => d.term))]))}
        deps={[r]}
      />
      <Figure id="residuals" title="Residuals against fitted values" about="The spread should look the same from left to right, without curves." build={() => residualsPlot(r)} deps={[r]} />
      <Figure id="qq" title="Normal quantile plots" about="Residuals, then each random effect: points close to the red line mean the normal assumption fits." build={() => qqPlot(r)} deps={[r]} />
      <Figure
        id="trajectories"
        title="Trajectories per group"
        about={`Observed values (dots), each group's fitted line (blue) and the population line (red, dashed)${g && g.levels.length > MAX_TRAJECTORY_GROUPS ? `; the first ${MAX_TRAJECTORY_GROUPS} of ${g.levels.length} groups` : ""}.`}
        build={() => (!g ? "The model has no grouping factor." : x === null ? "The data have no numeric predictor for the x axis." : trajectoriesPlot(r, x))}
        deps={[r, x]}
      />
      <Figure
        id="predictions"
        title="Predictions by group"
        about="Each group's fitted values against the predictor (blue lines) and the population prediction (red)."
        build={() => (x === null ? "The data have no numeric predictor for the x axis." : predictionsPlot(r, x))}
        deps={[r, x]}
      />
    </div>
  );
}
