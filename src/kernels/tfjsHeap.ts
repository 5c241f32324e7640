// Direct access to tensors in tfjs-wasm's heap, for our own kernels (nn/wasmKernels.ts, the FFT
// convolution). Only on the threaded wasm build, whose heap is a SharedArrayBuffer: our WASM
// modules can import that memory and helper threads can read it, so nothing is copied.
// Uses tfjs-wasm internals (stable through 4.x, checked here): backend.wasm (emscripten module:
// wasmMemory, _malloc, _free), backend.dataIdMap (a tensor's memoryOffset), backend.makeOutput,
// backend.disposeData; engine().makeTensorFromTensorInfo wraps a new output as a tensor.
import * as tf from "@tensorflow/tfjs";
import type { WasmMemory } from "../wasmModule.js";

interface TensorInfo { dataId: object; shape: number[]; dtype: string }
interface WasmBackend {
  wasm?: { wasmMemory?: WasmMemory; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap?: { get(id: object): { memoryOffset: number } | undefined };
  makeOutput?(shape: number[], dtype: "float32"): TensorInfo;
  disposeData(id: object): void;
}

/** A new float32 tensor's storage in the heap: write through `view`, then `tensor()` it (or `discard()`). */
export interface HeapOutput {
  ptr: number;
  view: Float32Array;
  tensor(): tf.Tensor;
  discard(): void;
}

export interface TfjsHeap {
  memory: WasmMemory;
  /** Byte offset of t's float32 values. */
  offset(t: tf.Tensor): number;
  /** t's values, in place. */
  view(t: tf.Tensor): Float32Array;
  output(shape: number[]): HeapOutput;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/** The heap of the active backend when it is tfjs' threaded wasm build, else undefined. */
export function tfjsWasmHeap(): TfjsHeap | undefined {
  if (tf.getBackend() !== "wasm") return undefined;
  const b = tf.backend() as unknown as WasmBackend;
  const mem = b.wasm?.wasmMemory;
  if (!mem || typeof SharedArrayBuffer === "undefined" || !(mem.buffer instanceof SharedArrayBuffer) || !b.dataIdMap || !b.makeOutput) return undefined;
  const map = b.dataIdMap, wasm = b.wasm!;
  const offset = (t: tf.Tensor) => {
    if (t.dtype !== "float32") throw new Error(`expected a float32 tensor, got ${t.dtype}`);
    const d = map.get(t.dataId);
    if (!d) throw new Error("a tensor that is not on the wasm backend");
    return d.memoryOffset;
  };
  const sab = () => mem.buffer as unknown as SharedArrayBuffer;
  return {
    memory: mem,
    offset,
    view: (t) => new Float32Array(sab(), offset(t), t.size),
    output(shape) {
      const info = b.makeOutput!(shape, "float32");
      const ptr = map.get(info.dataId)!.memoryOffset;
      const size = shape.reduce((a, c) => a * c, 1);
      let taken = false;
      return {
        ptr,
        view: new Float32Array(sab(), ptr, size),
        tensor: () => {
          taken = true;
          return (tf.engine() as unknown as { makeTensorFromTensorInfo(i: TensorInfo): tf.Tensor }).makeTensorFromTensorInfo(info);
        },
        discard: () => {
          if (!taken) b.disposeData(info.dataId);
        },
      };
    },
    malloc: (bytes) => wasm._malloc(bytes) >>> 0,
    free: (p) => wasm._free(p),
  };
}
