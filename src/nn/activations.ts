// The S4D layer's two elementwise stages, each as the plain tf ops (the reference, autodiff
// gradients) and as one fused custom op over typed arrays with its hand-written backward:
//   skipGeluT(y, u, D) = GELU(y + D ⊙ u), returned channels-last   (D skip, then exact GELU, as nn.GELU())
//   projectGluT(yT, W, b) = GLU(W·y + b) = a ⊙ σ(g),  [a; g] = W·y + b   (output_linear, then GLU)
// The layer's activations are [B, H, L] (what the FFT convolution reads); the projection's matMul
// wants rows [B·L, H]. So the tensor between the two stages is channels-last, yT [B, L, H]: the
// fused kernels write and read it with the transpose built into their tiles, and neither the
// forward nor the backward has a transpose pass (two, 12 ms at B16 H128 L1024, before).
// Why: on tfjs-wasm each elementwise op is one pass over memory and its gradient several more; at
// B16 H128 L1024 (2 cores, idle) GELU + skip took 95 ms fwd+bwd and the projection + GLU 210 ms,
// against 7 and 35 ms in PyTorch. The fused ops make one pass forward and one backward, in WASM
// SIMD (wasm/nn.ts): plain JS loops were slower than tfjs, since V8's Math.exp alone costs
// ~15 ns per element.
// On GPU backends (tensorflow, webgpu, webgl) the tf-op versions run: a host round trip would cost
// more than it saves.
import * as tf from "@tensorflow/tfjs";
import { customOp } from "../kernels/customOp.js";
import { pointwiseLinear } from "./pointwise.js";
import { withKernelIO } from "./wasmKernels.js";
import { isHostBackend } from "../backend.js";
import { ParameterError, requireOneOf } from "../errors.js";

export const FUSED_METHODS = ["auto", "fused", "tf"] as const;
export type FusedMethod = (typeof FUSED_METHODS)[number];
/** "auto": the fused op on host backends (cpu, wasm), tf ops on GPU ones. */
export const useFused = (m: FusedMethod) => (requireOneOf("method", m, FUSED_METHODS) === "auto" ? isHostBackend() : m === "fused");

/** Shapes and dtype checked before a fused kernel touches memory: a wrong one would read or write past a tensor. */
export function requireShape(name: string, t: tf.Tensor, shape: number[]): void {
  if (t.dtype !== "float32") throw new ParameterError(name, "a float32 tensor", t.dtype);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) throw new ParameterError(name, `a tensor of shape [${shape.join(", ")}]`, t.shape);
}

// ---- GELU ---------------------------------------------------------------------------------------

/** Exact GELU in tf ops, 0.5·x·(1 + erf(x/√2)) — PyTorch's nn.GELU default. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

export function skipGeluNaive(y: tf.Tensor3D, u: tf.Tensor3D, D: tf.Tensor1D | tf.Variable): tf.Tensor3D {
  const H = u.shape[1];
  return tf.tidy(() => gelu(tf.add(y, tf.mul(u, D.reshape([1, H, 1]))))) as tf.Tensor3D;
}

/** The reference of skipGeluT: skipGeluNaive, then one transpose to [B, L, H]. */
export function skipGeluTNaive(y: tf.Tensor3D, u: tf.Tensor3D, D: tf.Tensor1D | tf.Variable): tf.Tensor3D {
  return tf.tidy(() => tf.transpose(skipGeluNaive(y, u, D), [0, 2, 1])) as tf.Tensor3D;
}

const skipGeluTOp = customOp((y: tf.Tensor, u: tf.Tensor, D: tf.Tensor, save: tf.GradSaveFunc) => {
  const [B, H, L] = u.shape as [number, number, number];
  const [value, slopeT] = withKernelIO((io) => {
    const outT = io.output([B, L, H]), slope = io.output([B, H, L]);
    const py = io.input(y), pu = io.input(u), pD = io.input(D);
    io.run("skipGeluForwardT", B, io.parts(B, B * H * L), (b0, b1) => [py, pu, pD, outT, slope, B, H, L, b0, b1]);
    return [io.tensor(outT), io.tensor(slope)];
  });
  save([u, D, slopeT]); // save keeps its own handle (a clone)
  slopeT.dispose();
  return {
    value,
    gradFunc: (doutT: tf.Tensor, saved: tf.Tensor[]) => {
      return withKernelIO((b) => {
        const parts = b.parts(B, B * H * L);
        const dy = b.output([B, H, L]), du = b.output([B, H, L]), dD = b.f64(parts * H);
        const pg = b.input(doutT), ps = b.input(saved[2]), pu = b.input(saved[0]), pD = b.input(saved[1]);
        b.run("skipGeluBackwardT", B, parts, (b0, b1, i) => [pg, ps, pu, pD, dy, du, dD + 8 * H * i, B, H, L, b0, b1]);
        return [b.tensor(dy), b.tensor(du), b.f64Tensor(dD, H, parts)];
      });
    },
  };
});

/** GELU(y + D ⊙ u) for y, u [B, H, L] and D [H], returned channels-last as [B, L, H]; differentiable in all three. */
export function skipGeluT(y: tf.Tensor3D, u: tf.Tensor3D, D: tf.Tensor1D | tf.Variable, method: FusedMethod = "auto"): tf.Tensor3D {
  if (!useFused(method)) return skipGeluTNaive(y, u, D);
  requireShape("u", u, [...u.shape]);
  requireShape("y", y, [...u.shape]);
  requireShape("D", D, [u.shape[1]]);
  return skipGeluTOp(y, u, D as tf.Tensor) as tf.Tensor3D;
}

// ---- projection + GLU ---------------------------------------------------------------------------

export function projectGluNaive(y: tf.Tensor3D, W: tf.Tensor2D | tf.Variable, bias: tf.Tensor2D | tf.Variable): tf.Tensor3D {
  const [B, H, L] = y.shape;
  return tf.tidy(() => {
    const z = tf.add(pointwiseLinear(y, W as tf.Tensor2D), bias); // [B, 2H, L]
    const a = tf.slice(z, [0, 0, 0], [B, H, L]), g = tf.slice(z, [0, H, 0], [B, H, L]);
    return tf.mul(a, tf.sigmoid(g));
  }) as tf.Tensor3D;
}

/** The reference of projectGluT: one transpose of yT to [B, H, L], then projectGluNaive. */
export function projectGluTNaive(yT: tf.Tensor3D, W: tf.Tensor2D | tf.Variable, bias: tf.Tensor2D | tf.Variable): tf.Tensor3D {
  return tf.tidy(() => projectGluNaive(tf.transpose(yT, [0, 2, 1]), W, bias));
}

// The projection as 2-D matMuls only (pointwise.ts says why): forward Zt = Yt·Wᵀ with Yt = yT as
// [B·L, H] (a reshape), the GLU kernel reading Zt and writing [B, H, L]; backward dW = dZ·Yt and
// dYt = dZt·W (which is the gradient of yT as it stands), the kernel writing dZ in both layouts.
// tfjs' B operand is the weight wherever it can be: tfjs-wasm re-packs a new B operand on every
// call (+16 ms for a fresh [256, 16384] one). The backward keeps Zt, not a and σ(g): the kernel
// recomputes σ, which costs less than writing and re-reading two more [B·L, H] arrays.
const projectGluTOp = customOp((yT: tf.Tensor, W: tf.Tensor, bias: tf.Tensor, save: tf.GradSaveFunc) => {
  const [B, L, H] = yT.shape as [number, number, number];
  const Yt = tf.reshape(yT, [B * L, H]);
  const Zt = tf.tidy(() => tf.matMul(Yt, tf.transpose(W))); // [B·L, 2H]
  const value = withKernelIO((io) => {
    const out = io.output([B, H, L]), pz = io.input(Zt), pb = io.input(bias);
    io.run("gluForwardT", B, io.parts(B, 2 * B * H * L), (b0, b1) => [pz, pb, out, B, H, L, b0, b1]);
    return io.tensor(out);
  });
  save([Yt, W, bias, Zt]);
  tf.dispose([Yt, Zt]);
  return {
    value,
    gradFunc: (dout: tf.Tensor, saved: tf.Tensor[]) => {
      const [Yts, Ws, bs, Zts] = saved;
      const [dZ, dZt, dbT] = withKernelIO((b) => {
        const parts = b.parts(B, 2 * B * H * L);
        const dZp = b.output([2 * H, B * L]), dZtp = b.output([B * L, 2 * H]), db = b.f64(parts * 2 * H);
        const pg = b.input(dout), pz = b.input(Zts), pb = b.input(bs);
        b.run("gluBackwardT", B, parts, (b0, b1, i) => [pg, pz, pb, dZp, dZtp, db + 16 * H * i, B, H, L, b0, b1]);
        return [b.tensor(dZp), b.tensor(dZtp), b.f64Tensor(db, 2 * H, parts)];
      });
      const grads = tf.tidy(() => [
        tf.reshape(tf.matMul(dZt, Ws as tf.Tensor2D), [B, L, H]),
        tf.matMul(dZ, Yts as tf.Tensor2D),
        tf.reshape(dbT, [2 * H, 1]),
      ]);
      tf.dispose([dZ, dZt, dbT]); // 32 MiB at B16 H128 L1024: not kept to the end of the backward pass
      return grads;
    },
  };
});

/** GLU(W·y + b) for y given channels-last, yT [B, L, H]; W [2H, H], b [2H, 1] → [B, H, L]; differentiable in all three. */
export function projectGluT(yT: tf.Tensor3D, W: tf.Tensor2D | tf.Variable, bias: tf.Tensor2D | tf.Variable, method: FusedMethod = "auto"): tf.Tensor3D {
  if (!useFused(method)) return projectGluTNaive(yT, W, bias);
  const H = yT.shape[2];
  requireShape("yT", yT, [...yT.shape]);
  requireShape("W", W, [2 * H, H]);
  requireShape("bias", bias, [2 * H, 1]);
  return projectGluTOp(yT, W as tf.Tensor, bias as tf.Tensor) as tf.Tensor3D;
}
