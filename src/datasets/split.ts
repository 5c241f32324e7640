// Seeded, stratified subsampling and splitting. Every loader goes through these so that the same
// seed gives the same examples on every machine (mulberry32 stream, no Math.random).
import { ParameterError, requireInt } from "../errors.js";
import { mulberry32 } from "../random.js";
import type { SeqSplit } from "./types.js";

export function shuffled(n: number, seed: number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const r = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return idx;
}

/**
 * Pick at most `max` of the indices `idx` with class proportions kept (round-robin over classes
 * in shuffled order), so a 256-example CI subset still has every class.
 */
export function stratifiedSubset(idx: ArrayLike<number>, y: ArrayLike<number>, max: number, seed: number): Int32Array {
  if (max >= idx.length) return Int32Array.from(idx);
  const order = shuffled(idx.length, seed);
  const byClass = new Map<number, number[]>();
  for (const o of order) {
    const i = idx[o];
    const c = y[i];
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const lists = [...byClass.keys()].sort((a, b) => a - b).map((c) => byClass.get(c)!);
  const out: number[] = [];
  for (let k = 0; out.length < max; k++) {
    for (const l of lists) if (k < l.length && out.length < max) out.push(l[k]);
  }
  return Int32Array.from(out);
}

/** Gather rows `idx` of x (row width w) and y into a split. */
export function gather(x: Float32Array | Int32Array, y: Int32Array, w: number, idx: ArrayLike<number>): SeqSplit {
  const n = idx.length;
  const X = x instanceof Float32Array ? new Float32Array(n * w) : new Int32Array(n * w);
  const Y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    X.set(x.subarray(idx[k] * w, (idx[k] + 1) * w), k * w);
    Y[k] = y[idx[k]];
  }
  return { x: X, y: Y, n };
}

export function checkMax(name: string, v: number | undefined): number {
  if (v === undefined) return Infinity;
  return requireInt(name, v, 1);
}

/** Split indices 0..n-1 into train/val/test by fractions, shuffled by seed. */
export function splitIndices(n: number, fractions: [number, number, number], seed: number): [Int32Array, Int32Array, Int32Array] {
  const s = fractions[0] + fractions[1] + fractions[2];
  if (Math.abs(s - 1) > 1e-9) throw new ParameterError("fractions", "three fractions summing to 1", fractions);
  const o = shuffled(n, seed);
  const a = Math.round(fractions[0] * n), b = a + Math.round(fractions[1] * n);
  return [o.slice(0, a), o.slice(a, b), o.slice(b)];
}
