// The S4D / W4S4 layer: the minimal S4D of state-spaces/s4 (models/s4/s4d.py, class S4D) on
// TensorFlow.js, with the state matrix taken from any init of the registry.
//   y = GLU( W·GELU( K * u + D ⊙ u ) + b )     u, y: [B, H, L]
// W4S4 = this layer with init "walrus" and trainableA = false (Λ frozen, B absorbed into C).
import * as tf from "@tensorflow/tfjs";
import { pointwiseLinear } from "./pointwise.js";
import { ParameterError, requireInt } from "../errors.js";
import { diagonalInit, type InitName, type InitOptions } from "../ssm/registry.js";
import type { Discretization } from "../ssm/types.js";
import { initKernelParams, ssmKernel, type SSMKernelParams } from "../kernels/ssmKernel.js";
import { bidirectionalConv, fftConv } from "../kernels/fftConv.js";
import { mulberry32, normalStream } from "../tasks/signals.js";

export interface S4DLayerArgs {
  /** Model width H (channels). Required. */
  dModel: number;
  /** State size N (real); the layer keeps N/2 conjugate modes per channel. Default 64. */
  dState?: number;
  /** Init name from the registry. Default "s4d-lin" (the state-spaces/s4 minimal S4D). */
  init?: InitName;
  /** Extra options for the init (wavelet, sMin, … for walrus). Default {}. */
  initOptions?: Omit<InitOptions, "N">;
  /** Train Λ. false = frozen A (W4S4). Default true. */
  trainableA?: boolean;
  /** log Δ ~ U[log dtMin, log dtMax]. Defaults 1e-3, 1e-1. */
  dtMin?: number;
  dtMax?: number;
  /** Discretization. Default "zoh" (as state-spaces/s4 S4D). */
  disc?: Discretization;
  /** Two-sided kernel (non-causal). Default false. */
  bidirectional?: boolean;
  /** Dropout rate after GELU, mask tied across the sequence. Default 0. */
  dropout?: number;
  /** Seed of every initializer. Default 0. */
  seed?: number;
  /** Name prefix for the parameters. Default "s4d". */
  name?: string;
}

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
  /** "ssm" parameters (Δ, Λ) get their own optimizer group (lr 1e-3, no weight decay) as in example.py. */
  group: "ssm" | "default" | "no_decay";
}

function gelu(x: tf.Tensor): tf.Tensor {
  // Exact GELU, 0.5·x·(1 + erf(x/√2)) — PyTorch's nn.GELU default.
  return tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

export class S4DLayer {
  readonly args: Required<Omit<S4DLayerArgs, "initOptions">> & { initOptions: Omit<InitOptions, "N"> };
  readonly kernel: SSMKernelParams;
  readonly kernelBack?: SSMKernelParams;
  readonly D: tf.Variable; // [H]
  readonly W: tf.Variable; // [2H, H]
  readonly bias: tf.Variable; // [2H, 1]

  constructor(a: S4DLayerArgs) {
    const H = requireInt("dModel", a.dModel, 1);
    const N = requireInt("dState", a.dState ?? 64, 1);
    const dropout = a.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1)) throw new ParameterError("dropout", "a number in [0, 1)", dropout);
    this.args = {
      dModel: H, dState: N, init: a.init ?? "s4d-lin", initOptions: a.initOptions ?? {}, trainableA: a.trainableA ?? true,
      dtMin: a.dtMin ?? 1e-3, dtMax: a.dtMax ?? 1e-1, disc: a.disc ?? "zoh", bidirectional: a.bidirectional ?? false,
      dropout, seed: a.seed ?? 0, name: a.name ?? "s4d",
    };
    const diag = diagonalInit(this.args.init, { N, ...this.args.initOptions });
    const kopts = { dtMin: this.args.dtMin, dtMax: this.args.dtMax, trainableA: this.args.trainableA, name: `${this.args.name}/kernel` };
    this.kernel = initKernelParams(diag, H, { ...kopts, seed: this.args.seed });
    if (this.args.bidirectional) this.kernelBack = initKernelParams(diag, H, { ...kopts, seed: this.args.seed + 7919, name: `${this.args.name}/kernel_back` });
    const nrm = normalStream(this.args.seed + 104729);
    this.D = tf.variable(tf.tensor1d(Float32Array.from({ length: H }, () => nrm())));
    // Conv1d(H, 2H, 1) default init of PyTorch: U(−1/√H, 1/√H).
    const bound = 1 / Math.sqrt(H);
    const uni = mulberry32(this.args.seed + 15485863);
    this.W = tf.variable(tf.tensor2d(Float32Array.from({ length: 2 * H * H }, () => (2 * uni() - 1) * bound), [2 * H, H]));
    this.bias = tf.variable(tf.zeros([2 * H, 1]));
  }

  /** Every parameter with its logical name and optimizer group. */
  namedVariables(): NamedVariable[] {
    const n = this.args.name;
    const k = (p: SSMKernelParams): NamedVariable[] => [
      { name: p.names.logDt, variable: p.logDt, group: "ssm" },
      { name: p.names.logNegRe, variable: p.logNegRe, group: "ssm" },
      { name: p.names.im, variable: p.im, group: "ssm" },
      { name: p.names.cRe, variable: p.cRe, group: "default" },
      { name: p.names.cIm, variable: p.cIm, group: "default" },
    ];
    return [
      ...k(this.kernel),
      ...(this.kernelBack ? k(this.kernelBack) : []),
      { name: `${n}/D`, variable: this.D, group: "default" },
      { name: `${n}/output_linear/weight`, variable: this.W, group: "default" },
      { name: `${n}/output_linear/bias`, variable: this.bias, group: "no_decay" },
    ];
  }

  /** u: [B, H, L] → [B, H, L]. `training` enables dropout (seeded per call by `dropoutSeed`). */
  apply(u: tf.Tensor3D, opts: { training?: boolean; dropoutSeed?: number } = {}): tf.Tensor3D {
    const [B, H, L] = u.shape;
    if (H !== this.args.dModel) throw new ParameterError("u", `shape [B, H = ${this.args.dModel}, L]`, u.shape);
    return tf.tidy(() => {
      const K = ssmKernel(this.kernel, L, { disc: this.args.disc });
      let y = this.kernelBack ? bidirectionalConv(u, K, ssmKernel(this.kernelBack, L, { disc: this.args.disc })) : fftConv(u, K);
      y = tf.add(y, tf.mul(u, this.D.reshape([1, H, 1])));
      y = gelu(y);
      if (opts.training && this.args.dropout > 0) {
        // Mask tied across the sequence (DropoutNd): one draw per (batch, channel).
        const keep = 1 - this.args.dropout;
        const mask = tf.cast(tf.less(tf.randomUniform([B, H, 1], 0, 1, "float32", opts.dropoutSeed), keep), "float32").div(keep);
        y = tf.mul(y, mask);
      }
      // 1×1 conv to 2H, then GLU over channels.
      const z = tf.add(pointwiseLinear(y as tf.Tensor3D, this.W), this.bias); // [B, 2H, L]
      const a = tf.slice(z, [0, 0, 0], [B, H, L]), g = tf.slice(z, [0, H, 0], [B, H, L]);
      return tf.mul(a, tf.sigmoid(g)) as tf.Tensor3D;
    });
  }
}
