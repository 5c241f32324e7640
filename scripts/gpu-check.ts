// The GPU check: what scripts/gpu-check.sh runs (from the bundle `npm run gpu:bundle` makes, or from a
// checkout with `node --import tsx scripts/gpu-check.ts`). Three parts, one report:
//   1. the webgpu backend and its adapter (vendor, device, driver), and what was tried;
//   2. correctness: the S4D layer's forward and backward on the GPU against our CPU path (the cpu
//      backend), every output and gradient within 1e-3 relative; then the convolution's forward and
//      both gradients at a large shape (buffers over 128 MiB, dispatches over 65535 workgroups, so
//      tfjs folds them into 2-D) at sampled entries against float64 sums; any WebGPU validation or
//      out-of-memory error (which WebGPU reports only asynchronously) fails the check;
//   3. the bench rows of `--size gpu` (bench/cases.ts) alternating with PyTorch (TORCH_DEVICE=cuda
//      when the script found CUDA), as one table.
// Writes the report as JSON (--json) and exits 1 when the correctness check fails.
//   gpu-check [--json FILE] [--size gpu|small] [--pairs n] [--no-torch] [--allow-software]
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { initBackend, backendLine, provideWebGpuBackend, webgpuAdapter } from "../src/backend.js";
import { S4DLayer } from "../src/nn/s4dLayer.js";
import { fftConv } from "../src/kernels/fftConv.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { ParameterError, requireInt, requireOneOf } from "../src/errors.js";
import { mulberry32 } from "../src/random.js";
import { benchTable, runBench } from "../bench/bench.js";
import { SIZES, type BenchSize } from "../bench/cases.js";

const TOLERANCE = 1e-3;

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0, m = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Number.isFinite(a[i]) ? Math.abs(a[i] - b[i]) : Infinity);
    m = Math.max(m, Math.abs(b[i]));
  }
  return m > 0 ? e / m : e;
}

async function layerOnce(layer: S4DLayer, u: tf.Tensor3D): Promise<Float32Array[]> {
  const vars = layer.namedVariables().map((v) => v.variable);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(u))) as tf.Scalar, vars);
  const y = layer.apply(u);
  const out = await Promise.all([y, ...vars.map((v) => grads[v.name])].map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([y, value, ...Object.values(grads)]);
  return out;
}

/** The layer at B4 H64 N64 L1024 on the cpu backend, then on webgpu: the relative error of each output. */
async function layerCorrectness(): Promise<{ shape: string; worst: number; errors: Record<string, number>; ok: boolean }> {
  const B = 4, H = 64, L = 1024;
  await initBackend({ backend: "cpu" });
  const layer = new S4DLayer({ dModel: H, dState: 64, init: "s4d-lin", seed: 1 });
  const r = mulberry32(7);
  const u = tf.tensor3d(Float32Array.from({ length: B * H * L }, () => 2 * r() - 1), [B, H, L]);
  const cpu = await layerOnce(layer, u);
  await initBackend({ backend: "webgpu" });
  const gpu = await layerOnce(layer, u);
  const names = ["y", ...layer.namedVariables().map((v) => v.name)];
  const errors = Object.fromEntries(names.map((n, i) => [n, relErr(gpu[i], cpu[i])]));
  const worst = Math.max(...Object.values(errors));
  return { shape: `B=${B} H=${H} N=64 L=${L}`, worst, errors, ok: worst <= TOLERANCE };
}

/** The shape of the large convolution check per bench size (CI's software adapter runs "small"). */
const LARGE_CONV = { gpu: { B: 64, H: 128, L: 4096 }, full: { B: 16, H: 128, L: 4096 }, small: { B: 4, H: 16, L: 2048 } } as const;

/**
 * y = u * K, du and dK of Σ w·y at a large shape on the GPU, checked at 256 sampled entries each
 * against float64 direct sums: y[b,h,l] = Σ_j K[h,j] u[b,h,l−j], du[b,h,l] = Σ_j K[h,j] w[b,h,l+j],
 * dK[h,j] = Σ_b Σ_l w[b,h,l] u[b,h,l−j]. Relative to the largest sampled magnitude.
 */
async function largeConvCorrectness(size: BenchSize): Promise<{ shape: string; worst: number; errors: Record<string, number>; ok: boolean }> {
  const { B, H, L } = LARGE_CONV[size];
  const r = mulberry32(11);
  const rand = (n: number) => Float32Array.from({ length: n }, () => 2 * r() - 1);
  const u = rand(B * H * L), k = rand(H * L).map((x, i) => x * Math.exp(-(i % L) / 256)), w = rand(B * H * L);
  const [ut, kt, wt] = [tf.tensor3d(u, [B, H, L]), tf.tensor2d(k, [H, L]), tf.tensor3d(w, [B, H, L])];
  const [vu, vk] = [tf.variable(ut, true, "gpuCheck/u"), tf.variable(kt, true, "gpuCheck/k")];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(fftConv(vu, vk), wt)) as tf.Scalar, [vu, vk]);
  const y = fftConv(ut, kt);
  const [yv, du, dk] = (await Promise.all([y, grads[vu.name], grads[vk.name]].map((t) => t.data()))) as Float32Array[];
  tf.dispose([ut, kt, wt, vu, vk, y, value, ...Object.values(grads)]);
  const pick = mulberry32(13);
  const idx = (n: number) => Math.floor(pick() * n);
  const err = (got: number[], want: number[]) => Math.max(...got.map((g, i) => Math.abs(g - want[i]))) / Math.max(...want.map(Math.abs));
  const ys: number[][] = [[], []], dus: number[][] = [[], []], dks: number[][] = [[], []];
  for (let s = 0; s < 256; s++) {
    const b = idx(B), h = idx(H), l = idx(L), j = idx(L), row = (b * H + h) * L;
    let sy = 0, su = 0, sk = 0;
    for (let i = 0; i <= l; i++) sy += k[h * L + i] * u[row + l - i];
    for (let i = 0; l + i < L; i++) su += k[h * L + i] * w[row + l + i];
    for (let bb = 0; bb < B; bb++) for (let t = j, r0 = (bb * H + h) * L; t < L; t++) sk += w[r0 + t] * u[r0 + t - j];
    ys[0].push(yv[row + l]); ys[1].push(sy);
    dus[0].push(du[row + l]); dus[1].push(su);
    dks[0].push(dk[h * L + j]); dks[1].push(sk);
  }
  const errors = { y: err(ys[0], ys[1]), du: err(dus[0], dus[1]), dK: err(dks[0], dks[1]) };
  const worst = Math.max(...Object.values(errors));
  return { shape: `B=${B} H=${H} L=${L}`, worst, errors, ok: worst <= TOLERANCE };
}

interface ErrorScopeDevice {
  pushErrorScope(filter: "validation" | "out-of-memory"): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

/** f() inside WebGPU validation and out-of-memory error scopes: the errors those report. */
async function withGpuErrors<T>(f: () => Promise<T>): Promise<{ value: T; gpuErrors: string[] }> {
  const device = (tf.backend() as unknown as { device: ErrorScopeDevice }).device;
  device.pushErrorScope("validation");
  device.pushErrorScope("out-of-memory");
  const value = await f();
  const errs = [await device.popErrorScope(), await device.popErrorScope()];
  return { value, gpuErrors: errs.filter((e): e is { message: string } => e !== null).map((e) => e.message) };
}

// A literal import, so esbuild bundles the package with this bundle's tfjs (src/backend.ts loads it after its navigator.gpu shim).
provideWebGpuBackend(() => import("@tensorflow/tfjs-backend-webgpu"));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: "string" },
      size: { type: "string", default: "gpu" },
      pairs: { type: "string", default: "5" },
      "no-torch": { type: "boolean" },
      "allow-software": { type: "boolean" },
    },
  });
  requireOneOf("--size", values.size, SIZES);
  const pairs = requireInt("--pairs", Number(values.pairs), 1, 50);
  const t0 = performance.now();

  const info = await initBackend({ backend: "webgpu" });
  const adapter = webgpuAdapter()!;
  console.log(`==> ${backendLine(info)}`);
  console.log(`==> adapter: ${JSON.stringify(adapter)}`);
  if (adapter.software && !values["allow-software"]) {
    console.error("The only WebGPU adapter is a software one: this is not a GPU check (pass --allow-software to run it anyway, as CI does).");
    return 1;
  }

  const layer = await layerCorrectness();
  const large = await withGpuErrors(() => largeConvCorrectness(values.size as BenchSize));
  const correctness = { layer, largeConv: large.value, gpuErrors: large.gpuErrors, ok: layer.ok && large.value.ok && large.gpuErrors.length === 0 };
  for (const [what, c] of [["layer fwd+bwd, GPU vs CPU path", layer], ["convolution fwd+bwd, GPU vs float64 sums at 256 sampled entries", large.value]] as const) {
    console.log(`==> ${what} (${c.shape}): worst relative error ${c.worst.toExponential(2)} ${c.ok ? "<=" : ">"} ${TOLERANCE} — ${c.ok ? "PASS" : "FAIL"}`);
    for (const [n, e] of Object.entries(c.errors)) console.log(`    ${n}: ${e.toExponential(2)}`);
  }
  console.log(`==> WebGPU validation / out-of-memory errors: ${large.gpuErrors.length === 0 ? "none — PASS" : large.gpuErrors.join(" | ") + " — FAIL"}`);

  const bench = await runBench(values.size as BenchSize, pairs, ["webgpu"], !values["no-torch"]);
  console.log(benchTable(bench));
  const seconds = (performance.now() - t0) / 1000;
  console.log(`==> gpu-check done in ${seconds.toFixed(0)} s`);
  if (values.json) writeFileAtomic(values.json, JSON.stringify({ backend: backendLine(info), adapter, correctness, bench, seconds }, null, 2) + "\n");
  return correctness.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    // Bad arguments get their message alone; anything else its stack, for the report from a GPU machine.
    console.error(e instanceof ParameterError ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(2);
  },
);
