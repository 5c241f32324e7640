// The S4D / W4S4 layer: the minimal S4D of state-spaces/s4 (models/s4/s4d.py, class S4D) on
// TensorFlow.js, with the state matrix taken from any init of the registry.
//   y = GLU( W·GELU( K * u + D ⊙ u ) + b )     u, y: [B, H, L]
// W4S4 = this layer with init "walrus" and trainableA = false (Λ frozen, B absorbed into C).
import * as tf from "@tensorflow/tfjs";
import { projectGluT, skipGeluT } from "./activations.js";
import { ParameterError, rejectUnknownKeys, requireFinite, requireInt, requireOneOf } from "../errors.js";
import { DISCRETIZATIONS } from "../ssm/discretize.js";
import { diagonalInit, INIT_NAMES, requireInitKnobs, type InitName, type InitKnobs, type InitOptions } from "../ssm/registry.js";
import type { Discretization } from "../ssm/types.js";
import { initKernelParams, ssmKernel, type SSMKernelParams } from "../kernels/ssmKernel.js";
import { bidirectionalConv, fftConv } from "../kernels/fftConv.js";
import { mulberry32, normalStream } from "../random.js";

export interface S4DLayerArgs {
  /** Model width H (channels). Required. */
  dModel: number;
  /** State size N (real); the layer keeps N/2 conjugate modes per channel. Default 64. */
  dState?: number;
  /** Init name from the registry. Default "s4d-lin" (the state-spaces/s4 minimal S4D). */
  init?: InitName;
  /** Extra options for the init (wavelet, sMin, … for walrus). Default {}. */
  initOptions?: InitKnobs;
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

/** Upper bounds on sizes, checked before any allocation (W alone is 2H² floats: 128 MiB at H = 4096). */
export const S4D_LAYER_LIMITS = { dModel: 4096, dState: 1024 } as const;

/** The defaults of every optional S4DLayerArgs field, stated once (the model and the CLI use these). */
export const S4D_LAYER_DEFAULTS = {
  dState: 64, init: "s4d-lin", trainableA: true, dtMin: 1e-3, dtMax: 1e-1, disc: "zoh", bidirectional: false, dropout: 0, seed: 0, name: "s4d",
} as const satisfies Omit<Required<S4DLayerArgs>, "dModel" | "initOptions">;

export type ResolvedS4DLayerArgs = Required<Omit<S4DLayerArgs, "initOptions">> & { initOptions: InitKnobs };

const LAYER_KEYS = ["dModel", "dState", "init", "initOptions", "trainableA", "dtMin", "dtMax", "disc", "bidirectional", "dropout", "seed", "name"] as const;

/** Every argument validated (ParameterError naming it) and defaulted, before any tensor exists. */
export function resolveS4DLayerArgs(a: S4DLayerArgs, where = ""): ResolvedS4DLayerArgs {
  rejectUnknownKeys(where ? where.replace(/\.$/, "") : "S4DLayer args", a, LAYER_KEYS);
  const d = S4D_LAYER_DEFAULTS;
  const dtMin = requireFinite(`${where}dtMin`, a.dtMin ?? d.dtMin, { min: 0, exclusiveMin: true });
  return {
    dModel: requireInt(`${where}dModel`, a.dModel, 1, S4D_LAYER_LIMITS.dModel),
    dState: requireInt(`${where}dState`, a.dState ?? d.dState, 1, S4D_LAYER_LIMITS.dState),
    init: requireOneOf(`${where}init`, a.init ?? d.init, INIT_NAMES),
    initOptions: requireInitKnobs(`${where}initOptions`, a.initOptions),
    trainableA: a.trainableA ?? d.trainableA,
    dtMin,
    dtMax: requireFinite(`${where}dtMax`, a.dtMax ?? d.dtMax, { min: dtMin }),
    disc: requireOneOf(`${where}disc`, a.disc ?? d.disc, DISCRETIZATIONS),
    bidirectional: a.bidirectional ?? d.bidirectional,
    dropout: requireFinite(`${where}dropout`, a.dropout ?? d.dropout, { min: 0, max: 1, exclusiveMax: true }),
    seed: requireInt(`${where}seed`, a.seed ?? d.seed, 0),
    name: a.name ?? d.name,
  };
}

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
  /** "ssm" parameters (Δ, Λ) get their own optimizer group (lr 1e-3, no weight decay) as in example.py. */
  group: "ssm" | "default" | "no_decay";
}

/**
 * Dropout with its mask tied across the sequence (state-spaces/s4 DropoutNd): one draw per (batch,
 * channel), survivors scaled by 1/(1 − rate). x is [B, H, L], or channels-last [B, L, H] with
 * `channelsLast`; the draws (b-major, then h) are the same either way.
 */
export function tiedDropout(x: tf.Tensor3D, rate: number, seed?: number, channelsLast = false): tf.Tensor3D {
  const [B, d1, d2] = x.shape;
  const H = channelsLast ? d2 : d1;
  const keep = 1 - rate;
  const draws = tf.randomUniform([B, H], 0, 1, "float32", seed);
  const mask = tf.div(tf.cast(tf.less(tf.reshape(draws, channelsLast ? [B, 1, H] : [B, H, 1]), keep), "float32"), keep);
  return tf.mul(x, mask) as tf.Tensor3D;
}

export class S4DLayer {
  readonly args: ResolvedS4DLayerArgs;
  readonly kernel: SSMKernelParams;
  readonly kernelBack?: SSMKernelParams;
  readonly D: tf.Variable; // [H]
  readonly W: tf.Variable; // [2H, H]
  readonly bias: tf.Variable; // [2H, 1]

  constructor(a: S4DLayerArgs) {
    this.args = resolveS4DLayerArgs(a);
    const H = this.args.dModel, N = this.args.dState;
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
    const [, H, L] = u.shape;
    if (H !== this.args.dModel) throw new ParameterError("u", `shape [B, H = ${this.args.dModel}, L]`, u.shape);
    return tf.tidy(() => {
      const K = ssmKernel(this.kernel, L, { disc: this.args.disc });
      const conv = this.kernelBack ? bidirectionalConv(u, K, ssmKernel(this.kernelBack, L, { disc: this.args.disc })) : fftConv(u, K);
      // Channels-last between the two stages (activations.ts says why).
      let yT = skipGeluT(conv as tf.Tensor3D, u, this.D);
      if (opts.training && this.args.dropout > 0) yT = tiedDropout(yT, this.args.dropout, opts.dropoutSeed, true);
      // 1×1 conv to 2H, then GLU over channels.
      return projectGluT(yT, this.W, this.bias);
    });
  }
}
