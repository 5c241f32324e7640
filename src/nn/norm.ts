// Normalization over the channel axis of [B, H, L] activations.
// LayerNorm: per (b, l) over H (what example.py applies after transposing to [B, L, H]).
// BatchNorm: per channel over (B, L), running statistics for evaluation (BatchNorm1d defaults:
// momentum 0.1, ε 1e-5, unbiased running variance).
// LayerNorm has two implementations with the same values and gradients (test/nn-fused.test.ts):
// layerNormNaive in tf ops (tf.moments over the channel axis, autodiff) and, on cpu/wasm, one WASM
// SIMD op with its hand-written backward (wasm/nn.ts). Measured at B16 H128 L1024 (2 cores): the
// tf-op version spends ~60 ms per norm fwd+bwd in transposed reductions and broadcast sums.
import * as tf from "@tensorflow/tfjs";
import { requireOneOf } from "../errors.js";
import { customOp } from "../kernels/customOp.js";
import type { NamedVariable } from "./s4dLayer.js";
import { withKernelIO } from "./wasmKernels.js";
import { requireShape, useFused, type FusedMethod } from "./activations.js";

export function layerNormNaive(x: tf.Tensor3D, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor3D {
  const H = x.shape[1];
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma.reshape([1, H, 1])), beta.reshape([1, H, 1]));
  }) as tf.Tensor3D;
}

const layerNormOp = (eps: number) => customOp((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
  const [B, H, L] = x.shape as [number, number, number];
  const [value, xh, r] = withKernelIO((io) => {
    const y = io.output([B, H, L]), xhat = io.output([B, H, L]), rstd = io.output([B, L]);
    const px = io.input(x), pg = io.input(gamma), pb = io.input(beta);
    io.run("layerNormForward", B, io.parts(B, B * H * L), (b0, b1) => [px, pg, pb, y, xhat, rstd, B, H, L, eps, b0, b1]);
    return [io.tensor(y), io.tensor(xhat), io.tensor(rstd)];
  });
  save([gamma, xh, r]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      return withKernelIO((b) => {
        const parts = b.parts(B, B * H * L);
        const dx = b.output([B, H, L]), dg = b.f64(parts * H), db = b.f64(parts * H);
        const pdy = b.input(dy), pxh = b.input(saved[1]), pr = b.input(saved[2]), pg = b.input(saved[0]);
        b.run("layerNormBackward", B, parts, (b0, b1, i) => [pdy, pxh, pr, pg, dx, dg + 8 * H * i, db + 8 * H * i, B, H, L, b0, b1]);
        return [b.tensor(dx), b.f64Tensor(dg, H, parts), b.f64Tensor(db, H, parts)];
      });
    },
  };
});

/** LayerNorm over the channel axis of x [B, H, L]; "auto": the fused op on cpu/wasm, tf ops elsewhere. */
export function layerNorm(x: tf.Tensor3D, gamma: tf.Tensor, beta: tf.Tensor, eps: number, method: FusedMethod = "auto"): tf.Tensor3D {
  if (!useFused(method)) return layerNormNaive(x, gamma, beta, eps);
  requireShape("x", x, [...x.shape]);
  requireShape("gamma", gamma, [x.shape[1]]);
  requireShape("beta", beta, [x.shape[1]]);
  return layerNormOp(eps)(x, gamma, beta) as tf.Tensor3D;
}

export const NORMS = ["layer", "batch"] as const;
export type NormKind = (typeof NORMS)[number];

export class ChannelNorm {
  readonly kind: NormKind;
  readonly gamma: tf.Variable; // [H]
  readonly beta: tf.Variable; // [H]
  readonly runningMean?: tf.Variable; // [H], batch norm only (not trained; saved in checkpoints)
  readonly runningVar?: tf.Variable;
  readonly eps = 1e-5;
  readonly momentum = 0.1;

  constructor(readonly H: number, kind: NormKind, readonly name: string) {
    this.kind = requireOneOf("norm", kind, NORMS);
    this.gamma = tf.variable(tf.ones([H]));
    this.beta = tf.variable(tf.zeros([H]));
    if (kind === "batch") {
      this.runningMean = tf.variable(tf.zeros([H]), false);
      this.runningVar = tf.variable(tf.ones([H]), false);
    }
  }

  namedVariables(): NamedVariable[] {
    return [
      { name: `${this.name}/weight`, variable: this.gamma, group: "no_decay" },
      { name: `${this.name}/bias`, variable: this.beta, group: "no_decay" },
    ];
  }

  /** Non-trainable state that a checkpoint must carry. */
  buffers(): { name: string; variable: tf.Variable }[] {
    return this.runningMean ? [
      { name: `${this.name}/running_mean`, variable: this.runningMean },
      { name: `${this.name}/running_var`, variable: this.runningVar! },
    ] : [];
  }

  apply(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    const H = this.H;
    if (this.kind === "layer") return layerNorm(x, this.gamma, this.beta, this.eps);
    const g = this.gamma.reshape([1, H, 1]), b = this.beta.reshape([1, H, 1]);
    let mean: tf.Tensor, variance: tf.Tensor;
    if (training) {
      ({ mean, variance } = tf.moments(x, [0, 2], true));
      const n = x.shape[0] * x.shape[2];
      // Running statistics are updated outside the gradient tape's concern (assign is not recorded).
      const mu = tf.reshape(mean, [H]), va = tf.mul(tf.reshape(variance, [H]), n / Math.max(1, n - 1));
      this.runningMean!.assign(tf.add(tf.mul(1 - this.momentum, this.runningMean!), tf.mul(this.momentum, mu)));
      this.runningVar!.assign(tf.add(tf.mul(1 - this.momentum, this.runningVar!), tf.mul(this.momentum, va)));
    } else {
      mean = this.runningMean!.reshape([1, H, 1]);
      variance = this.runningVar!.reshape([1, H, 1]);
    }
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.eps))), g), b) as tf.Tensor3D;
  }
}
