// Multi-threaded tfjs-wasm in Node. tfjs ships a threaded SIMD build (XNNPACK on a pthread pool) and
// its emscripten glue supports Node's worker_threads, but tfjs turns it off in Node for three
// reasons, each of which we work around here, during initialization only (toolchain.md §2):
//   1. WASM_HAS_MULTITHREAD_SUPPORT is hard-coded false when IS_NODE: we set the flag.
//   2. The pthread worker script is handed to `new Worker` as a blob: URL, which Node refuses
//      (ERR_WORKER_PATH). We write the same script (tfjs' own `wasmWorkerContents`) to a file and
//      hand over its path; inside it, the blob import of the factory becomes a file import.
//   3. The C side caps the pool at emscripten_num_logical_cores() / 2 (it assumes 2 hyperthreads per
//      core), which is os.cpus().length / 2 in Node: 1 thread on a 2-core machine. os.cpus is
//      reported doubled while the module instantiates.
// The pool threads are unref'd so they never keep the process alive.
// Measured (2 cores, idle): matMul 512³ 10.1 → 4.9 ms, the layer's 256×128×16384 projection 50 → 25
// ms, sigmoid on 2M floats 11 → 5 ms.
import * as tf from "@tensorflow/tfjs";
import os from "node:os";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ParameterError } from "./errors.js";
import { writeFileAtomic } from "./io/atomic.js";
import { projectRoot } from "./paths.js";

/** Upper bound of the pool: tfjs' wasm build pre-creates 8 pthread workers. */
export const MAX_WASM_THREADS = 8;

/** Threads for the wasm backend: $W4S4_WASM_THREADS (1 = tfjs' stock single-threaded build), else every core up to 8. */
export function wasmThreadCount(): number {
  const env = process.env.W4S4_WASM_THREADS;
  if (env === undefined || env === "") return Math.min(MAX_WASM_THREADS, os.availableParallelism?.() ?? os.cpus().length);
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) throw new ParameterError("W4S4_WASM_THREADS", `an integer in [1, ${MAX_WASM_THREADS}]`, env);
  return n;
}

const BLOB_IMPORT = "var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)";

/** Write tfjs' pthread worker script as a file whose factory import reads a path. Throws if tfjs' layout changed. */
function workerScriptPath(): string {
  // Resolved from the project root: tslab loads src as CommonJS, where import.meta does not exist.
  const require = createRequire(join(projectRoot(), "package.json"));
  const factory = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const { wasmWorkerContents } = require(join(dirname(factory), "tfjs-backend-wasm-threaded-simd.worker.js")) as { wasmWorkerContents: string };
  if (!wasmWorkerContents.includes(BLOB_IMPORT)) throw new Error("the tfjs-wasm worker script changed layout (no blob import to redirect)");
  // Same escape tfjs applies before making its blob: the script holds "\n" inside string literals.
  const script = wasmWorkerContents.replace(BLOB_IMPORT, `importScripts(${JSON.stringify(factory)})`).replace(/\n/g, "\\n");
  const hash = createHash("sha256").update(script).digest("hex").slice(0, 16);
  // Every pthread runs this file: an existing one is used only if it is exactly our script.
  const path = join(os.tmpdir(), `w4s4-tfjs-wasm-worker-${hash}-${process.getuid?.() ?? "u"}.cjs`);
  if (!existsSync(path) || readFileSync(path, "utf8") !== script) writeFileAtomic(path, script);
  return path;
}

interface EmscriptenWorker { unref(): void }
interface PThreadRegistry { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[] }

/**
 * Activate tfjs' wasm backend with `threads` XNNPACK threads (1: the stock single-threaded build).
 * Returns the pool size tfjs reports. Must run before any other wasm initialization in the process.
 */
export async function setWasmBackend(threads: number): Promise<number> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // emscripten's glue adds process handlers that rethrow from inside its minified one-line file, so
  // any later uncaught error would print that whole line; Node's own handling is what we want.
  const before = new Set<unknown>([...process.listeners("uncaughtException"), ...process.listeners("unhandledRejection")]);
  try {
    const got = await activate(wasm, threads);
    shareWasmIdentity();
    return got;
  } finally {
    for (const l of process.listeners("uncaughtException")) if (!before.has(l)) process.removeListener("uncaughtException", l);
    for (const l of process.listeners("unhandledRejection")) if (!before.has(l)) process.removeListener("unhandledRejection", l);
  }
}

async function activate(wasm: typeof import("@tensorflow/tfjs-backend-wasm"), threads: number): Promise<number> {
  if (threads === 1) {
    // Also after a failed threaded attempt: tfjs would otherwise load the threaded build again.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend("wasm"))) throw new Error("setBackend('wasm') failed");
    await tf.ready();
    return wasm.getThreadsCount();
  }
  const worker = workerScriptPath();
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(threads);
  const createObjectURL = URL.createObjectURL, cpus = os.cpus;
  // tfjs makes exactly one application/javascript blob during init: the worker script.
  URL.createObjectURL = (b: Blob) => (b?.type === "application/javascript" ? worker : createObjectURL(b));
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend("wasm");
    await tf.ready();
  } finally {
    URL.createObjectURL = createObjectURL;
    (os as { cpus: () => os.CpuInfo[] }).cpus = cpus;
  }
  if (!ok) throw new Error("setBackend('wasm') failed with threads");
  const pthreads = (tf.backend() as unknown as { wasm: { PThread?: PThreadRegistry } }).wasm.PThread;
  for (const w of [...(pthreads?.unusedWorkers ?? []), ...(pthreads?.runningWorkers ?? [])]) w.unref();
  return wasm.getThreadsCount();
}

interface WasmTensorInfo { dataId: object; shape: number[]; dtype: string }

/**
 * Make tfjs-wasm's Identity (tf.clone, and the copy tf.customGrad's save() keeps of each saved
 * tensor) share its input's storage by reference count, as tfjs' cpu backend's Identity and
 * tfjs-wasm's own Reshape already do, instead of copying it. Safe because no tfjs-wasm kernel and
 * none of ours writes into an existing tensor: every output is a fresh buffer. Measured (B16 H128
 * L1024, 2 cores): the layer's fwd + bwd copied ~40 MiB through Identity, 10.6 ms of its 192.
 */
export function shareWasmIdentity(): void {
  const prev = tf.getKernel(tf.Identity, "wasm");
  if (!prev || (prev.kernelFunc as { shared?: boolean }).shared) return;
  const kernelFunc = Object.assign(
    ({ inputs, backend }: { inputs: { x?: WasmTensorInfo }; backend: object }) => {
      const x = inputs.x!;
      if (x.dtype === "string") return (prev.kernelFunc as (a: unknown) => WasmTensorInfo)({ inputs, backend });
      (backend as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
    { shared: true },
  );
  tf.unregisterKernel(tf.Identity, "wasm");
  tf.registerKernel({ kernelName: tf.Identity, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}
