// The report as markdown: REPORT.md (run, notebooks, paper vs ours, failures, figures and
// tables) and results.md, the paper-vs-ours table that also goes into the README.
import { markdownTable, mdCell } from "../viz/format.js";
import { countArtifacts, failures, groupResults, type ReportData } from "./load.js";
import { csvPreview, fmtSeconds, fmtValue, markedVerdict, otherVersions, stripAnsi, versionsLine } from "./format.js";

/** The paper-vs-ours table as markdown (what goes into the README between the results markers). */
export function buildResultsMarkdown(data: ReportData): string {
  const rows = groupResults(data).flatMap((g) => g.rows);
  const lines: string[] = [];
  if (!rows.length) lines.push("_No paper-vs-ours rows were recorded._");
  else
    lines.push(
      markdownTable(
        ["artefact", "quantity", "paper", "ours", "data", "verdict"],
        rows.map((r) => [r.artefact, r.quantity, fmtValue(r.paper), fmtValue(r.ours), r.data, markedVerdict(r)]),
      ),
    );
  const failed = failures(data);
  if (failed.length)
    lines.push("", `**${failed.length} notebook(s) failed**, rows after the failing cell are missing: ${failed.map((f) => `\`${f.name}\``).join(", ")}.`);
  return lines.join("\n") + "\n";
}

function csvToMarkdown(csv: string): string {
  const t = csvPreview(csv);
  if (!t) return "_(empty table)_";
  const out = [markdownTable(t.head, t.rows)];
  if (t.more) out.push("", `_(${t.more} more rows in the CSV)_`);
  return out.join("\n");
}

export function buildReportMarkdown(data: ReportData): string {
  const failed = failures(data);
  const nCharts = countArtifacts(data.notebooks, "chart");
  const other = otherVersions(data.versions);
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
    `- backend: ${data.backend.replace(/\n/g, "; ")}`,
    `- versions: ${versionsLine(data.versions)}`,
    ...(other ? [`- other packages: ${other}`] : []),
    `- seeds: ${data.seedPolicy}`,
    `- total time: ${fmtSeconds(data.totalSeconds)}`,
    `- charts: ${nCharts}; the standalone page with every chart inlined is [report.html](report.html)`,
    "",
  );
  L.push("## Notebooks", "", "| notebook | status | time | charts | tables | paper rows |", "|---|---|---|---|---|---|");
  for (const nb of data.notebooks) {
    const name = nb.executed ? `[${nb.name}](${nb.executed})` : nb.name;
    const [c, t] = [countArtifacts([nb], "chart"), countArtifacts([nb], "table")];
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
