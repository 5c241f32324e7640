// Recurrent mode of the diagonal SSM: the same system as the convolution kernel, run one step at a
// time (autoregressive inference) or scanned over a sequence with the state carried across chunks.
//   x_t = Ā x_{t−1} + u_t   (per channel h, mode m; B̄ folded into c)
//   y_t = Σ_m Re(c_m x_t,m)  so that y = K * u with K_l = Σ_m Re(c_m Ā_m^l)
// Porting note: state-spaces/s4 `setup_step` / `default_state` / `step`; their step/forward parity
// was broken in releases (issues #115, PR #114), so conv == step == scan is a test here.
import * as tf from "@tensorflow/tfjs";
import { ParameterError } from "../errors.js";
import type { Discretization } from "../ssm/types.js";
import { discreteCoefficients, type SSMKernelParams } from "./ssmKernel.js";

export interface StepSetup {
  H: number;
  M: number;
  aRe: tf.Tensor2D; // Ā [H, M]
  aIm: tf.Tensor2D;
  cRe: tf.Tensor2D; // c [H, M]
  cIm: tf.Tensor2D;
}

export interface StepState {
  re: tf.Tensor3D; // [B, H, M]
  im: tf.Tensor3D;
}

/** Discrete per-mode (Ā, c) for stepping. Call again after the parameters change. */
export function setupStep(p: SSMKernelParams, disc: Discretization = "zoh"): StepSetup {
  return tf.tidy(() => {
    const x = discreteCoefficients(p, disc);
    const mag = tf.exp(x.logZRe);
    return {
      H: p.H,
      M: p.M,
      aRe: tf.mul(mag, tf.cos(x.logZIm)) as tf.Tensor2D,
      aIm: tf.mul(mag, tf.sin(x.logZIm)) as tf.Tensor2D,
      cRe: x.cRe,
      cIm: x.cIm,
    };
  });
}

export function defaultState(s: StepSetup, batch: number): StepState {
  return { re: tf.zeros([batch, s.H, s.M]) as tf.Tensor3D, im: tf.zeros([batch, s.H, s.M]) as tf.Tensor3D };
}

/** One step: u_t [B, H] → y_t [B, H] and the next state. The caller disposes the old state. */
export function step(s: StepSetup, u: tf.Tensor2D, state: StepState): { y: tf.Tensor2D; state: StepState } {
  if (u.rank !== 2 || u.shape[1] !== s.H) throw new ParameterError("u", `a tensor of shape [B, H = ${s.H}]`, u.shape);
  return tf.tidy(() => {
    const ue = u.expandDims(2);
    const re = tf.add(tf.sub(tf.mul(s.aRe, state.re), tf.mul(s.aIm, state.im)), ue) as tf.Tensor3D;
    const im = tf.add(tf.mul(s.aRe, state.im), tf.mul(s.aIm, state.re)) as tf.Tensor3D;
    const y = tf.sum(tf.sub(tf.mul(s.cRe, re), tf.mul(s.cIm, im)), 2) as tf.Tensor2D;
    return { y, state: { re, im } };
  });
}

/** A state as plain float64 arrays ([B·H·M] each), for the scan. */
export interface ScanState {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Scan a whole chunk u [B, H, L] through the recurrence in float64 JS loops, starting from `state`
 * (zeros when omitted), returning y [B, H, L] and the final state to continue with the next chunk.
 */
export function scan(s: StepSetup, u: tf.Tensor3D, state?: ScanState): { y: tf.Tensor3D; state: ScanState } {
  const [B, H, L] = u.shape;
  if (H !== s.H) throw new ParameterError("u", `a tensor of shape [B, H = ${s.H}, L]`, u.shape);
  if (tf.getBackend() === "webgpu") throw new Error("scan() reads its tensors synchronously, which webgpu cannot do in Node: run the recurrence on cpu or wasm (W4S4_BACKEND=wasm)");
  const M = s.M;
  const ar = s.aRe.dataSync(), ai = s.aIm.dataSync(), cr = s.cRe.dataSync(), ci = s.cIm.dataSync();
  const ud = u.dataSync();
  const xr = state ? Float64Array.from(state.re) : new Float64Array(B * H * M);
  const xi = state ? Float64Array.from(state.im) : new Float64Array(B * H * M);
  if (xr.length !== B * H * M) throw new ParameterError("state", `arrays of length B·H·M = ${B * H * M}`, xr.length);
  const y = new Float32Array(B * H * L);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const off = (b * H + h) * L, so = (b * H + h) * M, po = h * M;
      for (let t = 0; t < L; t++) {
        const ut = ud[off + t];
        let acc = 0;
        for (let m = 0; m < M; m++) {
          const r = ar[po + m] * xr[so + m] - ai[po + m] * xi[so + m] + ut;
          const i = ar[po + m] * xi[so + m] + ai[po + m] * xr[so + m];
          xr[so + m] = r;
          xi[so + m] = i;
          acc += cr[po + m] * r - ci[po + m] * i;
        }
        y[off + t] = acc;
      }
    }
  return { y: tf.tensor3d(y, [B, H, L]), state: { re: xr, im: xi } };
}

export function disposeStepSetup(s: StepSetup): void {
  for (const t of [s.aRe, s.aIm, s.cRe, s.cIm]) t.dispose();
}
