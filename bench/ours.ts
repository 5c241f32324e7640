// Our side of each benchmark case: set up once, then `run()` does one call (forward, forward +
// backward, or an optimizer step) and waits for the backend (by an asynchronous read: the webgpu
// backend has no synchronous one in Node).
import * as tf from "@tensorflow/tfjs";
import { diagonalInit } from "../src/ssm/registry.js";
import { initKernelParams, ssmKernel } from "../src/kernels/ssmKernel.js";
import { fftConv } from "../src/kernels/fftConv.js";
import { S4DLayer } from "../src/nn/s4dLayer.js";
import { projectGluT, skipGeluT } from "../src/nn/activations.js";
import { SSMModel } from "../src/nn/model.js";
import { AdamW } from "../src/nn/adamw.js";
import { gradientStep, parameterGroups } from "../src/nn/trainer.js";
import { resolveTrainConfig } from "../src/nn/trainConfig.js";
import type { Case } from "./cases.js";

export interface Prepared {
  run(): Promise<void>;
  dispose(): void;
}

let peakBytes = 0;
const notePeak = () => {
  peakBytes = Math.max(peakBytes, tf.memory().numBytes);
};
/** Peak tfjs tensor memory seen since the last call, in bytes. */
export function takePeakBytes(): number {
  const p = peakBytes;
  peakBytes = 0;
  return p;
}

/** Run f in a tidy, reduce what it returns to scalars and read them (so the backend has finished). */
async function sync(f: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const out = tf.tidy(() => {
    const r = f();
    notePeak();
    return (Array.isArray(r) ? r : [r]).map((t) => tf.sum(t));
  });
  await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
}

const grads = (loss: () => tf.Scalar, vars: tf.Variable[]) => {
  const { value, grads: g } = tf.variableGrads(loss, vars);
  return [value, ...Object.values(g)];
};

export function prepareOurs(c: Case): Prepared {
  const s = c.shape;
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T) => (owned.push(t), t);
  const done = (run: () => Promise<void>, extra: () => void = () => {}): Prepared => ({ run, dispose: () => (tf.dispose(owned), extra()) });
  switch (c.op) {
    case "matmul": {
      const a = keep(tf.randomNormal([s.n, s.n])), b = keep(tf.randomNormal([s.n, s.n]));
      return done(() => sync(() => tf.matMul(a, b)));
    }
    case "kernel":
    case "kernel_fwd_bwd": {
      const p = initKernelParams(diagonalInit("s4d-lin", { N: s.N }), s.H, { seed: 1 });
      const vars = [p.logDt, p.logNegRe, p.im, p.cRe, p.cIm];
      vars.forEach(keep);
      if (c.op === "kernel") return done(() => sync(() => ssmKernel(p, s.L)));
      return done(() => sync(() => grads(() => tf.sum(tf.square(ssmKernel(p, s.L))) as tf.Scalar, vars)));
    }
    case "conv":
    case "conv_fwd_bwd": {
      const u = keep(tf.randomNormal([s.B, s.H, s.L])), k = keep(tf.randomNormal([s.H, s.L], 0, 0.1));
      if (c.op === "conv") return done(() => sync(() => fftConv(u, k, { checkFinite: false })));
      const f = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(fftConv(a, b, { checkFinite: false }))));
      return done(() => sync(() => f([u, k])));
    }
    case "layer_fwd_bwd": {
      const layer = new S4DLayer({ dModel: s.H, dState: s.N, seed: 1 });
      const u = keep(tf.randomNormal([s.B, s.H, s.L]) as tf.Tensor3D);
      const vars = layer.namedVariables().map((v) => keep(v.variable));
      return done(() => sync(() => grads(() => tf.sum(tf.square(layer.apply(u))) as tf.Scalar, vars)));
    }
    case "layer:kernel":
    case "layer:conv":
    case "layer:skip_gelu":
    case "layer:proj_glu": {
      const layer = new S4DLayer({ dModel: s.H, dState: s.N, seed: 1 });
      layer.namedVariables().forEach((v) => keep(v.variable));
      const u = keep(tf.randomNormal([s.B, s.H, s.L]) as tf.Tensor3D), g = keep(tf.randomNormal([s.B, s.H, s.L]));
      const kv = [layer.kernel.logDt, layer.kernel.logNegRe, layer.kernel.im, layer.kernel.cRe, layer.kernel.cIm];
      const g0 = keep(tf.reshape(tf.slice(g, [0, 0, 0], [1, s.H, s.L]), [s.H, s.L]));
      const dot = (t: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(t, w)) as tf.Scalar;
      switch (c.op) {
        case "layer:kernel":
          return done(() => sync(() => grads(() => dot(ssmKernel(layer.kernel, s.L), g0), kv)));
        case "layer:conv": {
          const k = keep(tf.randomNormal([s.H, s.L], 0, 0.1));
          const f = tf.grads((a: tf.Tensor, b: tf.Tensor) => dot(fftConv(a, b, { checkFinite: false }), g));
          return done(() => sync(() => f([u, k])));
        }
        case "layer:skip_gelu": {
          const y = keep(tf.randomNormal([s.B, s.H, s.L]) as tf.Tensor3D);
          const gT = keep(tf.randomNormal([s.B, s.L, s.H])); // skipGeluT's output is channels-last
          const f = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => dot(skipGeluT(a as tf.Tensor3D, b as tf.Tensor3D, d as tf.Tensor1D), gT));
          return done(() => sync(() => f([y, u, layer.D])));
        }
        default: {
          const uT = keep(tf.randomNormal([s.B, s.L, s.H]) as tf.Tensor3D); // projectGluT's input is channels-last
          const f = tf.grads((a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => dot(projectGluT(a as tf.Tensor3D, w as tf.Tensor2D, b as tf.Tensor2D), g));
          return done(() => sync(() => f([uT, layer.W, layer.bias])));
        }
      }
    }
    case "train_step":
    case "train_throughput": {
      const model = new SSMModel({ input: { kind: "real", dInput: s.dIn }, dOutput: s.C, dModel: s.H, nLayers: s.layers, dState: s.N, dropout: s.dropout ?? 0, init: "s4d-lin", seed: 1 });
      const cfg = resolveTrainConfig({ lr: 0.01, weightDecay: 0.01 });
      const opt = new AdamW(parameterGroups(model, cfg));
      const nameOf = new Map(opt.groups.flatMap((g) => g.variables.map((v) => [v.variable.name, v.name] as [string, string])));
      const vars = opt.variables();
      const x = keep(tf.randomNormal([s.B, s.L, s.dIn]));
      const y = keep(tf.tensor1d(Int32Array.from({ length: s.B }, (_, i) => i % s.C), "int32"));
      let step = 0;
      return done(async () => {
        const r = await gradientStep(model, x, y, "classification", vars, step++);
        const named: Record<string, tf.Tensor> = {};
        for (const [vn, gr] of Object.entries(r.grads)) named[nameOf.get(vn)!] = gr;
        opt.apply(named);
        // webgpu queues the update: wait for it, or the row would leave the last step's AdamW untimed.
        if (tf.getBackend() === "webgpu") await vars[vars.length - 1].data();
        notePeak();
        tf.dispose([r.value, ...Object.values(r.grads), ...(r.correct ? [r.correct] : [])]);
      }, () => {
        opt.dispose();
        model.dispose();
      });
    }
  }
  throw new Error(`unknown op ${c.op}`);
}
