// The report's input: ReportData (the runs, what each notebook recorded, its files' contents),
// loaded from <out>/results/<notebook>/ as src/paper/results.ts saved it, and a few queries over it.
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

/** The notebooks that failed, in run order. */
export function failures(data: ReportData): ReportNotebook[] {
  return data.notebooks.filter((n) => !n.ok);
}

/** How many artefacts of one kind the notebooks saved. */
export function countArtifacts(notebooks: ReportNotebook[], kind: Artifact["kind"]): number {
  return notebooks.reduce((s, n) => s + n.artifacts.filter((a) => a.kind === kind).length, 0);
}
