// What the paper run publishes besides the report: the merged results.json value, and the
// README's results section (written between two HTML-comment markers).
import type { ReportData } from "./load.js";

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
  // The README needs what ran, not what was tried (each line of the report: backend, compute paths).
  const backend = meta.backend.split("\n").map((l) => l.split(" — tried before")[0]).join("; ");
  return `_From \`npm run paper -- --size ${meta.size}\` on ${day}, backend: ${backend}._\n\n${resultsMd.trim()}\n`;
}
