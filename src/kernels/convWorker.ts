// A helper thread of convPool.ts: PFFFT convolutions on its share of the channels, reading and
// writing the pool's shared buffers. It says it is ready by setting ctrl[READY]; each job ends by
// setting ctrl[DONE] and waking the main thread, which waits on it.
import { parentPort } from "node:worker_threads";
import { pffftStatus } from "./pffft.js";
import { CTRL, runShare, spanView, type ConvJob } from "./convJob.js";

const port = parentPort!;

let ctrl: Int32Array | undefined;

port.on("message", (m: { ctrl: SharedArrayBuffer } | ConvJob) => {
  if ("ctrl" in m) {
    ctrl = new Int32Array(m.ctrl);
    Atomics.store(ctrl, CTRL.READY, pffftStatus().ok ? 1 : -1);
    return;
  }
  try {
    const [x, k, out] = [spanView(m.x), spanView(m.k), spanView(m.out)];
    runShare(m.op, x, k, out, m, m.h0, m.h1);
    Atomics.store(ctrl!, CTRL.DONE, 1);
  } catch (e) {
    Atomics.store(ctrl!, CTRL.DONE, -1);
    port.postMessage({ error: String(e) });
  }
  Atomics.notify(ctrl!, CTRL.DONE);
});
