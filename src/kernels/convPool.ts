// The PFFFT convolutions of fftConv.ts and the Vandermonde kernel of vandermonde.ts on every core
// (and, through wasmParallel, any WASM kernel on a shared memory: the nn ones of nn/wasmKernels.ts):
// the channels are split between the main thread and helper threads (worker_threads on shared
// buffers, convWorker.ts). tfjs-wasm's own thread pool cannot run our code, so without this the FFT
// work of a layer would use one core of two.
// Synchronous for the caller (a tf.customGrad forward cannot await): the main thread posts the job,
// does its own share, then blocks in Atomics.wait until every helper has set its DONE word.
// Helpers start on first use; until one says it is ready, the main thread does all the work, so no
// call ever waits for a start-up. Thread count: wasmThreadCount() (W4S4_WASM_THREADS), shared with
// the wasm backend, since both run in turn, never at once.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { compiledDir, projectRoot } from "../paths.js";
import { wasmThreadCount } from "../wasmThreads.js";
import { CTRL, runShare, spanView, type ConvJob, type JobDims, type SharedSpan, type WasmJob } from "./convJob.js";

/** Below this many transform points (rows × n) a job stays on the main thread: posting costs ~0.1 ms. */
export const PARALLEL_MIN_POINTS = 1 << 18;
const HELPER_TIMEOUT_MS = 120_000;

interface Helper {
  worker: Worker;
  ctrl: Int32Array;
}

let helpers: Helper[] | undefined;
let failure: string | undefined;

/** The helpers' entry file: the compiled worker beside a compiled main thread, else the tsx shim. */
export function workerEntry(): string {
  const dist = compiledDir();
  return dist ? join(dist, "src/kernels/convWorker.js") : join(projectRoot(), "src/kernels/convWorker.mjs");
}

function startHelpers(): Helper[] {
  const want = wasmThreadCount() - 1;
  if (want < 1) return [];
  try {
    const entry = workerEntry();
    return Array.from({ length: want }, () => {
      const worker = new Worker(entry, { execArgv: [] });
      const ctrl = new Int32Array(new SharedArrayBuffer(8));
      worker.on("error", (e) => {
        failure = `helper thread failed: ${e.message}`;
        Atomics.store(ctrl, CTRL.READY, -1);
        Atomics.store(ctrl, CTRL.DONE, -1);
        Atomics.notify(ctrl, CTRL.DONE);
      });
      worker.on("message", (m: { error?: string }) => {
        if (m.error) failure = m.error;
      });
      worker.postMessage({ ctrl: ctrl.buffer });
      worker.unref(); // after the listeners: adding a "message" listener refs the worker again
      return { worker, ctrl };
    });
  } catch (e) {
    failure = `no helper threads: ${(e as Error).message}`;
    return [];
  }
}

function ready(): Helper[] {
  helpers ??= startHelpers();
  return helpers.filter((h) => Atomics.load(h.ctrl, CTRL.READY) === 1);
}

/** Threads the FFT convolution uses now (1 + helpers that are ready), and why not more. */
export function convThreads(): { threads: number; note?: string } {
  return { threads: 1 + ready().length, note: failure };
}

/** Split channels [0, H) into `parts` nearly equal ranges. */
export const ranges = (H: number, parts: number) => Array.from({ length: parts }, (_, i) => [Math.floor((i * H) / parts), Math.floor(((i + 1) * H) / parts)] as const);

type Slot = "x" | "k" | "out" | "k2" | "out2";
let own: Partial<Record<Slot, SharedArrayBuffer>> = {};

/** The array as a shared span: itself when it already lives in a SharedArrayBuffer (tfjs' heap), else copied into one of ours. */
function share(a: ArrayLike<number>, slot: Slot, copy: boolean): SharedSpan {
  if (a instanceof Float32Array && a.buffer instanceof SharedArrayBuffer) return { buffer: a.buffer, offset: a.byteOffset / 4, length: a.length };
  const bytes = 4 * a.length;
  if (!own[slot] || own[slot]!.byteLength < bytes) own = { ...own, [slot]: new SharedArrayBuffer(bytes) };
  const span = { buffer: own[slot]!, offset: 0, length: a.length };
  if (copy) spanView(span).set(a);
  return span;
}


/** Run `op` over channels [0, H) on the main thread and every ready helper; false when it should stay on one thread. */
function runSplit(op: ConvJob["op"], x: ArrayLike<number>, k: ArrayLike<number>, out: Float32Array, d: JobDims, points: number, k2?: ArrayLike<number>, out2?: Float32Array): boolean {
  const hs = points >= PARALLEL_MIN_POINTS && d.H >= 2 ? ready() : [];
  if (hs.length === 0) return false;
  const X = share(x, "x", true), K = k === x ? X : share(k, "k", true), O = share(out, "out", false);
  const K2 = k2 && share(k2, "k2", true), O2 = out2 && share(out2, "out2", false);
  const parts = ranges(d.H, hs.length + 1);
  hs.forEach((h, i) => {
    Atomics.store(h.ctrl, CTRL.DONE, 0);
    const job: ConvJob = { op, x: X, k: K, out: O, ...(K2 && O2 ? { k2: K2, out2: O2 } : {}), ...d, h0: parts[i + 1][0], h1: parts[i + 1][1] };
    h.worker.postMessage(job);
  });
  const ov = spanView(O), ov2 = O2 && spanView(O2);
  let error: unknown;
  try {
    runShare(op, spanView(X), spanView(K), ov, d, parts[0][0], parts[0][1], K2 && spanView(K2), ov2);
  } catch (e) {
    error = e;
  }
  error = waitFor(hs, error);
  if (error) throw error;
  if (ov !== out) out.set(ov);
  if (out2 && ov2 !== out2) out2.set(ov2!);
  return true;
}

/**
 * Wait for every posted helper, even when this thread failed: they write into memory the caller may
 * free (in tfjs' heap) as soon as this returns or throws. Returns the first error.
 */
function waitFor(hs: Helper[], error: unknown): unknown {
  for (const h of hs) {
    // A helper that dies cannot say so while this thread is blocked (its error event needs the event
    // loop), so the wait has a bound (a full-size job takes well under a second).
    if (Atomics.wait(h.ctrl, CTRL.DONE, 0, HELPER_TIMEOUT_MS) === "timed-out") {
      for (const x of helpers ?? []) void x.worker.terminate();
      helpers = [];
      failure = `a helper thread did not answer in ${HELPER_TIMEOUT_MS / 1000} s; helpers are off for this process`;
      error ??= new Error(`thread pool: ${failure}`);
    } else if (Atomics.load(h.ctrl, CTRL.DONE) !== 1) error ??= new Error(`thread pool: ${failure ?? "a helper thread failed"}`);
  }
  return error;
}

/** Threads a job of `points` units of work would use now: 1 below PARALLEL_MIN_POINTS or without helpers. */
export function poolThreads(points: number): number {
  return points >= PARALLEL_MIN_POINTS ? 1 + ready().length : 1;
}

const keys = new WeakMap<object, WeakMap<object, number>>();
let nextKey = 1;
const seen = new WeakMap<Helper, Set<number>>();

/**
 * Call export `fn` of `module` concurrently on `parts` threads (from poolThreads): the main thread
 * runs `local(args(0))` on its own instance, helper i instantiates `module` on the same shared
 * `memory` (once) and calls fn(...args(i)). The parts must write disjoint memory.
 */
export function wasmParallel(module: object, memory: object, fn: string, parts: number, args: (part: number) => number[], local: (a: number[]) => void): void {
  const hs = parts > 1 ? ready().slice(0, parts - 1) : [];
  if (hs.length !== parts - 1) throw new Error(`thread pool: ${parts} parts asked, ${hs.length + 1} threads ready`);
  let byMem = keys.get(module);
  if (!byMem) keys.set(module, (byMem = new WeakMap()));
  let key = byMem.get(memory);
  if (key === undefined) byMem.set(memory, (key = nextKey++));
  hs.forEach((h, i) => {
    let s = seen.get(h);
    if (!s) seen.set(h, (s = new Set()));
    const job: WasmJob = { op: "wasm", key: key!, fn, args: args(i + 1), ...(s.has(key!) ? {} : { module, memory }) };
    s.add(key!);
    Atomics.store(h.ctrl, CTRL.DONE, 0);
    h.worker.postMessage(job);
  });
  let error: unknown;
  try {
    local(args(0));
  } catch (e) {
    error = e;
  }
  error = waitFor(hs, error);
  if (error) throw error;
}

/** convolveRows (pffft.ts) over all channels, on every ready thread. */
export function convolveRowsParallel(x: ArrayLike<number>, k: ArrayLike<number>, B: number, H: number, L: number, Lk: number, n: number, rev: boolean, out: Float32Array): void {
  const d = { B, H, L, Lk, n, rev };
  if (!runSplit("conv", x, k, out, d, B * H * n)) runShare("conv", x as Float32Array, k as Float32Array, out, d, 0, H);
}

/** convBackwardRows (pffft.ts: du and dk of the convolution at once) over all channels, on every ready thread. */
export function convBackwardParallel(dy: ArrayLike<number>, u: ArrayLike<number>, k: ArrayLike<number>, B: number, H: number, L: number, Lk: number, n: number, du: Float32Array, dk: Float32Array): void {
  const d = { B, H, L, Lk, n, rev: true };
  if (!runSplit("convBwd", dy, u, du, d, B * H * n, k, dk)) runShare("convBwd", dy as Float32Array, u as Float32Array, du, d, 0, H, k as Float32Array, dk);
}

/** vandermondeRows (vandermondeRows.ts) of the packed modes [4, H, M] into out [H, L], on every ready thread. */
export function vandermondeParallel(modes: Float32Array, H: number, M: number, L: number, out: Float32Array): void {
  const d = { B: 1, H, L, Lk: M, n: 0, rev: false };
  if (!runSplit("vdm", modes, modes, out, d, H * M * L)) runShare("vdm", modes, modes, out, d, 0, H);
}

/** vandermondeGradRows of the packed modes and cotangent g [H, L] into out [4, H, M], on every ready thread. */
export function vandermondeGradParallel(modes: Float32Array, g: ArrayLike<number>, H: number, M: number, L: number, out: Float32Array): void {
  const d = { B: 1, H, L, Lk: M, n: 0, rev: false };
  if (!runSplit("vdmGrad", modes, g, out, d, H * M * L)) runShare("vdmGrad", modes, g as Float32Array, out, d, 0, H);
}
