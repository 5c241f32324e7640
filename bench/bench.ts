// npm run bench -- [--size small|full] [--pairs n] [--ops a,b] [--json out.json] [--backends wasm,cpu] [--no-torch]
// Ours against a standalone PyTorch S4D (bench/torch_s4d.py, CPU, 2 threads) on the same machine,
// ALTERNATING turn by turn (ours, torch, ours, torch, …) so both see the same machine state; each
// ratio is the median over those pairs, with its min–max. Every row records how much CPU other
// processes took while it ran (load.ts) and is flagged unreliable above 0.2 cores; `uptime`'s load
// averages are printed before and after. Also the floor: the op's FLOPs over the backend's matmul rate.
// Prints a table; --json writes the rows and the run's conditions (npm run bench:readme turns an
// idle full-size run into the README's table). Timings are never asserted in a test.
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import os from "node:os";
import { initBackend, backendLine, BACKENDS, type BackendName } from "../src/backend.js";
import { tableToText } from "../src/viz/table.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { cases, flops, shapeText, SIZES, type BenchSize, type Case } from "./cases.js";
import { LoadMeter, MAX_OTHER_CORES, MAX_START_LOAD, uptimeLine } from "./load.js";
import { prepareOurs, takePeakBytes, type Prepared } from "./ours.js";
import { TorchServer } from "./torch.js";

export interface BenchRow {
  op: string;
  group: Case["group"];
  backend: string;
  shape: string;
  pairs: number;
  ms: number;
  torchMs: number | null;
  /** Median over pairs of ours/torch, with the extremes. */
  ratio: number | null;
  ratioMin: number | null;
  ratioMax: number | null;
  /** Sequences per second (training rows). */
  seqPerSec: number | null;
  torchSeqPerSec: number | null;
  gflops: number;
  floorMs: number;
  peakMiB: number;
  otherCores: number | null;
  load1: number;
  unreliable: boolean;
}

export interface BenchRun {
  size: BenchSize;
  date: string;
  node: string;
  cpus: number;
  torch: string | null;
  torchThreads: number | null;
  /** "cpu" or "cuda". */
  torchDevice: string | null;
  backendLines: string[];
  loadBefore: number[];
  loadAfter: number[];
  /** The 1-minute load before the first row exceeded MAX_START_LOAD: every row is suspect. */
  notIdleAtStart: boolean;
  rows: BenchRow[];
}

// One turn per side and pair: a pause (PyTorch's CPU worker keeps a core busy for ~100 ms after its
// last parallel region — measured with process_time() over a sleep, and OMP_WAIT_POLICY=passive or
// GOMP_SPINCOUNT=0 do not change it — and would share the cores with our next calls), an untimed call (a thread
// pool woken from idle is slow: matmul 512³ took 4.6 ms back to back, 6.4 ms after 30 ms idle, 14.4
// ms after 1 s), then `burst` calls back to back, timed together, so a turn lasts ~100 ms. Both
// sides get the same pause, warm-up and burst.
const TURN_MS = 100, MAX_BURST = 10, PAUSE_MS = 150;
const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS));

async function ourTurn(p: Prepared, burst: number): Promise<number> {
  await pause();
  await p.run();
  const t0 = performance.now();
  for (let i = 0; i < burst; i++) await p.run();
  return (performance.now() - t0) / burst;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function measure(c: Case, pairs: number, torch: TorchServer | undefined, meter: LoadMeter): Promise<{ ours: number[]; theirs: number[]; load: ReturnType<LoadMeter["stop"]>; peak: number }> {
  const ours = prepareOurs(c);
  try {
    if (torch) await torch.setup(c);
    await ours.run();
    const t1 = performance.now();
    await ours.run();
    const burst = Math.max(1, Math.min(MAX_BURST, Math.round(TURN_MS / Math.max(1e-3, performance.now() - t1))));
    if (torch) await torch.run(1);
    takePeakBytes();
    const o: number[] = [], t: number[] = [];
    meter.start();
    for (let i = 0; i < pairs; i++) {
      o.push(await ourTurn(ours, burst));
      if (!torch) continue;
      await pause();
      t.push(await torch.run(burst));
    }
    return { ours: o, theirs: t, load: meter.stop(), peak: takePeakBytes() };
  } finally {
    ours.dispose();
  }
}

export async function runBench(size: BenchSize, pairs: number, backends: (BackendName | "auto")[], withTorch: boolean, ops?: string[], log = (s: string) => console.error(s)): Promise<BenchRun> {
  const loadBefore = os.loadavg();
  log(`==> before: ${uptimeLine()}`);
  const torch = withTorch ? await TorchServer.start() : undefined;
  if (torch) log(`==> PyTorch ${torch.version} (bench/torch_s4d.py, ${torch.device === "cpu" ? `CPU, ${torch.threads} threads` : torch.device}), alternating with ours, ${pairs} pairs per row`);
  const meter = new LoadMeter(() => torch?.pid);
  const rows: BenchRow[] = [];
  const backendLines: string[] = [];
  const notIdleAtStart = loadBefore[0] > MAX_START_LOAD;
  if (notIdleAtStart) log(`WARNING: the 1-minute load is ${loadBefore[0].toFixed(2)} > ${MAX_START_LOAD} before the run; no ratio from it is reliable.`);
  try {
    for (const b of backends) {
      try {
        const info = await initBackend({ backend: b });
        backendLines.push(backendLine(info));
        log(`==> ${backendLine(info)}`);
      } catch (e) {
        log(`(skipping ${b}: ${(e as Error).message.split(".")[0]})`);
        continue;
      }
      const name = tf.getBackend();
      let rate = NaN; // GFLOP/s of matmul 512³ on this backend
      for (const c of cases(size).filter((c) => !ops || ops.includes(c.op) || c.op === "matmul")) {
        const m = await measure(c, pairs, torch, meter);
        const ms = median(m.ours), f = flops(c);
        if (c.op === "matmul") rate = f / ms / 1e6;
        const ratios = m.theirs.map((t, i) => m.ours[i] / t);
        const torchMs = m.theirs.length ? median(m.theirs) : null;
        const train = c.group === "train";
        const unreliable = notIdleAtStart || (m.load.otherCores ?? 0) > MAX_OTHER_CORES;
        const row: BenchRow = {
          op: c.op, group: c.group, backend: name, shape: shapeText(c.shape), pairs, ms, torchMs,
          ratio: ratios.length ? median(ratios) : null, ratioMin: ratios.length ? Math.min(...ratios) : null, ratioMax: ratios.length ? Math.max(...ratios) : null,
          seqPerSec: train ? (c.shape.B * 1000) / ms : null, torchSeqPerSec: train && torchMs ? (c.shape.B * 1000) / torchMs : null,
          gflops: f / ms / 1e6, floorMs: f / (rate * 1e6), peakMiB: m.peak / 2 ** 20, otherCores: m.load.otherCores, load1: m.load.load1, unreliable,
        };
        rows.push(row);
        log(`  ${name} ${c.op} ${row.shape}: ${ms.toFixed(1)} ms` + (torchMs === null ? "" : ` | torch ${torchMs.toFixed(1)} ms | ratio ${row.ratio!.toFixed(2)} [${row.ratioMin!.toFixed(2)}–${row.ratioMax!.toFixed(2)}]`) + (unreliable ? "  UNRELIABLE" : ""));
      }
    }
  } finally {
    torch?.close();
  }
  log(`==> after: ${uptimeLine()}`);
  return {
    size, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, torch: torch?.version ?? null, torchThreads: torch?.threads ?? null, torchDevice: torch?.device ?? null,
    backendLines, loadBefore, loadAfter: os.loadavg(), notIdleAtStart, rows,
  };
}

const f1 = (x: number | null, d = 1) => (x === null || !Number.isFinite(x) ? "" : Number(x.toFixed(d)));

export function benchTable(run: BenchRun): string {
  const table = run.rows.map((r) => ({
    op: r.op, shape: r.shape, backend: r.backend,
    "ours ms": f1(r.ms), "torch ms": f1(r.torchMs),
    "ours/torch (median of pairs)": r.ratio === null ? "" : `${r.ratio.toFixed(2)} [${r.ratioMin!.toFixed(2)}–${r.ratioMax!.toFixed(2)}]`,
    "seq/s ours | torch": r.seqPerSec === null ? "" : `${r.seqPerSec.toFixed(1)} | ${r.torchSeqPerSec === null ? "—" : r.torchSeqPerSec.toFixed(1)}`,
    "GFLOP/s": f1(r.gflops, 2), "floor ms": f1(r.floorMs), "peak MiB": f1(r.peakMiB, 0),
    "other CPU": r.otherCores === null ? "n/a" : r.otherCores.toFixed(2), load1: r.load1.toFixed(2), reliable: r.unreliable ? "NO" : "yes",
  }));
  return tableToText(table, {
    caption: `W4S4 bench (${run.size}, ${run.rows[0]?.pairs ?? 0} alternating pairs per row); torch ${run.torch ?? "absent"}${run.torchDevice && run.torchDevice !== "cpu" ? ` on ${run.torchDevice}` : run.torchThreads ? ` (${run.torchThreads} threads)` : ""}; ` +
      `"other CPU" = cores used by other processes during the row (unreliable above ${MAX_OTHER_CORES}); load1 counts our own threads too; floor = FLOPs / matmul-512 rate`,
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "full" },
      pairs: { type: "string" },
      json: { type: "string" },
      backends: { type: "string", default: "auto" },
      "no-torch": { type: "boolean" },
      ops: { type: "string" },
    },
  });
  if (!(SIZES as readonly string[]).includes(values.size!)) throw new Error(`Invalid --size: got "${values.size}"; allowed: ${SIZES.join(", ")}`);
  const size = values.size as BenchSize;
  const pairs = Number(values.pairs ?? (size === "full" ? 7 : 3));
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > 100) throw new Error(`Invalid --pairs: got "${values.pairs}"; allowed: an integer in [1, 100]`);
  const backends = values.backends!.split(",") as (BackendName | "auto")[];
  for (const b of backends) if (b !== "auto" && !(BACKENDS as readonly string[]).includes(b)) throw new Error(`Invalid --backends: got "${b}"; allowed: auto, ${BACKENDS.join(", ")}`);
  const known = cases(size).map((c) => c.op);
  const ops = values.ops?.split(",");
  for (const o of ops ?? []) if (!known.includes(o)) throw new Error(`Invalid --ops: got "${o}"; allowed: ${[...new Set(known)].join(", ")}`);
  const run = await runBench(size, pairs, backends, !values["no-torch"], ops);
  console.log(benchTable(run));
  console.log(`before: load average ${run.loadBefore.map((x) => x.toFixed(2)).join(", ")}; after: ${run.loadAfter.map((x) => x.toFixed(2)).join(", ")}; process RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  if (values.json) writeFileAtomic(values.json, JSON.stringify(run, null, 2) + "\n");
}

// By file name, not import.meta.url: in a bundle (the GPU check) every module shares the bundle's URL.
if (/[\\/]bench[\\/]bench\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
