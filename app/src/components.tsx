/** Small pieces the views share: a captioned table with CSV export, a copyable code block, progress. */
import { useEffect, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { exportCsv } from "./export.js";
import { csvText } from "./format.js";

export interface TableProps {
  readonly caption: string;
  readonly header: readonly string[];
  /** Cells as shown. */
  readonly rows: readonly (readonly ComponentChildren[])[];
  /** Cells for the CSV file (full precision); default: the shown cells. */
  readonly csv?: readonly (readonly (string | number | null)[])[];
  /** File name of the export, without extension. */
  readonly file: string;
  /** Columns (0-based) aligned left; the others are numbers, aligned right. */
  readonly textColumns?: readonly number[];
  /** Columns whose long text (formulas) wraps onto several lines instead of widening the table. */
  readonly wrapColumns?: readonly number[];
  /** Tighter cells, for wide tables (the likelihood-ratio test). */
  readonly compact?: boolean;
  readonly note?: ComponentChildren;
}

export function Table(props: TableProps) {
  const text = props.textColumns ?? [0];
  const csv = (): void => {
    const rows = props.csv ?? props.rows.map((r) => r.map((c) => (typeof c === "string" || typeof c === "number" ? c : String(c ?? ""))));
    exportCsv(csvText(props.header, rows), props.file);
  };
  return (
    <div class="table-block">
      <div class="table-scroll">
        <table class={props.compact ? "compact" : undefined}>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.header.map((h, j) => (
                <th scope="col" class={text.includes(j) ? "text" : "num"}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                {r.map((c, j) =>
                  j === 0 ? (
                    <th scope="row" class={text.includes(j) ? "text" : "num"}>
                      {c}
                    </th>
                  ) : (
                    <td class={`${text.includes(j) ? "text" : "num"}${props.wrapColumns?.includes(j) ? " wrap" : ""}`}>{c}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-foot">
        {props.note && <p class="note">{props.note}</p>}
        <button type="button" class="small" onClick={csv} aria-label={`Export ${props.caption} as CSV`}>
          Export CSV
        </button>
      </div>
    </div>
  );
}

export function CodeBlock(props: { readonly label: string; readonly code: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.code);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="code-block">
      <div class="code-head">
        <span>{props.label}</span>
        <button type="button" class="small" onClick={copy} aria-label={`Copy ${props.label}`}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre>
        <code>{props.code}</code>
      </pre>
    </div>
  );
}

export function Progress(props: { readonly label: string; readonly done?: number; readonly total?: number; readonly detail?: string; readonly started: number; readonly onCancel: () => void }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((t) => t + 1), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = ((performance.now() - props.started) / 1000).toFixed(1);
  const known = props.total !== undefined && props.total > 0;
  return (
    <div class="progress" role="status" aria-live="polite">
      <progress aria-label={props.label} value={known ? props.done : undefined} max={known ? props.total : undefined} />
      <span>
        {props.label}
        {known ? `: ${props.done} of ${props.total}` : "…"} <span aria-hidden="true">({seconds} s)</span>
        {props.detail && <span class="hint"> {props.detail}</span>}
      </span>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
