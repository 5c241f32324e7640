// The channel-split paths of convPool.ts against the same loops on one thread: every channel is
// computed whole by one thread, so the results must be bit-identical, whatever the split.
import { describe, expect, it } from "vitest";
import type * as TF from "@tensorflow/tfjs";
import os from "node:os";
import { convBackwardParallel, convThreads, convolveRowsParallel, vandermondeGradParallel, vandermondeParallel, PARALLEL_MIN_POINTS } from "../src/kernels/convPool.js";
import { runShare } from "../src/kernels/convJob.js";
import { pffftSize } from "../src/kernels/pffft.js";
import { packModes } from "../src/kernels/vandermondeRows.js";
import { mulberry32 } from "../src/random.js";
import { relErr } from "./relErr.js";

const rand = (n: number, seed: number, scale = 1) => {
  const u = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (2 * u() - 1) * scale);
};

async function helpersReady(): Promise<number> {
  for (let i = 0; i < 200 && convThreads().threads < 2; i++) await new Promise((r) => setTimeout(r, 50));
  return convThreads().threads;
}

const canThread = Math.min(8, os.availableParallelism?.() ?? os.cpus().length) >= 2 && process.env.W4S4_WASM_THREADS !== "1";

describe.runIf(canThread)("convPool: threaded = one thread, bit for bit", () => {
  it("helper threads start and report ready", async () => {
    expect(await helpersReady()).toBeGreaterThanOrEqual(2);
    expect(convThreads().note).toBeUndefined();
  });

  const B = 4, H = 33, L = 700, Lk = 500, n = pffftSize(2 * L); // H odd: an uneven channel split
  it("is above the threshold, so the split really runs", () => expect(B * H * n).toBeGreaterThanOrEqual(PARALLEL_MIN_POINTS));

  it("causal convolution and correlation", async () => {
    await helpersReady();
    const x = rand(B * H * L, 1), k = rand(H * Lk, 2, 0.1);
    for (const rev of [false, true]) {
      const a = new Float32Array(B * H * L), b = new Float32Array(B * H * L);
      convolveRowsParallel(x, k, B, H, L, Lk, n, rev, a);
      runShare("conv", x, k, b, { B, H, L, Lk, n, rev }, 0, H);
      expect(a).toEqual(b);
      expect(a.some((v) => v !== 0)).toBe(true);
    }
  });

  it("the convolution's backward (du and the kernel gradient in one pass)", async () => {
    await helpersReady();
    const dy = rand(B * H * L, 3), u = rand(B * H * L, 4), k = rand(H * Lk, 5, 0.1);
    const du = new Float32Array(B * H * L), dk = new Float32Array(H * Lk);
    convBackwardParallel(dy, u, k, B, H, L, Lk, n, du, dk);
    const du1 = new Float32Array(B * H * L), dk1 = new Float32Array(H * Lk);
    runShare("convBwd", dy, u, du1, { B, H, L, Lk, n, rev: true }, 0, H, k, dk1);
    expect(du).toEqual(du1);
    expect(dk).toEqual(dk1);
  });

  it("Vandermonde kernel and its gradient", async () => {
    await helpersReady();
    const Hv = 17, M = 32, Lv = 1024; // 557k points: split
    expect(Hv * M * Lv).toBeGreaterThanOrEqual(PARALLEL_MIN_POINTS);
    const HM = Hv * M;
    const modes = packModes({ cr: rand(HM, 5), ci: rand(HM, 6), zr: rand(HM, 7, 0.01).map((v) => -Math.abs(v) - 1e-3), zi: rand(HM, 8, 3) }, HM);
    const a = new Float32Array(Hv * Lv), b = new Float32Array(Hv * Lv);
    vandermondeParallel(modes, Hv, M, Lv, a);
    runShare("vdm", modes, modes, b, { B: 1, H: Hv, L: Lv, Lk: M, n: 0, rev: false }, 0, Hv);
    expect(a).toEqual(b);
    const g = rand(Hv * Lv, 9);
    const ga = new Float32Array(4 * HM), gb = new Float32Array(4 * HM);
    vandermondeGradParallel(modes, g, Hv, M, Lv, ga);
    runShare("vdmGrad", modes, g, gb, { B: 1, H: Hv, L: Lv, Lk: M, n: 0, rev: false }, 0, Hv);
    expect(ga).toEqual(gb);
    expect(ga.some((v) => v !== 0)).toBe(true);
  });
});

describe.runIf(canThread)("fftConv on threaded wasm: split across threads, in place in tfjs' heap", () => {
  it("value and gradients equal the float64 fft.js path", async () => {
    const tf = await import("@tensorflow/tfjs");
    const { initBackend } = await import("../src/backend.js");
    const { fftConv } = await import("../src/kernels/fftConv.js");
    const { tfjsWasmHeap } = await import("../src/kernels/tfjsHeap.js");
    await initBackend({ backend: "wasm" });
    expect(tfjsWasmHeap()).toBeDefined();
    await helpersReady();
    const B = 4, H = 33, L = 700, Lk = 500;
    expect(B * H * pffftSize(2 * L)).toBeGreaterThanOrEqual(PARALLEL_MIN_POINTS);
    const u = tf.tensor3d(rand(B * H * L, 11), [B, H, L]), k = tf.tensor2d(rand(H * Lk, 12, 0.1), [H, Lk]), g = tf.tensor3d(rand(B * H * L, 13), [B, H, L]);
    const run = (method: "pffft" | "js") => {
      const f = tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(fftConv(a, b, { method }), g)));
      return [fftConv(u, k, { method }), ...f([u, k])].map((t) => t.dataSync());
    };
    const a = run("pffft"), b = run("js");
    for (let i = 0; i < 3; i++) expect(relErr(a[i], b[i])).toBeLessThan(1e-5);
  });
});
