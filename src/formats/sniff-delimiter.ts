/**
 * Detection of the field delimiter of delimited text: comma, semicolon (European spreadsheets,
 * which write decimal commas) or tab.
 *
 * A candidate fits when it splits the header line into at least two fields and every other
 * sampled line into as many (delimiters inside double quotes do not count). The expected one (from
 * the file's extension) wins when it fits; otherwise the fitting candidate with the most fields.
 * When another candidate was chosen, or more than one fits, a note says which was assumed.
 */

/** A field delimiter mlm detects. */
export type Delimiter = "," | ";" | "\t";

const CANDIDATES: readonly Delimiter[] = [",", ";", "\t"];

/** How many lines are compared. */
const SAMPLE_LINES = 50;

/** The result of {@link chooseDelimiter}. */
export interface DelimiterChoice {
  readonly delimiter: Delimiter;
  /** Completes "Read 'FILE' ..." when the choice is worth telling, e.g. "with ';' as the delimiter ...". */
  readonly note?: string;
}

/** The delimiter as it is written in a note. */
function show(d: Delimiter): string {
  return d === "\t" ? "tab" : `'${d}'`;
}

/** Count of each candidate per line, outside double quotes, for the first complete lines. */
function countPerLine(sample: string, complete: boolean): number[][] {
  const lines: number[][] = [];
  let counts = [0, 0, 0];
  let quoted = false;
  let empty = true;
  for (let i = 0; i < sample.length && lines.length < SAMPLE_LINES; i++) {
    const ch = sample[i];
    if (ch === '"') {
      quoted = !quoted;
      empty = false;
    } else if (!quoted && (ch === "\n" || ch === "\r")) {
      if (!empty) lines.push(counts);
      counts = [0, 0, 0];
      empty = true;
    } else {
      if (!quoted) {
        const k = CANDIDATES.indexOf(ch as Delimiter);
        if (k >= 0) counts[k]++;
      }
      if (ch !== " ") empty = false;
    }
  }
  if (complete && !empty && !quoted && lines.length < SAMPLE_LINES) lines.push(counts);
  return lines;
}

/**
 * Chooses the delimiter of delimited text from its first lines.
 *
 * @param sample - the start of the text.
 * @param preferred - the delimiter the file's extension implies.
 * @param complete - whether the sample is the whole text (its last line is complete).
 * @returns the delimiter, and a note when it is not the preferred one or the choice was close.
 * @example
 * ```ts
 * chooseDelimiter("y;x\n1,5;2\n", ",", true);
 * // { delimiter: ";", note: "with ';' as the delimiter, which splits every line into 2 fields; use --delimiter to choose another." }
 * chooseDelimiter("y,x\n1,2\n", ",", true); // { delimiter: "," }
 * ```
 */
export function chooseDelimiter(sample: string, preferred: Delimiter, complete: boolean): DelimiterChoice {
  const lines = countPerLine(sample, complete);
  if (lines.length === 0) return { delimiter: preferred };
  const fits = CANDIDATES.map((_, k) => lines[0][k] >= 1 && lines.every((l) => l[k] === lines[0][k]));
  const fitting = CANDIDATES.filter((_, k) => fits[k]);
  if (fitting.length === 0) return { delimiter: preferred };
  const fields = (d: Delimiter) => lines[0][CANDIDATES.indexOf(d)] + 1;
  const chosen = fitting.includes(preferred) ? preferred : [...fitting].sort((a, b) => fields(b) - fields(a))[0];
  const others = fitting.filter((d) => d !== chosen);
  if (chosen === preferred && others.length === 0) return { delimiter: chosen };
  const also = others.length === 0 ? "" : ` (${others.map(show).join(" and ")} would also split every line evenly)`;
  return {
    delimiter: chosen,
    note: `with ${show(chosen)} as the delimiter, which splits every line into ${fields(chosen)} fields${also}; use --delimiter to choose another.`,
  };
}
