/** The model view: formula, family, link, REML/ML, quadrature points, ddf method, Fit. */
import { cancel, fit, setDraft } from "../actions.js";
import { Progress } from "../components.js";
import type { DdfMethod, FamilyName, LinkChoice } from "../protocol.js";
import type { State } from "../store.js";
import { FormulaBox } from "./formula-box.js";

export function ModelView({ s }: { s: State }) {
  const d = s.draft;
  const glmm = d.family !== "gaussian";
  const columns = s.summary?.columns.map((c) => c.name) ?? [];
  return (
    <section class="panel" aria-labelledby="model-h">
      <h2 id="model-h">2. Model</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void fit();
        }}
      >
        <FormulaBox value={d.formula} columns={columns} error={s.formulaError} onInput={(formula) => setDraft({ formula })} onSubmit={() => void fit()} />
        <div class="options">
          <div>
            <label class="field" for="family">
              Family
            </label>
            <select id="family" value={d.family} onChange={(e) => setDraft({ family: e.currentTarget.value as FamilyName, link: "default" })}>
              <option value="gaussian">gaussian (linear mixed model)</option>
              <option value="binomial">binomial (0/1 or cbind(successes, failures))</option>
              <option value="poisson">poisson (counts)</option>
            </select>
          </div>
          <div>
            <label class="field" for="link">
              Link
            </label>
            <select id="link" value={d.link} disabled={!glmm} onChange={(e) => setDraft({ link: e.currentTarget.value as LinkChoice })}>
              <option value="default">{glmm ? (d.family === "binomial" ? "default (logit)" : "default (log)") : "identity"}</option>
              {d.family === "binomial" && (
                <>
                  <option value="logit">logit</option>
                  <option value="probit">probit</option>
                  <option value="cloglog">cloglog</option>
                </>
              )}
              {d.family === "poisson" && <option value="log">log</option>}
            </select>
          </div>
          <div>
            <label class="field" for="estimation">
              Estimation
            </label>
            <select id="estimation" value={d.reml ? "REML" : "ML"} disabled={glmm} onChange={(e) => setDraft({ reml: e.currentTarget.value === "REML" })}>
              <option value="REML">REML</option>
              <option value="ML">ML (maximum likelihood)</option>
            </select>
          </div>
          <div>
            <label class="field" for="nagq">
              Quadrature points (nAGQ)
            </label>
            <input id="nagq" type="number" min={1} max={25} step={1} value={d.nAGQ} disabled={!glmm} onChange={(e) => setDraft({ nAGQ: Math.max(1, Math.round(Number(e.currentTarget.value) || 1)) })} />
          </div>
          <div>
            <label class="field" for="ddf">
              Denominator df
            </label>
            <select id="ddf" value={d.ddf} disabled={glmm} onChange={(e) => setDraft({ ddf: e.currentTarget.value as DdfMethod })}>
              <option value="satterthwaite">Satterthwaite</option>
              <option value="kenward-roger">Kenward-Roger</option>
              <option value="none">none (z tests)</option>
            </select>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={!s.summary}>
            Fit
          </button>
          {!s.summary && <span class="hint">Open data first.</span>}
        </div>
      </form>
      {s.busy && (
        <Progress
          label={s.busy.label}
          detail={s.busy.evaluations !== undefined ? `${s.busy.evaluations} evaluations of the criterion, ${s.busy.detail ?? ""}` : undefined}
          started={s.busy.started}
          onCancel={cancel}
        />
      )}
    </section>
  );
}
