/** The results view: the summary of the model shown (fixed and random effects, ICC, fit statistics, messages), the OLS comparison, intervals, and the analysis as code. */
import { useState } from "preact/hooks";
import { cancel, runIntervals } from "../actions.js";
import { CodeBlock, Progress, Table } from "../components.js";
import { num, pval } from "../format.js";
import type { FitResult } from "../protocol.js";
import { mlmCommand, rCode } from "../reproduce.js";
import type { State } from "../store.js";

function randomRows(r: FitResult): { shown: string[][]; csv: (string | number | null)[][] } {
  const shown: string[][] = [];
  const csv: (string | number | null)[][] = [];
  const variances = r.varcorr.filter((v) => v.var2 === null);
  for (const v of variances) {
    const before = variances.filter((w) => w.group === v.group && w.var1 !== null).map((w) => w.var1);
    const idx = v.var1 === null ? -1 : before.indexOf(v.var1);
    const corr = idx > 0 ? before.slice(0, idx).map((other) => r.varcorr.find((c) => c.group === v.group && c.var2 !== null && ((c.var1 === other && c.var2 === v.var1) || (c.var2 === other && c.var1 === v.var1)))?.sdcor ?? NaN) : [];
    shown.push([v.group, v.var1 ?? "", num(v.vcov, 5), num(v.sdcor, 5), corr.map((c) => num(c, 3)).join("  ")]);
    csv.push([v.group, v.var1 ?? "", v.vcov, v.sdcor, corr.join(" ")]);
  }
  return { shown, csv };
}

function Summary({ r }: { r: FitResult }) {
  const t = r.ddfName !== undefined;
  const stat = t ? "t" : "z";
  const random = randomRows(r);
  const iccs = Object.entries(r.icc);
  return (
    <>
      <Table
        caption="Fixed effects"
        file="fixed-effects"
        header={["Term", "Estimate", "Std. Error", ...(t ? ["df"] : []), `${stat} value`, `Pr(>|${stat}|)`, "95% CI lower", "95% CI upper"]}
        rows={r.fixef.map((f) => [f.term, num(f.estimate), num(f.se), ...(t ? [num(f.df)] : []), num(f.statistic, 4), pval(f.p), num(f.lower, 5), num(f.upper, 5)])}
        csv={r.fixef.map((f) => [f.term, f.estimate, f.se, ...(t ? [f.df] : []), f.statistic, f.p, f.lower, f.upper])}
        note={`${t ? `t tests with ${r.ddfName}'s denominator df; 95% intervals estimate ± t quantile (those df) × SE` : "Wald z tests; 95% Wald intervals estimate ± 1.96 SE"}. Profile and bootstrap intervals are below.`}
      />
      <Table
        caption="Random effects"
        file="random-effects"
        textColumns={[0, 1, 4]}
        header={["Groups", "Name", "Variance", "Std.Dev.", "Corr"]}
        rows={random.shown}
        csv={random.csv}
        note={r.family === "gaussian" ? "The residual row is the within-group variation." : "GLMMs have no residual variance on the link scale."}
      />
      <div class="stat-grid">
        <div>
          <h3>Intraclass correlation</h3>
          {iccs.length > 0 ? (
            <ul>
              {iccs.map(([g, v]) => (
                <li>
                  ICC ({g}): <strong>{num(v, 3)}</strong> — the share of the variance that lies between {g} groups.
                </li>
              ))}
            </ul>
          ) : (
            <p class="hint">The ICC is given for random-intercept models, like (1 | g).</p>
          )}
        </div>
      </div>
      <Table
        caption="Fit statistics"
        file="fit-statistics"
        textColumns={[0, 1]}
        header={["Statistic", "Value"]}
        rows={[
          ["Observations", String(r.nobs)],
          ...Object.entries(r.ngroups).map(([g, n]) => [`Groups: ${g}`, String(n)]),
          [r.criterion.name === "REML" ? "REML criterion" : "Deviance", num(r.criterion.value, 7)],
          ["Log-likelihood", num(r.logLik, 7)],
          ["AIC", num(r.AIC, 7)],
          ["BIC", num(r.BIC, 7)],
          ...(r.family === "gaussian" ? [["Residual SD (σ)", num(r.sigma, 5)]] : []),
          ["Parameters", String(r.npar)],
          ["Optimizer", `${r.evaluations} evaluations, ${r.converged ? "converged" : "did not converge"}${r.singular ? ", singular" : ""}`],
          ["Fit time in this tab", `${(r.fitSeconds * 1000).toFixed(0)} ms${r.simd ? " (WebAssembly SIMD available)" : ""}`],
        ]}
      />
    </>
  );
}

function Messages({ r }: { r: FitResult }) {
  if (r.advice.length === 0) return <p class="ok">No warnings: the fit converged and is not singular.</p>;
  return (
    <div class="messages" role="region" aria-label="Messages about the fit">
      {r.advice.map((a) => (
        <div class={`message ${a.severity}`}>
          <p>
            <strong>{a.severity === "warning" ? "Warning" : "Note"}:</strong> {a.text}
          </p>
          {a.todo && (
            <p>
              <strong>What to do:</strong> {a.todo}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}

function Ols({ r }: { r: FitResult }) {
  const c = r.compareOls;
  if ("unavailable" in c) return <p class="hint">Single-level comparison: {c.unavailable}</p>;
  return (
    <Table
      caption="Ignoring the grouping: single-level regression"
      file="compare-ols"
      header={["Term", "OLS estimate", "OLS SE (naive)", `Cluster-robust SE (${c.cluster})`, "Multilevel estimate", "Multilevel SE", "Design effect"]}
      rows={c.rows.map((row) => [row.term, num(row.olsEstimate), num(row.olsSe), num(row.robustSe), num(row.mlmEstimate), num(row.mlmSe), num(row.designEffect, 3)])}
      csv={c.rows.map((row) => [row.term, row.olsEstimate, row.olsSe, row.robustSe, row.mlmEstimate, row.mlmSe, row.designEffect])}
      note={`${c.note}${c.kishDeff !== undefined ? ` Kish's design effect 1 + (m̄ − 1)·ICC = ${num(c.kishDeff, 3)}.` : ""}`}
    />
  );
}

function Intervals({ s, r }: { s: State; r: FitResult }) {
  const [nsim, setNsim] = useState(200);
  const iv = s.intervals[r.id];
  const running = iv?.status === "running";
  return (
    <section aria-labelledby="intervals-h">
      <h3 id="intervals-h">Confidence intervals</h3>
      <div class="actions">
        <button type="button" disabled={running} onClick={() => void runIntervals(r.id, "profile", nsim)}>
          Profile intervals
        </button>
        <label class="inline" for="nsim">
          Simulations
        </label>
        <input id="nsim" type="number" min={20} max={10000} step={10} value={nsim} onChange={(e) => setNsim(Math.max(20, Math.round(Number(e.currentTarget.value) || 200)))} />
        <button type="button" disabled={running} onClick={() => void runIntervals(r.id, "bootstrap", nsim)}>
          Bootstrap intervals
        </button>
      </div>
      {running && <Progress label={iv.method === "bootstrap" ? "Bootstrap" : "Profiling"} done={iv.done} total={iv.total} started={iv.started} onCancel={cancel} />}
      {iv?.status === "error" && (
        <p class="error" role="alert">
          {iv.error}
        </p>
      )}
      {iv?.status === "done" && iv.rows && (
        <Table
          caption={`Confidence intervals (${iv.method === "bootstrap" ? `parametric bootstrap, ${iv.nsim} simulations` : "profile likelihood"})`}
          file={`confint-${iv.method}`}
          header={["Parameter", "2.5 %", "97.5 %"]}
          rows={iv.rows.map((row) => [row.name, num(row.lower, 5), num(row.upper, 5)])}
          csv={iv.rows.map((row) => [row.name, row.lower, row.upper])}
        />
      )}
    </section>
  );
}

export function ResultsView({ s }: { s: State }) {
  const entry = s.models.find((m) => m.id === s.activeId);
  if (!entry) return <p class="hint">Fit a model to see its summary here.</p>;
  if (entry.status === "fitting") return <p role="status">Fitting {entry.spec.formula}…</p>;
  if (entry.status === "error" || !entry.result) return <p class="error">The model {entry.spec.formula} could not be fitted: {entry.error}</p>;
  const r = entry.result;
  const file = s.summary?.name ?? "data.csv";
  return (
    <div class="results">
      <h2 class="model-title">
        <span class="model-id">{entry.id}</span> <code>{r.formula}</code>
      </h2>
      <p class="hint">
        {r.family === "gaussian" ? `Linear mixed model fitted by ${r.method}` : `Generalized linear mixed model (${r.family}, ${r.link} link) fitted by ${r.method}`}; {r.nobs} observations.
      </p>
      <Messages r={r} />
      <Summary r={r} />
      <Ols r={r} />
      <Intervals s={s} r={r} />
      <section aria-labelledby="reproduce-h">
        <h3 id="reproduce-h">Reproduce this analysis</h3>
        <CodeBlock label="mlm command line" code={mlmCommand(file, s.factors, r.spec)} />
        <CodeBlock label="R lme4 code" code={rCode(file, s.factors, r.spec)} />
        <details>
          <summary>Summary as mlm fit prints it</summary>
          <pre class="summary-text">{r.summaryText}</pre>
        </details>
      </section>
    </div>
  );
}
