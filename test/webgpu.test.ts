// The webgpu backend and our WGSL kernels, run for real. Without a GPU this is Dawn's OpenGL ES
// backend on Mesa llvmpipe (a software adapter, forced: W4S4_BACKEND=webgpu semantics), so sizes are
// small. Every kernel is checked against a float64 reference written out here in plain loops, and
// the layer and a training step against the cpu backend. W4S4_SKIP_WEBGPU=1 skips the file (say why
// where you set it); CI never sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { initBackend, webgpuAdapter } from "../src/backend.js";
import { fftRowsWgsl } from "../src/kernels/wgsl/fft.js";
import { fftConv, resolveConvMethod } from "../src/kernels/fftConv.js";
import { vandermondeTf } from "../src/kernels/vandermonde.js";
import { vandermondeWgsl } from "../src/kernels/wgsl/vandermonde.js";
import { MAX_WGSL_LENGTH, maxWgslFloats } from "../src/kernels/wgsl/program.js";
import { initKernelParams, resolveKernelMethod, ssmKernel } from "../src/kernels/ssmKernel.js";
import { diagonalInit } from "../src/ssm/registry.js";
import { S4DLayer } from "../src/nn/s4dLayer.js";
import { SSMModel } from "../src/nn/model.js";
import { AdamW } from "../src/nn/adamw.js";
import { gradientStep, parameterGroups, train } from "../src/nn/trainer.js";
import { resolveTrainConfig } from "../src/nn/trainConfig.js";
import type { TrainData } from "../src/datasets/types.js";
import { mulberry32 } from "../src/random.js";
import { ParameterError } from "../src/errors.js";
import { relErr } from "./relErr.js";

const rand = (n: number, seed: number, scale = 1) => {
  const u = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (2 * u() - 1) * scale);
};
const read = async (t: tf.Tensor) => Float64Array.from(await t.data());

// ---- float64 references -------------------------------------------------------------------------

function dft(x: Float32Array, R: number, n: number, inverse: boolean): Float64Array {
  const out = new Float64Array(2 * R * n), sg = inverse ? 1 : -1;
  for (let r = 0; r < R; r++)
    for (let k = 0; k < n; k++) {
      let re = 0, im = 0;
      for (let j = 0; j < n; j++) {
        const a = (sg * 2 * Math.PI * ((j * k) % n)) / n;
        const xr = x[2 * (r * n + j)], xi = x[2 * (r * n + j) + 1];
        re += xr * Math.cos(a) - xi * Math.sin(a);
        im += xr * Math.sin(a) + xi * Math.cos(a);
      }
      out[2 * (r * n + k)] = re;
      out[2 * (r * n + k) + 1] = im;
    }
  return out;
}

/** y = u * K, du = corr(dy, K), dK = Σ_b corr(dy, u) (fftConv.ts's header), in float64. */
function conv64(u: Float32Array, k: Float32Array, dy: Float32Array, B: number, H: number, L: number, Lk: number) {
  const y = new Float64Array(B * H * L), du = new Float64Array(B * H * L), dk = new Float64Array(H * Lk);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      for (let t = 0; t < L; t++)
        for (let j = 0; j <= Math.min(t, Lk - 1); j++) {
          y[o + t] += k[h * Lk + j] * u[o + t - j];
          du[o + t - j] += dy[o + t] * k[h * Lk + j];
          dk[h * Lk + j] += dy[o + t] * u[o + t - j];
        }
    }
  return { y, du, dk };
}

/** K = Σ_m Re(c z^l) and its VJP (vandermonde.ts's header), in float64 from the same float32 inputs. */
function vandermonde64(cr: Float32Array, ci: Float32Array, zr: Float32Array, zi: Float32Array, g: Float32Array, H: number, M: number, L: number) {
  const K = new Float64Array(H * L), grad = [0, 1, 2, 3].map(() => new Float64Array(H * M));
  for (let h = 0; h < H; h++)
    for (let m = 0; m < M; m++) {
      const j = h * M + m;
      let sr = 0, si = 0, tr = 0, ti = 0;
      for (let l = 0; l < L; l++) {
        const mag = Math.exp(l * zr[j]), wr = mag * Math.cos(l * zi[j]), wi = mag * Math.sin(l * zi[j]);
        K[h * L + l] += cr[j] * wr - ci[j] * wi;
        const gl = g[h * L + l];
        sr += gl * wr;
        si += gl * wi;
        tr += gl * l * wr;
        ti += gl * l * wi;
      }
      grad[0][j] = sr;
      grad[1][j] = -si;
      grad[2][j] = cr[j] * tr - ci[j] * ti;
      grad[3][j] = -(cr[j] * ti + ci[j] * tr);
    }
  return { K, grad };
}

// ---- tests --------------------------------------------------------------------------------------

const skip = process.env.W4S4_SKIP_WEBGPU === "1";

describe.skipIf(skip)("webgpu backend (Dawn; the software adapter where there is no GPU)", () => {
  beforeAll(async () => {
    const info = await initBackend({ backend: "webgpu" });
    expect(info.name).toBe("webgpu");
  });
  afterAll(async () => {
    await initBackend({ backend: "cpu" });
  });

  it("reports its adapter, and says when it is a software one", () => {
    const a = webgpuAdapter()!;
    expect(a).toBeDefined();
    expect(a.device.length).toBeGreaterThan(0);
    if (a.dawnBackend === "opengles") expect(a.software).toBe(true);
  });

  it("`w4s4 backend` forced to webgpu names the adapter; unforced, a software adapter is never chosen", () => {
    const cli = (env: Record<string, string>) => spawnSync("node", ["bin/w4s4.js", "backend", "--json"], { encoding: "utf8", env: { ...process.env, ...env } });
    const forced = cli({ W4S4_BACKEND: "webgpu" });
    expect(forced.status, forced.stderr).toBe(0);
    const f = JSON.parse(forced.stdout) as { name: string; adapter: { device: string; software: boolean }; compute: string };
    expect(f.name).toBe("webgpu");
    expect(f.adapter.device).toBe(webgpuAdapter()!.device);
    expect(f.compute).toMatch(/WGSL/);
    if (!webgpuAdapter()!.software) return; // a real GPU: auto would rightly pick it
    const auto = cli({ W4S4_BACKEND: "auto" });
    expect(auto.status, auto.stderr).toBe(0);
    const a = JSON.parse(auto.stdout) as { name: string; tried: { backend: string; ok: boolean }[] };
    expect(a.name).not.toBe("webgpu");
    expect(a.tried.find((t) => t.backend === "webgpu")?.ok).toBe(false);
  });

  it("Stockham FFT rows = the DFT, forward and inverse, n = 2 … 512", async () => {
    for (const [R, n] of [[3, 2], [2, 8], [3, 64], [1, 512]]) {
      const x = rand(2 * R * n, n);
      for (const inverse of [false, true]) {
        const got = await read(fftRowsWgsl(tf.tensor2d(x, [R, 2 * n]), inverse));
        expect(relErr(got, dft(x, R, n, inverse)), `R ${R} n ${n} inverse ${inverse}`).toBeLessThan(2e-6);
      }
    }
  });

  it("FFT convolution (wgsl) = float64 direct convolution, values and both gradients", async () => {
    expect(resolveConvMethod()).toBe("wgsl"); // auto on webgpu: this test is about our kernel
    // B odd: the last batch row rides alone in its complex pair. Lk < L, L not a power of two.
    for (const [B, H, L, Lk] of [[3, 4, 100, 100], [4, 2, 257, 37], [1, 3, 16, 16]]) {
      const u = rand(B * H * L, 1), k = rand(H * Lk, 2, 0.3), dy = rand(B * H * L, 3);
      const ref = conv64(u, k, dy, B, H, L, Lk);
      const ut = tf.tensor3d(u, [B, H, L]), kt = tf.tensor2d(k, [H, Lk]), dyt = tf.tensor3d(dy, [B, H, L]);
      const before = tf.memory().numTensors;
      const y = fftConv(ut, kt);
      const [du, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fftConv(a, b), dyt)))([ut, kt]);
      const shape = `B ${B} H ${H} L ${L} Lk ${Lk}`;
      expect(relErr(await read(y), ref.y), `y ${shape}`).toBeLessThan(1e-5);
      expect(relErr(await read(du), ref.du), `du ${shape}`).toBeLessThan(1e-5);
      expect(relErr(await read(dk), ref.dk), `dK ${shape}`).toBeLessThan(1e-5);
      tf.dispose([y, du, dk]);
      expect(tf.memory().numTensors, `tensors left by ${shape}`).toBe(before);
    }
  });

  it("refuses checkFinite: true and over-long sequences, naming the parameter", () => {
    const u = tf.zeros([1, 1, 8]) as tf.Tensor3D, k = tf.zeros([1, 8]);
    expect(() => fftConv(u, k, { checkFinite: true })).toThrow(ParameterError);
    expect(() => fftConv(u, k, { checkFinite: true })).toThrow(/^Invalid checkFinite: got true/);
    const z = tf.zeros([1, 1]) as tf.Tensor2D;
    expect(() => vandermondeWgsl({ cRe: z, cIm: z, logZRe: z, logZIm: z }, MAX_WGSL_LENGTH + 1)).toThrow(new RegExp(`^Invalid L: got ${MAX_WGSL_LENGTH + 1}; allowed: at most ${MAX_WGSL_LENGTH}`));
    const L = MAX_WGSL_LENGTH + 1, ul = tf.zeros([1, 1, L]) as tf.Tensor3D, kl = tf.zeros([1, L]);
    expect(() => fftConv(ul, kl)).toThrow(new RegExp(`^Invalid L: got ${L}; allowed: at most ${MAX_WGSL_LENGTH} on the webgpu convolution`));
    tf.dispose([u, k, z, ul, kl]);
  });

  it("refuses a convolution whose buffers exceed the adapter's storage-buffer limit (WebGPU would return zeros)", () => {
    // The packed spectrum holds ⌈B/2⌉·H·2n floats (n = 2L rounded up to a power of two).
    const L = 32768, n = 65536, H = Math.floor(maxWgslFloats() / (2 * n)) + 1;
    if (H * L > 1 << 25) return; // a real GPU's limit needs more memory than this test should take
    const u = tf.zeros([1, H, L]) as tf.Tensor3D, k = tf.zeros([H, L]);
    const before = tf.memory().numTensors;
    expect(() => fftConv(u, k)).toThrow(/^Invalid B·H·L of the webgpu convolution .*got \d+; allowed: at most \d+ float32 values per GPU buffer/);
    expect(tf.memory().numTensors).toBe(before); // refused before any work
    tf.dispose([u, k]);
  });

  it("Vandermonde kernel (wgsl) = float64, values and the four gradients", async () => {
    const H = 3, M = 5, L = 300;
    const cr = rand(H * M, 4), ci = rand(H * M, 5);
    const zr = Float32Array.from(rand(H * M, 6), (x) => -0.002 - 0.02 * Math.abs(x));
    const zi = Float32Array.from(rand(H * M, 7), (x) => 3 * x);
    const g = rand(H * L, 8);
    const ref = vandermonde64(cr, ci, zr, zi, g, H, M, L);
    const t = [cr, ci, zr, zi].map((a) => tf.tensor2d(a, [H, M]));
    const gt = tf.tensor2d(g, [H, L]);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      vandermondeWgsl({ cRe: a as tf.Tensor2D, cIm: b as tf.Tensor2D, logZRe: c as tf.Tensor2D, logZIm: d as tf.Tensor2D }, L);
    expect(relErr(await read(f(t[0], t[1], t[2], t[3])), ref.K)).toBeLessThan(1e-5);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(f(a, b, c, d), gt)))(t);
    for (let i = 0; i < 4; i++) expect(relErr(await read(grads[i]), ref.grad[i]), ["dc_re", "dc_im", "dζ_re", "dζ_im"][i]).toBeLessThan(1e-5);
  });

  it("keeps the phase l·ζ_im exact at long l, where float32 tf ops (and PyTorch's float32 kernel) drift", async () => {
    // Undamped modes (|z| = 1) at L = 20000: the naive float32 phase l·a loses up to l·|a|·6e-8 rad.
    const H = 1, M = 4, L = 20000;
    const cr = rand(M, 9), ci = rand(M, 10), zr = new Float32Array(M), zi = Float32Array.from([2.9, -1.3, 0.77, 3.1]);
    const ref = vandermonde64(cr, ci, zr, zi, new Float32Array(H * L), H, M, L).K;
    const x = { cRe: tf.tensor2d(cr, [H, M]), cIm: tf.tensor2d(ci, [H, M]), logZRe: tf.tensor2d(zr, [H, M]), logZIm: tf.tensor2d(zi, [H, M]) };
    const ours = relErr(await read(vandermondeWgsl(x, L)), ref);
    const naive = relErr(await read(vandermondeTf(x, L)), ref);
    expect(ours).toBeLessThan(2e-5);
    expect(naive).toBeGreaterThan(10 * ours); // the reduction is what makes the difference
  });

  it("ssmKernel picks wgsl on webgpu and it equals the tf-ops kernel", async () => {
    expect(resolveKernelMethod()).toBe("wgsl");
    const p = initKernelParams(diagonalInit("s4d-lin", { N: 8 }), 4, { seed: 3 });
    const a = await read(ssmKernel(p, 128));
    const b = await read(ssmKernel(p, 128, { method: "tf" }));
    expect(relErr(a, b)).toBeLessThan(1e-5);
  });

  it("S4D layer forward + backward on webgpu = the cpu backend (1e-4)", async () => {
    const B = 3, H = 8, L = 64;
    await initBackend({ backend: "cpu" });
    const layer = new S4DLayer({ dModel: H, dState: 8, init: "s4d-lin", seed: 5 });
    const u = tf.tensor3d(rand(B * H * L, 11), [B, H, L]);
    const vars = layer.namedVariables().map((v) => v.variable);
    const run = async () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(u))) as tf.Scalar, vars);
      const out = [await read(layer.apply(u)), ...(await Promise.all(vars.map((v) => read(grads[v.name]))))];
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const cpu = await run();
    await initBackend({ backend: "webgpu" });
    const gpu = await run();
    const names = ["y", ...layer.namedVariables().map((v) => v.name)];
    gpu.forEach((g, i) => expect(relErr(g, cpu[i]), names[i]).toBeLessThan(1e-4));
  });

  it("a 2-layer model's training step and a short train() on webgpu = the cpu backend", async () => {
    const Bt = 3, L = 32, dIn = 2;
    const x = rand(Bt * L * dIn, 12);
    const cfg = { input: { kind: "real", dInput: dIn }, dOutput: 3, dModel: 8, nLayers: 2, dState: 4, dropout: 0.1, init: "s4d-lin", seed: 2 } as const;
    const step = async (backend: "cpu" | "webgpu") => {
      await initBackend({ backend });
      const model = new SSMModel(cfg);
      const opt = new AdamW(parameterGroups(model, resolveTrainConfig({})));
      const r = await gradientStep(model, tf.tensor3d(x, [Bt, L, dIn]), tf.tensor1d([0, 2, 1], "int32"), "classification", opt.variables(), 7);
      const g = await Promise.all(Object.values(r.grads).map(read));
      return { loss: r.lossV, g };
    };
    const a = await step("cpu"), b = await step("webgpu");
    expect(Math.abs(b.loss - a.loss) / a.loss).toBeLessThan(1e-5);
    b.g.forEach((g, i) => expect(relErr(g, a.g[i]), `gradient ${i}`).toBeLessThan(1e-4));

    const r = mulberry32(13);
    const split = (n: number) => {
      const xs = Float32Array.from({ length: n * L }, () => r() - 0.5), y = Int32Array.from({ length: n }, () => (r() < 0.5 ? 0 : 1));
      return { x: xs, y, n };
    };
    const data: TrainData = { name: "noise", input: { kind: "real", dInput: 1 }, length: L, train: split(16), val: split(8), test: split(8) };
    const fit = async (backend: "cpu" | "webgpu") => {
      await initBackend({ backend });
      const model = new SSMModel({ ...cfg, input: data.input, dOutput: 2 });
      return train(model, data, { epochs: 2, batchSize: 8 }, { progress: false, log: () => {} });
    };
    const ca = await fit("cpu"), cb = await fit("webgpu");
    expect(cb.history.length).toBe(2);
    cb.history.forEach((h, i) => expect(Math.abs(h.trainLoss - ca.history[i].trainLoss) / ca.history[i].trainLoss, `epoch ${i + 1}`).toBeLessThan(1e-4));
    expect(Math.abs(cb.test!.loss - ca.test!.loss) / ca.test!.loss).toBeLessThan(1e-4);
  });
});
