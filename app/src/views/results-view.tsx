/** The results view: the summary of the model shown (fixed and random effects, ICC, fit statistics, messages), the OLS comparison, intervals, and the analysis as code. */
import { useState } from "preact/hooks";
import { cancel, runIntervals } from "../actions.js";
import { CodeBlock, Progress, Table } from "../components.js";
import { num, pval } from "../format.js";
import type { FitResult, StructureResultView } from "../protocol.js";
import { mlmCommand, rCode, rCodeLabel } from "../reproduce.js";
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

/** The terms with a covariance structure other than us/diag, with the library's ρ. */
function structuredTerms(r: FitResult): { group: string; structure: string; rho: readonly number[] }[] {
  const out: { group: string; structure: string; rho: readonly number[] }[] = [];
  for (const v of r.varcorr) {
    if (!v.structure || v.var2 !== null || out.some((o) => o.group === v.group)) continue;
    out.push({ group: v.group, structure: v.structure, rho: v.rho === undefined ? [] : typeof v.rho === "number" ? [v.rho] : v.rho });
  }
  return out;
}

const STRUCTURE_ABOUT: Record<string, string> = {
  cs: "compound symmetry: one correlation ρ between any two effects",
  ar1: "AR(1): correlation ρ^|i−j| between effects i and j, one variance",
  toep: "Toeplitz: a correlation per lag (ρ₁, ρ₂, …), a variance per effect",
};

/** nlme's block of one residual structure: its parameters (nlme's names, constrained scale) with Wald intervals. */
function StructureTable({ st, kind }: { st: StructureResultView; kind: "correlation" | "variance" }) {
  const names = Object.keys(st.parameters);
  const iv = st.intervals;
  return (
    <Table
      caption={kind === "correlation" ? `Correlation structure: ${st.label}` : `Variance function: ${st.label}`}
      file={`${kind}-structure`}
      header={["Parameter", "Estimate", ...(iv ? ["95% CI lower", "95% CI upper"] : [])]}
      rows={names.map((n) => [n, num(st.parameters[n], 5), ...(iv ? [num(iv[n]?.lower, 5), num(iv[n]?.upper, 5)] : [])])}
      csv={names.map((n) => [n, st.parameters[n], ...(iv ? [iv[n]?.lower ?? null, iv[n]?.upper ?? null] : [])])}
      note={
        <>
          <code>{`${st.structure}(form = ${st.form})`}</code>, as nlme reports it{iv ? " (intervals as nlme's intervals())" : ""}.
          {kind === "variance" && " The multipliers are relative to the reference stratum or covariate value; the residual SD σ is in the fit statistics."}
        </>
      }
    />
  );
}

function Summary({ r }: { r: FitResult }) {
  const t = r.ddfName !== undefined;
  const stat = t ? "t" : "z";
  const random = randomRows(r);
  const iccs = Object.entries(r.icc);
  const structured = structuredTerms(r);
  const residual = r.kind === "gls" || r.kind === "lme";
  return (
    <>
      <Table
        caption="Fixed effects"
        file="fixed-effects"
        header={["Term", "Estimate", "Std. Error", ...(t ? ["df"] : []), `${stat} value`, `Pr(>|${stat}|)`, "95% CI lower", "95% CI upper"]}
        rows={r.fixef.map((f) => [f.term, num(f.estimate), num(f.se), ...(t ? [num(f.df)] : []), num(f.statistic, 4), pval(f.p), num(f.lower, 5), num(f.upper, 5)])}
        csv={r.fixef.map((f) => [f.term, f.estimate, f.se, ...(t ? [f.df] : []), f.statistic, f.p, f.lower, f.upper])}
        note={`${t ? `t tests with ${r.ddfName}'s denominator df${r.ddfName === "nlme" ? (r.kind === "gls" ? " (n − p, as summary.gls)" : " (by grouping level, as summary.lme)") : ""}; 95% intervals estimate ± t quantile (those df) × SE` : "Wald z tests; 95% Wald intervals estimate ± 1.96 SE"}.${r.kind === "gls" || r.kind === "lme" ? "" : " Profile and bootstrap intervals are below."}`}
      />
      {r.correlation && <StructureTable st={r.correlation} kind="correlation" />}
      {r.variance && <StructureTable st={r.variance} kind="variance" />}
      {r.kind === "gls" ? (
        <p class="hint">Generalized least squares: no random effects; the residual correlation and variance structures above describe how rows within a group go together.</p>
      ) : (
      <Table
        caption="Random effects"
        file="random-effects"
        textColumns={[0, 1, 4]}
        header={["Groups", "Name", "Variance", "Std.Dev.", "Corr"]}
        rows={random.shown}
        csv={random.csv}
        note={r.family === "gaussian" ? "The residual row is the within-group variation." : r.dispersion ? `The family's dispersion (${r.dispersion.symbol}) is in the fit statistics.` : "GLMMs have no residual variance on the link scale."}
      />
      )}
      {structured.length > 0 && (
        <Table
          caption="Covariance structures"
          file="covariance-structures"
          textColumns={[0, 1, 3]}
          header={["Groups", "Structure", "ρ", "Meaning"]}
          rows={structured.map((x) => [x.group, x.structure, x.rho.map((v) => num(v, 4)).join("  "), STRUCTURE_ABOUT[x.structure] ?? ""])}
          csv={structured.map((x) => [x.group, x.structure, x.rho.join(" "), STRUCTURE_ABOUT[x.structure] ?? ""])}
          note="Written in the formula with glmmTMB's names; the Std.Dev. and Corr columns above are the variances and correlations these parameters imply."
        />
      )}
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
            <p class="hint">{residual ? "The ICC is not given for fits with residual structures: rows are correlated within groups by the structure too." : "The ICC is given for random-intercept models, like (1 | g)."}</p>
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
          ...(r.family === "gaussian" ? [[r.variance ? "Residual SD (σ, reference)" : "Residual SD (σ)", num(r.sigma, 5)]] : []),
          ...(r.dispersion ? [[`Dispersion (${r.dispersion.symbol}, ${r.family})`, num(r.dispersion.value, 5)]] : []),
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
        {r.kind === "gls"
          ? `Generalized least squares (nlme's gls) fitted by ${r.method}`
          : r.kind === "lme"
            ? `Linear mixed model with a residual structure (nlme's lme) fitted by ${r.method}`
            : r.family === "gaussian"
              ? `Linear mixed model fitted by ${r.method}`
              : `Generalized linear mixed model (${r.family}, ${r.link} link) fitted by ${r.method}`}
        ; {r.nobs} observations.
      </p>
      {r.dispersion && (
        <p class="dispersion">
          Dispersion parameter for {r.family} family ({r.dispersion.symbol}): <strong>{num(r.dispersion.value, 4)}</strong>
          {r.dispersion.meaning && <span class="hint"> — {r.dispersion.meaning}, as glmmTMB's sigma()</span>}
        </p>
      )}
      <Messages r={r} />
      <Summary r={r} />
      <Ols r={r} />
      {r.kind === "gls" || r.kind === "lme" ? <p class="hint">Profile and bootstrap intervals are given for models without residual structures; the structure parameters' Wald intervals are in their tables above.</p> : <Intervals s={s} r={r} />}
      <section aria-labelledby="reproduce-h">
        <h3 id="reproduce-h">Reproduce this analysis</h3>
        <CodeBlock label="mlm command line" code={mlmCommand(file, s.factors, r.spec)} />
        <CodeBlock label={rCodeLabel(r.spec)} code={rCode(file, s.factors, r.spec)} />
        <details>
          <summary>Summary as mlm fit prints it</summary>
          <pre class="summary-text">{r.summaryText}</pre>
        </details>
      </section>
    </div>
  );
}
