// The paper run: every notebook at a size, with its charts, tables and paper-vs-ours rows saved, then
// the reproduction report.
//   npm run paper -- [--size small|default|full] [--out DIR] [--timeout S] [notebook.ipynb ...]
//   npm run paper -- --report-only --out DIR     (rebuild the report files from DIR without re-running)
// Writes DIR (default out/paper-<size>):
//   notebooks/      executed copies          results/<nb>/  what each notebook saved (src/paper/results.ts)
//   REPORT.md       report.html (standalone, charts inlined)
//   results.json    (merged)                 results.md     paper-vs-ours table (npm run paper:readme)
// Exit code 1 if any notebook failed (the report is still written), 2 on bad arguments.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseSize } from "../src/notebookSize.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { packageVersions } from "../src/versions.js";
import { countArtifacts, loadReportData, type NotebookRun, type ReportData } from "../src/report/load.js";
import { fmtSeconds } from "../src/report/format.js";
import { buildReportMarkdown, buildResultsMarkdown } from "../src/report/markdown.js";
import { buildReportHtml } from "../src/report/html.js";
import { mergedResults } from "../src/report/readme.js";
import { listNotebooks, runNotebooks } from "./run-notebooks.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The backend line, from a child process: loading tfjs-node-gpu here would hold GPU memory while
 * the notebooks run. Notebooks select their backend the same way (same environment).
 */
function backendReport(): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli.ts"), "backend"], {
    cwd: root,
    encoding: "utf8",
    timeout: 180_000,
  });
  // Two lines: the backend (what was chosen and tried) and the layer's compute paths there.
  const lines = (r.stdout ?? "").trim();
  if (r.status === 0 && lines) return lines;
  return `unknown (w4s4 backend exited ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().split("\n").pop() ?? ""})`;
}

function writeReport(out: string, data: ReportData): void {
  writeFileAtomic(join(out, "results.json"), JSON.stringify(mergedResults(data), null, 2) + "\n");
  writeFileAtomic(join(out, "results.md"), buildResultsMarkdown(data));
  writeFileAtomic(join(out, "REPORT.md"), buildReportMarkdown(data));
  writeFileAtomic(join(out, "report.html"), buildReportHtml(data));
}

/** Rebuild the report from a finished run's merged results.json and its results/ tree. */
function reportOnly(out: string): number {
  const f = join(out, "results.json");
  if (!existsSync(f)) {
    console.error(`No paper run in ${out} (${f} is missing).`);
    return 2;
  }
  const m = JSON.parse(readFileSync(f, "utf8")) as {
    size: string; date: string; backend: string; versions: Record<string, string>; seedPolicy?: string; totalSeconds: number;
    notebooks: { notebook: string; executed?: string; ok: boolean; seconds: number; error?: string }[];
  };
  const runs: NotebookRun[] = m.notebooks.map((n) => ({
    notebook: `${n.notebook}.ipynb`,
    output: n.executed ? join(out, n.executed) : undefined,
    ok: n.ok,
    seconds: n.seconds,
    error: n.error,
  }));
  const data = loadReportData({ outDir: out, runs, size: m.size, backend: m.backend, versions: m.versions, date: m.date, totalSeconds: m.totalSeconds, seedPolicy: m.seedPolicy });
  writeReport(out, data);
  console.error(`report rebuilt: ${join(out, "REPORT.md")}, ${join(out, "report.html")}`);
  return data.notebooks.some((n) => !n.ok) ? 1 : 0;
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      size: { type: "string", default: process.env.W4S4_SIZE || "default" },
      out: { type: "string" },
      timeout: { type: "string", default: "1800" },
      "report-only": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run paper -- [--size small|default|full] [--out DIR (default out/paper-<size>)] [--timeout SECONDS_PER_CELL] [notebook.ipynb ...]\n" +
        "       npm run paper -- --report-only --out DIR   (rebuild REPORT.md, report.html, results.* from DIR's results)",
    );
    return 0;
  }
  if (values["report-only"]) return reportOnly(resolve(values.out ?? join(root, "out", `paper-${parseSize(values.size, "--size")}`)));
  const size = parseSize(values.size, "--size");
  const timeout = Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 1) {
    console.error(`Invalid --timeout: got ${JSON.stringify(values.timeout)}; allowed: an integer number of seconds >= 1.`);
    return 2;
  }
  const notebooks = listNotebooks(positionals);
  const out = resolve(values.out ?? join(root, "out", `paper-${size}`));
  const date = new Date().toISOString();
  const backend = backendReport();
  console.error(`paper run: ${notebooks.length} notebook(s), size ${size} -> ${out}\nbackend: ${backend}`);

  const t0 = Date.now();
  const runs = runNotebooks({
    size,
    out: join(out, "notebooks"),
    timeout,
    notebooks,
    resultsRoot: join(out, "results"),
    onDone: (r, k, n) =>
      console.error(`[${k + 1}/${n}] ${basename(r.notebook, ".ipynb")} … ${r.ok ? "ok" : "FAILED"} ${Math.round(r.seconds)} s`),
  });
  const totalSeconds = (Date.now() - t0) / 1000;

  const data = loadReportData({ outDir: out, runs, size, backend, versions: packageVersions(), date, totalSeconds });
  writeReport(out, data);

  const failed = runs.filter((r) => !r.ok);
  const rows = data.notebooks.reduce((s, n) => s + n.results.length, 0);
  const charts = countArtifacts(data.notebooks, "chart");
  console.error(
    `\n${runs.length - failed.length} of ${runs.length} notebooks ran (size ${size}) in ${fmtSeconds(totalSeconds)}; ` +
      `${charts} charts, ${rows} paper-vs-ours rows.\nreport: ${join(out, "REPORT.md")}\n        ${join(out, "report.html")}`,
  );
  for (const f of failed) console.error(`FAILED ${basename(f.notebook)}`);
  return failed.length ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
