// The diagonal-SSM kernel as a Vandermonde product:
//   K[h, l] = Σ_m Re( c[h,m] · z[h,m]^l ),   z = exp(ζ),   l = 0..L−1
// with c = w·C·B̄ (weight, readout and discretized input folded together) and ζ = log Ā.
// Inputs are real (re, im) pairs so gradients flow without complex autodiff, which tfjs lacks.
//
// Two implementations, equal to float32 rounding (test/kernels-*.test.ts):
//   vandermondeTf — plain tf ops (exp, cos, sin, sum), autodiff gradients, chunked over l so no
//                   intermediate exceeds `memoryBudgetBytes`. Runs on any backend, on the GPU too.
//   vandermondeJs — one custom op in float64 JS loops (powers by repeated multiplication), with the
//                   analytic vector-Jacobian product. O(H·M·L) time, O(H·L) memory. Fast on cpu/wasm.
// Gradients (g = ∂loss/∂K):  S = Σ_l g_l z^l,  T = Σ_l g_l·l·z^l
//   ∂/∂c_re = Re S,  ∂/∂c_im = −Im S,  ∂/∂ζ_re = Re(c·T),  ∂/∂ζ_im = −Im(c·T).
import * as tf from "@tensorflow/tfjs";
import { ParameterError, requireInt } from "../errors.js";
import { customOp } from "./customOp.js";
import { vandermondeGradParallel, vandermondeParallel } from "./convPool.js";
import { packModes } from "./vandermondeRows.js";

export interface VandermondeInputs {
  cRe: tf.Tensor2D;
  cIm: tf.Tensor2D;
  logZRe: tf.Tensor2D;
  logZIm: tf.Tensor2D;
}

/** Default memory budget for one chunk of the tf-ops kernel: 64 MiB (float32). */
export const DEFAULT_KERNEL_MEMORY_BUDGET = 64 * 2 ** 20;

function dims(x: VandermondeInputs): [number, number] {
  const [H, M] = x.cRe.shape;
  for (const [name, t] of Object.entries(x)) {
    if (t.rank !== 2 || t.shape[0] !== H || t.shape[1] !== M) throw new ParameterError(name, `a tensor of shape [H = ${H}, M = ${M}]`, t.shape);
  }
  return [H, M];
}

/**
 * Kernel by tf ops, chunked over l: each chunk materializes ~6 tensors of H·M·Lc float32, so
 * Lc = budget / (24·H·M). Peak memory is therefore about `memoryBudgetBytes` plus the H·L output.
 */
export function vandermondeTf(x: VandermondeInputs, L: number, memoryBudgetBytes = DEFAULT_KERNEL_MEMORY_BUDGET): tf.Tensor2D {
  requireInt("L", L, 1);
  const [H, M] = dims(x);
  const Lc = Math.max(1, Math.min(L, Math.floor(memoryBudgetBytes / (24 * H * M))));
  const chunks: tf.Tensor2D[] = [];
  for (let l0 = 0; l0 < L; l0 += Lc) {
    const n = Math.min(Lc, L - l0);
    chunks.push(
      tf.tidy(() => {
        const l = tf.range(l0, l0 + n, 1, "float32").reshape([1, 1, n]);
        const zr = x.logZRe.expandDims(2), zi = x.logZIm.expandDims(2);
        const mag = tf.exp(tf.mul(zr, l));
        const ang = tf.mul(zi, l);
        const re = tf.mul(mag, tf.cos(ang)), im = tf.mul(mag, tf.sin(ang));
        const terms = tf.sub(tf.mul(x.cRe.expandDims(2), re), tf.mul(x.cIm.expandDims(2), im));
        return tf.sum(terms, 1) as tf.Tensor2D;
      }),
    );
  }
  if (chunks.length === 1) return chunks[0];
  const out = tf.concat(chunks, 1) as tf.Tensor2D;
  chunks.forEach((c) => c.dispose());
  return out;
}

// Forward and backward are the float64 loops of vandermondeRows.ts, split over channels between
// threads by convPool.ts (a single thread below its size threshold).
const vandermondeOp = (L: number) =>
  customOp((cRe: tf.Tensor, cIm: tf.Tensor, zRe: tf.Tensor, zIm: tf.Tensor, save: tf.GradSaveFunc) => {
    const [H, M] = cRe.shape as [number, number];
    const modes = packModes({ cr: cRe.dataSync(), ci: cIm.dataSync(), zr: zRe.dataSync(), zi: zIm.dataSync() }, H * M);
    const K = new Float32Array(H * L);
    vandermondeParallel(modes, H, M, L, K);
    save([]);
    return {
      value: tf.tensor2d(K, [H, L]),
      gradFunc: (dy: tf.Tensor) => {
        const grad = new Float32Array(4 * H * M);
        vandermondeGradParallel(modes, dy.dataSync(), H, M, L, grad);
        const shape: [number, number] = [H, M], HM = H * M;
        return [0, 1, 2, 3].map((j) => tf.tensor2d(grad.subarray(j * HM, (j + 1) * HM), shape));
      },
    };
  });

/** Kernel by the float64 JS custom op (forward and analytic backward). */
export function vandermondeJs(x: VandermondeInputs, L: number): tf.Tensor2D {
  requireInt("L", L, 1);
  dims(x);
  return vandermondeOp(L)(x.cRe, x.cIm, x.logZRe, x.logZIm) as tf.Tensor2D;
}
