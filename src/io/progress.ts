// Progress for long work (sweeps, dataset generation, training, constructions). Three sinks, chosen
// at run time: in a notebook kernel one display updated in place; on a terminal a bar redrawn with \r;
// anywhere else (CI logs, pipes) about ten lines per bar.
import { updatableDisplay } from "./notebook.js";

/** Progress callback: done of total units, with a short label of what just finished. */
export type Progress = (done: number, total: number, label: string) => void;

export interface ProgressBarArgs {
  /** Where text goes outside a notebook. Default process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Printed before each line. Default "". */
  title?: string;
  /** Least seconds between two in-place updates in a notebook (the last one is always sent). Default 0.5. */
  minInterval?: number;
}

function fmtSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

/** The bar's text: `[####......] 3/10 12.0s eta 28.0s label`. */
export function progressLine(done: number, total: number, seconds: number, label: string, title = ""): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const width = 30;
  const fill = Math.round(frac * width);
  const eta = done > 0 && done < total ? ` eta ${fmtSeconds((seconds * (total - done)) / done)}` : "";
  const d = Number.isInteger(done) ? String(done) : done.toFixed(1);
  return `${title ? title + " " : ""}[${"#".repeat(fill)}${".".repeat(width - fill)}] ${d}/${total} ${fmtSeconds(seconds)}${eta} ${label}`;
}

/** A progress bar: in a notebook one output updated in place; on a terminal redrawn with \r; else ~10 lines. */
export function progressBar(args: ProgressBarArgs | NodeJS.WriteStream = {}): Progress {
  const o: ProgressBarArgs = "write" in args ? { stream: args as NodeJS.WriteStream } : args;
  const stream = o.stream ?? process.stderr;
  const minMs = (o.minInterval ?? 0.5) * 1000;
  const t0 = Date.now();
  const show = o.stream ? undefined : updatableDisplay();
  let lastDecile = -1;
  let lastSent = -Infinity;
  return (done, total, label) => {
    const now = Date.now();
    const line = progressLine(done, total, (now - t0) / 1000, label, o.title);
    if (show) {
      if (done >= total || now - lastSent >= minMs) {
        lastSent = now;
        show({ "text/plain": line });
      }
    } else if (stream.isTTY) {
      const cols = (stream.columns || 100) - 1;
      stream.write(`\r${line.slice(0, cols).padEnd(cols)}`);
      if (done >= total) stream.write("\n");
    } else {
      const decile = Math.floor((total > 0 ? done / total : 1) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(line + "\n");
      }
    }
  };
}

/**
 * Part `index` (from 0) of `count` parts of `parent`: the sub-task's (done, total) reaches the parent
 * as (index + done/total, count), so parts of different sizes share one bar ("3.4/12").
 */
export function subProgress(parent: Progress, index: number, count: number, prefix = ""): Progress {
  return (done, total, label) => parent(index + (total > 0 ? Math.min(1, done / total) : 1), count, prefix + label);
}

// Constructions deep in the float64 stack (frame Gram spectra, eigendecompositions) announce their
// slow steps here rather than taking a callback through every layer; the CLI listens.
let stepListener: ((label: string) => void) | undefined;

/** Sets the listener for construction steps; returns a function that restores the previous one. */
export function onConstructionStep(fn: ((label: string) => void) | undefined): () => void {
  const prev = stepListener;
  stepListener = fn;
  return () => {
    stepListener = prev;
  };
}

/** Announces the start of a construction step that may take a while. */
export function constructionStep(label: string): void {
  stepListener?.(label);
}

/**
 * A construction-step listener for the CLI: timed lines on stderr, silent for quick work. Only slow
 * steps announce themselves (a cache miss, an N_f × N_f eigendecomposition); lines are held back until
 * `after` seconds have passed, then the held ones and each later one are printed.
 */
export function stepLog(after = 1, stream: NodeJS.WriteStream = process.stderr): (label: string) => void {
  const t0 = Date.now();
  const held: string[] = [];
  return (label) => {
    const s = (Date.now() - t0) / 1000;
    held.push(`[${fmtSeconds(s)}] ${label}\n`);
    if (s >= after) stream.write(held.splice(0).join(""));
  };
}

/**
 * Lets the event loop run once. Timers and I/O callbacks (a notebook kernel's interrupt, piped
 * output) wait for it during long synchronous work.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
