/** Number formatting of the studio's tables (display only; exports keep full precision). */

/** Six significant digits, without trailing zeros; NA for missing. */
export function num(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e9) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
}

/** A p-value as R prints it: < 2e-16 below, else three significant digits. */
export function pval(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "NA";
  if (p < 2.2e-16) return "< 2e-16";
  return num(p, 3);
}

/** A table as CSV text (RFC 4180 quoting). */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const q = (v: string | number | null): string => {
    const s = v === null ? "NA" : typeof v === "number" ? (Number.isNaN(v) ? "NA" : String(v)) : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(q).join(",")).join("\n") + "\n";
}
