/** The studio's page: data and model on the left, the results of the model shown on the right (summary, plots, compare). */
import { useEffect, useState } from "preact/hooks";
import { openFile, setTab, showModel, startOver } from "./actions.js";
import { useStore, type State, type Tab } from "./store.js";
import { CompareView } from "./views/compare-view.js";
import { DataView } from "./views/data-view.js";
import { ModelView } from "./views/model-view.js";
import { ResultsView } from "./views/results-view.js";

type PlotsModule = typeof import("./views/plots-view.js");
let plotsModule: Promise<PlotsModule> | undefined;

/** The plots view, loaded on first use (Observable Plot is most of the page's code). */
function LazyPlots({ s }: { s: State }) {
  const [mod, setMod] = useState<PlotsModule | null>(null);
  useEffect(() => {
    plotsModule ??= import("./views/plots-view.js");
    void plotsModule.then(setMod);
  }, []);
  return mod ? <mod.PlotsView s={s} /> : <p role="status">Loading the plots…</p>;
}

const TABS: readonly { id: Tab; label: string }[] = [
  { id: "summary", label: "Summary" },
  { id: "plots", label: "Plots" },
  { id: "compare", label: "Compare" },
];

export function App() {
  const s = useStore();
  useEffect(() => {
    const over = (e: DragEvent): void => {
      e.preventDefault();
      document.body.classList.add("dragging");
    };
    const leave = (): void => document.body.classList.remove("dragging");
    const drop = (e: DragEvent): void => {
      e.preventDefault();
      leave();
      const file = e.dataTransfer?.files[0];
      if (file) void openFile(file);
    };
    window.addEventListener("dragover", over);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("drop", drop);
    };
  }, []);
  const fitted = s.models.filter((m) => m.status !== "error");
  const onTabKey = (e: KeyboardEvent, k: number): void => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const next = TABS[(k + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <>
      <header>
        <h1>mlm studio</h1>
        <p>Multilevel models in your browser, computed in this tab: your data never leave your machine.</p>
        <button type="button" class="small" onClick={startOver}>
          Start over
        </button>
      </header>
      <main>
        <div class="left">
          <DataView s={s} />
          <ModelView s={s} />
        </div>
        <section class="right panel" aria-label="Results">
          {fitted.length > 1 && (
            <div class="model-switch">
              <label class="field" for="shown-model">
                Model shown
              </label>
              <select id="shown-model" value={s.activeId ?? ""} onChange={(e) => showModel(e.currentTarget.value)}>
                {fitted.map((m) => (
                  <option value={m.id}>
                    {m.id}: {m.spec.formula}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div role="tablist" aria-label="Results views">
            {TABS.map((t, k) => (
              <button
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={s.tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={s.tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
                onKeyDown={(e) => onTabKey(e, k)}
              >
                {t.label}
                {t.id === "compare" && s.models.length > 0 ? ` (${s.models.length})` : ""}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${s.tab}`} aria-labelledby={`tab-${s.tab}`} tabIndex={0}>
            {s.tab === "summary" && <ResultsView s={s} />}
            {s.tab === "plots" && <LazyPlots s={s} />}
            {s.tab === "compare" && <CompareView s={s} />}
          </div>
        </section>
      </main>
    </>
  );
}
