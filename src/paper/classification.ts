// Tables 2–3 of W4S4 (classification): the paper's accuracies and how our runs are set beside them.
import type { PaperResult } from "./types.js";
import type { PaperRow } from "./table1.js";

/** The paper's classification numbers (walrus-math §9, W4S4 Tables 2–3): task → model → accuracy %. */
export const CLASSIFICATION_PAPER: Readonly<Record<string, { table: string; paperTask: string; numbers: Record<string, number> }>> = {
  text: { table: "Table 2", paperTask: "LRA Text (IMDB bytes)", numbers: { "W4S4 (WaLRUS, frozen A)": 88.55, "S4D-Inv": 87.34 } },
  keywords: { table: "Table 3", paperTask: "Speech Commands (SC-AR)", numbers: { "W4S4 (WaLRUS, frozen A)": 94.37, "S4-LegS": 93.6 } },
};

export interface AccuracyRun {
  task: string;
  label: string;
  seed: number;
  testAcc: number;
  params: number;
  seconds: number;
  /** The PyTorch reference trainer's test accuracy on the same recipe and seed (npm run parity), if known. */
  refAcc?: number;
}

/** Mean ± sample std of test accuracy per task and model, with the paper's number where it has one. */
export function accuracyRows(runs: readonly AccuracyRun[]): PaperRow[] {
  const keys = [...new Set(runs.map((r) => `${r.task}\u0000${r.label}`))];
  return keys.map((k) => {
    const [task, label] = k.split("\u0000");
    const rs = runs.filter((r) => r.task === task && r.label === label);
    const a = rs.map((r) => 100 * r.testAcc);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const std = a.length > 1 ? Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (a.length - 1)) : 0;
    const p = CLASSIFICATION_PAPER[task];
    // The reference column only when every seed has one (a partial mean would not compare).
    const refs = rs.map((r) => r.refAcc).filter((v): v is number => v !== undefined);
    const refMean = refs.length === rs.length ? (100 * refs.reduce((s, v) => s + v, 0)) / refs.length : null;
    return {
      task,
      model: label,
      "test acc % (mean)": Number(mean.toFixed(2)),
      "± std": Number(std.toFixed(2)),
      "PyTorch ref % (mean)": refMean === null ? null : Number(refMean.toFixed(2)),
      seeds: a.length,
      "trainable params": rs[0].params,
      "train s / run": Number((rs.reduce((s, r) => s + r.seconds, 0) / rs.length).toFixed(1)),
      paper: p ? (p.numbers[label] ?? null) : null,
      "paper task": p ? `${p.table}: ${p.paperTask}` : "–",
    };
  });
}

/** The paper's accuracies for a task as one line ("W4S4 … 88.55%; S4D-Inv 87.34%"), null when it has none. */
function paperNumbers(task: string): string | null {
  const p = CLASSIFICATION_PAPER[task];
  return p ? Object.entries(p.numbers).map(([m, v]) => `${m} ${v}%`).join("; ") : null;
}

/** Classification accuracies as report entries: the paper's tasks with a number, and ours beside them. */
export function classificationPaperResults(runs: readonly AccuracyRun[], standsInFor: Readonly<Record<string, string>>): PaperResult[] {
  const rows = accuracyRows(runs);
  const tasks = [...new Set(rows.map((r) => String(r.task)))];
  return tasks.map((task) => {
    const rs = rows.filter((r) => r.task === task);
    const p = CLASSIFICATION_PAPER[task];
    const best = [...rs].sort((a, b) => Number(b["test acc % (mean)"]) - Number(a["test acc % (mean)"]))[0];
    const w4 = rs.find((r) => String(r.model).startsWith("W4S4"));
    const ours = rs.map((r) => `${r.model} ${r["test acc % (mean)"]}%${r["PyTorch ref % (mean)"] === null ? "" : ` (PyTorch reference, same recipe: ${r["PyTorch ref % (mean)"]}%)`}`).join("; ");
    const paper = paperNumbers(task);
    const top = Number(best["test acc % (mean)"]);
    const tied = rs.filter((r) => top - Number(r["test acc % (mean)"]) < 0.5);
    const here = tied.length > 1 ? `a tie within 0.5 points (${tied.map((r) => r.model).join(", ")})` : w4 && best === w4 ? "W4S4 is best" : `${best.model} is best`;
    const verdict = `${p ? "not comparable (substitute data, small model)" : "no paper number for this task (extra stand-in)"}; here ${here}`;
    return {
      artefact: p ? `${p.table} / ${p.paperTask}` : `classification / ${task}`,
      quantity: "test accuracy",
      paper,
      ours,
      data: `${task}: ${standsInFor[task] ?? ""}`,
      verdict,
      outcome: "not comparable",
    };
  });
}

/** A report entry for a paper table whose task a size does not train, with the reason. */
export function notRunResult(task: string, reason: string): PaperResult {
  const p = CLASSIFICATION_PAPER[task];
  return {
    artefact: p ? `${p.table} / ${p.paperTask}` : `classification / ${task}`,
    quantity: "test accuracy",
    paper: paperNumbers(task),
    ours: null,
    data: task,
    verdict: reason,
    outcome: "not run",
  };
}
