// The fused WASM SIMD ops of the S4D layer (wasm/nn.ts via src/nn/wasmKernels.ts) against their
// plain-tf references, in value and every input gradient, through both IO paths: in place in
// tfjs' heap on the threaded wasm backend, and copying on cpu. Plus GELU at known points, the
// LayerNorm statistics, a finite-difference check, and that the committed wasm is its source's build.
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { initBackend } from "../src/backend.js";
import { projectGluT, projectGluTNaive, skipGeluT, skipGeluTNaive } from "../src/nn/activations.js";
import { layerNorm, layerNormNaive } from "../src/nn/norm.js";
import { kernelIO } from "../src/nn/wasmKernels.js";
import { tfjsWasmHeap } from "../src/kernels/tfjsHeap.js";
import { convThreads } from "../src/kernels/convPool.js";
import os from "node:os";
import { projectRoot } from "../src/paths.js";
import { relErr as relErrOf } from "./relErr.js";

/** max |a − ref| / max |ref|. */
function relErr(a: tf.Tensor, ref: tf.Tensor): number {
  expect(a.shape).toEqual(ref.shape);
  return relErrOf(a.dataSync(), ref.dataSync());
}

type Op = (...xs: tf.Tensor[]) => tf.Tensor;

/** Compare value and the gradient of sum(op(xs)·g) wrt every input, fused against tf. */
function compare(label: string, fused: Op, ref: Op, xs: tf.Tensor[], seed: number, tol = 2e-5): void {
  const vf = fused(...xs), vr = ref(...xs);
  expect(relErr(vf, vr), `${label} value`).toBeLessThan(tol);
  const g = tf.randomNormal(vr.shape, 0, 1, "float32", seed);
  const loss = (op: Op) => (...a: tf.Tensor[]) => tf.sum(tf.mul(op(...a), g));
  const gf = tf.grads(loss(fused))(xs), gr = tf.grads(loss(ref))(xs);
  expect(gf.length).toBe(xs.length);
  for (let i = 0; i < xs.length; i++) {
    expect(gf[i].shape, `${label} grad ${i} shape`).toEqual(xs[i].shape);
    expect(relErr(gf[i], gr[i]), `${label} grad of input ${i}`).toBeLessThan(tol);
  }
  tf.dispose([vf, vr, g, ...gf, ...gr]);
}

// L = 7 and 130 are not multiples of 4: the kernels' scalar tail runs (and for L = 130 their SIMD
// body). H = 5: the channel tail only; H = 36: two whole channel groups of 16, a group of 4 and no
// tail; H = 22: one whole group, one of 4 and a tail of 2.
const SHAPES: [number, number, number][] = [[3, 5, 7], [2, 8, 130], [2, 36, 12], [1, 22, 9]];

const canThread = Math.min(8, os.availableParallelism?.() ?? os.cpus().length) >= 2 && process.env.W4S4_WASM_THREADS !== "1";

// wasm first: the threaded wasm init must come before any other wasm initialization in the process.
for (const backend of ["wasm", "cpu"] as const) {
  describe(`fused ops on ${backend}`, () => {
    it(`kernel IO is ${backend === "wasm" ? "in place in tfjs' heap" : "copying"}`, async () => {
      const info = await initBackend({ backend });
      expect(tf.getBackend()).toBe(backend);
      if (backend === "wasm") expect(info.tried.at(-1)!.detail).toMatch(/SIMD, [2-8] threads/);
      const io = kernelIO();
      expect(io.inPlace).toBe(backend === "wasm");
      io.done();
    });

    if (backend === "wasm")
      it("wasm: tf.clone (and customGrad's save) shares the storage by reference count, and a clone outlives its source", async () => {
        await initBackend({ backend });
        const x = tf.tensor1d([1, 2, 3, 4]);
        const buffers = tf.memory().numDataBuffers;
        const c = tf.clone(x);
        expect(tf.memory().numDataBuffers).toBe(buffers);
        expect(tfjsWasmHeap()!.offset(c)).toBe(tfjsWasmHeap()!.offset(x));
        x.dispose();
        expect(Array.from(c.dataSync())).toEqual([1, 2, 3, 4]);
        c.dispose();
        expect(tf.memory().numDataBuffers).toBe(buffers - 1);
      });

    for (const [B, H, L] of SHAPES) {
      it(`[${B}, ${H}, ${L}]: skipGeluT fused = tf in value (channels-last) and the gradients wrt y, u, D`, async () => {
        await initBackend({ backend });
        const y = tf.randomNormal([B, H, L], 0, 1.5, "float32", 1);
        const u = tf.randomNormal([B, H, L], 0, 1, "float32", 2);
        const D = tf.randomNormal([H], 0, 1, "float32", 3);
        compare(
          "skipGeluT",
          (a, b, c) => skipGeluT(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor1D, "fused"),
          (a, b, c) => skipGeluT(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor1D, "tf"),
          [y, u, D],
          4,
        );
        // "tf" is the naive reference itself.
        expect(relErr(skipGeluT(y as tf.Tensor3D, u as tf.Tensor3D, D as tf.Tensor1D, "tf"), skipGeluTNaive(y as tf.Tensor3D, u as tf.Tensor3D, D as tf.Tensor1D))).toBe(0);
        tf.dispose([y, u, D]);
      });

      it(`[${B}, ${H}, ${L}]: projectGluT fused = tf in value and the gradients wrt yT (channels-last), W, bias`, async () => {
        await initBackend({ backend });
        const y = tf.randomNormal([B, L, H], 0, 1, "float32", 5);
        const W = tf.randomNormal([2 * H, H], 0, 1 / Math.sqrt(H), "float32", 6);
        const bias = tf.randomNormal([2 * H, 1], 0, 0.5, "float32", 7);
        compare(
          "projectGluT",
          (a, b, c) => projectGluT(a as tf.Tensor3D, b as tf.Tensor2D, c as tf.Tensor2D, "fused"),
          (a, b, c) => projectGluTNaive(a as tf.Tensor3D, b as tf.Tensor2D, c as tf.Tensor2D),
          [y, W, bias],
          8,
        );
        tf.dispose([y, W, bias]);
      });

      it(`[${B}, ${H}, ${L}]: layerNorm fused = tf in value and the gradients wrt x, gamma, beta`, async () => {
        await initBackend({ backend });
        const x = tf.add(tf.randomNormal([B, H, L], 0, 2, "float32", 9), 0.7);
        const gamma = tf.randomNormal([H], 1, 0.3, "float32", 10);
        const beta = tf.randomNormal([H], 0, 0.3, "float32", 11);
        compare(
          "layerNorm",
          (a, b, c) => layerNorm(a as tf.Tensor3D, b, c, 1e-5, "fused"),
          (a, b, c) => layerNormNaive(a as tf.Tensor3D, b, c, 1e-5),
          [x, gamma, beta],
          12,
        );
        tf.dispose([x, gamma, beta]);
      });
    }

    it("GELU at known points through fused skipGeluT with u = 0 (SIMD lanes and scalar tail)", async () => {
      await initBackend({ backend });
      const xs = [0, 1, -1, 3], want = [0, 0.8413447, -0.1586553, 2.9959502];
      // [1, 1, 4]: channel tail, four positions; [4, 1, 1]: four batches of tail only; [1, 1, 5] with
      // a last 0.5 (H = 1: channels-last output has the same order as the input). Then [1, 4, 4]:
      // one SIMD tile, each channel a copy, so the output is transposed.
      for (const shape of [[1, 1, 4], [4, 1, 1], [1, 1, 5]] as [number, number, number][]) {
        const vals = shape[2] === 5 ? [...xs, 0.5] : xs;
        const exp = shape[2] === 5 ? [...want, 0.3457312] : want;
        const y = tf.tensor3d(vals, shape), u = tf.zeros(shape) as tf.Tensor3D, D = tf.fill([shape[1]], 0.75) as tf.Tensor1D;
        const out = skipGeluT(y, u, D, "fused").dataSync();
        for (let i = 0; i < exp.length; i++) expect(Math.abs(out[i] - exp[i]), `GELU(${vals[i]}) in ${shape}`).toBeLessThan(1e-6);
        tf.dispose([y, u, D]);
      }
      const y = tf.tensor3d([...xs, ...xs, ...xs, ...xs], [1, 4, 4]), u = tf.zeros([1, 4, 4]) as tf.Tensor3D, D = tf.zeros([4]) as tf.Tensor1D;
      const out = skipGeluT(y, u, D, "fused").dataSync(); // [1, L = 4, H = 4]: row l is GELU(xs[l]) four times
      for (let l = 0; l < 4; l++) for (let h = 0; h < 4; h++) expect(Math.abs(out[l * 4 + h] - want[l]), `GELU(${xs[l]}) at l=${l} h=${h}`).toBeLessThan(1e-6);
      tf.dispose([y, u, D]);
    });

    it("fused LayerNorm with gamma = 1, beta = 0: per-(b, l) mean 0 and biased variance σ²/(σ² + ε) ≈ 1 over channels", async () => {
      await initBackend({ backend });
      const [B, H, L] = [2, 8, 130], eps = 1e-5;
      const x = tf.add(tf.randomNormal([B, H, L], 0, 3, "float32", 13), 5);
      const y = layerNorm(x as tf.Tensor3D, tf.ones([H]), tf.zeros([H]), eps, "fused").dataSync();
      const xd = x.dataSync();
      for (let b = 0; b < B; b++)
        for (let l = 0; l < L; l++) {
          let m = 0, v = 0, mx = 0, vx = 0;
          for (let h = 0; h < H; h++) {
            m += y[(b * H + h) * L + l];
            mx += xd[(b * H + h) * L + l];
          }
          m /= H;
          mx /= H;
          for (let h = 0; h < H; h++) {
            v += (y[(b * H + h) * L + l] - m) ** 2;
            vx += (xd[(b * H + h) * L + l] - mx) ** 2;
          }
          v /= H;
          vx /= H;
          expect(Math.abs(m), `mean at b=${b} l=${l}`).toBeLessThan(1e-5);
          expect(Math.abs(v - 1), `variance at b=${b} l=${l}`).toBeLessThan(1e-5 + eps / vx);
          expect(Math.abs(v - vx / (vx + eps)), `variance at b=${b} l=${l}`).toBeLessThan(1e-5);
        }
      x.dispose();
    });

    it("fused skipGeluT's gradient wrt y matches central differences of its forward (step 1e-2)", async () => {
      await initBackend({ backend });
      const shape: [number, number, number] = [2, 3, 7];
      const y = tf.randomNormal(shape, 0, 1.5, "float32", 14) as tf.Tensor3D;
      const u = tf.randomNormal(shape, 0, 1, "float32", 15) as tf.Tensor3D;
      const D = tf.randomNormal([3], 0, 1, "float32", 16) as tf.Tensor1D;
      const g = tf.randomNormal([2, 7, 3], 0, 1, "float32", 17);
      const [dy] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(skipGeluT(a as tf.Tensor3D, u, D, "fused"), g)))([y]);
      // Elementwise in y: shifting all of y by ±h differentiates every entry at once.
      const h = 1e-2;
      const back = (t: tf.Tensor) => tf.transpose(t, [0, 2, 1]).dataSync(); // to y's layout
      const plus = back(skipGeluT(tf.add(y, h) as tf.Tensor3D, u, D, "fused"));
      const minus = back(skipGeluT(tf.sub(y, h) as tf.Tensor3D, u, D, "fused"));
      const gd = back(g), an = dy.dataSync();
      const fd = Array.from(plus, (p, i) => (gd[i] * (p - minus[i])) / (2 * h));
      const scale = Math.max(...fd.map(Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      const err = Math.max(...fd.map((f, i) => Math.abs(f - an[i])));
      expect(err / scale).toBeLessThan(2e-3);
      tf.dispose([y, u, D, g, dy]);
    });
  });
}

// Above the pool's threshold the wasm kernels split the batch across threads (KernelIO.run); each
// range's sums go to their own slice. B = 5 over 2 threads: an uneven split.
describe.runIf(canThread)("fused ops on wasm, split across threads", () => {
  const [B, H, L] = [5, 20, 2700];
  it(`[${B}, ${H}, ${L}] is above the threshold, and the helpers are ready: calls run on ≥ 2 threads`, async () => {
    await initBackend({ backend: "wasm" });
    for (let i = 0; i < 200 && convThreads().threads < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const io = kernelIO();
    expect(io.parts(B, B * H * L)).toBeGreaterThanOrEqual(2);
    io.done();
  });
  it("skipGeluT, projectGluT and layerNorm: fused = tf in value and every gradient", async () => {
    await initBackend({ backend: "wasm" });
    const y = tf.randomNormal([B, H, L], 0, 1.5, "float32", 21), u = tf.randomNormal([B, H, L], 0, 1, "float32", 22);
    const D = tf.randomNormal([H], 0, 1, "float32", 23);
    compare("skipGeluT", (a, b, c) => skipGeluT(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor1D, "fused"), (a, b, c) => skipGeluTNaive(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor1D), [y, u, D], 24);
    const yT = tf.randomNormal([B, L, H], 0, 1, "float32", 25), W = tf.randomNormal([2 * H, H], 0, 1 / Math.sqrt(H), "float32", 26);
    const bias = tf.randomNormal([2 * H, 1], 0, 0.5, "float32", 27);
    compare("projectGluT", (a, b, c) => projectGluT(a as tf.Tensor3D, b as tf.Tensor2D, c as tf.Tensor2D, "fused"), (a, b, c) => projectGluTNaive(a as tf.Tensor3D, b as tf.Tensor2D, c as tf.Tensor2D), [yT, W, bias], 28);
    const gamma = tf.randomNormal([H], 1, 0.3, "float32", 29), beta = tf.randomNormal([H], 0, 0.3, "float32", 30);
    compare("layerNorm", (a, b, c) => layerNorm(a as tf.Tensor3D, b, c, 1e-5, "fused"), (a, b, c) => layerNormNaive(a as tf.Tensor3D, b, c, 1e-5), [y, gamma, beta], 31);
    tf.dispose([y, u, D, yT, W, bias, gamma, beta]);
  });
});

describe("committed wasm", () => {
  it("src/nn/nnWasm.ts is what wasm/nn.ts compiles to (build-wasm --check exits 0)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-wasm.ts", "--check"], { cwd: projectRoot(), encoding: "utf8", timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("up to date");
  }, 70_000);
});

describe("fused ops: hard inputs and bad input", () => {
  for (const backend of ["wasm", "cpu"] as const) {
    it(`${backend}: LayerNorm of inputs with a large mean (100 ± 0.1) matches the two-pass tf reference`, async () => {
      await initBackend({ backend });
      const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([2, 128, 37], 0, 1, "float32", 3), 0.1), 100)) as tf.Tensor3D;
      const g = tf.ones([128]), b = tf.zeros([128]);
      const a = layerNorm(x, g, b, 1e-5, "fused").dataSync(), r = layerNormNaive(x, g, b, 1e-5).dataSync();
      let err = 0;
      for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - r[i]));
      // One-pass E[x²] − μ² in float32 was off by ~1 here (normalized values are O(1)).
      expect(err).toBeLessThan(2e-3);
      tf.dispose([x, g, b]);
    });
  }

  it("wrong shapes and dtypes are ParameterErrors naming the tensor, before any kernel runs", async () => {
    await initBackend({ backend: "wasm" });
    const u = tf.zeros([2, 4, 8]) as tf.Tensor3D;
    const uT = tf.zeros([2, 8, 4]) as tf.Tensor3D;
    expect(() => skipGeluT(tf.zeros([2, 4, 7]) as tf.Tensor3D, u, tf.zeros([4]) as tf.Tensor1D, "fused")).toThrow(/Invalid y: .*shape \[2, 4, 8\]/);
    expect(() => skipGeluT(u, u, tf.zeros([3]) as tf.Tensor1D, "fused")).toThrow(/Invalid D/);
    expect(() => projectGluT(uT, tf.zeros([8, 3]) as tf.Tensor2D, tf.zeros([8, 1]) as tf.Tensor2D, "fused")).toThrow(/Invalid W: .*\[8, 4\]/);
    expect(() => projectGluT(uT, tf.zeros([8, 4]) as tf.Tensor2D, tf.zeros([8]) as unknown as tf.Tensor2D, "fused")).toThrow(/Invalid bias/);
    expect(() => layerNorm(u, tf.zeros([4], "int32"), tf.zeros([4]), 1e-5, "fused")).toThrow(/Invalid gamma: .*float32/);
    expect(() => layerNorm(u, tf.zeros([4]), tf.zeros([4]), 1e-5, "fast" as never)).toThrow(/Invalid method/);
  });
});
