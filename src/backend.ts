// Backend selection. TensorFlow.js picks a backend silently; a researcher needs to know which one
// ran (timings and float32 behaviour differ), so we choose explicitly, record what we tried and why,
// and let the user force one. Forcing one that cannot load is an error, never a silent fallback.
//
// Order when nothing is forced (DESIGN.md §2):
//   1. "tensorflow": @tensorflow/tfjs-node-gpu (CUDA) — an optional dependency that only installs
//      where libtensorflow can be downloaded. danfojs-node aliases "@tensorflow/tfjs-node" to plain
//      tfjs here, so we trust the backend *name* the package registers, not the import.
//   2. "webgpu": the optional `webgpu` package (Dawn) with a real GPU adapter (Vulkan); our WGSL
//      kernels run the SSM hot path there (src/kernels/wgsl). A software adapter is never chosen
//      automatically; W4S4_BACKEND=webgpu uses it (CI tests the WGSL kernels that way).
//   3. "wasm": SIMD, on every core up to 8 (wasmThreads.ts; W4S4_WASM_THREADS=1 for tfjs' stock
//      single thread); ~60x faster matMul than cpu. No FFT/complex kernels: our FFT convolution runs
//      its own FFT on cpu/wasm (src/kernels).
//   4. "cpu": pure JS, always available.
import * as tf from "@tensorflow/tfjs";
import { existsSync, readdirSync } from "node:fs";
import { ParameterError } from "./errors.js";
import { setWasmBackend, wasmThreadCount } from "./wasmThreads.js";
import { registerReductionGradients } from "./tfjsGradients.js";

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

// ---- WebGPU (Dawn) -------------------------------------------------------------------------------
// Everything WebGPU needs in Node lives here: the `webgpu` package's globals, a navigator.gpu that
// hands tfjs the adapter we chose, and the feature level. A real GPU comes through Vulkan; Dawn's
// OpenGL ES backend on Mesa llvmpipe (compatibility feature level, EGL_PLATFORM=surfaceless) is a
// software adapter: used only when webgpu is forced, so CI can run the WGSL kernels for real
// (toolchain.md §7: what was verified).

export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn's backend: "vulkan" for a GPU, "opengles" for the software fallback. */
  dawnBackend: "vulkan" | "opengles";
  /** A CPU (software) adapter: correct, but not for speed. */
  software: boolean;
}

interface GpuAdapterLike {
  info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}
interface WebGpuModule {
  create(flags: string[]): { requestAdapter(o?: object): Promise<GpuAdapterLike | null> };
  globals: object;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;
let webgpuAdapterInfo: WebGpuAdapterInfo | undefined;

/** The adapter the webgpu backend runs on (after initBackend chose webgpu). */
export const webgpuAdapter = (): WebGpuAdapterInfo | undefined => webgpuAdapterInfo;

function describeAdapter(a: GpuAdapterLike, dawnBackend: WebGpuAdapterInfo["dawnBackend"]): WebGpuAdapterInfo {
  const i = a.info ?? {};
  const text = `${i.vendor ?? ""} ${i.device ?? ""} ${i.description ?? ""}`;
  return {
    vendor: i.vendor ?? "",
    architecture: i.architecture ?? "",
    device: i.device ?? "",
    description: i.description ?? "",
    dawnBackend,
    software: dawnBackend === "opengles" || Boolean(i.isFallbackAdapter) || SOFTWARE_ADAPTER.test(text),
  };
}

const adapterText = (a: WebGpuAdapterInfo) =>
  `${a.dawnBackend} adapter "${a.device || "?"}"${a.vendor ? ` (vendor ${a.vendor}${a.architecture ? `, ${a.architecture}` : ""})` : ""}${a.description ? `, ${a.description}` : ""}`;

function gpuDeviceNodes(): string[] {
  try {
    const dri = existsSync("/dev/dri") ? readdirSync("/dev/dri").filter((f) => f.startsWith("renderD")).map((f) => `/dev/dri/${f}`) : [];
    const nv = readdirSync("/dev").filter((f) => /^nvidia\d+$/.test(f)).map((f) => `/dev/${f}`);
    return [...nv, ...dri];
  } catch {
    return [];
  }
}

let loadWebGpuBackend: () => Promise<unknown> = () => importOptional("@tensorflow/tfjs-backend-webgpu");

/**
 * How to import @tensorflow/tfjs-backend-webgpu. A bundle (the GPU check) passes
 * `() => import("@tensorflow/tfjs-backend-webgpu")` so the package is bundled with the bundle's tfjs;
 * by default it is loaded by name, as an optional dependency.
 */
export function provideWebGpuBackend(load: () => Promise<unknown>): void {
  loadWebGpuBackend = load;
}

// Dawn's instance must outlive every device made from it: a collected GPU object tears the device down.
const dawnInstances: unknown[] = [];

async function tryWebGpu(forced: boolean): Promise<BackendAttempt> {
  const name = "webgpu";
  if (webgpuAdapterInfo && tf.engine().registry.webgpu) {
    const ok = await tf.setBackend("webgpu");
    return { backend: name, ok, detail: ok ? `Dawn WebGPU, ${adapterText(webgpuAdapterInfo)} (already initialized)` : "setBackend('webgpu') failed" };
  }
  // With no GPU device node there is nothing for Vulkan to find (and Dawn would print its warning).
  const nodes = process.platform !== "linux" || gpuDeviceNodes().length > 0;
  const noDevice = "no GPU device (/dev/nvidia*, /dev/dri/renderD*)";
  if (!forced && !nodes) return { backend: name, ok: false, detail: noDevice };
  let webgpu: WebGpuModule;
  try {
    webgpu = (await importOptional("webgpu")) as WebGpuModule;
  } catch (e) {
    const msg = errText(e);
    return { backend: name, ok: false, detail: /Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(msg) ? "the optional package `webgpu` is not installed" : `webgpu: ${msg}` };
  }
  const notes: string[] = [];
  let gpu = webgpu.create([]);
  dawnInstances.push(gpu);
  let adapter = nodes ? await gpu.requestAdapter({ powerPreference: "high-performance" }) : null;
  let info = adapter ? describeAdapter(adapter, "vulkan") : undefined;
  if (!nodes) notes.push(noDevice);
  else if (!adapter) notes.push("Vulkan found no adapter (no GPU driver, or no libvulkan.so.1)");
  else if (info!.software) notes.push(`Vulkan offers only the software ${adapterText(info!)}`);
  if ((!adapter || info!.software) && forced) {
    // Mesa's EGL reads this at first use; without it Dawn's OpenGL ES discovery fails in a headless process.
    process.env.EGL_PLATFORM ??= "surfaceless";
    gpu = webgpu.create(["backend=opengles"]);
    dawnInstances.push(gpu);
    adapter = await gpu.requestAdapter({ featureLevel: "compatibility" });
    info = adapter ? describeAdapter(adapter, "opengles") : undefined;
    if (!adapter) notes.push("OpenGL ES (software) found no adapter either (needs libegl1, libegl-mesa0, libgles2, libgl1-mesa-dri)");
  } else if (adapter && info!.software) {
    return { backend: name, ok: false, detail: `${notes.join("; ")}: not used automatically (W4S4_BACKEND=webgpu forces the software adapter)` };
  }
  if (!adapter || !info) return { backend: name, ok: false, detail: notes.join("; ") };
  Object.assign(globalThis, webgpu.globals);
  const chosen = adapter;
  const navGpu = { requestAdapter: async () => chosen, getPreferredCanvasFormat: () => "rgba8unorm", wgslLanguageFeatures: new Set<string>() };
  const g = globalThis as { navigator?: object };
  if (g.navigator) Object.defineProperty(g.navigator, "gpu", { value: navGpu, configurable: true });
  else Object.defineProperty(globalThis, "navigator", { value: { gpu: navGpu }, configurable: true });
  // Imported only now: the package registers its backend at import time, and only if navigator.gpu exists.
  await loadWebGpuBackend();
  const ok = await tf.setBackend("webgpu");
  if (!ok) return { backend: name, ok: false, detail: `setBackend('webgpu') failed on the ${adapterText(info)}` };
  webgpuAdapterInfo = info;
  return { backend: name, ok: true, detail: `Dawn WebGPU, ${adapterText(info)}${info.software ? " — a software adapter: correct, not fast" : ""}${notes.length ? ` (${notes.join("; ")})` : ""}` };
}

async function tryBackend(name: BackendName, forced = false): Promise<BackendAttempt> {
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
      case "webgpu":
        return await tryWebGpu(forced);
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
    const order: BackendName[] = forced ? [forced] : ["tensorflow", "webgpu", "wasm", "cpu"];
    const tried: BackendAttempt[] = [];
    for (const b of order) {
      const a = await tryBackend(b, b === forced);
      tried.push(a);
      if (a.ok) {
        registerReductionGradients();
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
