// Text formats for tables, written once for viz and the report: numbers to a few significant
// digits, HTML escaping, HTML and markdown tables from string cells, and CSV (quoting, parsing).
// No danfo here, so the report can use it without loading @tensorflow/tfjs-node.

export interface NumberFormat {
  /** Significant digits. Default 4. */
  digits?: number;
  /**
   * Report style: integers from 1e9 up also go to exponent form, and the mantissa loses its
   * trailing zeros ("1.5e-7", not "1.500e-7"). Off (viz tables): every integer is written out.
   */
  compact?: boolean;
}

/** A number for a table cell: exponent form below 1e-3 and from 1e6 up, else `digits` significant digits. */
export function formatNumber(v: number, { digits = 4, compact = false }: NumberFormat = {}): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && !(compact && Math.abs(v) >= 1e9)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) {
    const e = v.toExponential(digits - 1);
    return compact ? e.replace(/\.?0+e/, "e") : e;
  }
  return String(Number(v.toPrecision(digits)));
}

/**
 * Escape text for HTML: &, < and > always; " too unless `quotes` is false (the viz tables never
 * escaped it, the report does since it also fills attribute values).
 */
export function escapeHtml(s: string, { quotes = true }: { quotes?: boolean } = {}): string {
  const t = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return quotes ? t.replace(/"/g, "&quot;") : t;
}

export interface HtmlTableStyle {
  /** Attributes of <table>, with a leading space (e.g. ' class="data"'). */
  table: string;
  /** Attributes of each <th>, with a leading space. */
  th?: string;
  /** Attributes of a <td>, given its (unescaped) text, with a leading space. */
  td?: (cell: string) => string;
  /** A whole <caption> element (HTML, not escaped), placed right after <table>. */
  caption?: string;
  /** Start <thead> and close it on lines of their own. Default false. */
  lines?: boolean;
  /** Passed to escapeHtml. Default true. */
  quotes?: boolean;
}

/** An HTML table from a header and rows of text cells (escaped here); rows one a line. */
export function htmlTable(head: string[], body: string[][], s: HtmlTableStyle): string {
  const esc = (x: string) => escapeHtml(x, { quotes: s.quotes });
  const nl = s.lines ? "\n" : "";
  const th = head.map((c) => `<th${s.th ?? ""}>${esc(c)}</th>`).join("");
  const rows = body.map((r) => `<tr>${r.map((c) => `<td${s.td?.(c) ?? ""}>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table${s.table}>${s.caption ?? ""}${nl}<thead><tr>${th}</tr></thead>${nl}<tbody>\n${rows}\n</tbody></table>`;
}

/** Text for a markdown table cell: newlines become spaces, | is escaped, ends trimmed. */
export function mdCell(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

/** A markdown table from a header and rows of text cells (every cell through mdCell). */
export function markdownTable(head: string[], body: string[][]): string {
  const line = (r: string[]) => `| ${r.map(mdCell).join(" | ")} |`;
  return [line(head), `|${head.map(() => "---").join("|")}|`, ...body.map(line)].join("\n");
}

/** A CSV field, quoted (RFC 4180) when it holds a quote, a comma or a newline. */
export function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF); blank lines are dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ",") { row.push(field); field = ""; i++; continue; }
    if (c === "\r" || c === "\n") {
      row.push(field); field = "";
      rows.push(row); row = [];
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}
