// The message a convPool.ts job sends to its helper threads, and the control words they share.
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
  /** "conv": convolveRows of x with k (rev as given); "kgrad": kernelGradientRows of x = dy with k = u. */
  op: "conv" | "kgrad";
  x: SharedSpan;
  k: SharedSpan;
  out: SharedSpan;
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
