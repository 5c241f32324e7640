// The report as one standalone HTML page (report.html): every chart's SVG inlined with ids made
// unique, tables from the saved CSVs, and a load script that marks each chart as laid out.
import { escapeHtml, htmlTable } from "../viz/format.js";
import { countArtifacts, failures, groupResults, type ReportData } from "./load.js";
import { csvPreview, fmtSeconds, fmtValue, OUTCOME_STYLE, otherVersions, stripAnsi, versionsLine } from "./format.js";

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

const isNumber = (s: string) => /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);

function csvToHtml(csv: string): string {
  const t = csvPreview(csv);
  if (!t) return "<p><em>(empty table)</em></p>";
  const table = htmlTable(t.head, t.rows, { table: ' class="data"', td: (v) => (isNumber(v) ? ' class="num"' : "") });
  return table + (t.more ? `<p class="note">${t.more} more rows in the CSV.</p>` : "");
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
td.verdict{font-weight:600}td.v-holds{background:#e6f4ea;color:#17692a}td.v-partly{background:#fff6d6;color:#7a5a00}td.v-fails{background:#fde7e9;color:#b00020}td.v-neutral{color:#555}
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
  const nCharts = countArtifacts(data.notebooks, "chart");
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
    const [c, t] = [countArtifacts([nb], "chart"), countArtifacts([nb], "table")];
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
            `<td>${escapeHtml(r.data)}</td><td class="${r.outcome ? `verdict ${OUTCOME_STYLE[r.outcome].cls}` : "verdict"}">${escapeHtml(r.verdict)}</td><td>${escapeHtml(r.notebook)}</td></tr>`,
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
