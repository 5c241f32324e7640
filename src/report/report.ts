// The paper run's reproduction report (scripts/paper.ts). Pure builders — buildReportMarkdown,
// buildReportHtml, buildResultsMarkdown, mergedResults, replaceBetweenMarkers — over a ReportData
// value, and one small loader (loadReportData) that reads what the notebooks saved under
// <out>/results/<notebook>/ (src/paper/results.ts: results.json, NN-chart-*.svg/png, NN-table-*.csv).
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Artifact, PaperResult } from "../paper/results.js";

export const SEED_POLICY = "seeded; every notebook fixes its seeds";

/** An artefact with its file contents loaded (paths relative to the report's directory). */
export interface LoadedArtifact extends Artifact {
  /** Files as paths relative to the output directory (e.g. "results/00-setup-check/01-chart-x.svg"). */
  paths: string[];
  svg?: string;
  csv?: string;
  /** Relative path of the PNG rendering of a chart, if saved. */
  png?: string;
}

export interface ReportNotebook {
  /** Base name without .ipynb, e.g. "00-setup-check". */
  name: string;
  /** Path of the executed copy relative to the output directory, if known. */
  executed?: string;
  ok: boolean;
  seconds: number;
  /** The runner's failure text (notebook, cell, source, error) when !ok. */
  error?: string;
  results: PaperResult[];
  artifacts: LoadedArtifact[];
}

export interface ReportData {
  size: string;
  /** ISO date-time of the run. */
  date: string;
  /** One line: the TensorFlow.js backend and what was tried. */
  backend: string;
  /** Package versions (node, @tensorflow/tfjs, ...). */
  versions: Record<string, string>;
  seedPolicy: string;
  totalSeconds: number;
  notebooks: ReportNotebook[];
}

/** What the runner reports per notebook (scripts/run-notebooks.ts NotebookResult, reduced). */
export interface NotebookRun {
  notebook: string;
  output?: string;
  ok: boolean;
  seconds: number;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Loading

interface SavedResults { results?: PaperResult[]; artifacts?: Artifact[] }

/** Read one notebook's results directory (missing directory or file: nothing recorded). */
export function loadNotebookResults(outDir: string, name: string): { results: PaperResult[]; artifacts: LoadedArtifact[] } {
  const rel = join("results", name);
  const dir = join(outDir, rel);
  const f = join(dir, "results.json");
  if (!existsSync(f)) return { results: [], artifacts: [] };
  const saved = JSON.parse(readFileSync(f, "utf8")) as SavedResults;
  const artifacts = (saved.artifacts ?? []).map((a): LoadedArtifact => {
    const la: LoadedArtifact = { ...a, paths: a.files.map((x) => join(rel, x)) };
    for (const file of a.files) {
      const p = join(dir, file);
      if (!existsSync(p)) continue;
      if (file.endsWith(".svg")) la.svg = readFileSync(p, "utf8");
      else if (file.endsWith(".csv")) la.csv = readFileSync(p, "utf8");
      else if (file.endsWith(".png")) la.png = join(rel, file);
    }
    return la;
  });
  return { results: saved.results ?? [], artifacts };
}

/** Assemble the report's data from the runner's results and what each notebook saved. */
export function loadReportData(opts: {
  outDir: string;
  runs: NotebookRun[];
  size: string;
  backend: string;
  versions: Record<string, string>;
  date?: string;
  totalSeconds?: number;
  seedPolicy?: string;
}): ReportData {
  const notebooks = opts.runs.map((r): ReportNotebook => {
    const name = basename(r.notebook).replace(/\.ipynb$/, "");
    const saved = loadNotebookResults(opts.outDir, name);
    const executed = r.output ? relativeTo(opts.outDir, r.output) : undefined;
    return { name, executed, ok: r.ok, seconds: r.seconds, error: r.error, ...saved };
  });
  return {
    size: opts.size,
    date: opts.date ?? new Date().toISOString(),
    backend: opts.backend,
    versions: opts.versions,
    seedPolicy: opts.seedPolicy ?? SEED_POLICY,
    totalSeconds: opts.totalSeconds ?? opts.runs.reduce((s, r) => s + r.seconds, 0),
    notebooks,
  };
}

function relativeTo(dir: string, p: string): string {
  const d = dir.replace(/\/+$/, "") + "/";
  return p.startsWith(d) ? p.slice(d.length) : p;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

/** A value for a table cell: null -> "—", numbers with at most 4 significant digits. */
export function fmtValue(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(4)));
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

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function mdCell(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF). */
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

/** A result row with the notebook it came from. */
export type ReportResult = PaperResult & { notebook: string };

/** All paper-vs-ours rows grouped by artefact (groups in order of first appearance). */
export function groupResults(data: ReportData): { artefact: string; rows: ReportResult[] }[] {
  const groups = new Map<string, ReportResult[]>();
  for (const nb of data.notebooks)
    for (const r of nb.results) {
      const g = groups.get(r.artefact) ?? [];
      g.push({ ...r, notebook: nb.name });
      groups.set(r.artefact, g);
    }
  return [...groups].map(([artefact, rows]) => ({ artefact, rows }));
}

const MAX_TABLE_ROWS = 200;

function versionsLine(v: Record<string, string>): string {
  const keys = ["node", "@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-node-gpu"];
  const main = keys.filter((k) => v[k]).map((k) => `${k === "node" ? "Node.js" : k} ${v[k]}`);
  return main.join(", ");
}

function otherVersions(v: Record<string, string>): string {
  const skip = new Set(["node", "@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-node-gpu"]);
  return Object.entries(v).filter(([k]) => !skip.has(k)).map(([k, x]) => `${k} ${x}`).join(", ");
}

function failures(data: ReportData): ReportNotebook[] {
  return data.notebooks.filter((n) => !n.ok);
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** The paper-vs-ours table as markdown (what goes into the README between the results markers). */
export function buildResultsMarkdown(data: ReportData): string {
  const groups = groupResults(data);
  const lines: string[] = [];
  if (!groups.length) lines.push("_No paper-vs-ours rows were recorded._");
  else {
    lines.push("| artefact | quantity | paper | ours | data | verdict |", "|---|---|---|---|---|---|");
    for (const g of groups)
      for (const r of g.rows)
        lines.push(
          `| ${mdCell(r.artefact)} | ${mdCell(r.quantity)} | ${mdCell(fmtValue(r.paper))} | ${mdCell(fmtValue(r.ours))} | ${mdCell(r.data)} | ${mdCell(r.verdict)} |`,
        );
  }
  const failed = failures(data);
  if (failed.length)
    lines.push("", `**${failed.length} notebook(s) failed**, rows after the failing cell are missing: ${failed.map((f) => `\`${f.name}\``).join(", ")}.`);
  return lines.join("\n") + "\n";
}

function csvToMarkdown(csv: string): string {
  const rows = parseCsv(csv);
  if (!rows.length) return "_(empty table)_";
  const [head, ...body] = rows;
  const shown = body.slice(0, MAX_TABLE_ROWS);
  const out = [`| ${head.map(mdCell).join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of shown) out.push(`| ${head.map((_, j) => mdCell(r[j] ?? "")).join(" | ")} |`);
  if (body.length > shown.length) out.push("", `_(${body.length - shown.length} more rows in the CSV)_`);
  return out.join("\n");
}

export function buildReportMarkdown(data: ReportData): string {
  const failed = failures(data);
  const nCharts = data.notebooks.reduce((s, n) => s + n.artifacts.filter((a) => a.kind === "chart").length, 0);
  const L: string[] = [];
  L.push("# W4S4 paper run — reproduction report", "");
  L.push(
    failed.length
      ? `**${failed.length} of ${data.notebooks.length} notebooks FAILED** (see [Failures](#failures)).`
      : `All ${data.notebooks.length} notebooks ran.`,
    "",
  );
  L.push(
    `- size: \`${data.size}\``,
    `- date: ${data.date}`,
    `- backend: ${data.backend}`,
    `- versions: ${versionsLine(data.versions)}`,
    ...(otherVersions(data.versions) ? [`- other packages: ${otherVersions(data.versions)}`] : []),
    `- seeds: ${data.seedPolicy}`,
    `- total time: ${fmtSeconds(data.totalSeconds)}`,
    `- charts: ${nCharts}; the standalone page with every chart inlined is [report.html](report.html)`,
    "",
  );
  L.push("## Notebooks", "", "| notebook | status | time | charts | tables | paper rows |", "|---|---|---|---|---|---|");
  for (const nb of data.notebooks) {
    const name = nb.executed ? `[${nb.name}](${nb.executed})` : nb.name;
    const c = nb.artifacts.filter((a) => a.kind === "chart").length;
    const t = nb.artifacts.filter((a) => a.kind === "table").length;
    L.push(`| ${name} | ${nb.ok ? "ok" : "**FAILED**"} | ${fmtSeconds(nb.seconds)} | ${c} | ${t} | ${nb.results.length} |`);
  }
  L.push(`| **total** | ${data.notebooks.length - failed.length}/${data.notebooks.length} ok | ${fmtSeconds(data.totalSeconds)} | | | |`, "");
  L.push("## Paper vs ours", "", buildResultsMarkdown(data).trimEnd(), "");
  if (failed.length) {
    L.push("## Failures", "");
    for (const f of failed) L.push(`### ${f.name}`, "", "```text", stripAnsi(f.error ?? "failed (no error text)").trim(), "```", "");
  }
  L.push("## Figures and tables", "");
  for (const nb of data.notebooks) {
    if (!nb.artifacts.length) continue;
    L.push(`### ${nb.name}`, "");
    for (const a of nb.artifacts) {
      if (a.kind === "chart") {
        const img = a.png ?? a.paths.find((p) => p.endsWith(".svg"));
        L.push(`**${mdCell(a.title)}**`, "", img ? `![${mdCell(a.title)}](${img})` : "_(chart file missing)_", "");
      } else {
        const csvPath = a.paths.find((p) => p.endsWith(".csv"));
        L.push(`**${mdCell(a.title)}**${csvPath ? ` ([CSV](${csvPath}))` : ""}`, "", a.csv !== undefined ? csvToMarkdown(a.csv) : "_(CSV missing)_", "");
      }
    }
  }
  return L.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

// ---------------------------------------------------------------------------------------------
// HTML

/**
 * Prepare an SVG for inlining: drop the XML prolog/doctype and make its ids unique to the chart
 * (vega names clip paths "clip1", ...; several inlined charts would otherwise share them).
 */
export function inlineSvg(svg: string, prefix: string): string {
  let s = svg.replace(/<\?xml[^>]*\?>\s*/g, "").replace(/<!DOCTYPE[^>]*>\s*/gi, "").trim();
  const ids = new Set<string>();
  for (const m of s.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  if (!ids.size) return s;
  const re = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const id of ids) {
    const e = re(id);
    s = s
      .replace(new RegExp(`(\\sid=")${e}"`, "g"), `$1${prefix}${id}"`)
      .replace(new RegExp(`url\\(#${e}\\)`, "g"), `url(#${prefix}${id})`)
      .replace(new RegExp(`(href=")#${e}"`, "g"), `$1#${prefix}${id}"`);
  }
  return s;
}

function csvToHtml(csv: string): string {
  const rows = parseCsv(csv);
  if (!rows.length) return "<p><em>(empty table)</em></p>";
  const [head, ...body] = rows;
  const shown = body.slice(0, MAX_TABLE_ROWS);
  const num = (s: string) => /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);
  const h = `<thead><tr>${head.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`;
  const b = shown
    .map((r) => `<tr>${head.map((_, j) => { const v = r[j] ?? ""; return `<td${num(v) ? ' class="num"' : ""}>${escapeHtml(v)}</td>`; }).join("")}</tr>`)
    .join("\n");
  const more = body.length > shown.length ? `<p class="note">${body.length - shown.length} more rows in the CSV.</p>` : "";
  return `<table class="data">${h}<tbody>\n${b}\n</tbody></table>${more}`;
}

function anchor(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:2em auto;max-width:1100px;padding:0 1.5em;color:#222}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
tbody.group th{background:#e8eef7;text-align:left}
.status-ok{color:#17692a;font-weight:600}.status-failed{color:#b00020;font-weight:700}
.banner{padding:.6em 1em;border-radius:4px;margin:1em 0}.banner.ok{background:#e6f4ea}.banner.failed{background:#fde7e9}
pre{background:#f7f7f7;border:1px solid #ddd;padding:.8em;overflow:auto;font-size:.85em;white-space:pre-wrap}
figure.chart{margin:1em 0 2em;overflow-x:auto}figure.chart figcaption{color:#666;font-size:.85em;margin:.3em 0}.table-caption{font-weight:600;margin:.3em 0}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.note{color:#666;font-size:.9em}
`;

// After load, each chart figure is marked with the size its SVG rendered at, so a headless browser's
// DOM dump (scripts/check-report.ts) can tell that the chart was laid out, not only parsed.
const SCRIPT = `
window.addEventListener("load",function(){var f=document.querySelectorAll("figure.chart");var n=0;
for(var i=0;i<f.length;i++){var s=f[i].querySelector("svg");if(!s)continue;var r=s.getBoundingClientRect();
if(r.width>0&&r.height>0){n++;f[i].setAttribute("data-rendered",Math.round(r.width)+"x"+Math.round(r.height));}}
document.body.setAttribute("data-charts-rendered",String(n));});
`;

export function buildReportHtml(data: ReportData): string {
  const failed = failures(data);
  const nCharts = data.notebooks.reduce((s, n) => s + n.artifacts.filter((a) => a.kind === "chart").length, 0);
  const H: string[] = [];
  H.push(
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    "<title>W4S4 paper run — reproduction report</title>",
    `<meta name="w4s4-charts" content="${nCharts}">`,
    `<style>${CSS}</style>`,
    `<script>${SCRIPT}</script>`,
    "</head><body>",
    "<h1>W4S4 paper run — reproduction report</h1>",
  );
  H.push(
    failed.length
      ? `<p class="banner failed"><strong>${failed.length} of ${data.notebooks.length} notebooks FAILED</strong> — see <a href="#failures">Failures</a>.</p>`
      : `<p class="banner ok">All ${data.notebooks.length} notebooks ran.</p>`,
  );
  const other = otherVersions(data.versions);
  H.push(
    '<dl class="meta">',
    `<dt>size</dt><dd><code>${escapeHtml(data.size)}</code></dd>`,
    `<dt>date</dt><dd>${escapeHtml(data.date)}</dd>`,
    `<dt>backend</dt><dd>${escapeHtml(data.backend)}</dd>`,
    `<dt>versions</dt><dd>${escapeHtml(versionsLine(data.versions))}</dd>`,
    ...(other ? [`<dt>other packages</dt><dd>${escapeHtml(other)}</dd>`] : []),
    `<dt>seeds</dt><dd>${escapeHtml(data.seedPolicy)}</dd>`,
    `<dt>total time</dt><dd>${fmtSeconds(data.totalSeconds)}</dd>`,
    `<dt>charts</dt><dd>${nCharts}</dd>`,
    "</dl>",
  );

  H.push("<h2>Notebooks</h2>", "<table><thead><tr><th>notebook</th><th>status</th><th>time</th><th>charts</th><th>tables</th><th>paper rows</th></tr></thead><tbody>");
  for (const nb of data.notebooks) {
    const c = nb.artifacts.filter((a) => a.kind === "chart").length;
    const t = nb.artifacts.filter((a) => a.kind === "table").length;
    const name = nb.executed ? `<a href="${escapeHtml(nb.executed)}">${escapeHtml(nb.name)}</a>` : escapeHtml(nb.name);
    H.push(
      `<tr><td>${name}</td><td class="${nb.ok ? "status-ok" : "status-failed"}">${nb.ok ? "ok" : "FAILED"}</td>` +
        `<td class="num">${fmtSeconds(nb.seconds)}</td><td class="num">${c}</td><td class="num">${t}</td><td class="num">${nb.results.length}</td></tr>`,
    );
  }
  H.push(
    `<tr><th>total</th><th>${data.notebooks.length - failed.length}/${data.notebooks.length} ok</th><th class="num">${fmtSeconds(data.totalSeconds)}</th><th></th><th></th><th></th></tr>`,
    "</tbody></table>",
  );

  H.push('<h2 id="paper-vs-ours">Paper vs ours</h2>');
  const groups = groupResults(data);
  if (!groups.length) H.push("<p><em>No paper-vs-ours rows were recorded.</em></p>");
  else {
    H.push('<table class="results"><thead><tr><th>quantity</th><th>paper</th><th>ours</th><th>data</th><th>verdict</th><th>notebook</th></tr></thead>');
    for (const g of groups) {
      H.push(`<tbody class="group"><tr><th colspan="6">${escapeHtml(g.artefact)}</th></tr>`);
      for (const r of g.rows)
        H.push(
          `<tr><td>${escapeHtml(r.quantity)}</td><td class="num">${escapeHtml(fmtValue(r.paper))}</td><td class="num">${escapeHtml(fmtValue(r.ours))}</td>` +
            `<td>${escapeHtml(r.data)}</td><td>${escapeHtml(r.verdict)}</td><td>${escapeHtml(r.notebook)}</td></tr>`,
        );
      H.push("</tbody>");
    }
    H.push("</table>");
  }

  if (failed.length) {
    H.push('<h2 id="failures">Failures</h2>');
    for (const f of failed) H.push(`<h3>${escapeHtml(f.name)}</h3>`, `<pre class="failure">${escapeHtml(stripAnsi(f.error ?? "failed (no error text)").trim())}</pre>`);
  }

  H.push("<h2>Figures and tables</h2>");
  let k = 0;
  for (const nb of data.notebooks) {
    if (!nb.artifacts.length) continue;
    H.push(`<h3 id="nb-${anchor(nb.name)}">${escapeHtml(nb.name)}</h3>`);
    for (const a of nb.artifacts) {
      if (a.kind === "chart") {
        k++;
        const body = a.svg ? inlineSvg(a.svg, `c${k}-`) : '<p class="status-failed">(SVG file missing)</p>';
        H.push(`<figure class="chart" data-chart="${k}"><figcaption>Chart ${k} — ${escapeHtml(a.title)}</figcaption>\n${body}\n</figure>`);
      } else {
        const csvPath = a.paths.find((p) => p.endsWith(".csv"));
        H.push(
          `<div class="table-block"><p class="table-caption">${escapeHtml(a.title)}${csvPath ? ` <a class="note" href="${escapeHtml(csvPath)}">CSV</a>` : ""}</p>`,
          a.csv !== undefined ? csvToHtml(a.csv) : '<p class="status-failed">(CSV file missing)</p>',
          "</div>",
        );
      }
    }
  }
  H.push("</body></html>");
  return H.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Merged results.json and the README section

export function mergedResults(data: ReportData): unknown {
  return {
    size: data.size,
    date: data.date,
    backend: data.backend,
    versions: data.versions,
    seedPolicy: data.seedPolicy,
    totalSeconds: data.totalSeconds,
    notebooks: data.notebooks.map((n) => ({ notebook: n.name, executed: n.executed, ok: n.ok, seconds: n.seconds, error: n.error })),
    results: data.notebooks.flatMap((n) => n.results.map((r) => ({ ...r, notebook: n.name }))),
    artifacts: data.notebooks.flatMap((n) => n.artifacts.map((a) => ({ kind: a.kind, title: a.title, notebook: n.name, files: a.paths }))),
  };
}

export const RESULTS_BEGIN = "<!-- results:begin -->";
export const RESULTS_END = "<!-- results:end -->";

/** Replace the text between the results markers (markers kept). Throws when they are missing or out of order. */
export function replaceBetweenMarkers(text: string, content: string, begin = RESULTS_BEGIN, end = RESULTS_END): string {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const missing = [i < 0 ? begin : "", j < 0 ? end : ""].filter(Boolean);
  if (missing.length) throw new Error(`README has no ${missing.join(" and no ")} marker; add both around the results section first.`);
  if (text.indexOf(begin, i + 1) >= 0 || text.indexOf(end, j + 1) >= 0) throw new Error(`README has more than one ${begin} / ${end} marker.`);
  if (j < i) throw new Error(`README's ${end} comes before ${begin}.`);
  return text.slice(0, i + begin.length) + "\n" + content.trim() + "\n" + text.slice(j);
}

/** The README section: where the results came from, then results.md. */
export function readmeResultsSection(meta: { size: string; date: string; backend: string }, resultsMd: string): string {
  const day = meta.date.slice(0, 10);
  const backend = meta.backend.split(" — tried before")[0]; // the README needs what ran, not what was tried
  return `_From \`npm run paper -- --size ${meta.size}\` on ${day}, backend: ${backend}._\n\n${resultsMd.trim()}\n`;
}
