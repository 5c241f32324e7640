// A helper thread of convPool.ts: PFFFT convolutions on its share of the channels, reading and
// writing the pool's shared buffers, or a call into a WASM module on a shared memory (WasmJob).
// It says it is ready by setting ctrl[READY]; each job ends by setting ctrl[DONE] and waking the
// main thread, which waits on it.
import { parentPort } from "node:worker_threads";
import { pffftStatus } from "./pffft.js";
import { CTRL, runShare, spanView, type ConvJob, type WasmJob } from "./convJob.js";
import { instantiateCompiled } from "../wasmModule.js";

const port = parentPort!;

let ctrl: Int32Array | undefined;
const instances = new Map<number, Record<string, unknown>>();

function runWasm(m: WasmJob): void {
  let ex = instances.get(m.key);
  if (!ex) {
    if (!m.module || !m.memory) throw new Error(`wasm job ${m.key}: module and memory not sent`);
    ex = instantiateCompiled(m.module, { env: { memory: m.memory } });
    instances.set(m.key, ex);
  }
  (ex[m.fn] as (...a: number[]) => void)(...m.args);
}

port.on("message", (m: { ctrl: SharedArrayBuffer } | ConvJob | WasmJob) => {
  if ("ctrl" in m) {
    ctrl = new Int32Array(m.ctrl);
    Atomics.store(ctrl, CTRL.READY, pffftStatus().ok ? 1 : -1);
    return;
  }
  try {
    if (m.op === "wasm") runWasm(m);
    else runShare(m.op, spanView(m.x), spanView(m.k), spanView(m.out), m, m.h0, m.h1, m.k2 && spanView(m.k2), m.out2 && spanView(m.out2));
    Atomics.store(ctrl!, CTRL.DONE, 1);
  } catch (e) {
    Atomics.store(ctrl!, CTRL.DONE, -1);
    port.postMessage({ error: String(e) });
  }
  Atomics.notify(ctrl!, CTRL.DONE);
});
