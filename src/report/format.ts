// Text pieces the markdown and HTML reports share: a value for a cell, a duration, a traceback
// without ANSI codes, the version lines, and a CSV artefact cut to the rows the report shows.
import { formatNumber, parseCsv } from "../viz/format.js";
import type { Outcome } from "../paper/types.js";

/** Each outcome's mark (markdown has no colour: REPORT.md and the README get the mark) and CSS class (report.html colours the cell; no emoji font is assumed there). */
export const OUTCOME_STYLE: Readonly<Record<Outcome, { mark: string; cls: string }>> = {
  holds: { mark: "✅", cls: "v-holds" },
  partly: { mark: "🟡", cls: "v-partly" },
  "not reproduced": { mark: "❌", cls: "v-fails" },
  "not comparable": { mark: "⚪", cls: "v-neutral" },
  "not run": { mark: "⚪", cls: "v-neutral" },
};

/** The verdict with its outcome's mark in front ("✅ holds"); unmarked for rows saved without an outcome. */
export function markedVerdict(r: { verdict: string; outcome?: Outcome }): string {
  const s = r.outcome && OUTCOME_STYLE[r.outcome];
  return s ? `${s.mark} ${r.verdict}` : r.verdict;
}

/** A value for a table cell: null -> "—", numbers with at most 4 significant digits (compact form). */
export function fmtValue(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  return formatNumber(v, { compact: true });
}

export function fmtSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const r = Math.round(s - 60 * m);
  return `${m} min ${String(r).padStart(2, "0")} s`;
}

/** Drop ANSI colour codes (IPython/tslab tracebacks carry them). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "");
}

const MAIN_PACKAGES = ["node", "@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-node-gpu"];

/** Node.js and the TensorFlow.js packages, e.g. "Node.js 20.19.0, @tensorflow/tfjs 4.22.0". */
export function versionsLine(v: Record<string, string>): string {
  return MAIN_PACKAGES.filter((k) => v[k]).map((k) => `${k === "node" ? "Node.js" : k} ${v[k]}`).join(", ");
}

/** Every other package version ("" when there is none). */
export function otherVersions(v: Record<string, string>): string {
  const skip = new Set(MAIN_PACKAGES);
  return Object.entries(v).filter(([k]) => !skip.has(k)).map(([k, x]) => `${k} ${x}`).join(", ");
}

/** The most CSV rows a report shows of a table; the rest are counted in a note. */
export const MAX_TABLE_ROWS = 200;

/**
 * A saved CSV as the report shows it: the header, the first MAX_TABLE_ROWS rows (each padded or
 * cut to the header's width, numbers to 4 significant digits) and how many rows were left out;
 * undefined for an empty CSV.
 */
export function csvPreview(csv: string): { head: string[]; rows: string[][]; more: number } | undefined {
  const [head, ...body] = parseCsv(csv);
  if (!head) return undefined;
  // The CSV keeps full precision; the report shows a number as fmtValue does (16-digit floats do not read).
  const cell = (v: string) => (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v.trim()) ? fmtValue(Number(v)) : v);
  const rows = body.slice(0, MAX_TABLE_ROWS).map((r) => head.map((_, j) => cell(r[j] ?? "")));
  return { head, rows, more: body.length - rows.length };
}
