/** The data view: open a file (picker or drop) or an example; preview, column types, grouping structure. */
import type { TargetedEvent } from "preact";
import { openExample, openFile, setFactor } from "../actions.js";
import { EXAMPLES } from "../examples.js";
import { Table } from "../components.js";
import type { State } from "../store.js";

/** Numeric columns with at most this many distinct values get the "categorical" switch (codes such as 1-5, ids of groups). */
const MAX_SWITCH_DISTINCT = 200;

function onPick(event: TargetedEvent<HTMLInputElement>): void {
  const file = event.currentTarget.files?.[0];
  if (file) void openFile(file);
}

function Structure({ s }: { s: State }) {
  const d = s.describe;
  if (!d) return null;
  const names = d.groups.map((g) => g.name);
  const structure = (g: (typeof d.groups)[number]): string => {
    const parts: string[] = [];
    if (g.nestedIn.length > 0) parts.push(`nested in ${g.nestedIn.join(", ")}`);
    const crossed = names.filter((other) => other !== g.name && !g.nestedIn.includes(other) && !d.groups.find((h) => h.name === other)?.nestedIn.includes(g.name));
    if (crossed.length > 0) parts.push(`crossed with ${crossed.join(", ")}`);
    return parts.join("; ") || (names.length === 1 ? "the only grouping factor" : "—");
  };
  return (
    <section aria-labelledby="structure-h">
      <h3 id="structure-h">Grouping structure of the formula</h3>
      <p>
        {d.nobs} rows used{d.dropped > 0 ? `, ${d.dropped} dropped for missing values` : ", none dropped"}; response {d.response}.
      </p>
      {d.groups.length > 0 && (
        <Table
          caption="Grouping factors"
          file="grouping-factors"
          textColumns={[0, 3]}
          header={["Factor", "Levels", "Rows per level", "Structure"]}
          note="Rows per level: smallest / median / largest."
          rows={d.groups.map((g) => [g.name, g.levels, `${g.sizes.min} / ${g.sizes.median} / ${g.sizes.max}`, structure(g)])}
        />
      )}
      {d.messages.map((m) => (
        <p class="note">{m}</p>
      ))}
    </section>
  );
}

export function DataView({ s }: { s: State }) {
  const summary = s.summary;
  return (
    <section class="panel" aria-labelledby="data-h">
      <h2 id="data-h">1. Data</h2>
      <p class="hint">Files are read in this tab; nothing is uploaded anywhere.</p>
      <label class="field" for="data-file">
        Data file
      </label>
      <input id="data-file" type="file" accept=".csv,.tsv,.tab,.txt,.json,.parquet,.pq" onChange={onPick} aria-describedby="data-file-hint" />
      <p id="data-file-hint" class="hint">
        CSV, TSV, JSON or Parquet, or drop a file anywhere on the page.
      </p>
      <details open={!summary}>
        <summary>Example data sets</summary>
        <ul class="examples">
          {EXAMPLES.map((e) => (
            <li>
              <button type="button" onClick={() => void openExample(e.id)}>
                Open {e.id}
              </button>{" "}
              <span>{e.about}</span>
            </li>
          ))}
        </ul>
      </details>
      {s.loading && <p role="status">Reading the data…</p>}
      {s.dataError && (
        <p class="error" role="alert">
          {s.dataError}
        </p>
      )}
      {summary && (
        <>
          <p class="loaded">
            <strong>{summary.name}</strong>: {summary.nrows} rows, {summary.columns.length} columns.
          </p>
          <Table
            caption="Columns"
            file="columns"
            textColumns={[0, 1, 3]}
            header={["Column", "Type", "Missing", "Categorical"]}
            note={`Numeric columns with up to ${MAX_SWITCH_DISTINCT} distinct values can be made categorical (a factor); grouping factors are categorical in any case.`}
            rows={summary.columns.map((c) => [
              c.name,
              c.kind === "numeric" ? "numeric" : `categorical, ${c.levels} levels`,
              c.missing,
              c.numericInFile && (c.kind === "categorical" || c.distinct <= MAX_SWITCH_DISTINCT) ? (
                <label class="switch">
                  <input type="checkbox" role="switch" checked={c.kind === "categorical"} onChange={(e) => void setFactor(c.name, e.currentTarget.checked)} />
                  <span>Treat {c.name} as categorical</span>
                </label>
              ) : (
                "—"
              ),
            ])}
            csv={summary.columns.map((c) => [c.name, c.kind, c.missing, c.kind === "categorical" ? "yes" : "no"])}
          />
          <Table
            caption={`First ${summary.preview.length} rows`}
            file="preview"
            textColumns={summary.columns.map((c, j) => (c.kind === "categorical" ? j : -1)).filter((j) => j >= 0)}
            header={summary.columns.map((c) => `${c.name} (${c.kind === "numeric" ? "num" : "cat"})`)}
            rows={summary.preview}
            note={summary.columns.length > 6 ? `${summary.columns.length} columns: scroll the table sideways to see them all.` : undefined}
          />
          <Structure s={s} />
        </>
      )}
    </section>
  );
}
