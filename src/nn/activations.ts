// The S4D layer's two elementwise stages, each as the plain tf ops (the reference, autodiff
// gradients) and as one fused custom op over typed arrays with its hand-written backward:
//   skipGelu(y, u, D) = GELU(y + D ⊙ u)                 (D skip, then exact GELU, as nn.GELU())
//   projectGlu(y, W, b) = GLU(W·y + b) = a ⊙ σ(g),  [a; g] = W·y + b   (output_linear, then GLU)
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

const skipGeluOp = customOp((y: tf.Tensor, u: tf.Tensor, D: tf.Tensor, save: tf.GradSaveFunc) => {
  const [B, H, L] = u.shape as [number, number, number];
  const [value, slopeT] = withKernelIO((io) => {
    const out = io.output([B, H, L]), slope = io.output([B, H, L]);
    io.k.skipGeluForward(io.input(y), io.input(u), io.input(D), out, slope, B * H, H, L);
    return [io.tensor(out), io.tensor(slope)];
  });
  save([u, D, slopeT]);
  return {
    value,
    gradFunc: (dout: tf.Tensor, saved: tf.Tensor[]) => {
      return withKernelIO((b) => {
        const dy = b.output([B, H, L]), du = b.output([B, H, L]), dD = b.f64(H);
        b.k.skipGeluBackward(b.input(dout), b.input(saved[2]), b.input(saved[0]), b.input(saved[1]), dy, du, dD, B * H, H, L);
        return [b.tensor(dy), b.tensor(du), b.f64Tensor(dD, H)];
      });
    },
  };
});

/** GELU(y + D ⊙ u) for y, u [B, H, L] and D [H]; differentiable in all three. */
export function skipGelu(y: tf.Tensor3D, u: tf.Tensor3D, D: tf.Tensor1D | tf.Variable, method: FusedMethod = "auto"): tf.Tensor3D {
  if (!useFused(method)) return skipGeluNaive(y, u, D);
  requireShape("u", u, [...u.shape]);
  requireShape("y", y, [...u.shape]);
  requireShape("D", D, [u.shape[1]]);
  return skipGeluOp(y, u, D as tf.Tensor) as tf.Tensor3D;
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

// The projection as 2-D matMuls only (pointwise.ts says why): forward Zt = Yt·Wᵀ with Yt = y as
// [B·L, H] (one transpose), the GLU kernel reading Zt and writing [B, H, L]; backward dW = dZ·Yt and
// dYt = dZt·W (one transpose back), the kernel writing dZ in both layouts. Yt serves the forward and
// dW, so nothing needs the slow transpose of a [H, B·L] matrix (20 ms at B16 H128 L1024), and tfjs'
// B operand is the weight wherever it can be: tfjs-wasm re-packs a new B operand on every call
// (+16 ms for a fresh [256, 16384] one).
const projectGluOp = customOp((y: tf.Tensor, W: tf.Tensor, bias: tf.Tensor, save: tf.GradSaveFunc) => {
  const [B, H, L] = y.shape as [number, number, number];
  const Yt = tf.tidy(() => tf.reshape(tf.transpose(y, [0, 2, 1]), [B * L, H]));
  const Zt = tf.tidy(() => tf.matMul(Yt, tf.transpose(W))); // [B·L, 2H]
  let value: tf.Tensor, At: tf.Tensor, St: tf.Tensor;
  try {
    [value, At, St] = withKernelIO((io) => {
      const out = io.output([B, H, L]), A = io.output([H * B * L]), S = io.output([H * B * L]);
      io.k.gluForward(io.input(Zt), io.input(bias), out, A, S, B, H, L);
      return [io.tensor(out), io.tensor(A), io.tensor(S)];
    });
  } finally {
    Zt.dispose();
  }
  // a and σ(g) (rows layout) for the backward: dA = d·σ, dG = d·a·σ(1 − σ).
  save([Yt, W, At, St]);
  return {
    value,
    gradFunc: (dout: tf.Tensor, saved: tf.Tensor[]) => {
      const [Yts, Ws, As, Ss] = saved;
      const [dZ, dZt, dbT] = withKernelIO((b) => {
        const dZp = b.output([2 * H, B * L]), dZtp = b.output([B * L, 2 * H]), db = b.f64(2 * H);
        b.k.gluBackward(b.input(dout), b.input(As), b.input(Ss), dZp, dZtp, db, B, H, L);
        return [b.tensor(dZp), b.tensor(dZtp), b.f64Tensor(db, 2 * H)];
      });
      const grads = tf.tidy(() => {
        const dYt = tf.matMul(dZt, Ws as tf.Tensor2D); // [B·L, H]
        const dy = tf.transpose(tf.reshape(dYt, [B, L, H]), [0, 2, 1]);
        const dW = tf.matMul(dZ, Yts as tf.Tensor2D);
        return [dy, dW, tf.reshape(dbT, [2 * H, 1])];
      });
      tf.dispose([dZ, dZt, dbT]); // 32 MiB at B16 H128 L1024: not kept to the end of the backward pass
      return grads;
    },
  };
});

/** GLU(W·y + b): y [B, H, L], W [2H, H], b [2H, 1] → [B, H, L]; differentiable in all three. */
export function projectGlu(y: tf.Tensor3D, W: tf.Tensor2D | tf.Variable, bias: tf.Tensor2D | tf.Variable, method: FusedMethod = "auto"): tf.Tensor3D {
  if (!useFused(method)) return projectGluNaive(y, W, bias);
  const H = y.shape[1];
  requireShape("y", y, [...y.shape]);
  requireShape("W", W, [2 * H, H]);
  requireShape("bias", bias, [2 * H, 1]);
  return projectGluOp(y, W as tf.Tensor, bias as tf.Tensor) as tf.Tensor3D;
}
