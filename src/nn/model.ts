// The deep SSM model of state-spaces/s4 example.py (S4Model): encoder → n residual blocks of
// [norm?] → S4D layer → dropout → + residual [→ norm] → pooling → decoder.
// With init "walrus" and trainableA false every layer is a W4S4 layer.
// Porting note: example.py only has a linear encoder and mean pooling; we add an embedding encoder
// (byte / token tasks), last-step pooling and per-step output ("none": a decoder at every step,
// for sequence-to-sequence tasks such as the delay reconstruction of W4S4 Table 1).
import * as tf from "@tensorflow/tfjs";
import { customOp } from "../kernels/customOp.js";
import { ParameterError, rejectUnknownKeys, requireFinite, requireInt, requireOneOf } from "../errors.js";
import { INIT_NAMES, requireInitKnobs, type InitKnobs } from "../ssm/registry.js";
import { DISCRETIZATIONS } from "../ssm/discretize.js";
import { mulberry32, normalPairs } from "../random.js";
import { ChannelNorm, NORMS, type NormKind } from "./norm.js";
import { S4D_LAYER_DEFAULTS, S4D_LAYER_LIMITS, S4DLayer, tiedDropout, type NamedVariable, type S4DLayerArgs } from "./s4dLayer.js";

import type { SeqInput } from "../datasets/types.js";

/** The model's input is a data set's input: one type, declared in src/datasets/types.ts. */
export type ModelInput = SeqInput;
export const POOLINGS = ["mean", "last", "none"] as const;
export type Pooling = (typeof POOLINGS)[number];

/** The layer options the model passes to every block, documented (with their defaults) on S4DLayerArgs. */
type BlockArgs = Pick<S4DLayerArgs, "dState" | "init" | "initOptions" | "trainableA" | "dtMin" | "dtMax" | "disc" | "bidirectional" | "seed">;

/**
 * Every option of the model, with the defaults of example.py unless said otherwise: the model's own
 * below, the layer's (dState, init, initOptions, trainableA, dtMin, dtMax, disc, bidirectional, seed)
 * from S4DLayerArgs with S4D_LAYER_DEFAULTS. W4S4: init "walrus", trainableA false.
 */
export interface ModelConfig extends BlockArgs {
  /** Real-valued inputs with dInput channels (linear encoder) or tokens (embedding). Required. */
  input: ModelInput;
  /** Classes (classification) or output channels (regression). Required. */
  dOutput: number;
  /** Width H. Default 128. */
  dModel?: number;
  /** Residual blocks. Default 4. */
  nLayers?: number;
  /** Dropout inside and after each layer (tied over the sequence). Default 0.1 (the layer alone: 0). */
  dropout?: number;
  /** Pre-norm (norm before the layer) or post-norm (after the residual add). Default false (post). */
  prenorm?: boolean;
  /** Default "layer". */
  norm?: NormKind;
  /** "mean" over L (example.py), "last" step, or "none" (per-step outputs). Default "mean". */
  pooling?: Pooling;
}

/** The defaults of the model's own options, stated once (the layer's are S4D_LAYER_DEFAULTS). */
export const MODEL_DEFAULTS = { dModel: 128, nLayers: 4, dropout: 0.1, prenorm: false, norm: "layer", pooling: "mean" } as const;

export type ResolvedModelConfig = Required<Omit<ModelConfig, "initOptions">> & { initOptions: InitKnobs };

/** Keys a ModelConfig may have (a misspelt key is an error, not a silent default). */
export const MODEL_CONFIG_KEYS = ["input", "dOutput", "dModel", "nLayers", "dState", "init", "initOptions", "trainableA", "dtMin", "dtMax", "disc", "bidirectional", "dropout", "prenorm", "norm", "pooling", "seed"] as const;

/** Upper bounds, checked before any allocation; the layer's own bounds (dModel, dState) apply too. */
export const MODEL_LIMITS = { nLayers: 64, dInput: 4096, vocab: 1 << 20, dOutput: 1 << 16, ...S4D_LAYER_LIMITS } as const;

export function resolveModelConfig(c: ModelConfig): ResolvedModelConfig {
  if (!c || typeof c !== "object") throw new ParameterError("model", "a ModelConfig object", c);
  rejectUnknownKeys("model", c, MODEL_CONFIG_KEYS);
  const inp = c.input;
  if (!inp || (inp.kind !== "real" && inp.kind !== "tokens")) throw new ParameterError("model.input", '{kind: "real", dInput} or {kind: "tokens", vocab}', inp);
  if (inp.kind === "real") requireInt("model.input.dInput", inp.dInput, 1, MODEL_LIMITS.dInput);
  else requireInt("model.input.vocab", inp.vocab, 2, MODEL_LIMITS.vocab);
  const L = S4D_LAYER_DEFAULTS, M = MODEL_DEFAULTS;
  const r: ResolvedModelConfig = {
    input: inp,
    dOutput: requireInt("model.dOutput", c.dOutput, 1, MODEL_LIMITS.dOutput),
    dModel: requireInt("model.dModel", c.dModel ?? M.dModel, 1, MODEL_LIMITS.dModel),
    nLayers: requireInt("model.nLayers", c.nLayers ?? M.nLayers, 0, MODEL_LIMITS.nLayers),
    dState: requireInt("model.dState", c.dState ?? L.dState, 2, MODEL_LIMITS.dState),
    init: requireOneOf("model.init", c.init ?? L.init, INIT_NAMES),
    initOptions: requireInitKnobs("model.initOptions", c.initOptions),
    trainableA: c.trainableA ?? L.trainableA,
    dtMin: requireFinite("model.dtMin", c.dtMin ?? L.dtMin, { min: 0, exclusiveMin: true }),
    dtMax: requireFinite("model.dtMax", c.dtMax ?? L.dtMax, { min: c.dtMin ?? L.dtMin }),
    disc: requireOneOf("model.disc", c.disc ?? L.disc, DISCRETIZATIONS),
    bidirectional: c.bidirectional ?? L.bidirectional,
    dropout: requireFinite("model.dropout", c.dropout ?? M.dropout, { min: 0, max: 1, exclusiveMax: true }),
    prenorm: c.prenorm ?? M.prenorm,
    norm: requireOneOf("model.norm", c.norm ?? M.norm, NORMS),
    pooling: requireOneOf("model.pooling", c.pooling ?? M.pooling, POOLINGS),
    seed: requireInt("model.seed", c.seed ?? L.seed, 0),
  };
  return r;
}

function uniform(n: number, bound: number, seed: number): Float32Array {
  const u = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (2 * u() - 1) * bound);
}

export class SSMModel {
  readonly config: ResolvedModelConfig;
  readonly layers: S4DLayer[] = [];
  readonly norms: ChannelNorm[] = [];
  /** Linear encoder [H, dInput] + bias [H], or embedding [vocab, H]. */
  readonly encW: tf.Variable;
  readonly encB?: tf.Variable;
  readonly decW: tf.Variable; // [H, dOutput]
  readonly decB: tf.Variable; // [dOutput]

  constructor(c: ModelConfig) {
    const cfg = (this.config = resolveModelConfig(c));
    const H = cfg.dModel, s = cfg.seed;
    if (cfg.input.kind === "real") {
      const d = cfg.input.dInput, bound = 1 / Math.sqrt(d); // nn.Linear default init
      this.encW = tf.variable(tf.tensor2d(uniform(H * d, bound, s + 11), [H, d]));
      this.encB = tf.variable(tf.tensor1d(uniform(H, bound, s + 12)));
    } else {
      // nn.Embedding default init: N(0, 1).
      const V = cfg.input.vocab;
      const e = normalPairs(V * H, s + 13);
      this.encW = tf.variable(tf.tensor2d(e, [V, H]));
    }
    for (let i = 0; i < cfg.nLayers; i++) {
      this.layers.push(new S4DLayer({
        dModel: H, dState: cfg.dState, init: cfg.init, initOptions: cfg.initOptions, trainableA: cfg.trainableA,
        dtMin: cfg.dtMin, dtMax: cfg.dtMax, disc: cfg.disc, bidirectional: cfg.bidirectional, dropout: cfg.dropout,
        seed: s + 1000 * (i + 1), name: `layers.${i}`,
      }));
      this.norms.push(new ChannelNorm(H, cfg.norm, `norms.${i}`));
    }
    const bound = 1 / Math.sqrt(H);
    this.decW = tf.variable(tf.tensor2d(uniform(H * cfg.dOutput, bound, s + 21), [H, cfg.dOutput]));
    this.decB = tf.variable(tf.tensor1d(uniform(cfg.dOutput, bound, s + 22)));
  }

  namedVariables(): NamedVariable[] {
    const enc: NamedVariable[] = this.config.input.kind === "real"
      ? [{ name: "encoder/weight", variable: this.encW, group: "default" }, { name: "encoder/bias", variable: this.encB!, group: "no_decay" }]
      : [{ name: "encoder/embedding", variable: this.encW, group: "default" }];
    return [
      ...enc,
      ...this.layers.flatMap((l, i) => [...l.namedVariables(), ...this.norms[i].namedVariables()]),
      { name: "decoder/weight", variable: this.decW, group: "default" },
      { name: "decoder/bias", variable: this.decB, group: "no_decay" },
    ];
  }

  /** Trainable parameters only (frozen A is excluded). */
  trainableVariables(): NamedVariable[] {
    return this.namedVariables().filter((v) => v.variable.trainable);
  }

  /** Non-trainable state saved with checkpoints: frozen SSM parameters and BatchNorm statistics. */
  buffers(): { name: string; variable: tf.Variable }[] {
    return [
      ...this.namedVariables().filter((v) => !v.variable.trainable),
      ...this.norms.flatMap((n) => n.buffers()),
    ];
  }

  parameterCount(): { trainable: number; total: number } {
    const all = this.namedVariables();
    const sum = (a: NamedVariable[]) => a.reduce((s, v) => s + v.variable.size, 0);
    return { trainable: sum(all.filter((v) => v.variable.trainable)), total: sum(all) };
  }

  /** [B, L, d] real or [B, L] int32 tokens → [B, H, L]. */
  encode(x: tf.Tensor): tf.Tensor3D {
    const H = this.config.dModel;
    if (this.config.input.kind === "tokens") {
      const [B, L] = x.shape as [number, number];
      const e = embeddingLookup(this.encW, tf.reshape(x, [-1]) as tf.Tensor1D); // [B·L, H]
      return tf.transpose(tf.reshape(e, [B, L, H]), [0, 2, 1]);
    }
    const [B, L, d] = x.shape as [number, number, number];
    if (d !== this.config.input.dInput) throw new ParameterError("x", `shape [B, L, ${this.config.input.dInput}]`, x.shape);
    // [B, d, L] then a broadcast sum over the few input channels: no transpose of a [B, L, H] tensor.
    const xt = d === 1 ? tf.reshape(x, [B, 1, L]) : tf.transpose(x, [0, 2, 1]);
    let y = tf.add(tf.mul(tf.slice(xt, [0, 0, 0], [B, 1, L]), tf.reshape(tf.slice(this.encW, [0, 0], [H, 1]), [1, H, 1])), tf.reshape(this.encB!, [1, H, 1]));
    for (let j = 1; j < d; j++) y = tf.add(y, tf.mul(tf.slice(xt, [0, j, 0], [B, 1, L]), tf.reshape(tf.slice(this.encW, [0, j], [H, 1]), [1, H, 1])));
    return y as tf.Tensor3D;
  }

  /**
   * Forward pass. x: [B, L, dInput] float32 or [B, L] int32. Returns logits [B, dOutput], or
   * [B, L, dOutput] when pooling is "none". `dropoutSeed` makes training passes reproducible.
   */
  apply(x: tf.Tensor, opts: { training?: boolean; dropoutSeed?: number } = {}): tf.Tensor {
    const cfg = this.config, training = opts.training ?? false;
    return tf.tidy(() => {
      let h = this.encode(x);
      const [B, H, L] = h.shape;
      const seed0 = opts.dropoutSeed ?? 0;
      this.layers.forEach((layer, i) => {
        let z = cfg.prenorm ? this.norms[i].apply(h, training) : h;
        z = layer.apply(z, { training, dropoutSeed: seed0 * 7 + 2 * i + 1 });
        if (training && cfg.dropout > 0) z = tiedDropout(z, cfg.dropout, seed0 * 7 + 2 * i + 2);
        h = tf.add(z, h) as tf.Tensor3D;
        if (!cfg.prenorm) h = this.norms[i].apply(h, training);
      });
      if (cfg.pooling === "none") {
        // [B, L, H] · [H, C] → [B, L, C]
        return tf.add(tf.matMul(h, this.decW, true, false), this.decB);
      }
      const pooled = cfg.pooling === "mean" ? tf.mean(h, 2) : tf.reshape(tf.slice(h, [0, 0, L - 1], [B, H, 1]), [B, H]);
      return tf.add(tf.matMul(pooled, this.decW), this.decB);
    });
  }

  dispose(): void {
    for (const v of this.namedVariables()) v.variable.dispose();
    for (const n of this.norms) for (const b of n.buffers()) b.variable.dispose();
  }
}

/**
 * Rows `ids` of the table E [V, H], with the gradient dE = onehot(ids)ᵀ·dY as one matMul: tf.gather's
 * own gradient needs UnsortedSegmentSum, which the wasm backend does not register. The transpose is
 * materialized because wasm's matMul with a transpose flag is ~20× slower (src/nn/pointwise.ts).
 */
export function embeddingLookup(E: tf.Tensor2D | tf.Variable, ids: tf.Tensor1D): tf.Tensor2D {
  const V = E.shape[0];
  const f = customOp((table: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    // int32 one-hot, then a cast: tfjs-wasm 4.22's OneHot with dtype "float32" writes the integer bit
    // patterns (1 → 1.4e-45), which made this gradient zero on wasm (toolchain.md §2).
    return { value: tf.gather(table, ids), gradFunc: (dy: tf.Tensor) => [tf.matMul(tf.transpose(tf.cast(tf.oneHot(ids, V), "float32")), dy as tf.Tensor2D)] };
  });
  return f(E as tf.Tensor) as tf.Tensor2D;
}
