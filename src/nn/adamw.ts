// AdamW with decoupled weight decay and parameter groups (tfjs ships only Adam, whose weight decay
// would be an L2 term inside the adaptive update). Update of torch.optim.AdamW, per parameter p:
//   p ← p·(1 − lr·wd)
//   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
//   p ← p − lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε)
// Porting note: parameter groups follow state-spaces/s4 example.py `setup_optimizer`: the SSM
// parameters (Δ, A, B) get lr = min(1e-3, lr) and weight decay 0 — without the split S4 loses a
// lot of accuracy. We add the usual "no_decay" group (biases, norm gains) at the base lr, wd 0.
import * as tf from "@tensorflow/tfjs";
import { ParameterError, requireFinite } from "../errors.js";

export interface ParamGroup {
  name: string;
  lr: number;
  weightDecay: number;
  variables: { name: string; variable: tf.Variable }[];
}

export interface AdamWArgs {
  /** β1. Default 0.9. */
  beta1?: number;
  /** β2. Default 0.999. */
  beta2?: number;
  /** ε. Default 1e-8. */
  eps?: number;
}

export interface AdamWState {
  step: number;
  /** First and second moments by parameter name. */
  m: Record<string, { shape: number[]; data: Float32Array }>;
  v: Record<string, { shape: number[]; data: Float32Array }>;
}

export class AdamW {
  readonly groups: ParamGroup[];
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  step = 0;
  /** Multiplies every group's lr (set by the schedule each step). */
  lrScale = 1;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(groups: ParamGroup[], a: AdamWArgs = {}) {
    this.beta1 = requireFinite("beta1", a.beta1 ?? 0.9, { min: 0, max: 1, exclusiveMax: true });
    this.beta2 = requireFinite("beta2", a.beta2 ?? 0.999, { min: 0, max: 1, exclusiveMax: true });
    this.eps = requireFinite("eps", a.eps ?? 1e-8, { min: 0, exclusiveMin: true });
    const seen = new Set<string>();
    for (const g of groups) {
      requireFinite(`groups.${g.name}.lr`, g.lr, { min: 0 });
      requireFinite(`groups.${g.name}.weightDecay`, g.weightDecay, { min: 0 });
      for (const { name, variable } of g.variables) {
        if (seen.has(name)) throw new ParameterError("groups", "each parameter in exactly one group", name);
        seen.add(name);
        this.m.set(name, tf.variable(tf.zerosLike(variable), false));
        this.v.set(name, tf.variable(tf.zerosLike(variable), false));
      }
    }
    this.groups = groups;
  }

  /** Every trainable variable, in group order (the order gradients are requested in). */
  variables(): tf.Variable[] {
    return this.groups.flatMap((g) => g.variables.map((x) => x.variable));
  }

  /** One update from gradients keyed by parameter name (missing = no gradient, parameter untouched). */
  apply(grads: Record<string, tf.Tensor>): void {
    this.step += 1;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t;
    const bc2 = Math.sqrt(1 - this.beta2 ** t);
    tf.tidy(() => {
      for (const g of this.groups) {
        const lr = g.lr * this.lrScale;
        for (const { name, variable } of g.variables) {
          const grad = grads[name];
          if (!grad) continue;
          const m = this.m.get(name)!, v = this.v.get(name)!;
          m.assign(tf.add(tf.mul(this.beta1, m), tf.mul(1 - this.beta1, grad)));
          v.assign(tf.add(tf.mul(this.beta2, v), tf.mul(1 - this.beta2, tf.square(grad))));
          const p = g.weightDecay > 0 ? tf.mul(variable, 1 - lr * g.weightDecay) : variable;
          const denom = tf.add(tf.div(tf.sqrt(v), bc2), this.eps);
          variable.assign(tf.sub(p, tf.mul(lr / bc1, tf.div(m, denom))));
        }
      }
    });
  }

  /** One line per group, as example.py prints them. */
  describe(): string[] {
    return this.groups.map((g) => {
      const n = g.variables.reduce((s, x) => s + x.variable.size, 0);
      return `optimizer group ${g.name}: ${g.variables.length} tensors, ${n} parameters, lr ${g.lr}, weight_decay ${g.weightDecay}`;
    });
  }

  async getState(): Promise<AdamWState> {
    const dump = async (mp: Map<string, tf.Variable>) => {
      const data = await Promise.all([...mp.values()].map((x) => x.data() as Promise<Float32Array>));
      return Object.fromEntries([...mp].map(([k, x], i) => [k, { shape: x.shape.slice(), data: data[i] }]));
    };
    return { step: this.step, m: await dump(this.m), v: await dump(this.v) };
  }

  setState(s: AdamWState): void {
    for (const [mp, src, which] of [[this.m, s.m, "m"], [this.v, s.v, "v"]] as const) {
      for (const [k, x] of mp) {
        const e = src[k];
        if (!e || e.data.length !== x.size) throw new ParameterError(`optimizer state ${which}[${k}]`, `${x.size} values`, e ? e.data.length : "missing");
        x.assign(tf.tensor(e.data, x.shape));
      }
    }
    this.step = s.step;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
  }
}
