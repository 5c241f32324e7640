// The TensorFlow.js kernels against the float64 references of src/ssm/reference.ts.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { initKernelParams, discreteCoefficients, ssmKernel, type SSMKernelParams } from "../src/kernels/ssmKernel.js";
import { vandermondeJs, vandermondeTf } from "../src/kernels/vandermonde.js";
import { vandermondeGradRows, vandermondeRows } from "../src/kernels/vandermondeRows.js";
import { mulberry32 } from "../src/random.js";
import { fftConv, directConv, bidirectionalConv } from "../src/kernels/fftConv.js";
import { setupStep, defaultState, step, scan } from "../src/kernels/recurrence.js";
import { INIT_NAMES, diagonalInit } from "../src/ssm/registry.js";
import { discretizeDiagonal } from "../src/ssm/discretize.js";
import { diagonalKernel } from "../src/ssm/reference.js";
import type { DiagonalSSM } from "../src/ssm/types.js";

const EPS32 = 2 ** -23;
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxAbs = (a: ArrayLike<number>) => maxAbsDiff(a, new Float64Array(a.length));

for (const backend of ["cpu", "wasm"] as const) {
  describe(`kernels on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    it("float32 kernel = float64 reference for every init (N = 16; three dt; ZOH and bilinear; js and tf paths)", () => {
      const L = 256;
      for (const name of INIT_NAMES.filter((n) => n !== "legs")) {
        const d = diagonalInit(name, { N: 16 });
        const cmax = Math.max(...Array.from(d.C!.re, Math.abs), ...Array.from(d.C!.im, Math.abs));
        for (const disc of ["zoh", "bilinear"] as const)
          for (const dt of [1e-3, 1e-2, 1e-1]) {
            const p = initKernelParams(d, 1, { cInit: "init", dtMin: dt, dtMax: dt });
            const ref = diagonalKernel(discretizeDiagonal(d, dt, disc), d.C!, L);
            const scale = maxAbs(ref);
            // Relative 1e-4, or the float32 rounding of the residues where they dwarf the kernel
            // (LegT's residues are ~1e4 times its kernel).
            const tol = Math.max(1e-4, 64 * EPS32 * (cmax / scale));
            for (const method of ["js", "tf"] as const) {
              const K = ssmKernel(p, L, { disc, method });
              expect(maxAbsDiff(K.dataSync(), ref) / scale, `${name} ${disc} dt=${dt} ${method}`).toBeLessThan(tol);
              K.dispose();
            }
          }
      }
    });

    it("LegS: the diagonal form is unusable in float32 (residues ~1e11 × kernel) — why W4S4 needs WaLRUS or S4 needs DPLR", () => {
      const d = diagonalInit("legs", { N: 16 });
      const ref = diagonalKernel(discretizeDiagonal(d, 0.01, "zoh"), d.C!, 128);
      const cmax = Math.max(...Array.from(d.C!.re, Math.abs));
      expect(cmax / maxAbs(ref)).toBeGreaterThan(1e9);
      expect(d.condV!).toBeGreaterThan(1e8);
    });

    it("tf-ops kernel chunked under a tiny memory budget equals the unchunked one", () => {
      const p = initKernelParams(diagonalInit("s4d-lin", { N: 16 }), 3, { seed: 4 });
      const x = discreteCoefficients(p, "zoh");
      const a = vandermondeTf(x, 300), b = vandermondeTf(x, 300, 24 * 3 * 8 * 7); // 7 steps per chunk
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    });

    it("kernel gradients: JS custom op = tf autodiff, and = float64 finite differences through the parameters", () => {
      const d: DiagonalSSM = diagonalInit("s4d-inv", { N: 8 });
      const L = 64;
      const w = tf.randomNormal([2, L], 0, 1, "float32", 11);
      for (const disc of ["zoh", "bilinear"] as const) {
        const p = initKernelParams(d, 2, { seed: 3, dtMin: 0.01, dtMax: 0.1 });
        const vars = [p.logDt, p.logNegRe, p.im, p.cRe, p.cIm];
        const loss = (method: "js" | "tf") => () => tf.sum(tf.mul(ssmKernel(p, L, { disc, method }), w)) as tf.Scalar;
        const gJs = tf.variableGrads(loss("js"), vars).grads;
        const gTf = tf.variableGrads(loss("tf"), vars).grads;
        for (const v of vars) {
          const a = gJs[v.name].dataSync(), b = gTf[v.name].dataSync();
          expect(maxAbsDiff(a, b) / Math.max(1e-6, maxAbs(b)), `${disc} ${v.name}`).toBeLessThan(2e-4);
        }
        // Finite differences of a float64 port of the kernel formula.
        const f64 = (params: SSMKernelParams, which: number, idx: number, h: number) => kernelLoss64(params, L, disc, w.dataSync(), which, idx, h);
        vars.forEach((v, which) => {
          const g = gJs[v.name].dataSync();
          for (const idx of [0, v.size - 1]) {
            const eps = 1e-6;
            const fd = (f64(p, which, idx, eps) - f64(p, which, idx, -eps)) / (2 * eps);
            expect(Math.abs(g[idx] - fd) / Math.max(1e-3, Math.abs(fd)), `${disc} param ${which} idx ${idx}`).toBeLessThan(2e-3);
          }
        });
      }
    });

    it("FFT conv = direct O(L²) conv, with equal gradients (js and native paths)", () => {
      const u = tf.randomNormal([3, 4, 45], 0, 1, "float32", 1), k = tf.randomNormal([4, 45], 0, 0.3, "float32", 2);
      const w = tf.randomNormal([3, 4, 45], 0, 1, "float32", 3);
      const ref = directConvAndVjp(u.dataSync(), k.dataSync(), w.dataSync(), 3, 4, 45);
      if (backend === "cpu") {
        // The tf-ops Toeplitz reference (autodiff) agrees with the plain loops too.
        expect(maxAbsDiff(directConv(u, k).dataSync(), ref.y)).toBeLessThan(1e-5);
        const gd = tf.grads((a: tf.Tensor, b: tf.Tensor) => directConv(a, b).mul(w).sum())([u, k]);
        expect(maxAbsDiff(gd[1].dataSync(), ref.dk)).toBeLessThan(2e-5);
      }
      for (const method of ["js", "native"] as const) {
        if (method === "native" && backend === "wasm") continue; // wasm has no FFT kernels
        const y = fftConv(u, k, { method });
        expect(maxAbsDiff(y.dataSync(), ref.y), method).toBeLessThan(1e-5);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => fftConv(a, b, { method }).mul(w).sum())([u, k]);
        expect(maxAbsDiff(g[0].dataSync(), ref.du), `${method} du`).toBeLessThan(1e-5);
        expect(maxAbsDiff(g[1].dataSync(), ref.dk), `${method} dK`).toBeLessThan(2e-5);
      }
    });

    it("causality: changing u at t0 leaves y before t0 bit-identical", () => {
      const L = 64, t0 = 40;
      const u = tf.randomNormal([2, 3, L], 0, 1, "float32", 5), k = tf.randomNormal([3, L], 0, 1, "float32", 6);
      const bump = tf.buffer([2, 3, L]);
      bump.set(100, 1, 2, t0);
      const y1 = fftConv(u, k).dataSync(), y2 = fftConv(u.add(bump.toTensor()), k).dataSync();
      for (let b = 0; b < 2; b++) for (let h = 0; h < 3; h++) for (let t = 0; t < L; t++) {
        const i = (b * 3 + h) * L + t;
        if (t < t0 || !(b === 1 && h === 2)) expect(Math.abs(y1[i] - y2[i])).toBeLessThan(1e-4);
      }
      // And the perturbed channel does change from t0 on.
      expect(Math.abs(y1[(1 * 3 + 2) * L + t0] - y2[(1 * 3 + 2) * L + t0])).toBeGreaterThan(1);
    });

    it("bidirectional conv matches its definition y[t] = Σ_j k0[j] u[t−j] + Σ_{m≥1} k1[m−1] u[t+m]", () => {
      const L = 20;
      const u = tf.randomNormal([1, 2, L], 0, 1, "float32", 7), k0 = tf.randomNormal([2, L], 0, 1, "float32", 8), k1 = tf.randomNormal([2, L], 0, 1, "float32", 9);
      const y = bidirectionalConv(u, k0, k1).dataSync();
      const ud = u.dataSync(), a = k0.dataSync(), b = k1.dataSync();
      let err = 0;
      for (let h = 0; h < 2; h++)
        for (let t = 0; t < L; t++) {
          let s = 0;
          for (let j = 0; j <= t; j++) s += a[h * L + j] * ud[h * L + t - j];
          for (let m = 1; t + m < L; m++) s += b[h * L + m - 1] * ud[h * L + t + m];
          err = Math.max(err, Math.abs(s - y[h * L + t]));
        }
      expect(err).toBeLessThan(1e-5);
    });

    it("conv == step == chunked scan", () => {
      const H = 3, L = 50, B = 2;
      const p = initKernelParams(diagonalInit("walrus", { N: 8 }), H, { seed: 2 });
      for (const disc of ["zoh", "bilinear"] as const) {
        const u = tf.randomNormal([B, H, L], 0, 1, "float32", 12) as tf.Tensor3D;
        const yConv = fftConv(u, ssmKernel(p, L, { disc })).dataSync();
        const s = setupStep(p, disc);
        let state = defaultState(s, B);
        const ySteps: number[][] = [];
        for (let t = 0; t < L; t++) {
          const r = step(s, u.slice([0, 0, t], [B, H, 1]).reshape([B, H]) as tf.Tensor2D, state);
          state = r.state;
          ySteps.push(Array.from(r.y.dataSync()));
        }
        const yStep = new Float32Array(B * H * L);
        for (let t = 0; t < L; t++) for (let i = 0; i < B * H; i++) yStep[i * L + t] = ySteps[t][i];
        const a = scan(s, u.slice([0, 0, 0], [B, H, 17]) as tf.Tensor3D);
        const b = scan(s, u.slice([0, 0, 17], [B, H, L - 17]) as tf.Tensor3D, a.state);
        const yScan = tf.concat([a.y, b.y], 2).dataSync();
        const scale = maxAbs(yConv);
        expect(maxAbsDiff(yStep, yConv) / scale, `step ${disc}`).toBeLessThan(1e-5);
        expect(maxAbsDiff(yScan, yConv) / scale, `scan ${disc}`).toBeLessThan(1e-5);
      }
    });

    it("rejects non-finite inputs and bad shapes naming the tensor", () => {
      const u = tf.tensor3d([1, NaN, 3, 4], [1, 1, 4]), k = tf.ones([1, 4]);
      expect(() => fftConv(u, k)).toThrow(/Invalid u: got "NaN at flat index 1"; allowed: finite values only/);
      expect(() => fftConv(tf.ones([1, 1, 4]), tf.tensor2d([[1, Infinity, 0, 0]]))).toThrow(/Invalid K/);
      expect(() => fftConv(tf.ones([1, 2, 4]), tf.ones([3, 4]))).toThrow(/Invalid K: .*shape \[H = 2/);
      expect(() => fftConv(tf.ones([2, 4]), k)).toThrow(/Invalid u/);
      expect(() => initKernelParams(diagonalInit("s4d-lin", { N: 4 }), 0)).toThrow(/Invalid H: got 0/);
      expect(() => initKernelParams(diagonalInit("s4d-lin", { N: 4 }), 2, { dtMin: -1 })).toThrow(/Invalid dtMin/);
    });
  });
}

/** Plain-loop causal convolution and its vector-Jacobian products for the weights w. */
function directConvAndVjp(u: ArrayLike<number>, k: ArrayLike<number>, w: ArrayLike<number>, B: number, H: number, L: number) {
  const y = new Float64Array(B * H * L), du = new Float64Array(B * H * L), dk = new Float64Array(H * L);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const o = (b * H + h) * L;
      for (let t = 0; t < L; t++)
        for (let j = 0; j <= t; j++) {
          y[o + t] += k[h * L + j] * u[o + t - j];
          du[o + t - j] += w[o + t] * k[h * L + j];
          dk[h * L + j] += w[o + t] * u[o + t - j];
        }
    }
  return { y, du, dk };
}

/** float64 port of ssmKernel's loss Σ w·K with one parameter perturbed by h (for finite differences). */
function kernelLoss64(p: SSMKernelParams, L: number, disc: "zoh" | "bilinear", w: ArrayLike<number>, which: number, idx: number, h: number): number {
  const arrs = [p.logDt, p.logNegRe, p.im, p.cRe, p.cIm].map((v) => Float64Array.from(v.dataSync()));
  arrs[which][idx] += h;
  const [logDt, lnr, im, cr, ci] = arrs;
  const wt = p.weight.dataSync();
  const { H, M } = p;
  let loss = 0;
  for (let hh = 0; hh < H; hh++) {
    const dt = Math.exp(logDt[hh]);
    for (let m = 0; m < M; m++) {
      const i = hh * M + m;
      const lr = -Math.exp(lnr[i]), li = im[i];
      const ar = dt * lr, ai = dt * li;
      let zr: number, zi: number, fr: number, fi: number;
      if (disc === "zoh") {
        const e = Math.exp(ar);
        zr = e * Math.cos(ai); zi = e * Math.sin(ai);
        const nr = zr - 1, ni = zi, den = lr * lr + li * li;
        fr = (nr * lr + ni * li) / den; fi = (ni * lr - nr * li) / den;
      } else {
        const pr = 1 + ar / 2, pi = ai / 2, qr = 1 - ar / 2, qi = -ai / 2, q2 = qr * qr + qi * qi;
        zr = (pr * qr + pi * qi) / q2; zi = (pi * qr - pr * qi) / q2;
        fr = (dt * qr) / q2; fi = (-dt * qi) / q2;
      }
      let pr2 = wt[m] * (cr[i] * fr - ci[i] * fi), pi2 = wt[m] * (cr[i] * fi + ci[i] * fr);
      for (let l = 0; l < L; l++) {
        loss += w[hh * L + l] * pr2;
        const t = pr2 * zr - pi2 * zi;
        pi2 = pr2 * zi + pi2 * zr;
        pr2 = t;
      }
    }
  }
  return loss;
}

describe("vandermondeRows and vandermondeGradRows (modes interleaved 4 and 2 at a time)", () => {
  // M = 5 and 7: the interleaved loops and their one-mode tails. Direct float64 formula: z^l = exp(l·ζ).
  for (const M of [1, 5, 7]) {
    it(`M = ${M}: forward and gradient = the direct formula`, () => {
      const H = 2, L = 40;
      const u = mulberry32(M);
      const r = (n: number, s: number, o = 0) => Float64Array.from({ length: n }, () => o + s * (2 * u() - 1));
      const x = { cr: r(H * M, 1), ci: r(H * M, 1), zr: r(H * M, 0.02, -0.05), zi: r(H * M, 1) };
      const g = Float32Array.from(r(H * L, 1));
      const out = new Float32Array(H * L), grad = new Float32Array(4 * H * M);
      vandermondeRows(x, H, M, L, out);
      vandermondeGradRows(x, g, H, M, L, grad);
      const HM = H * M;
      for (let h = 0; h < H; h++) {
        for (let l = 0; l < L; l++) {
          let k = 0;
          for (let m = 0; m < M; m++) {
            const i = h * M + m, e = Math.exp(l * x.zr[i]);
            k += e * (x.cr[i] * Math.cos(l * x.zi[i]) - x.ci[i] * Math.sin(l * x.zi[i]));
          }
          expect(out[h * L + l]).toBeCloseTo(k, 5);
        }
        for (let m = 0; m < M; m++) {
          const i = h * M + m;
          let sr = 0, si = 0, tr = 0, ti = 0;
          for (let l = 0; l < L; l++) {
            const e = Math.exp(l * x.zr[i]), zr = e * Math.cos(l * x.zi[i]), zi = e * Math.sin(l * x.zi[i]), gl = g[h * L + l];
            sr += gl * zr; si += gl * zi; tr += gl * l * zr; ti += gl * l * zi;
          }
          expect(grad[i]).toBeCloseTo(sr, 4);
          expect(grad[HM + i]).toBeCloseTo(-si, 4);
          expect(grad[2 * HM + i]).toBeCloseTo(x.cr[i] * tr - x.ci[i] * ti, 3);
          expect(grad[3 * HM + i]).toBeCloseTo(-(x.cr[i] * ti + x.ci[i] * tr), 3);
        }
      }
    });
  }
});
