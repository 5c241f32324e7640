// Tables: danfo DataFrames (or plain row objects) as an HTML table for notebooks and reports,
// as aligned plain text for the terminal, and as CSV files. danfo has no HTML export, so we build
// the markup from columns and values (the markup and number formats themselves: ./format.ts).
import * as dfd from "danfojs-node";
import { writeFileAtomic } from "../io/atomic.js";
import { csvField, formatNumber, htmlTable } from "./format.js";

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;
export interface TableOptions {
  /** Significant digits for non-integer numbers. Default 4. */
  digits?: number;
  /** Optional caption (HTML) / title line (text). */
  caption?: string;
}

/** Build a danfo DataFrame from row objects (column order = first row's key order). */
export function toDataFrame(rows: Row[]): dfd.DataFrame {
  if (rows.length === 0) return new dfd.DataFrame([]);
  const columns = Object.keys(rows[0]);
  const data: Record<string, Cell[]> = {};
  for (const c of columns) data[c] = rows.map((r) => r[c] ?? null);
  return new dfd.DataFrame(data);
}

function columnsAndRows(t: dfd.DataFrame | Row[]): { columns: string[]; values: Cell[][] } {
  if (Array.isArray(t)) {
    const columns = t.length ? Object.keys(t[0]) : [];
    return { columns, values: t.map((r) => columns.map((c) => r[c])) };
  }
  const values = (t.shape[0] === 0 ? [] : (t.values as Cell[][])) as Cell[][];
  return { columns: t.columns.map(String), values };
}

/** One cell as text: empty for null/undefined, numbers to `digits` significant digits (formatNumber). */
export function formatCell(v: Cell, digits = 4): string {
  if (v === null || v === undefined) return "";
  return typeof v === "number" ? formatNumber(v, { digits }) : String(v);
}

const TH = ' style="text-align:right;padding:2px 8px;border-bottom:1px solid #999"';
const TD = ' style="text-align:right;padding:2px 8px;font-variant-numeric:tabular-nums"';

/** HTML table (self-contained inline styles so it reads the same in Jupyter, GitHub and reports). */
export function tableToHtml(t: dfd.DataFrame | Row[], opts: TableOptions = {}): string {
  const { columns, values } = columnsAndRows(t);
  const d = opts.digits ?? 4;
  return htmlTable(
    columns,
    values.map((r) => r.map((v) => formatCell(v, d))),
    {
      table: ' class="w4s4-table" style="border-collapse:collapse;font-size:13px"',
      th: TH,
      td: () => TD,
      caption: opts.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${opts.caption}</caption>` : "",
      lines: true,
      quotes: false,
    },
  );
}

/** Plain-text table with aligned columns, for the terminal and logs. */
export function tableToText(t: dfd.DataFrame | Row[], opts: TableOptions = {}): string {
  const { columns, values } = columnsAndRows(t);
  const d = opts.digits ?? 4;
  const cells = [columns, ...values.map((r) => r.map((v) => formatCell(v, d)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((s, j) => s.padStart(widths[j])).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const lines = [line(cells[0]), rule, ...cells.slice(1).map(line)];
  return (opts.caption ? opts.caption + "\n" : "") + lines.join("\n");
}

/** CSV text (RFC 4180 quoting). */
export function tableToCsv(t: dfd.DataFrame | Row[]): string {
  const { columns, values } = columnsAndRows(t);
  const fmt = (v: Cell) => (v === null || v === undefined ? "" : typeof v === "number" ? String(v) : csvField(String(v)));
  return [columns.map(csvField).join(","), ...values.map((r) => r.map(fmt).join(","))].join("\n") + "\n";
}

export function saveTableCsv(t: dfd.DataFrame | Row[], path: string): void {
  writeFileAtomic(path, tableToCsv(t));
}
