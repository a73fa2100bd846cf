/** The compare view: every fitted model side by side (AIC, BIC, log-likelihood), and the likelihood-ratio test of those ticked. */
import { removeModel, showModel, toggleCompare } from "../actions.js";
import { CodeBlock, Table } from "../components.js";
import { num, pval } from "../format.js";
import { mlmCompareCommand, rCompareCode } from "../reproduce.js";
import type { ModelSpec } from "../protocol.js";
import type { State } from "../store.js";

/** A model's formula, with its residual structures (and family, when not gaussian) under it. */
function ModelFormula({ spec }: { spec: ModelSpec }) {
  const extra = [spec.family !== "gaussian" ? `family ${spec.family}` : "", spec.correlation, spec.variance].filter((x) => x);
  return (
    <>
      <code>{spec.formula}</code>
      {extra.map((x) => (
        <span class="formula-extra">{x}</span>
      ))}
    </>
  );
}

export function CompareView({ s }: { s: State }) {
  const done = s.models.filter((m) => m.status === "done" && m.result);
  if (s.models.length === 0) return <p class="hint">Fit two or more models to compare them here; each Fit with a new formula adds a model.</p>;
  const lrt = s.lrt;
  const file = s.summary?.name ?? "data.csv";
  const boundary = lrt?.result?.tests.some((t) => t.pBoundary !== undefined) ?? false;
  const compared = s.compareIds.map((id) => s.models.find((m) => m.id === id)).filter((m) => m !== undefined);
  return (
    <div>
      <Table
        caption="Fitted models"
        file="models"
        textColumns={[0, 1, 2, 8]}
        wrapColumns={[1]}
        compact
        header={["Model", "Formula", "Method", "npar", "Log-likelihood", "AIC", "BIC", "Compare", "Actions"]}
        rows={s.models.map((m) => {
          const r = m.result;
          return [
            m.id,
            <ModelFormula spec={m.spec} />,
            r ? r.method : m.status === "fitting" ? "fitting…" : "failed",
            r ? r.npar : "",
            r ? num(r.logLik, 7) : "",
            r ? num(r.AIC, 7) : "",
            r ? num(r.BIC, 7) : "",
            <input type="checkbox" aria-label={`Compare ${m.id}`} checked={s.compareIds.includes(m.id)} disabled={!r} onChange={(e) => toggleCompare(m.id, e.currentTarget.checked)} />,
            <span class="row-actions">
              <button type="button" class="small" aria-label={`Show ${m.id}`} disabled={!r} onClick={() => showModel(m.id)}>
                Show
              </button>
              <button type="button" class="small" aria-label={`Remove ${m.id}`} onClick={() => removeModel(m.id)}>
                Remove
              </button>
            </span>,
          ];
        })}
        csv={done.map((m) => [m.id, [m.spec.formula, m.spec.correlation, m.spec.variance].filter((x) => x).join("; "), m.result!.method, m.result!.npar, m.result!.logLik, m.result!.AIC, m.result!.BIC, s.compareIds.includes(m.id) ? "yes" : "no", ""])}
        note="AIC and BIC: smaller is better; they compare models fitted to the same rows (REML fits only when the fixed effects are the same)."
      />
      {compared.length < 2 && <p class="hint">Tick Compare on two or more nested models for the likelihood-ratio test.</p>}
      {lrt?.status === "running" && <p role="status">Refitting by ML and testing…</p>}
      {lrt?.status === "error" && (
        <p class="error" role="alert">
          {lrt.error}
        </p>
      )}
      {lrt?.status === "done" && lrt.result && (
        <>
          <Table
            caption="Likelihood-ratio test"
            file="lrt"
            textColumns={[0, 1]}
            wrapColumns={[1]}
            compact
            header={["Model", "Formula", "npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)", ...(boundary ? ["p (boundary)"] : [])]}
            rows={lrt.result.models.map((m, i) => {
              const t = i > 0 ? lrt.result!.tests[i - 1] : undefined;
              const spec = s.models.find((x) => x.id === m.id)?.spec;
              return [m.id, spec ? <ModelFormula spec={spec} /> : <code>{m.formula}</code>, m.npar, num(m.AIC, 7), num(m.BIC, 7), num(m.logLik, 7), num(m.deviance, 7), t ? num(t.chisq, 5) : "", t ? t.df : "", t ? pval(t.p) : "", ...(boundary ? [t?.pBoundary !== undefined ? <span title={`p-value from the mixture ${t.mixture}`}>{pval(t.pBoundary)}<span class="formula-extra">{t.mixture}</span></span> : ""] : [])];
            })}
            csv={lrt.result.models.map((m, i) => {
              const t = i > 0 ? lrt.result!.tests[i - 1] : undefined;
              return [m.id, m.formula, m.npar, m.AIC, m.BIC, m.logLik, m.deviance, t?.chisq ?? null, t?.df ?? null, t?.p ?? null, ...(boundary ? [t?.pBoundary ?? null] : [])];
            })}
            note={
              <>
                {lrt.result.style === "nlme"
                  ? "Fits with residual structures are compared as nlme's anova() does: each by its own method (REML fits only with the same fixed effects), models without a structure fitted as gls or lme. "
                  : "Models refitted by ML, as lme4's anova() does. "}
                Each row is tested against the row above.
                {lrt.result.tests.map((t) => t.note && <span> {t.note}</span>)}
              </>
            }
          />
          <CodeBlock label="mlm compare command line" code={mlmCompareCommand(file, s.factors, compared.map((m) => m.spec))} />
          <CodeBlock label={lrt.result.style === "nlme" ? "R nlme comparison code" : "R comparison code"} code={rCompareCode(file, s.factors, compared.map((m) => m.spec))} />
        </>
      )}
    </div>
  );
}
