// The run directory, and its one owner. A run folder is never overwritten silently, a resume never
// continues a different run, and nothing is written before every argument has been validated.
// Layout (format 1):
//   run.json       {format, spec}: everything that defines the run (task, init, size, seed, config)
//   manifest.json  versions, backend, git commit, argv, start time (what ran it; not compared)
//   config.json    the resolved model and training config
//   last.ckpt      resume point (checksummed, nn/checkpoint.ts)   best.ckpt  best validation weights
//   metrics.jsonl, metrics.csv, test.json
// The trainer writes config.json and everything below it, through trainState.ts (kept apart so that
// this file, which the CLI reads before any backend starts, does not load TensorFlow.js).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ParameterError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";

export const RUN_FORMAT = 1;
export const RUN_FILES = {
  run: "run.json",
  manifest: "manifest.json",
  config: "config.json",
  last: "last.ckpt",
  best: "best.ckpt",
  metricsJsonl: "metrics.jsonl",
  metricsCsv: "metrics.csv",
  test: "test.json",
} as const;

export type RunMode = "new" | "resume" | "overwrite";

/** Temp files of atomic writes whose writer is gone (killed mid-write): `.<name>.<pid>.<time>.tmp`. */
export function staleTempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => {
    const m = /^\..+\.(\d+)\.\d+\.tmp$/.exec(f);
    if (!m) return false;
    const pid = Number(m[1]);
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false; // its writer is still alive
    } catch {
      return true;
    }
  });
}

function isEmptyDir(dir: string): boolean {
  return readdirSync(dir).length === 0;
}

/** The spec stored in DIR/run.json; ParameterError naming `param` when there is no readable run. */
export function readRunSpec<S>(dir: string, param = "run"): S {
  const f = join(dir, RUN_FILES.run);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ParameterError(param, "a run directory written by w4s4 train", dir);
  if (!existsSync(f)) throw new ParameterError(param, `a run directory holding ${RUN_FILES.run} (none in ${dir}: nothing to resume or evaluate)`, dir);
  let r: { format?: number; spec?: S };
  try {
    r = JSON.parse(readFileSync(f, "utf8"));
  } catch (e) {
    throw new ParameterError(param, `a run directory with a valid ${RUN_FILES.run}`, `${f}: ${(e as Error).message}`);
  }
  if (r.format !== RUN_FORMAT || r.spec === undefined) throw new ParameterError(param, `a ${RUN_FILES.run} of format ${RUN_FORMAT}`, `${f}: format ${JSON.stringify(r.format)}`);
  return r.spec;
}

/** Keys (dotted paths) where two specs differ, `ignore` excepted. */
export function specDifferences(a: unknown, b: unknown, ignore: readonly string[] = [], path = ""): string[] {
  if (ignore.includes(path)) return [];
  const obj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  if (obj(a) && obj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => specDifferences(a[k], b[k], ignore, path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || "(all)"];
}

/**
 * Checks that `dir` may be used in `mode`, writing nothing:
 * - new: `dir` is absent or empty (an existing run needs --resume or --overwrite);
 * - overwrite: `dir` is absent, empty or a run directory (it never deletes a folder that is not a run);
 * - resume: `dir` holds run.json and last.ckpt; returns the stored spec.
 */
export function checkRunDir<S>(dir: string, mode: RunMode, param = "out"): S | undefined {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ParameterError(param, "a directory path (this is a file)", dir);
  if (mode === "resume") {
    const spec = readRunSpec<S>(dir, "resume");
    if (!existsSync(join(dir, RUN_FILES.last))) throw new ParameterError("resume", `a run directory holding ${RUN_FILES.last} (${dir} has none: nothing to resume; start it again with --overwrite)`, dir);
    return spec;
  }
  if (!existsSync(dir) || isEmptyDir(dir)) return undefined;
  if (mode === "new") throw new ParameterError(param, `a new or empty directory (${dir} holds a run: continue it with --resume ${dir}, or replace it with --overwrite)`, dir);
  if (!existsSync(join(dir, RUN_FILES.run))) throw new ParameterError(param, `an empty directory or a w4s4 run directory for --overwrite (${dir} has no ${RUN_FILES.run}; refusing to delete it)`, dir);
  return undefined;
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

/**
 * Takes ownership of a checked run directory (call checkRunDir first, then validate everything, then
 * this): clears it for overwrite, removes stale temp files, writes run.json and manifest.json.
 */
export function openRunDir<S>(dir: string, mode: RunMode, spec: S, manifest: Record<string, unknown>): void {
  if (mode === "overwrite" && existsSync(dir)) {
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  }
  for (const f of staleTempFiles(dir)) rmSync(join(dir, f), { force: true });
  // On resume the spec was checked equal to the stored one except where a resume may change it (epochs).
  writeFileAtomic(join(dir, RUN_FILES.run), JSON.stringify({ format: RUN_FORMAT, spec }, null, 2) + "\n");
  const m = { format: RUN_FORMAT, startedAt: new Date().toISOString(), gitCommit: gitCommit(), argv: process.argv.slice(2), ...manifest };
  // One manifest per start, so a resumed run keeps the record of every process that worked on it.
  const prior = existsSync(join(dir, RUN_FILES.manifest)) ? (JSON.parse(readFileSync(join(dir, RUN_FILES.manifest), "utf8")) as { starts?: unknown[] }).starts ?? [] : [];
  writeFileAtomic(join(dir, RUN_FILES.manifest), JSON.stringify({ starts: [...prior, m] }, null, 2) + "\n");
}
