// Our WASM SIMD kernels (wasm/nn.ts, compiled into nnWasm.ts by scripts/build-wasm.ts) and how the
// fused ops hand them tensors. Two ways, one interface (KernelIO):
//   in place — on tfjs' threaded wasm backend (a shared memory): the kernels are instantiated on
//     tfjs' own memory and read and write tensors where tfjs keeps them. No copies: at B16 H128
//     L1024 each copy-out-and-wrap of a [B, H, L] result costs 5–7 ms, ~10 of them per layer step.
//   copying — cpu backend, or tfjs' single-threaded wasm (not shared): a private instance; inputs
//     are copied in, outputs copied out into new tensors.
// The tfjs-wasm internals this needs are in kernels/tfjsHeap.ts.
import * as tf from "@tensorflow/tfjs";
import { compileSync, instantiateCompiled, instantiateSync, type WasmCompiled, type WasmMemory } from "../wasmModule.js";
import { poolThreads, ranges, wasmParallel } from "../kernels/convPool.js";
import { NN_WASM, NN_WASM_SHARED } from "./nnWasm.js";
import { tfjsWasmHeap, type HeapOutput, type TfjsHeap } from "../kernels/tfjsHeap.js";

export interface NnKernels {
  memory: WasmMemory;
  // Each call covers batches [b0, b1) of B (wasm/nn.ts); KernelIO.run splits [0, B) across threads.
  skipGeluForwardT(y: number, u: number, D: number, outT: number, slope: number, B: number, H: number, L: number, b0: number, b1: number): void;
  skipGeluBackwardT(gT: number, slope: number, u: number, D: number, dy: number, du: number, dD: number, B: number, H: number, L: number, b0: number, b1: number): void;
  gluForwardT(Zt: number, bias: number, out: number, B: number, H: number, L: number, b0: number, b1: number): void;
  gluBackwardT(g: number, Zt: number, bias: number, dZ: number, dZt: number, db: number, B: number, H: number, L: number, b0: number, b1: number): void;
  layerNormForward(x: number, gamma: number, beta: number, y: number, xhat: number, rstd: number, B: number, H: number, L: number, eps: number, b0: number, b1: number): void;
  layerNormBackward(dy: number, xhat: number, rstd: number, gamma: number, dx: number, dgamma: number, dbeta: number, B: number, H: number, L: number, b0: number, b1: number): void;
}

export type NnKernelName = Exclude<keyof NnKernels, "memory">;

/** What a fused op needs: pointers to its inputs, fresh outputs, float64 scratch, and tensors back. */
export interface KernelIO {
  readonly k: NnKernels;
  readonly inPlace: boolean;
  /** Pointer to t's float32 values. */
  input(t: tf.Tensor): number;
  /** Pointer to a new float32 array of this shape (uninitialized). */
  output(shape: number[]): number;
  /** Pointer to n zeroed float64s (released by done()). */
  f64(n: number): number;
  /** The output at `ptr` as a tensor (shape as given to output()). */
  tensor(ptr: number): tf.Tensor;
  /** n float64s at ptr as a float32 tensor; with parts > 1, the sum of `parts` consecutive slices of n. */
  f64Tensor(ptr: number, n: number, parts?: number): tf.Tensor1D;
  /** How many threads a call over B batches of `work` floats in all runs on (1 when copying). */
  parts(B: number, work: number): number;
  /**
   * Call kernel `fn` over batches [0, B), split into `parts` ranges run at once on the pool's
   * threads; `args(b0, b1, part)` is the argument list of one range (its sums go to slice `part`).
   */
  run(fn: NnKernelName, B: number, parts: number, args: (b0: number, b1: number, part: number) => number[]): void;
  /** Release scratch (and, copying, the arena). Outputs not wrapped by tensor() are freed too. */
  done(): void;
}

const bytesOf = (k: NnKernels) => k.memory.buffer;


function sumF64(k: NnKernels, ptr: number, n: number, parts: number): tf.Tensor1D {
  const all = new Float64Array(bytesOf(k), ptr, n * parts);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < parts; p++) s += all[p * n + i];
    out[i] = s;
  }
  return tf.tensor1d(out);
}

const callLocal = (k: NnKernels, fn: NnKernelName) => (a: number[]) => (k[fn] as (...x: number[]) => void)(...a);

let own: NnKernels | undefined;
const shared = new WeakMap<object, NnKernels>();

function ownKernels(): NnKernels {
  own ??= instantiateSync(Uint8Array.from(Buffer.from(NN_WASM, "base64"))) as unknown as NnKernels;
  return own;
}

let sharedModule: WasmCompiled | undefined;

function sharedKernels(mem: WasmMemory): NnKernels {
  let k = shared.get(mem);
  if (!k) {
    sharedModule ??= compileSync(Uint8Array.from(Buffer.from(NN_WASM_SHARED, "base64")));
    const ex = instantiateCompiled(sharedModule, { env: { memory: mem } });
    k = { ...(ex as unknown as NnKernels), memory: mem };
    shared.set(mem, k);
  }
  return k;
}

class InPlaceIO implements KernelIO {
  readonly inPlace = true;
  private readonly outs = new Map<number, HeapOutput>();
  private readonly scratch: number[] = [];
  constructor(private readonly heap: TfjsHeap, readonly k: NnKernels) {}
  input(t: tf.Tensor): number {
    return this.heap.offset(t);
  }
  output(shape: number[]): number {
    const o = this.heap.output(shape);
    this.outs.set(o.ptr, o);
    return o.ptr;
  }
  f64(n: number): number {
    const p = this.heap.malloc(8 * n);
    new Float64Array(bytesOf(this.k), p, n).fill(0);
    this.scratch.push(p);
    return p;
  }
  tensor(ptr: number): tf.Tensor {
    const o = this.outs.get(ptr);
    if (!o) throw new Error("fused op: tensor() of a pointer that output() did not make");
    this.outs.delete(ptr);
    return o.tensor();
  }
  f64Tensor(ptr: number, n: number, parts = 1): tf.Tensor1D {
    return sumF64(this.k, ptr, n, parts);
  }
  parts(B: number, work: number): number {
    return Math.min(B, poolThreads(work));
  }
  run(fn: NnKernelName, B: number, parts: number, args: (b0: number, b1: number, part: number) => number[]): void {
    const split = ranges(B, parts); // batches [0, B) in nearly equal ranges, as the pool splits channels
    const argsOf = (i: number) => args(...split[i], i);
    if (parts === 1) callLocal(this.k, fn)(argsOf(0));
    else wasmParallel(sharedModule!, this.heap.memory, fn, parts, argsOf, callLocal(this.k, fn));
  }
  done(): void {
    for (const p of this.scratch) this.heap.free(p);
    for (const o of this.outs.values()) o.discard();
    this.scratch.length = 0;
    this.outs.clear();
  }
}

/** A bump arena in our own instance's memory, from the second page on (page 0 is left to the module: AssemblyScript lays static data there if a kernel ever has any); grows to the largest call. */
class CopyIO implements KernelIO {
  readonly inPlace = false;
  private at = 65536;
  private readonly shapes = new Map<number, number[]>();
  constructor(readonly k: NnKernels) {}
  private reserve(bytes: number): number {
    const p = this.at;
    this.at += Math.ceil(bytes / 16) * 16;
    const need = this.at - bytesOf(this.k).byteLength;
    if (need > 0) this.k.memory.grow(Math.ceil(need / 65536));
    return p;
  }
  input(t: tf.Tensor): number {
    const d = t.dataSync();
    const p = this.reserve(4 * d.length);
    new Float32Array(bytesOf(this.k), p, d.length).set(d);
    return p;
  }
  output(shape: number[]): number {
    const p = this.reserve(4 * shape.reduce((a, b) => a * b, 1));
    this.shapes.set(p, shape);
    return p;
  }
  f64(n: number): number {
    const p = this.reserve(8 * n);
    new Float64Array(bytesOf(this.k), p, n).fill(0);
    return p;
  }
  tensor(ptr: number): tf.Tensor {
    const shape = this.shapes.get(ptr)!;
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(new Float32Array(bytesOf(this.k), ptr, n).slice(), shape);
  }
  f64Tensor(ptr: number, n: number, parts = 1): tf.Tensor1D {
    return sumF64(this.k, ptr, n, parts);
  }
  parts(): number {
    return 1;
  }
  run(fn: NnKernelName, B: number, _parts: number, args: (b0: number, b1: number, part: number) => number[]): void {
    callLocal(this.k, fn)(args(0, B, 0));
  }
  done(): void {
    this.at = 65536;
    this.shapes.clear();
  }
}

/** Run one kernel call with a fresh IO, released (scratch and unwrapped outputs freed) however `f` ends. */
export function withKernelIO<T>(f: (io: KernelIO) => T): T {
  const io = kernelIO();
  try {
    return f(io);
  } finally {
    io.done();
  }
}

/** The IO for the active backend: in place on threaded wasm, copying elsewhere. One per op call; call done(). */
export function kernelIO(): KernelIO {
  const heap = tfjsWasmHeap();
  return heap ? new InPlaceIO(heap, sharedKernels(heap.memory)) : new CopyIO(ownKernels());
}
