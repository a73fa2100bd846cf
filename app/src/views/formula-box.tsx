/**
 * The formula box: a text field with completion of column names (an ARIA combobox: type, then
 * ↓/↑ to choose, Enter or Tab to take, Escape to close), and the formula's error under it.
 */
import { useRef, useState } from "preact/hooks";
import type { TargetedEvent, TargetedKeyboardEvent } from "preact";

interface Props {
  readonly value: string;
  readonly columns: readonly string[];
  readonly error: string | null;
  readonly onInput: (value: string) => void;
  readonly onSubmit: () => void;
}

/** glmmTMB's covariance structures of a random-effects term, offered by the completion beside the column names. */
export const COVARIANCE_STRUCTURES: readonly { readonly name: string; readonly about: string }[] = [
  { name: "us", about: "unstructured (the default)" },
  { name: "diag", about: "variances only, no correlations" },
  { name: "cs", about: "compound symmetry: one correlation" },
  { name: "ar1", about: "AR(1): correlation ρ^|i−j|" },
  { name: "toep", about: "Toeplitz: a correlation per lag" },
];

interface Completion {
  /** What is inserted. */
  readonly text: string;
  /** What is shown. */
  readonly label: string;
  readonly about?: string;
}

/** The identifier being typed before the caret: where it starts and what it is. */
function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && /[\w.]/.test(text[start - 1])) start--;
  return { start, word: text.slice(start, caret) };
}

/** A message, and the formula with its caret line (syntax errors) in monospace so the caret lines up. */
function ErrorText({ text }: { text: string }) {
  const [first, ...rest] = text.split("\n");
  return (
    <>
      <p>{first}</p>
      {rest.length > 0 && <pre>{rest.join("\n")}</pre>}
    </>
  );
}

export function FormulaBox(props: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [caret, setCaret] = useState(0);
  const { word } = wordAt(props.value, caret);
  const lower = word.toLowerCase();
  const matches: Completion[] =
    word === ""
      ? []
      : [
          ...props.columns.filter((c) => c.toLowerCase().startsWith(lower) && c !== word).map((c) => ({ text: c, label: c })),
          ...COVARIANCE_STRUCTURES.filter((c) => c.name.startsWith(lower) && !props.columns.includes(c.name)).map((c) => ({ text: `${c.name}(`, label: `${c.name}( … | g)`, about: c.about })),
        ].slice(0, 8);
  const shown = open && matches.length > 0;

  const take = (name: string): void => {
    // from the field itself (not the last render), so fast typing cannot put the name in the wrong place
    const el = input.current;
    const text = el ? el.value : props.value;
    const at = el?.selectionStart ?? caret;
    const from = wordAt(text, at).start;
    const next = text.slice(0, from) + name + text.slice(at);
    const pos = from + name.length;
    if (el) {
      el.value = next;
      el.setSelectionRange(pos, pos);
    }
    setCaret(pos);
    setOpen(false);
    props.onInput(next);
  };

  const onInput = (e: TargetedEvent<HTMLInputElement>): void => {
    setCaret(e.currentTarget.selectionStart ?? e.currentTarget.value.length);
    setActive(0);
    setOpen(true);
    props.onInput(e.currentTarget.value);
  };

  const onKeyDown = (e: TargetedKeyboardEvent<HTMLInputElement>): void => {
    if (shown && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      setActive((a) => (a + (e.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length);
    } else if (shown && (e.key === "Enter" || e.key === "Tab")) {
      e.preventDefault();
      take((matches[active] ?? matches[0]).text);
    } else if (e.key === "Escape") {
      setOpen(false);
    } else if (e.key === "Enter") {
      e.preventDefault();
      props.onSubmit();
    }
  };

  return (
    <div class="formula">
      <label class="field" for="formula">
        Formula
      </label>
      <input
        id="formula"
        ref={input}
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls="formula-options"
        aria-activedescendant={shown ? `formula-option-${active}` : undefined}
        aria-describedby="formula-error formula-hint formula-structures"
        aria-invalid={props.error ? true : undefined}
        placeholder="y ~ x + (1 | group)"
        value={props.value}
        onInput={onInput}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id="formula-options" role="listbox" aria-label="Column names" class="completions" hidden={!shown}>
        {matches.map((m, k) => (
          <li id={`formula-option-${k}`} role="option" aria-selected={k === active} class={k === active ? "active" : ""} onMouseDown={(e) => (e.preventDefault(), take(m.text))}>
            {m.label}
            {m.about && <span class="completion-about"> covariance structure: {m.about}</span>}
          </li>
        ))}
      </ul>
      <div id="formula-error" class="error formula-error" role="alert" hidden={!props.error}>
        {props.error && <ErrorText text={props.error} />}
      </div>
      <p id="formula-hint" class="hint">
        lme4 syntax: fixed effects, then random effects in parentheses, e.g. <code>y ~ x + (x | group)</code>; nested <code>(1 | a/b)</code>, uncorrelated <code>(x || g)</code>.
      </p>
      <p id="formula-structures" class="hint">
        Covariance structures (glmmTMB): <code>diag(x | g)</code>, <code>cs(1 + x | g)</code>, <code>ar1(0 + time | g)</code>, <code>toep(0 + time | g)</code>; <code>us(…)</code> is the default. For <code>ar1</code> and <code>toep</code>, <code>time</code> is a categorical column (one effect per time point).
      </p>
    </div>
  );
}
