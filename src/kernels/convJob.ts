// The message a convPool.ts job sends to its helper threads, the control words they share, and
// what one thread does with its share of the channels.
import { convBackwardRows, convolveRows } from "./pffft.js";
import { unpackModes, vandermondeGradRows, vandermondeRows } from "./vandermondeRows.js";
export const CTRL = { READY: 0, DONE: 1 } as const;

/** A float32 array inside a SharedArrayBuffer: our own, or tfjs-wasm's heap (then no copy at all). */
export interface SharedSpan {
  buffer: SharedArrayBuffer;
  /** Offset in floats. */
  offset: number;
  length: number;
}

export const spanView = (s: SharedSpan) => new Float32Array(s.buffer, 4 * s.offset, s.length);

export interface ConvJob {
  /**
   * "conv": convolveRows of x with k (rev as given);
   * "vdm": vandermondeRows of the packed modes x ([4, H, M], M = Lk) into out [H, L];
   * "vdmGrad": vandermondeGradRows of modes x and cotangent k [H, L] into out [4, H, M];
   * "convBwd": convBackwardRows of x = dy, k = u and k2 = the kernel into out = du and out2 = dk.
   */
  op: "conv" | "vdm" | "vdmGrad" | "convBwd";
  x: SharedSpan;
  k: SharedSpan;
  out: SharedSpan;
  k2?: SharedSpan;
  out2?: SharedSpan;
  B: number;
  H: number;
  L: number;
  Lk: number;
  n: number;
  rev: boolean;
  /** The helper's channels, h0 <= h < h1. */
  h0: number;
  h1: number;
}

/**
 * One call of an export of a WASM module whose memory is shared with the main thread (our nn
 * kernels on tfjs' heap): the helper instantiates `module` on `memory` the first time it sees `key`
 * (the two are sent only then) and calls `fn(...args)` on its share of the work.
 */
export interface WasmJob {
  op: "wasm";
  key: number;
  module?: object;
  memory?: object;
  fn: string;
  args: number[];
}

/** A job's sizes, as runShare needs them. */
export type JobDims = Pick<ConvJob, "B" | "H" | "L" | "Lk" | "n" | "rev">;

/** One thread's share of a job (the main thread runs the same function on its own channels). */
export function runShare(op: ConvJob["op"], x: Float32Array, k: Float32Array, out: Float32Array, d: JobDims, h0: number, h1: number, k2?: Float32Array, out2?: Float32Array): void {
  if (op === "convBwd") convBackwardRows(x, k, k2!, d.B, d.H, d.L, d.Lk, d.n, out, out2!, h0, h1);
  else if (op === "conv") convolveRows(x, k, d.B, d.H, d.L, d.Lk, d.n, d.rev, out, h0, h1);
  else if (op === "vdm") vandermondeRows(unpackModes(x, d.H * d.Lk), d.H, d.Lk, d.L, out, h0, h1);
  else vandermondeGradRows(unpackModes(x, d.H * d.Lk), k, d.H, d.Lk, d.L, out, h0, h1);
}
