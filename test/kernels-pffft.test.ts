// PFFFT (WASM SIMD, float32) behind fftConv's default cpu/wasm method: the raw row kernels against
// float64 convolutions written out here, and the tfjs op (value and both gradients) against the
// O(L²) "direct" reference and the float64 fft.js twin "js", on the wasm and cpu backends.
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend.js";
import { ParameterError } from "../src/errors.js";
import { fftConv, type ConvMethod } from "../src/kernels/fftConv.js";
import { convBackwardRows, convolveRows, kernelGradientRows, pffftSize, pffftStatus } from "../src/kernels/pffft.js";
import { relErr } from "./relErr.js";

/** Deterministic uniform(−1, 1) floats (mulberry32). */
function randoms(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

// Naive float64 references, x [B, H, L], k [H, Lk].
function naiveConv(x: ArrayLike<number>, k: ArrayLike<number>, B: number, H: number, L: number, Lk: number): Float64Array {
  const y = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      for (let t = 0; t < L; t++) {
        let s = 0;
        for (let j = 0; j <= t && j < Lk; j++) s += k[h * Lk + j] * x[o + t - j];
        y[o + t] = s;
      }
    }
  return y;
}

function naiveCorr(x: ArrayLike<number>, k: ArrayLike<number>, B: number, H: number, L: number, Lk: number): Float64Array {
  const y = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      for (let s = 0; s < L; s++) {
        let acc = 0;
        for (let t = s; t < L && t - s < Lk; t++) acc += x[o + t] * k[h * Lk + t - s];
        y[o + s] = acc;
      }
    }
  return y;
}

function naiveKernelGrad(dy: ArrayLike<number>, u: ArrayLike<number>, B: number, H: number, L: number, Lk: number): Float64Array {
  const dk = new Float64Array(H * Lk);
  for (let h = 0; h < H; h++)
    for (let j = 0; j < Lk; j++) {
      let s = 0;
      for (let b = 0; b < B; b++) {
        const o = (b * H + h) * L;
        for (let t = j; t < L; t++) s += dy[o + t] * u[o + t - j];
      }
      dk[h * Lk + j] = s;
    }
  return dk;
}

// L not a power of two, Lk < L, B·H odd, the smallest case (n = 32), and Lk = L.
const SHAPES = [
  { B: 2, H: 3, L: 37, Lk: 20 },
  { B: 1, H: 1, L: 1, Lk: 1 },
  { B: 3, H: 1, L: 100, Lk: 7 },
  { B: 1, H: 3, L: 64, Lk: 64 },
  { B: 3, H: 5, L: 300, Lk: 300 },
  { B: 1, H: 1, L: 1000, Lk: 513 },
];

describe("PFFFT row kernels", () => {
  it("loads (WASM SIMD build) and picks the smallest power of two >= max(m, 32)", () => {
    expect(pffftStatus()).toEqual({ ok: true });
    const cases: [number, number][] = [[1, 32], [2, 32], [31, 32], [32, 32], [33, 64], [64, 64], [65, 128], [1000, 1024], [2048, 2048], [2049, 4096]];
    for (const [m, n] of cases) expect(pffftSize(m), `m = ${m}`).toBe(n);
    // The definition itself, on a range of m.
    for (let m = 1; m <= 5000; m += 37) {
      const n = pffftSize(m);
      expect(Number.isInteger(Math.log2(n))).toBe(true);
      expect(n).toBeGreaterThanOrEqual(Math.max(m, 32));
      expect(n === 32 || n / 2 < m).toBe(true);
    }
  });

  for (const { B, H, L, Lk } of SHAPES) {
    it(`B=${B} H=${H} L=${L} Lk=${Lk}: convolution, correlation and kernel gradient equal the float64 sums`, () => {
      const n = pffftSize(2 * L);
      const x = randoms(B * H * L, 11 + L), k = randoms(H * Lk, 23 + Lk), dy = randoms(B * H * L, 37 + B);
      // Pre-filled with NaN: every entry must be written.
      const y = new Float32Array(B * H * L).fill(NaN);
      convolveRows(x, k, B, H, L, Lk, n, false, y);
      expect(relErr(y, naiveConv(x, k, B, H, L, Lk))).toBeLessThan(1e-5);
      const c = new Float32Array(B * H * L).fill(NaN);
      convolveRows(x, k, B, H, L, Lk, n, true, c);
      expect(relErr(c, naiveCorr(x, k, B, H, L, Lk))).toBeLessThan(1e-5);
      const dk = kernelGradientRows(dy, x, B, H, L, Lk, n);
      expect(dk.length).toBe(H * Lk);
      expect(relErr(dk, naiveKernelGrad(dy, x, B, H, L, Lk))).toBeLessThan(1e-5);
      // The one-pass backward: du = the correlation of dy with k, dk as above, bit for bit the two passes.
      const du1 = new Float32Array(B * H * L).fill(NaN), dk1 = new Float32Array(H * Lk).fill(NaN), du2 = new Float32Array(B * H * L);
      convBackwardRows(dy, x, k, B, H, L, Lk, n, du1, dk1);
      convolveRows(dy, k, B, H, L, Lk, n, true, du2);
      expect(du1).toEqual(du2);
      expect(dk1).toEqual(kernelGradientRows(dy, x, B, H, L, Lk, n));
    });
  }

  it("a plain-array input (not Float32Array) and a larger n than needed give the same convolution", () => {
    const B = 2, H = 2, L = 50, Lk = 30;
    const x = randoms(B * H * L, 5), k = randoms(H * Lk, 6);
    const ref = naiveConv(x, k, B, H, L, Lk);
    const y1 = new Float32Array(B * H * L), y2 = new Float32Array(B * H * L);
    convolveRows(Array.from(x), Array.from(k), B, H, L, Lk, pffftSize(2 * L), false, y1);
    convolveRows(x, k, B, H, L, Lk, 4 * pffftSize(2 * L), false, y2);
    expect(relErr(y1, ref)).toBeLessThan(1e-5);
    expect(relErr(y2, ref)).toBeLessThan(1e-5);
  });
});

/** Value and gradients of sum(fftConv(u, K)·g) wrt u and (when `wrtK`) K. */
function convWithGrads(u: tf.Tensor3D, K: tf.Tensor2D, g: tf.Tensor, method: ConvMethod, wrtK = true): { y: Float32Array; du: Float32Array; dK?: Float32Array } {
  const y = tf.tidy(() => fftConv(u, K, { method }).dataSync() as Float32Array);
  const grads = wrtK
    ? tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fftConv(a, b, { method }), g)))([u, K])
    : tf.grads((a: tf.Tensor) => tf.sum(tf.mul(fftConv(a, K, { method }), g)))([u]);
  expect(grads[0].shape).toEqual(u.shape);
  if (wrtK) expect(grads[1].shape).toEqual(K.shape);
  const r = { y, du: grads[0].dataSync() as Float32Array, dK: wrtK ? (grads[1].dataSync() as Float32Array) : undefined };
  tf.dispose(grads);
  return r;
}

// wasm first: the threaded wasm init must come before any other wasm initialization in the process.
for (const backend of ["wasm", "cpu"] as const) {
  describe(`fftConv "pffft" on ${backend}`, () => {
    for (const { B, H, L, Lk } of [{ B: 2, H: 3, L: 37, Lk: 20 }, { B: 3, H: 4, L: 300, Lk: 64 }]) {
      it(`B=${B} H=${H} L=${L} Lk=${Lk}: value and gradients match "direct" (1e-4) and "js" (1e-5)`, async () => {
        await initBackend({ backend });
        expect(tf.getBackend()).toBe(backend);
        const ud = randoms(B * H * L, 101), kd = randoms(H * Lk, 202), gd = randoms(B * H * L, 303);
        const u = tf.tensor3d(ud, [B, H, L]), K = tf.tensor2d(kd, [H, Lk]), g = tf.tensor3d(gd, [B, H, L]);
        const p = convWithGrads(u, K, g, "pffft");
        const j = convWithGrads(u, K, g, "js");
        // directConv's K gradient goes through tf.gather's, which needs UnsortedSegmentSum: a kernel
        // the wasm backend does not register. There dK is checked against the float64 sum instead.
        const d = convWithGrads(u, K, g, "direct", backend === "cpu");
        for (const key of ["y", "du", "dK"] as const) {
          expect(relErr(p[key]!, j[key]!), `${key} vs js`).toBeLessThan(1e-5);
          if (d[key]) expect(relErr(p[key]!, d[key]!), `${key} vs direct`).toBeLessThan(1e-4);
        }
        // And the float64 sums: y = u * K, du = corr(g, K), dK = Σ_b corr(g, u).
        expect(relErr(p.y, naiveConv(ud, kd, B, H, L, Lk)), "y vs float64").toBeLessThan(1e-5);
        expect(relErr(p.du, naiveCorr(gd, kd, B, H, L, Lk)), "du vs float64").toBeLessThan(1e-5);
        expect(relErr(p.dK!, naiveKernelGrad(gd, ud, B, H, L, Lk)), "dK vs float64").toBeLessThan(1e-5);
        tf.dispose([u, K, g]);
      });
    }

    it("a NaN in u is a ParameterError naming u (checkFinite defaults to true); in K one naming K", async () => {
      await initBackend({ backend });
      const data = randoms(2 * 3 * 16, 7);
      data[17] = NaN;
      const u = tf.tensor3d(data, [2, 3, 16]);
      const K = tf.tensor2d(randoms(3 * 8, 8), [3, 8]);
      let err: unknown;
      try {
        fftConv(u, K, { method: "pffft" });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).parameter).toBe("u");
      expect((err as Error).message).toMatch(/^Invalid u: got "NaN at flat index 17"/);
      const ok = tf.tensor3d(randoms(2 * 3 * 16, 9), [2, 3, 16]);
      const badK = tf.tensor2d([...randoms(3 * 8, 8).slice(0, 23), Infinity], [3, 8]);
      expect(() => fftConv(ok, badK, { method: "pffft" })).toThrow(/^Invalid K: got "Infinity at flat index 23"/);
      // With the check off the NaN propagates instead (row b=0, h=1 holds index 17) and nothing throws.
      const y = fftConv(u, K, { method: "pffft", checkFinite: false }).dataSync();
      expect(Number.isNaN(y[17])).toBe(true);
      tf.dispose([u, K, ok, badK]);
    });
  });
}
