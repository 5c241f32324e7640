// What a notebook hands to the paper run. When W4S4_RESULTS_DIR is set (scripts/paper.ts sets one
// directory per notebook), every chart shown is saved there as SVG + PNG, every table as CSV, and
// recordResult() adds a row "paper value vs ours" to results.json. Outside the paper run these are
// no-ops, so notebooks call them unconditionally.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";

import type { PaperResult } from "./types.js";

export type { PaperResult };

export interface Artifact { kind: "chart" | "table"; title: string; files: string[] }

export function resultsDir(): string | undefined {
  const d = process.env.W4S4_RESULTS_DIR;
  return d && d.trim() ? d : undefined;
}

const state = { results: [] as PaperResult[], artifacts: [] as Artifact[], counter: 0 };

function flush(dir: string): void {
  writeFileAtomic(join(dir, "results.json"), JSON.stringify({ results: state.results, artifacts: state.artifacts }, null, 2) + "\n");
}

export function slug(s: string): string {
  return s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "untitled";
}

/** Add a paper-vs-ours row to the reproduction report (no-op outside the paper run). */
export function recordResult(r: PaperResult): void {
  const dir = resultsDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  state.results.push(r);
  flush(dir);
}

/**
 * Save an artefact's files into the results directory; returns their paths ([] outside the paper run).
 * `files` maps an extension ("svg", "png", "csv") to the content.
 */
export function recordArtifact(kind: Artifact["kind"], title: string, files: Record<string, string | Uint8Array>): string[] {
  const dir = resultsDir();
  if (!dir) return [];
  mkdirSync(dir, { recursive: true });
  const base = `${String(++state.counter).padStart(2, "0")}-${kind}-${slug(title)}`;
  const written = Object.entries(files).map(([ext, data]) => {
    const name = `${base}.${ext}`;
    writeFileAtomic(join(dir, name), data);
    return name;
  });
  state.artifacts.push({ kind, title, files: written });
  flush(dir);
  return written;
}
