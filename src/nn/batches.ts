// Batches: the seeded per-epoch shuffle, gathering rows of a split into tensors, and the up-front
// checks that a split fits the model (shape, finite values, labels in range).
import * as tf from "@tensorflow/tfjs";
import { ParameterError } from "../errors.js";
import { mulberry32 } from "../random.js";
import type { DataSplit, TrainData } from "../datasets/types.js";

/** The order of the training samples in `epoch`: a function of (seed, epoch) only, so resume replays it. */
export function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const r = mulberry32((seed * 1000003 + epoch * 7919 + 17) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Values per sample of x and of y. */
export function perSample(split: DataSplit): { x: number; y: number } {
  return { x: split.x.length / split.n, y: split.y.length / split.n };
}

/** Gather rows `idx` of a split into tensors: x [b, L, d] or [b, L]; y [b] or [b, L] (or [b, L, d]). */
export function makeBatch(split: DataSplit, idx: ArrayLike<number>, data: TrainData): { x: tf.Tensor; y: tf.Tensor } {
  const b = idx.length, per = perSample(split), L = data.length;
  const X = split.x instanceof Int32Array ? new Int32Array(b * per.x) : new Float32Array(b * per.x);
  const Y = split.y instanceof Int32Array ? new Int32Array(b * per.y) : new Float32Array(b * per.y);
  for (let i = 0; i < b; i++) {
    const k = idx[i];
    X.set(split.x.subarray(k * per.x, (k + 1) * per.x), i * per.x);
    Y.set(split.y.subarray(k * per.y, (k + 1) * per.y), i * per.y);
  }
  const x = data.input.kind === "tokens" ? tf.tensor2d(X as Int32Array, [b, L], "int32") : tf.tensor3d(X as Float32Array, [b, L, per.x / L]);
  const y = per.y === 1 ? tf.tensor1d(Y, Y instanceof Int32Array ? "int32" : "float32") : tf.tensor2d(Y, [b, per.y], Y instanceof Int32Array ? "int32" : "float32");
  return { x, y };
}

/** Checks train, val and (if any) test before any work; a ParameterError names the split and sample. */
export function checkSplits(data: TrainData, nClasses: number): void {
  checkSplit("train", data.train, data, nClasses);
  checkSplit("val", data.val, data, nClasses);
  if (data.test) checkSplit("test", data.test, data, nClasses);
}

function checkSplit(name: string, s: DataSplit | undefined, data: TrainData, nClasses: number): void {
  if (!s || !(s.n >= 1)) throw new ParameterError(`data.${name}`, "a split with n >= 1 samples", s?.n);
  const per = perSample(s);
  const L = data.length;
  const wantX = data.input.kind === "tokens" ? L : L * data.input.dInput;
  if (per.x !== wantX) throw new ParameterError(`data.${name}.x`, `${wantX} values per sample (L = ${L})`, per.x);
  for (const [k, arr] of [["x", s.x], ["y", s.y]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) throw new ParameterError(`data.${name}.${k}`, "finite values", `${arr[i]} in sample ${Math.floor(i / (arr.length / s.n))}`);
    }
  }
  if ((data.kind ?? "classification") === "classification") {
    // An out-of-range label would be one-hot to zeros: a finite loss that trains on nothing.
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i];
      if (!Number.isInteger(v) || v < 0 || v >= nClasses) throw new ParameterError(`data.${name}.y`, `class ids, integers in [0, ${nClasses - 1}] (model.dOutput = ${nClasses})`, `${v} in sample ${Math.floor(i / (s.y.length / s.n))}`);
    }
  }
}
