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

/** Forward in float64: K[h, l] for all l. */
function forwardJs(cr: ArrayLike<number>, ci: ArrayLike<number>, zr: ArrayLike<number>, zi: ArrayLike<number>, H: number, M: number, L: number): Float32Array {
  const K = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    for (let m = 0; m < M; m++) {
      const i = h * M + m;
      const e = Math.exp(zr[i]);
      const ar = e * Math.cos(zi[i]), ai = e * Math.sin(zi[i]);
      let pr = cr[i], pi = ci[i]; // c·z^l
      const off = h * L;
      for (let l = 0; l < L; l++) {
        K[off + l] += pr;
        const t = pr * ar - pi * ai;
        pi = pr * ai + pi * ar;
        pr = t;
      }
    }
  }
  return Float32Array.from(K);
}

const vandermondeOp = (L: number) =>
  customOp((cRe: tf.Tensor, cIm: tf.Tensor, zRe: tf.Tensor, zIm: tf.Tensor, save: tf.GradSaveFunc) => {
    const [H, M] = cRe.shape as [number, number];
    const cr = cRe.dataSync(), ci = cIm.dataSync(), zr = zRe.dataSync(), zi = zIm.dataSync();
    save([cRe, cIm, zRe, zIm]);
    return {
      value: tf.tensor2d(forwardJs(cr, ci, zr, zi, H, M, L), [H, L]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync();
        const dcr = new Float32Array(H * M), dci = new Float32Array(H * M), dzr = new Float32Array(H * M), dzi = new Float32Array(H * M);
        for (let h = 0; h < H; h++) {
          const off = h * L;
          for (let m = 0; m < M; m++) {
            const i = h * M + m;
            const e = Math.exp(zr[i]);
            const ar = e * Math.cos(zi[i]), ai = e * Math.sin(zi[i]);
            let pr = 1, pi = 0; // z^l
            let sr = 0, si = 0, tr = 0, ti = 0;
            for (let l = 0; l < L; l++) {
              const gl = g[off + l];
              sr += gl * pr;
              si += gl * pi;
              tr += gl * l * pr;
              ti += gl * l * pi;
              const t = pr * ar - pi * ai;
              pi = pr * ai + pi * ar;
              pr = t;
            }
            dcr[i] = sr;
            dci[i] = -si;
            // c·T
            dzr[i] = cr[i] * tr - ci[i] * ti;
            dzi[i] = -(cr[i] * ti + ci[i] * tr);
          }
        }
        const shape: [number, number] = [H, M];
        return [tf.tensor2d(dcr, shape), tf.tensor2d(dci, shape), tf.tensor2d(dzr, shape), tf.tensor2d(dzi, shape)];
      },
    };
  });

/** Kernel by the float64 JS custom op (forward and analytic backward). */
export function vandermondeJs(x: VandermondeInputs, L: number): tf.Tensor2D {
  requireInt("L", L, 1);
  dims(x);
  return vandermondeOp(L)(x.cRe, x.cIm, x.logZRe, x.logZIm) as tf.Tensor2D;
}
