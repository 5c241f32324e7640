// Progress inside a long notebook cell, as a researcher sees it live: the tslab kernel runs a cell of
// synchronous work ticking a progressBar, and scripts/kernel_probe.py records the iopub messages and
// when they arrived. One display, updated in place (one display_id), each update sent while the cell
// still runs — not a stream of lines, and not everything at the cell's end.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jupyterEnv, jupyterPython } from "../scripts/jupyter.js";
import { progressLine, subProgress } from "../src/io/progress.js";

const kernel = existsSync(".jupyter/share/jupyter/kernels/tslab/kernel.json");

interface Msg { t: number; type: string; content: { data?: Record<string, string>; transient?: { display_id?: string }; name?: string; text?: string } }

describe("progress text", () => {
  it("progressLine: bar, counts, elapsed and ETA", () => {
    expect(progressLine(3, 12, 6, "fmnist")).toBe(`[${"#".repeat(8)}${".".repeat(22)}] 3/12 6.0s eta 18.0s fmnist`);
    expect(progressLine(12, 12, 75, "done", "train")).toBe(`train [${"#".repeat(30)}] 12/12 1m15s done`);
  });

  it("subProgress: parts of different sizes map onto one bar", () => {
    const seen: [number, number, string][] = [];
    const parent = (d: number, t: number, l: string) => void seen.push([d, t, l]);
    subProgress(parent, 1, 4, "b: ")(5, 10, "x");
    subProgress(parent, 3, 4)(300, 300, "y");
    expect(seen).toEqual([[1.5, 4, "b: x"], [4, 4, "y"]]);
  });
});

describe.runIf(kernel)("progress in a live tslab cell", () => {
  it("one display updated in place, each update sent while the cell runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "w4s4-progress-"));
    const code = join(dir, "cell.ts");
    writeFileSync(code, `import { progressBar } from "./src/io/progress.js";
const busy = (ms: number) => { const t = Date.now(); while (Date.now() - t < ms) {} };
const bar = progressBar({ title: "probe", minInterval: 0 });
for (let i = 1; i <= 3; i++) { busy(600); bar(i, 3, "step " + i); }
busy(600);
`);
    const r = spawnSync(jupyterPython(), ["scripts/kernel_probe.py", code, "--cwd", process.cwd()], { env: jupyterEnv(), encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const msgs = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Msg);
    const shown = msgs.filter((m) => m.type === "display_data" || m.type === "update_display_data");
    expect(shown.map((m) => m.type)).toEqual(["display_data", "update_display_data", "update_display_data"]);
    const ids = new Set(shown.map((m) => m.content.transient?.display_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^w4s4-/);
    expect(shown.map((m) => m.content.data!["text/plain"].match(/\] (\d)\/3 /)?.[1])).toEqual(["1", "2", "3"]);
    expect(msgs.some((m) => m.type === "stream")).toBe(false);
    // Live: ~0.6 s apart, and the last one ~0.6 s before the cell ends.
    const idle = msgs.at(-1)!.t; // the kernel's "idle" status ends the cell
    expect(shown[1].t - shown[0].t).toBeGreaterThan(0.4);
    expect(shown[2].t - shown[1].t).toBeGreaterThan(0.4);
    expect(idle - shown[2].t).toBeGreaterThan(0.4);
  }, 150_000);
});
