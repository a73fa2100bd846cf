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
  const matches = word === "" ? [] : props.columns.filter((c) => c.toLowerCase().startsWith(word.toLowerCase()) && c !== word).slice(0, 8);
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
      take(matches[active] ?? matches[0]);
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
        aria-describedby="formula-error formula-hint"
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
          <li id={`formula-option-${k}`} role="option" aria-selected={k === active} class={k === active ? "active" : ""} onMouseDown={(e) => (e.preventDefault(), take(m))}>
            {m}
          </li>
        ))}
      </ul>
      <p id="formula-hint" class="hint">
        lme4 syntax: fixed effects, then random effects in parentheses, e.g. <code>y ~ x + (x | group)</code>; nested <code>(1 | a/b)</code>, uncorrelated <code>(x || g)</code>.
      </p>
      <div id="formula-error" class="error formula-error" role="alert" hidden={!props.error}>
        {props.error && <ErrorText text={props.error} />}
      </div>
    </div>
  );
}
