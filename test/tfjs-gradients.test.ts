// Our Sum and Mean gradients (src/tfjsGradients.ts, registered by initBackend) against the
// gradients written out by hand: ∂/∂x[i] of Σ_out w·sum(x) is w at i's output cell; of mean, w / n.
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import { reductionGradientsRegistered } from "../src/tfjsGradients.js";

const X_SHAPE = [2, 3, 4];
// axis, keepDims; undefined: every axis.
const CASES: [number | number[] | undefined, boolean][] = [[1, false], [[0, 2], false], [-1, true], [undefined, false], [[0, 1, 2], true]];

function expected(axis: number | number[] | undefined, w: Float32Array, wShape: number[], mean: boolean): number[] {
  const axes = axis === undefined ? [0, 1, 2] : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + 3 : a));
  const n = axes.reduce((p, a) => p * X_SHAPE[a], 1);
  const out: number[] = [];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 4; k++) {
        const idx = [i, j, k].filter((_, d) => !axes.includes(d) || wShape.length === 3).map((v, d) => (wShape.length === 3 && axes.includes(d) ? 0 : v));
        let flat = 0;
        for (let d = 0; d < idx.length; d++) flat = flat * wShape[d] + idx[d];
        out.push(w[flat] / (mean ? n : 1));
      }
  return out;
}

for (const backend of ["wasm", "cpu"] as const) {
  describe(`Sum and Mean gradients on ${backend}`, () => {
    it("ours are the registered ones after initBackend", async () => {
      await initBackend({ backend });
      expect(reductionGradientsRegistered()).toBe(true);
    });
    for (const [axis, keepDims] of CASES)
      for (const op of ["sum", "mean"] as const)
        it(`${op} over axis ${JSON.stringify(axis)}, keepDims ${keepDims}: dy broadcast${op === "mean" ? " / n" : ""}`, async () => {
          await initBackend({ backend });
          const x = tf.randomNormal(X_SHAPE, 0, 1, "float32", 1);
          const red = (t: tf.Tensor) => (op === "sum" ? tf.sum(t, axis, keepDims) : tf.mean(t, axis, keepDims));
          const outShape = red(x).shape;
          const w = tf.randomNormal(outShape.length ? outShape : [], 0, 1, "float32", 2);
          const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(red(t), w)))([x]);
          expect(g.shape).toEqual(X_SHAPE);
          const want = expected(axis, w.dataSync() as Float32Array, outShape, op === "mean");
          const got = Array.from(g.dataSync());
          for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 6);
          tf.dispose([x, w, g]);
        });
  });
}
