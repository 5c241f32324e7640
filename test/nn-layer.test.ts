import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { S4DLayer } from "../src/nn/s4dLayer.js";
import { discreteCoefficients } from "../src/kernels/ssmKernel.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const erf = (x: number) => {
  // Abramowitz–Stegun 7.1.26 is too coarse; use the series/continued fraction via Math for |x| small.
  let s = 0, t = x, n = 0;
  while (Math.abs(t) > 1e-17 && n < 200) {
    s += t / (2 * n + 1);
    n++;
    t *= (-x * x) / n;
  }
  return (2 / Math.sqrt(Math.PI)) * s;
};

describe("S4D layer", () => {
  it("matches a hand computation on a tiny case (H = 1, N = 2, L = 4)", () => {
    const layer = new S4DLayer({ dModel: 1, dState: 2, init: "s4d-lin", seed: 3 });
    const u = [0.5, -1, 2, 0.25];
    const y = layer.apply(tf.tensor3d(u, [1, 1, 4])).dataSync();
    // By hand: kernel K_l = Re(c z^l) from the discrete coefficients, then conv, D skip, GELU, W, b, GLU.
    const x = discreteCoefficients(layer.kernel, "zoh");
    const [cr, ci, zr, zi] = [x.cRe, x.cIm, x.logZRe, x.logZIm].map((t) => t.dataSync()[0]);
    const K = [0, 1, 2, 3].map((l) => Math.exp(l * zr) * (cr * Math.cos(l * zi) - ci * Math.sin(l * zi)));
    const D = layer.D.dataSync()[0], W = layer.W.dataSync(), b = layer.bias.dataSync();
    for (let t = 0; t < 4; t++) {
      let v = D * u[t];
      for (let j = 0; j <= t; j++) v += K[j] * u[t - j];
      const g = 0.5 * v * (1 + erf(v / Math.SQRT2));
      const a = W[0] * g + b[0], gate = W[1] * g + b[1];
      expect(y[t]).toBeCloseTo(a / (1 + Math.exp(-gate)), 5);
    }
  });

  it("is causal and keeps the shape", () => {
    const layer = new S4DLayer({ dModel: 4, dState: 8, init: "walrus", trainableA: false, seed: 1 });
    const u = tf.randomNormal([2, 4, 32], 0, 1, "float32", 1) as tf.Tensor3D;
    const bump = tf.buffer([2, 4, 32]);
    bump.set(5, 0, 1, 20);
    const y1 = layer.apply(u), y2 = layer.apply(u.add(bump.toTensor()) as tf.Tensor3D);
    expect(y1.shape).toEqual([2, 4, 32]);
    const a = y1.dataSync(), b = y2.dataSync();
    for (let h = 0; h < 4; h++) for (let t = 0; t < 20; t++) expect(Math.abs(a[h * 32 + t] - b[h * 32 + t])).toBeLessThan(1e-5);
  });

  it("W4S4 (frozen A): gradients reach Δ, C, D, W, b but not Λ; an optimizer step leaves Λ bit-identical", () => {
    const layer = new S4DLayer({ dModel: 3, dState: 8, init: "walrus", trainableA: false, seed: 2 });
    const named = layer.namedVariables();
    const trainable = named.filter((v) => v.variable.trainable).map((v) => v.name);
    expect(trainable).not.toContain("s4d/kernel/A_log_neg_re");
    expect(trainable).toContain("s4d/kernel/log_dt");
    const before = named.map((v) => Float32Array.from(v.variable.dataSync()));
    const u = tf.randomNormal([2, 3, 40], 0, 1, "float32", 4) as tf.Tensor3D;
    const opt = tf.train.sgd(0.1);
    opt.minimize(() => tf.sum(tf.square(layer.apply(u))) as tf.Scalar);
    named.forEach((v, i) => {
      const changed = v.variable.dataSync().some((x, j) => x !== before[i][j]);
      expect(changed, v.name).toBe(v.variable.trainable);
    });
    expect(named.filter((v) => v.group === "ssm").map((v) => v.name)).toEqual(["s4d/kernel/log_dt", "s4d/kernel/A_log_neg_re", "s4d/kernel/A_im"]);
  });

  it("rejects bad arguments naming them", () => {
    expect(() => new S4DLayer({ dModel: 0 })).toThrow(/Invalid dModel: got 0/);
    expect(() => new S4DLayer({ dModel: 2, dropout: 1 })).toThrow(/Invalid dropout: got 1/);
    expect(() => new S4DLayer({ dModel: 2, init: "bogus" as never })).toThrow(/Invalid init: got "bogus"/);
    expect(() => new S4DLayer({ dModel: 2, dState: 7, init: "s4d-lin" })).toThrow(/Invalid N: got 7/);
  });
});
