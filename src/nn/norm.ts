// Normalization over the channel axis of [B, H, L] activations.
// LayerNorm: per (b, l) over H (what example.py applies after transposing to [B, L, H]).
// BatchNorm: per channel over (B, L), running statistics for evaluation (BatchNorm1d defaults:
// momentum 0.1, ε 1e-5, unbiased running variance).
import * as tf from "@tensorflow/tfjs";
import { requireOneOf } from "../errors.js";
import type { NamedVariable } from "./s4dLayer.js";

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
    const g = this.gamma.reshape([1, H, 1]), b = this.beta.reshape([1, H, 1]);
    if (this.kind === "layer") {
      const { mean, variance } = tf.moments(x, 1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.eps))), g), b) as tf.Tensor3D;
    }
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
