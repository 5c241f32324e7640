// The Vandermonde kernel K[h,l] = Σ_m Re(c[h,m]·z[h,m]^l), z = exp(ζ), as two WGSL programs with the
// same analytic vector-Jacobian product as the float64 JS op (../vandermonde.ts states it):
//   forward  — one thread per (h, l), a loop over the M modes; z^l = exp(l·ζ_re)·cisLA(l, ζ_im).
//   backward — one workgroup per (h, m); its threads stride over l accumulating
//              S = Σ_l g_l z^l and T = Σ_l g_l·l·z^l, then a tree reduction in workgroup memory.
// Each power is evaluated directly (not by repeated multiplication), so error does not grow with l.
import * as tf from "@tensorflow/tfjs";
import { ParameterError, requireInt } from "../../errors.js";
import { customOp } from "../customOp.js";
import type { VandermondeInputs } from "../vandermonde.js";
import { MAX_WGSL_LENGTH, PHASE_WGSL, runWgsl } from "./program.js";

const forward = (H: number, M: number, L: number, x: tf.Tensor[]) =>
  runWgsl(
    {
      name: "vandermonde_fwd",
      inputs: ["cr", "ci", "zr", "zi"],
      outputShape: [H, L],
      threads: H * L,
      uniforms: ["M:i32", "L:i32"],
      code: `${PHASE_WGSL}
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let h = index / uniforms.L;
  let l = index - h * uniforms.L;
  let fl = f32(l);
  var acc = 0.0;
  for (var m = 0; m < uniforms.M; m++) {
    let j = h * uniforms.M + m;
    let w = cisLA(u32(l), zi[j]) * exp(fl * zr[j]);
    acc += cr[j] * w.x - ci[j] * w.y;
  }
  result[index] = acc;
}`,
    },
    x,
    [M, L],
  );

const WG = 128;
const backward = (H: number, M: number, L: number, x: tf.Tensor[], g: tf.Tensor) =>
  runWgsl(
    {
      name: "vandermonde_bwd",
      inputs: ["cr", "ci", "zr", "zi", "g"],
      outputShape: [4, H, M],
      threads: H * M * WG,
      workgroupSize: WG,
      uniforms: ["M:i32", "L:i32"],
      code: `${PHASE_WGSL}
var<workgroup> partS : array<vec4<f32>, ${WG}>;
fn main(index : i32) {
  let lane = i32(localIndex);
  let j = index / ${WG};
  let HM = uniforms.threads / ${WG};
  let ok = j < HM;
  let jj = select(0, j, ok);
  let h = jj / uniforms.M;
  let a = zi[jj];
  let b = zr[jj];
  var s = vec2<f32>(0.0, 0.0);
  var t = vec2<f32>(0.0, 0.0);
  for (var l = lane; l < uniforms.L; l += ${WG}) {
    let gl = g[h * uniforms.L + l];
    let w = cisLA(u32(l), a) * (exp(f32(l) * b) * gl);
    s += w;
    t += w * f32(l);
  }
  partS[lane] = vec4<f32>(s, t);
  workgroupBarrier();
  for (var k = ${WG / 2}; k > 0; k = k / 2) {
    if (lane < k) { partS[lane] = partS[lane] + partS[lane + k]; }
    workgroupBarrier();
  }
  if (lane == 0 && ok) {
    let S = partS[0].xy;
    let T = partS[0].zw;
    let c = vec2<f32>(cr[j], ci[j]);
    let cT = cmul(c, T);
    result[j] = S.x;
    result[HM + j] = -S.y;
    result[2 * HM + j] = cT.x;
    result[3 * HM + j] = -cT.y;
  }
}`,
    },
    [...x, g],
    [M, L],
  );

/** Kernel by WGSL on the webgpu backend: forward and analytic backward on the GPU. */
export function vandermondeWgsl(x: VandermondeInputs, L: number): tf.Tensor2D {
  requireInt("L", L, 1);
  if (L > MAX_WGSL_LENGTH) throw new ParameterError("L", `at most ${MAX_WGSL_LENGTH} on the webgpu kernel`, L);
  const [H, M] = x.cRe.shape;
  for (const [name, t] of Object.entries(x)) {
    if (t.rank !== 2 || t.shape[0] !== H || t.shape[1] !== M) throw new ParameterError(name, `a tensor of shape [H = ${H}, M = ${M}]`, t.shape);
  }
  const op = customOp((cRe: tf.Tensor, cIm: tf.Tensor, zRe: tf.Tensor, zIm: tf.Tensor, save: tf.GradSaveFunc) => {
    save([cRe, cIm, zRe, zIm]);
    return {
      value: forward(H, M, L, [cRe, cIm, zRe, zIm]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const grad = backward(H, M, L, saved, dy);
        const parts = tf.unstack(grad, 0);
        grad.dispose();
        return parts;
      },
    };
  });
  return op(x.cRe, x.cIm, x.logZRe, x.logZIm) as tf.Tensor2D;
}
