/** The model view: formula, family, link, REML/ML, quadrature points, ddf method, Fit. */
import { cancel, fit, setDraft } from "../actions.js";
import { Progress } from "../components.js";
import { structured, type DdfMethod, type FamilyName, type LinkChoice, type ModelSpec } from "../protocol.js";
import type { State } from "../store.js";
import { FormulaBox } from "./formula-box.js";
import { FAMILIES, familyChoice } from "../families.js";

const CORRELATIONS = ["corAR1", "corCAR1", "corARMA", "corCompSymm", "corSymm"] as const;
const VARIANCES = ["varIdent", "varPower", "varExp", "varConstPower"] as const;

const CORRELATION_ABOUT: Record<string, string> = {
  corAR1: "AR(1) at whole-number positions: correlation φ^|i−j|",
  corCAR1: "continuous-time AR(1): correlation φ^|t_i−t_j|",
  corARMA: "ARMA(p, q) at whole-number positions, p + q ≤ 3",
  corCompSymm: "one correlation between any two rows of a group",
  corSymm: "a free correlation for each pair of positions",
};
const VARIANCE_ABOUT: Record<string, string> = {
  varIdent: "a residual SD per stratum",
  varPower: "SD ∝ |v|^δ (v: a covariate, or the fitted values)",
  varExp: "SD ∝ exp(δ v)",
  varConstPower: "SD ∝ c + |v|^δ",
};

/** The class of an nlme call as written (`corAR1(form = …)` → corAR1), if it is one of those offered. */
function callName(text: string, names: readonly string[]): string {
  const name = /^\s*(\w+)/.exec(text)?.[1] ?? "";
  return text.trim() === "" ? "" : names.includes(name) ? name : "other";
}

/** A starting call for the structure chosen, written with the data's own columns (which the user then edits). */
function template(name: string, s: State): string {
  const columns = s.summary?.columns ?? [];
  const numeric = columns.filter((c) => c.kind === "numeric").map((c) => c.name);
  const categorical = columns.filter((c) => c.kind === "categorical").map((c) => c.name);
  const group = s.describe?.groups.at(-1)?.name ?? categorical[0] ?? "g";
  const response = s.describe?.response;
  const position = (s.describe?.fixef ?? []).find((f) => numeric.includes(f)) ?? numeric.find((n) => n !== response) ?? "time";
  const stratum = categorical.find((c) => c !== group && !(s.describe?.groups ?? []).some((g) => g.name === c)) ?? categorical[0] ?? "s";
  switch (name) {
    case "corAR1":
    case "corCAR1":
      return `${name}(form = ~ ${position} | ${group})`;
    case "corARMA":
      return `corARMA(form = ~ 1 | ${group}, p = 1, q = 1)`;
    case "corCompSymm":
    case "corSymm":
      return `${name}(form = ~ 1 | ${group})`;
    case "varIdent":
      return `varIdent(form = ~ 1 | ${stratum})`;
    case "varPower":
      return "varPower()";
    case "varExp":
    case "varConstPower":
      return `${name}(form = ~ ${position})`;
    default:
      return "";
  }
}

interface StructureFieldProps {
  readonly s: State;
  readonly kind: "correlation" | "variance";
  readonly disabled: boolean;
}

/** One residual structure: a select of nlme's classes that writes a starting call, the call itself (editable), and its error next to it. */
function StructureField({ s, kind, disabled }: StructureFieldProps) {
  const value = s.draft[kind];
  const names = kind === "correlation" ? CORRELATIONS : VARIANCES;
  const about = kind === "correlation" ? CORRELATION_ABOUT : VARIANCE_ABOUT;
  const chosen = callName(value, names);
  const error = s.structureErrors[kind];
  const title = kind === "correlation" ? "Correlation structure" : "Variance function";
  const set = (text: string): void => setDraft({ [kind]: text } as Partial<ModelSpec>);
  return (
    <div class="structure">
      <label class="field" for={`${kind}-class`}>
        Residual {kind}
      </label>
      <div class="structure-row">
        <select id={`${kind}-class`} value={chosen} disabled={disabled} onChange={(e) => set(template(e.currentTarget.value, s))}>
          <option value="">none</option>
          {names.map((n) => (
            <option value={n}>{n}</option>
          ))}
          {chosen === "other" && <option value="other">(as written)</option>}
        </select>
        <input
          id={kind}
          type="text"
          aria-label={title}
          aria-describedby={`${kind}-about ${kind}-error`}
          aria-invalid={error ? true : undefined}
          spellcheck={false}
          autocomplete="off"
          disabled={disabled}
          placeholder={kind === "correlation" ? "corAR1(form = ~ Days | Subject)" : "varIdent(form = ~ 1 | Sex)"}
          value={value}
          onInput={(e) => set(e.currentTarget.value)}
        />
      </div>
      <p id={`${kind}-about`} class="hint">
        {chosen && chosen !== "other" ? about[chosen] : kind === "correlation" ? "Correlated residuals within groups, written as nlme does." : "Unequal residual variances, written as nlme does."}
      </p>
      <p id={`${kind}-error`} class="error structure-error" role="alert" hidden={!error}>
        {error}
      </p>
    </div>
  );
}

export function ModelView({ s }: { s: State }) {
  const d = s.draft;
  const glmm = d.family !== "gaussian";
  const fam = familyChoice(d.family);
  const hasStructure = structured(d);
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
          <div class="wide">
            <label class="field" for="family">
              Family
            </label>
            <select id="family" value={d.family} onChange={(e) => setDraft({ family: e.currentTarget.value as FamilyName, link: "default" })}>
              {FAMILIES.map((f) => (
                <option value={f.name}>{f.label}</option>
              ))}
            </select>
          </div>
          <div>
            <label class="field" for="link">
              Link
            </label>
            <select id="link" value={d.link} disabled={!glmm} onChange={(e) => setDraft({ link: e.currentTarget.value as LinkChoice })}>
              <option value="default">{glmm ? `default (${fam.links[0]})` : "identity"}</option>
              {fam.links.map((l) => (
                <option value={l}>{l}</option>
              ))}
            </select>
          </div>
          <div>
            <label class="field" for="estimation">
              Estimation
            </label>
            <select id="estimation" value={d.reml && !glmm ? "REML" : "ML"} disabled={glmm} title={glmm ? "Generalized models are fitted by maximum likelihood (Laplace or quadrature)." : undefined} onChange={(e) => setDraft({ reml: e.currentTarget.value === "REML" })}>
              <option value="REML">REML</option>
              <option value="ML">{glmm ? "ML (Laplace / AGQ)" : "ML"}</option>
            </select>
          </div>
          <div>
            <label class="field" for="nagq">
              Quadrature points (nAGQ)
            </label>
            <input id="nagq" type="number" min={1} max={25} step={1} value={d.nAGQ} disabled={!fam.agq} title={fam.agq ? undefined : "Adaptive Gauss-Hermite quadrature is for binomial and Poisson models; this family is fitted by REML/ML or the Laplace approximation."} onChange={(e) => setDraft({ nAGQ: Math.max(1, Math.round(Number(e.currentTarget.value) || 1)) })} />
          </div>
          <div>
            <label class="field" for="ddf">
              Denominator df
            </label>
            <select id="ddf" value={d.ddf} disabled={glmm} title={hasStructure ? "With a residual structure the t tests use nlme's degrees of freedom (the default) or Satterthwaite's over all covariance parameters." : undefined} onChange={(e) => setDraft({ ddf: e.currentTarget.value as DdfMethod })}>
              {hasStructure && <option value="nlme">nlme</option>}
              <option value="satterthwaite">Satterthwaite</option>
              <option value="kenward-roger" disabled={hasStructure} title={hasStructure ? "Kenward-Roger is not available for fits with residual structures (nlme's gls and lme)." : undefined}>
                Kenward-Roger
              </option>
              <option value="none" disabled={hasStructure} title={hasStructure ? "With a residual structure the fixed effects get t tests, as mlm fit gives them: choose nlme or Satterthwaite." : undefined}>
                none (z tests)
              </option>
            </select>
          </div>
        </div>
        <fieldset class="residual" aria-describedby="residual-hint">
          <legend>Residual structure (nlme)</legend>
          <StructureField s={s} kind="correlation" disabled={glmm} />
          <StructureField s={s} kind="variance" disabled={glmm} />
          <p id="residual-hint" class="hint">
            {glmm
              ? "Residual structures apply to linear models: choose the gaussian family to use them."
              : "With a structure the fit is nlme's gls (no random-effects term) or lme (with them); t tests then use nlme's degrees of freedom, or Satterthwaite's if chosen under Denominator df."}
          </p>
        </fieldset>
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
