import { parseArgs } from "node:util";
import { initBackend, backendLine, BACKENDS, webgpuAdapter, type BackendName } from "../backend.js";
import { ParameterError } from "../errors.js";
import type { Command } from "./types.js";
import { resolveConvMethod } from "../kernels/fftConv.js";
import { resolveKernelMethod } from "../kernels/ssmKernel.js";
import { pffftStatus } from "../kernels/pffft.js";
import { kernelIO } from "../nn/wasmKernels.js";
import { wasmThreadCount } from "../wasmThreads.js";

/** The compute paths the layer uses on the active backend (second line of `w4s4 backend`). */
function computeLine(): string {
  const conv = resolveConvMethod();
  if (conv === "wgsl") {
    return `compute: Vandermonde kernel and FFT convolution (Stockham, radix 2) as our WGSL shaders (${resolveKernelMethod()}); D-skip + GELU, GLU and LayerNorm as tf ops on the GPU`;
  }
  if (conv !== "pffft") return `compute: FFT convolution through tf.spectral (${conv}); D-skip + GELU, GLU and LayerNorm as tf ops`;
  const p = pffftStatus();
  const io = kernelIO();
  const inPlace = io.inPlace;
  io.done();
  return `compute: FFT convolution PFFFT WASM SIMD${p.ok ? "" : ` (unavailable: ${p.reason})`} on up to ${wasmThreadCount()} thread(s); ` +
    `D-skip + GELU, GLU and LayerNorm as WASM SIMD kernels, ${inPlace ? `in place in tfjs' heap, batch split across up to ${wasmThreadCount()} thread(s)` : "copying in and out, one thread"}`;
}

export const command: Command = {
  name: "backend",
  summary: "print the TensorFlow.js backend this machine runs on, and what was tried",
  usage: `w4s4 backend [--backend auto|${BACKENDS.join("|")}] [--json]

Selects the backend as the library does (W4S4_BACKEND or --backend forces one; forcing one that is
not available exits 1 naming it) and prints what it chose and tried, then the compute paths the S4D
layer takes there (FFT convolution, fused activations), or JSON with --json.
W4S4_WASM_THREADS=n (1..8) sets the threads of the wasm backend and of the FFT convolution.`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { backend: { type: "string" }, json: { type: "boolean" } } });
    try {
      const info = await initBackend({ backend: values.backend as BackendName | "auto" | undefined });
      const adapter = webgpuAdapter();
      console.log(values.json ? JSON.stringify({ ...info, ...(info.name === "webgpu" ? { adapter } : {}), compute: computeLine() }, null, 2) : `${backendLine(info)}\n${computeLine()}`);
      return 0;
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      return e instanceof ParameterError ? 2 : 1;
    }
  },
};
