// The fast 1×1 channel mix (2-D matMul, hand-written backward) equals the naive tiled batched
// matMul with autograd, in value and in both gradients, on cpu and wasm.
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import { pointwiseLinear, pointwiseLinearNaive } from "../src/nn/pointwise.js";

describe("pointwiseLinear", () => {
  for (const backend of ["cpu", "wasm"] as const) {
    it(`${backend}: value and gradients match the naive version`, async () => {
      await initBackend({ backend });
      const y = tf.randomNormal([3, 5, 7], 0, 1, "float32", 1) as tf.Tensor3D;
      const W = tf.randomNormal([4, 5], 0, 1, "float32", 2) as tf.Tensor2D;
      const g = tf.randomNormal([3, 4, 7], 0, 1, "float32", 3);
      const f = (op: (a: tf.Tensor3D, b: tf.Tensor2D) => tf.Tensor3D) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor3D, b as tf.Tensor2D), g));
      const [fy, fw] = tf.grads(f(pointwiseLinear))([y, W]);
      const [ny, nw] = tf.grads(f(pointwiseLinearNaive))([y, W]);
      const close = (a: tf.Tensor, b: tf.Tensor) => {
        const x = a.dataSync(), z = b.dataSync();
        expect(a.shape).toEqual(b.shape);
        for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(z[i], 4);
      };
      close(pointwiseLinear(y, W), pointwiseLinearNaive(y, W));
      close(fy, ny);
      close(fw, nw);
      // z[b, o, l] = Σ_i W[o, i] y[b, i, l], one entry by hand.
      const z = pointwiseLinear(y, W).arraySync() as number[][][];
      const Y = y.arraySync() as number[][][], Wa = W.arraySync() as number[][];
      expect(z[2][3][6]).toBeCloseTo(Wa[3].reduce((s, w, i) => s + w * Y[2][i][6], 0), 4);
      await initBackend({ backend: "cpu" });
    });
  }
});
