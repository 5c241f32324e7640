// npm run bench -- [--size small|full] [--json out.json] [--backends wasm,cpu] [--no-torch] [--repeats n]
// Median times of the compute core on every available backend, side by side with a standalone
// PyTorch S4D (bench/torch_s4d.py on Debian's python3-torch, CPU, 2 threads) in the same run, and the
// floor: the op's FLOPs over the backend's measured matmul rate. Prints a table, writes JSON rows
// { op, backend, shape, ms, torchMs, ratio, gflops }.
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { initBackend, backendLine, type BackendName } from "../src/backend.js";
import { diagonalInit } from "../src/ssm/registry.js";
import { initKernelParams, ssmKernel } from "../src/kernels/ssmKernel.js";
import { fftConv } from "../src/kernels/fftConv.js";
import { S4DLayer } from "../src/nn/s4dLayer.js";
import { tableToText } from "../src/viz/table.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { projectRoot } from "../src/paths.js";

type Shape = Record<string, number>;
interface Case { op: string; shape: Shape; repeats: number }
interface Row { op: string; backend: string; shape: string; ms: number; torchMs: number | null; ratio: number | null; gflops: number; floorMs: number }

const log2 = Math.log2;
const fftFlops = (n: number) => 5 * n * log2(n); // complex FFT of size n, real input: ~half
function flops(c: Case): number {
  const s = c.shape;
  const n = 2 ** Math.ceil(log2(2 * (s.L ?? 1)));
  switch (c.op) {
    case "matmul": return 2 * s.n ** 3;
    case "kernel": return s.H * (s.N / 2) * s.L * 8;
    case "kernel_fwd_bwd": return 3 * s.H * (s.N / 2) * s.L * 8;
    case "conv": return s.B * s.H * (2 * fftFlops(n) / 2 + 6 * n) + s.H * fftFlops(n) / 2;
    case "conv_fwd_bwd": return 3 * (s.B * s.H * (2 * fftFlops(n) / 2 + 6 * n) + s.H * fftFlops(n) / 2);
    case "layer_fwd_bwd": return 3 * (s.B * s.H * (fftFlops(n) + 6 * n) + s.H * (s.N / 2) * s.L * 8 + 2 * s.B * s.L * s.H * 2 * s.H);
    default: return NaN;
  }
}

function cases(size: string, repeats: number): Case[] {
  const full = size === "full";
  const c = (op: string, shape: Shape, r = repeats): Case => ({ op, shape, repeats: r });
  return [
    c("matmul", { n: 512 }),
    ...(full ? [1024, 4096, 16384] : [1024]).map((L) => c("kernel", { H: full ? 256 : 64, N: 64, L })),
    c("kernel_fwd_bwd", { H: full ? 256 : 64, N: 64, L: full ? 4096 : 1024 }),
    c("conv", { B: full ? 16 : 4, H: full ? 128 : 32, L: 1024 }),
    c("conv_fwd_bwd", { B: full ? 16 : 4, H: full ? 128 : 32, L: 1024 }),
    ...(full ? [c("conv", { B: 4, H: 128, L: 16000 }, 3), c("conv_fwd_bwd", { B: 4, H: 128, L: 16000 }, 3)] : []),
    c("layer_fwd_bwd", { B: full ? 16 : 4, H: full ? 128 : 32, N: 64, L: 1024 }),
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(fn: () => tf.Tensor | tf.Tensor[] | void, repeats: number): Promise<number> {
  const run = () => {
    const out = tf.tidy(() => {
      const r = fn();
      const ts = r === undefined ? [] : Array.isArray(r) ? r : [r];
      return ts.map((t) => tf.sum(t)) as tf.Tensor[];
    });
    for (const t of out) t.dataSync(); // wait for the backend
    tf.dispose(out);
  };
  run();
  run();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

let peakTensorBytes = 0;
function notePeak(): void {
  peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes);
}

async function runCase(c: Case): Promise<number> {
  const s = c.shape;
  switch (c.op) {
    case "matmul": {
      const a = tf.randomNormal([s.n, s.n]), b = tf.randomNormal([s.n, s.n]);
      const ms = await timeIt(() => tf.matMul(a, b), c.repeats);
      tf.dispose([a, b]);
      return ms;
    }
    case "kernel":
    case "kernel_fwd_bwd": {
      const p = initKernelParams(diagonalInit("s4d-lin", { N: s.N }), s.H, { seed: 1 });
      const vars = [p.logDt, p.logNegRe, p.im, p.cRe, p.cIm];
      const ms = await timeIt(() => {
        if (c.op === "kernel") return ssmKernel(p, s.L);
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(ssmKernel(p, s.L))) as tf.Scalar, vars);
        notePeak();
        return [value, ...Object.values(grads)];
      }, c.repeats);
      tf.dispose(vars);
      return ms;
    }
    case "conv":
    case "conv_fwd_bwd": {
      const u = tf.randomNormal([s.B, s.H, s.L]), k = tf.randomNormal([s.H, s.L], 0, 0.1);
      const ms = await timeIt(() => {
        if (c.op === "conv") return fftConv(u, k, { checkFinite: false });
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(fftConv(a, b, { checkFinite: false }))))([u, k]);
        notePeak();
        return g;
      }, c.repeats);
      tf.dispose([u, k]);
      return ms;
    }
    case "layer_fwd_bwd": {
      const layer = new S4DLayer({ dModel: s.H, dState: s.N, seed: 1 });
      const u = tf.randomNormal([s.B, s.H, s.L]) as tf.Tensor3D;
      const vars = layer.namedVariables().map((v) => v.variable);
      const ms = await timeIt(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(u))) as tf.Scalar, vars);
        notePeak();
        return [value, ...Object.values(grads)];
      }, c.repeats);
      tf.dispose([u, ...vars]);
      return ms;
    }
  }
  throw new Error(`unknown op ${c.op}`);
}

function torchTimes(cs: Case[]): { version: string; map: Map<string, number> } | undefined {
  const py = "/usr/bin/python3";
  if (spawnSync(py, ["-c", "import torch"]).status !== 0) {
    console.error("(PyTorch not installed: `apt-get install python3-torch` to print the side-by-side ratios)");
    return undefined;
  }
  console.error("==> PyTorch S4D (bench/torch_s4d.py, CPU, 2 threads)");
  const r = spawnSync(py, [join(projectRoot(), "bench/torch_s4d.py")], { input: JSON.stringify(cs), encoding: "utf8", stdio: ["pipe", "pipe", "inherit"], maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.error("PyTorch benchmark failed; continuing without it");
    return undefined;
  }
  const out = JSON.parse(r.stdout) as { torch: string; results: { op: string; shape: Shape; ms: number }[] };
  return { version: out.torch, map: new Map(out.results.map((x) => [`${x.op} ${JSON.stringify(x.shape)}`, x.ms])) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "full" },
      json: { type: "string" },
      backends: { type: "string" },
      "no-torch": { type: "boolean" },
      repeats: { type: "string", default: "5" },
    },
  });
  if (!["small", "full"].includes(values.size!)) throw new Error(`Invalid --size: got "${values.size}"; allowed: small, full`);
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`Invalid --repeats: got "${values.repeats}"; allowed: an integer >= 1`);
  const cs = cases(values.size!, repeats);
  const torch = values["no-torch"] ? undefined : torchTimes(cs);
  const wanted = (values.backends?.split(",") ?? ["tensorflow", "wasm", "cpu"]) as BackendName[];
  const rows: Row[] = [];
  for (const b of wanted) {
    try {
      const info = await initBackend({ backend: b });
      console.error(`==> ${backendLine(info)}`);
    } catch (e) {
      console.error(`(skipping ${b}: ${(e as Error).message.split(".")[0]})`);
      continue;
    }
    if (b === "cpu" && values.size === "full") console.error("(cpu backend: pure-JS tf ops; the FFT convolution uses fft.js here too)");
    let rate = NaN; // GFLOP/s of matmul 512³ on this backend
    for (const c of cs) {
      const ms = await runCase(c);
      const f = flops(c);
      if (c.op === "matmul") rate = f / ms / 1e6;
      const shape = Object.entries(c.shape).map(([k, v]) => `${k}=${v}`).join(" ");
      const t = torch?.map.get(`${c.op} ${JSON.stringify(c.shape)}`) ?? null;
      rows.push({ op: c.op, backend: b, shape, ms, torchMs: t, ratio: t ? ms / t : null, gflops: f / ms / 1e6, floorMs: f / (rate * 1e6) });
      console.error(`  ${b} ${c.op} ${shape}: ${ms.toFixed(1)} ms`);
    }
  }
  const table = rows.map((r) => ({
    op: r.op, shape: r.shape, backend: r.backend, "ms (median)": Number(r.ms.toFixed(1)),
    "torch ms": r.torchMs === null ? "" : Number(r.torchMs.toFixed(1)), "ours/torch": r.ratio === null ? "" : Number(r.ratio.toFixed(2)),
    "GFLOP/s": Number(r.gflops.toFixed(2)), "floor ms": Number(r.floorMs.toFixed(1)),
  }));
  console.log(tableToText(table, { caption: `W4S4 bench (${values.size}); torch ${torch?.version ?? "absent"}; floor = FLOPs / matmul-512 rate of the same backend` }));
  console.log(`peak tfjs tensor memory: ${(peakTensorBytes / 2 ** 20).toFixed(0)} MiB; process RSS now: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  if (values.json) writeFileAtomic(values.json, JSON.stringify(rows.map(({ floorMs, ...r }) => ({ ...r, floorMs })), null, 2) + "\n");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
