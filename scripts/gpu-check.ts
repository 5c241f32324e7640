// The GPU check: what scripts/gpu-check.sh runs (from the bundle `npm run gpu:bundle` makes, or from a
// checkout with `node --import tsx scripts/gpu-check.ts`). Three parts, one report:
//   1. the webgpu backend and its adapter (vendor, device, driver), and what was tried;
//   2. correctness: the S4D layer's forward and backward on the GPU against our CPU path (the cpu
//      backend), every output and gradient within 1e-3 relative;
//   3. the bench rows of `--size gpu` (bench/cases.ts) alternating with PyTorch (TORCH_DEVICE=cuda
//      when the script found CUDA), as one table.
// Writes the report as JSON (--json) and exits 1 when the correctness check fails.
//   gpu-check [--json FILE] [--size gpu|small] [--pairs n] [--no-torch] [--allow-software]
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { initBackend, backendLine, provideWebGpuBackend, webgpuAdapter } from "../src/backend.js";
import { S4DLayer } from "../src/nn/s4dLayer.js";
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

  const correctness = await layerCorrectness();
  console.log(`==> layer fwd+bwd, GPU vs CPU path (${correctness.shape}): worst relative error ${correctness.worst.toExponential(2)} ${correctness.ok ? "<=" : ">"} ${TOLERANCE} — ${correctness.ok ? "PASS" : "FAIL"}`);
  for (const [n, e] of Object.entries(correctness.errors)) console.log(`    ${n}: ${e.toExponential(2)}`);

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
