// Backend selection. TensorFlow.js picks a backend silently; a researcher needs to know which one
// ran (timings and float32 behaviour differ), so we choose explicitly, record what we tried and why,
// and let the user force one. Forcing one that cannot load is an error, never a silent fallback.
//
// Order when nothing is forced (DESIGN.md §2):
//   1. "tensorflow": @tensorflow/tfjs-node-gpu (CUDA) — an optional dependency that only installs
//      where libtensorflow can be downloaded. danfojs-node aliases "@tensorflow/tfjs-node" to plain
//      tfjs here, so we trust the backend *name* the package registers, not the import.
//   2. "wasm": SIMD, on every core up to 8 (wasmThreads.ts; W4S4_WASM_THREADS=1 for tfjs' stock
//      single thread); ~60x faster matMul than cpu. No FFT/complex kernels: our FFT convolution runs
//      its own FFT on cpu/wasm (src/kernels).
//   3. "cpu": pure JS, always available.
// "webgpu" is never chosen automatically (it needs the optional `webgpu` package and a GPU adapter).
import * as tf from "@tensorflow/tfjs";
import { ParameterError } from "./errors.js";
import { setWasmBackend, wasmThreadCount } from "./wasmThreads.js";

export const BACKENDS = ["tensorflow", "wasm", "cpu", "webgpu"] as const;

/** Backends whose tensors live in host memory, where our own kernels (PFFFT, the fused WASM ops) run; the others (native TensorFlow, WebGPU, WebGL) keep tf ops and tf.spectral. */
export const HOST_BACKENDS: readonly string[] = ["cpu", "wasm"];
export const isHostBackend = (name: string = tf.getBackend()) => HOST_BACKENDS.includes(name);
export type BackendName = (typeof BACKENDS)[number];

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  detail: string;
}

export interface BackendInfo {
  /** The tfjs backend name now active. */
  name: BackendName;
  /** The npm package that provides it. */
  package: string;
  /** How it was chosen: "forced by option", "forced by W4S4_BACKEND", or "auto". */
  reason: string;
  /** Every backend tried, in order, with the outcome. */
  tried: BackendAttempt[];
  tfjsVersion: string;
}

export interface InitBackendOptions {
  /** Force a backend. Default: the W4S4_BACKEND environment variable, else automatic selection. */
  backend?: BackendName | "auto";
  /** Print the one-line report to stderr. Default false. */
  verbose?: boolean;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

const PACKAGES: Record<BackendName, string> = {
  tensorflow: "@tensorflow/tfjs-node-gpu",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs (backend-cpu)",
  webgpu: "@tensorflow/tfjs-backend-webgpu + webgpu",
};

// A plain string variable keeps tsc from resolving packages that are legitimately absent.
async function importOptional(spec: string): Promise<unknown> {
  return import(spec);
}

function errText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split("\n")[0].slice(0, 200);
}

async function tryBackend(name: BackendName): Promise<BackendAttempt> {
  try {
    switch (name) {
      case "tensorflow": {
        const notes: string[] = [];
        for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
          try {
            await importOptional(pkg);
            if (tf.findBackend("tensorflow")) {
              const ok = await tf.setBackend("tensorflow");
              if (ok) return { backend: name, ok: true, detail: `${pkg} loaded (native TensorFlow)` };
            }
            notes.push(`${pkg} imported but registered no native backend (here it is danfojs' alias of plain tfjs)`);
          } catch (e) {
            const msg = errText(e);
            notes.push(/Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(msg) ? `${pkg} not installed` : `${pkg}: ${msg}`);
          }
        }
        return { backend: name, ok: false, detail: notes.join(", ") };
      }
      case "wasm": {
        const want = wasmThreadCount();
        let note = "";
        try {
          const got = await setWasmBackend(want);
          return { backend: name, ok: true, detail: `SIMD, ${got} thread${got === 1 ? "" : "s"}${want === 1 && process.env.W4S4_WASM_THREADS ? " (W4S4_WASM_THREADS=1)" : ""}` };
        } catch (e) {
          if (want === 1) throw e;
          note = `; ${want} threads failed (${errText(e)}), so tfjs' single-threaded build`;
        }
        const got = await setWasmBackend(1);
        return { backend: name, ok: true, detail: `SIMD, ${got} thread${note}` };
      }
      case "cpu": {
        const ok = await tf.setBackend("cpu");
        await tf.ready();
        return { backend: name, ok, detail: ok ? "pure JavaScript" : "setBackend('cpu') failed" };
      }
      case "webgpu": {
        const webgpu = (await importOptional("webgpu")) as {
          create(o: string[]): { requestAdapter(o?: object): Promise<unknown> };
          globals: object;
        };
        const gpu = webgpu.create([]);
        const adapter = await gpu.requestAdapter();
        if (!adapter) return { backend: name, ok: false, detail: "no WebGPU adapter (no GPU driver found)" };
        Object.assign(globalThis, webgpu.globals);
        if (!(globalThis as { navigator?: unknown }).navigator) {
          Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true });
        }
        await importOptional("@tensorflow/tfjs-backend-webgpu");
        const ok = await tf.setBackend("webgpu");
        return { backend: name, ok, detail: ok ? "Dawn WebGPU" : "setBackend('webgpu') failed" };
      }
    }
  } catch (e) {
    return { backend: name, ok: false, detail: errText(e) };
  }
}

function parseForced(opt: InitBackendOptions["backend"]): { forced?: BackendName; reason: string } {
  if (opt !== undefined && opt !== "auto") {
    if (!(BACKENDS as readonly string[]).includes(opt)) throw new ParameterError("backend", `one of auto, ${BACKENDS.join(", ")}`, opt);
    return { forced: opt, reason: "forced by option" };
  }
  const env = process.env.W4S4_BACKEND;
  if (opt === undefined && env && env !== "auto") {
    if (!(BACKENDS as readonly string[]).includes(env)) throw new ParameterError("W4S4_BACKEND", `one of auto, ${BACKENDS.join(", ")}`, env);
    return { forced: env as BackendName, reason: "forced by W4S4_BACKEND" };
  }
  return { reason: "auto" };
}

/**
 * Select and activate the TensorFlow.js backend. Idempotent: later calls without options return the
 * first result; a call forcing a different backend switches.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const { forced, reason } = parseForced(opts.backend);
  wasmThreadCount(); // a bad W4S4_WASM_THREADS is an error, not a silent fallback to another backend
  if (current && (!forced || forced === current.name)) return current;
  if (pending && !forced) return pending;
  const run = async (): Promise<BackendInfo> => {
    const order: BackendName[] = forced ? [forced] : ["tensorflow", "wasm", "cpu"];
    const tried: BackendAttempt[] = [];
    for (const b of order) {
      const a = await tryBackend(b);
      tried.push(a);
      if (a.ok) {
        current = { name: b, package: PACKAGES[b], reason, tried, tfjsVersion: tf.version.tfjs };
        if (opts.verbose) console.error(backendLine(current));
        return current;
      }
    }
    if (forced) {
      throw new Error(`Backend "${forced}" (${reason}) is not available: ${tried[0].detail}. ` + hint(forced));
    }
    throw new Error(`No TensorFlow.js backend could be loaded: ${tried.map((t) => `${t.backend}: ${t.detail}`).join("; ")}`);
  };
  pending = run();
  try {
    return await pending;
  } finally {
    pending = undefined;
  }
}

function hint(b: BackendName): string {
  switch (b) {
    case "tensorflow":
      return "Install @tensorflow/tfjs-node-gpu on a CUDA machine (see environment.md), or use W4S4_BACKEND=auto.";
    case "webgpu":
      return "Install the optional packages `webgpu` and `@tensorflow/tfjs-backend-webgpu` and a GPU driver (see environment.md).";
    default:
      return "Reinstall the project's dependencies with `npm ci`.";
  }
}

/** The active backend, or undefined before initBackend(). */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/** One line: which backend, from which package, why, and what else was tried. */
export function backendLine(info: BackendInfo = current!): string {
  const others = info.tried.filter((t) => !t.ok).map((t) => `${t.backend}: ${t.detail}`);
  const chosen = info.tried.find((t) => t.ok && t.backend === info.name)?.detail;
  return (
    `tfjs ${info.tfjsVersion} backend "${info.name}" (${info.package}${chosen ? `: ${chosen}` : ""}; ${info.reason})` +
    (others.length ? ` — tried before: ${others.join("; ")}` : "")
  );
}
