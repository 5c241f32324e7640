// Where `npm run parity` (scripts/parity.ts) leaves its results, and how a notebook reads the PyTorch
// reference's accuracy for one of its own runs from them. A reference number is used only when the
// parity run's "ours" accuracy for the same task, size, init and seed equals this run's exactly: the
// same recipe then ran in both, so the reference belongs to this run (otherwise it is stale).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";

/** Default run folder of `npm run parity -- --task T --size S`. */
export function parityDir(task: string, size: string): string {
  return join(projectRoot(), "out", "parity", `${task}-${size}`);
}

interface ParityFile {
  task: string;
  size: string;
  torch: string | null;
  rows: { init: string; seed: number; ours: { testAcc: number }; ref?: { testAcc: number } }[];
}

export type ReferenceLookup =
  | { status: "ok"; refAcc: number; torch: string }
  | { status: "missing" | "stale" | "no-torch"; reason: string };

/** The reference's test accuracy for (task, size, init, seed), checked against our accuracy `oursAcc`. */
export function referenceAccuracy(task: string, size: string, init: string, seed: number, oursAcc: number, dir = parityDir(task, size)): ReferenceLookup {
  const file = join(dir, "parity.json");
  const cmd = `npm run parity -- --task ${task} --size ${size}`;
  if (!existsSync(file)) return { status: "missing", reason: `no ${file}: run \`${cmd}\`` };
  const p = JSON.parse(readFileSync(file, "utf8")) as ParityFile;
  const row = p.rows.find((r) => r.init === init && r.seed === seed);
  if (p.task !== task || p.size !== size || !row) return { status: "missing", reason: `${file} has no ${init} seed ${seed}: run \`${cmd}\`` };
  if (!row.ref || !p.torch) return { status: "no-torch", reason: `${file} was made without PyTorch` };
  if (row.ours.testAcc !== oursAcc) return { status: "stale", reason: `${file} is from another recipe (its ours ${row.ours.testAcc} ≠ ${oursAcc}): rerun \`${cmd} --overwrite\`` };
  return { status: "ok", refAcc: row.ref.testAcc, torch: p.torch };
}
