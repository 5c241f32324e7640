import { describe, expect, it } from "vitest";
import { Matrix, solve } from "ml-matrix";
import { hippoFouT, hippoLegS, hippoLegT, legsNplr } from "../src/ssm/hippo.js";
import { s4dInv, s4dLegS, s4dLin, s4dReal } from "../src/ssm/s4dInit.js";
import { allEigenvalues, diagonalize, realBlockForm } from "../src/ssm/diagonal.js";
import { discretize, discretizeDiagonal, expm } from "../src/ssm/discretize.js";
import { denseKernel, diagonalKernel, denseRecurrence, diagonalRecurrence, causalConv, tossmBasis } from "../src/ssm/reference.js";
import { INIT_NAMES, denseInit, diagonalInit, parseReadout, readout } from "../src/ssm/registry.js";
import { legendreValues } from "../src/frames/legendre.js";
import { eigGeneral } from "../src/linalg/eig.js";
import type { DenseSSM } from "../src/ssm/types.js";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxAbsOf = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));

describe("HiPPO closed forms", () => {
  it("LegS entries, B, and eigenvalues −1..−N", () => {
    const { A, B } = hippoLegS(6);
    expect(A.get(3, 1)).toBeCloseTo(-Math.sqrt(7) * Math.sqrt(3), 14);
    expect(A.get(4, 4)).toBe(-5);
    expect(A.get(1, 3)).toBe(0);
    expect(B[5]).toBeCloseTo(Math.sqrt(11), 14);
    for (const N of [8, 16, 32]) {
      const e = eigGeneral(hippoLegS(N).A);
      const re = Array.from(e.re).sort((a, b) => b - a);
      // LegS is highly non-normal, so eigenvalue sensitivity is far above eps: relative 1e-10.
      expect(maxAbs(re, Array.from({ length: N }, (_, k) => -(k + 1))) / N).toBeLessThan(1e-10);
      expect(maxAbsOf(e.im)).toBe(0);
    }
  });
  it("LegT entries with the (−1)^(n−k) pattern above the diagonal, θ scaling", () => {
    const { A, B } = hippoLegT(4);
    expect(A.get(0, 0)).toBeCloseTo(-1, 14);
    expect(A.get(0, 1)).toBeCloseTo(Math.sqrt(3), 14);
    expect(A.get(0, 2)).toBeCloseTo(-Math.sqrt(5), 14);
    expect(A.get(2, 0)).toBeCloseTo(-Math.sqrt(5), 14);
    expect(B[3]).toBeCloseTo(Math.sqrt(7), 14);
    const A2 = hippoLegT(4, { theta: 2 }).A;
    expect(A2.get(1, 2)).toBeCloseTo(A.get(1, 2) / 2, 14);
  });
  it("FouT: skew coupling of (cos k, sin k) pairs minus BBᵀ, stable spectrum", () => {
    const { A, B } = hippoFouT(6);
    expect(Array.from(B)).toEqual([1, 0, Math.SQRT2, 0, Math.SQRT2, 0]);
    // Off the rank-one part, A + BBᵀ is skew-symmetric with ±πk couplings.
    const S = A.clone().add(Matrix.columnVector(Array.from(B)).mmul(Matrix.rowVector(Array.from(B))));
    expect(maxAbs(S.to1DArray(), S.transpose().mul(-1).to1DArray())).toBeLessThan(1e-15);
    expect(S.get(2, 3)).toBeCloseTo(-Math.PI, 14);
    expect(S.get(3, 2)).toBeCloseTo(Math.PI, 14);
    const e = eigGeneral(hippoFouT(16).A);
    expect(Math.max(...e.re)).toBeLessThan(1e-9);
  });
  it("NPLR: A_N = A + PPᵀ has real part exactly −½ for every eigenvalue", () => {
    const { AN } = legsNplr(16);
    const e = eigGeneral(AN);
    expect(maxAbs(e.re, new Float64Array(16).fill(-0.5))).toBeLessThan(1e-10);
  });
});

describe("S4D initializations", () => {
  it("Lin and Inv closed forms", () => {
    const lin = s4dLin(8), inv = s4dInv(8);
    for (let n = 0; n < 4; n++) {
      expect(lin.lambda.re[n]).toBe(-0.5);
      expect(lin.lambda.im[n]).toBeCloseTo(Math.PI * n, 14);
      expect(inv.lambda.im[3 - n]).toBeCloseTo((8 / Math.PI) * (8 / (2 * n + 1) - 1), 12);
    }
    expect(Array.from(lin.weight)).toEqual([2, 2, 2, 2]);
  });
  it("Real: −1..−N, weight 1", () => {
    const r = s4dReal(5);
    expect(Array.from(r.lambda.re)).toEqual([-5, -4, -3, -2, -1]);
    expect(r.N).toBe(5);
  });
  it("LegS: eigenvalues of the NPLR normal part, and its diagonal kernel equals the dense (A_N, B/2) kernel read out by Bᵀ", () => {
    const N = 16;
    const d = s4dLegS(N);
    expect(d.lambda.re.length).toBe(8);
    expect(maxAbs(d.lambda.re, new Float64Array(8).fill(-0.5))).toBeLessThan(1e-10);
    expect(d.condV!).toBeLessThan(1 + 1e-8); // A_N is normal: unitary eigenvectors
    const { AN, B } = legsNplr(N);
    const dense: DenseSSM = { name: "an", N, A: AN, B: B.map((b) => b / 2) };
    const Kd = denseKernel(discretize(dense, 0.01), B, 200);
    const Kg = diagonalKernel(discretizeDiagonal(d, 0.01), d.C!, 200);
    expect(maxAbs(Kd, Kg) / maxAbsOf(Kd)).toBeLessThan(1e-12);
  });
  it("LegS residues: Σ C_n = BᵀB/2 = N²/2, and Σ C_n/(s − λ_n) = Bᵀ(sI − A_N)⁻¹B/2 by a linear solve", () => {
    for (const N of [8, 64]) {
      const d = s4dLegS(N);
      // All N modes: each stored pair counts twice (2·Re).
      let sum = 0;
      for (let m = 0; m < d.C!.re.length; m++) sum += d.weight[m] * d.C!.re[m];
      expect(sum / (N * N / 2) - 1).toBeLessThan(1e-12);
      expect(sum / (N * N / 2) - 1).toBeGreaterThan(-1e-12);
      const { AN, B } = legsNplr(N);
      for (const s of [0.3, 2, 17]) {
        const M = Matrix.eye(N, N).mul(s).sub(AN);
        const x = solve(M, Matrix.columnVector(Array.from(B, (b) => b / 2)));
        const H = B.reduce((a, b, i) => a + b * x.get(i, 0), 0);
        let Hd = 0;
        for (let m = 0; m < d.C!.re.length; m++) {
          // 2·Re(C/(s − λ)) for a pair.
          const dr = s - d.lambda.re[m], di = -d.lambda.im[m], den = dr * dr + di * di;
          Hd += d.weight[m] * (d.C!.re[m] * dr + d.C!.im[m] * di) / den;
        }
        expect(Math.abs(Hd - H) / Math.abs(H)).toBeLessThan(1e-10);
      }
    }
  });
  it("odd N is rejected for pair inits, naming N", () => {
    expect(() => s4dLin(7)).toThrow(/Invalid N: got 7; allowed: an even integer/);
    expect(() => s4dInv(0)).toThrow(/Invalid N/);
    expect(() => diagonalInit("s4d-legs", { N: 9 })).toThrow(/Invalid N: got 9/);
  });
});

describe("diagonalization and discretization", () => {
  it("expm matches its Taylor series and the diagonal route", () => {
    const X = new Matrix([[0.1, 0.3, 0], [-0.2, -0.4, 0.5], [0.05, 0, -0.3]]);
    let term = Matrix.eye(3), S = Matrix.eye(3);
    for (let k = 1; k < 30; k++) {
      term = term.mmul(X).mul(1 / k);
      S = S.add(term);
    }
    expect(maxAbs(expm(X).to1DArray(), S.to1DArray())).toBeLessThan(4e-15);
    const big = X.clone().mul(40); // needs scaling and squaring
    const e = expm(big);
    const half = expm(big.clone().mul(0.5));
    expect(maxAbs(e.to1DArray(), half.mmul(half).to1DArray()) / maxAbsOf(e.to1DArray())).toBeLessThan(1e-12);
  });

  for (const method of ["bilinear", "zoh"] as const) {
    it(`${method}: diagonal kernel = dense kernel for well-conditioned inits; recurrence = kernel convolution`, () => {
      for (const name of ["s4d-inv", "s4d-lin", "fout", "legt"] as const) {
        const dense = denseInit(name, { N: 8 });
        const diag = diagonalize(dense);
        const Kd = denseKernel(discretize(dense, 0.05, method), dense.B, 300);
        const Kg = diagonalKernel(discretizeDiagonal(diag, 0.05, method), diag.C!, 300);
        expect(maxAbs(Kd, Kg) / maxAbsOf(Kd), `${name} ${method}`).toBeLessThan(1e-9);
      }
      const dense = denseInit("s4d-inv", { N: 8 });
      const diag = diagonalize(dense);
      const u = Float64Array.from({ length: 64 }, (_, i) => Math.sin(0.3 * i) + 0.1 * (i % 5));
      const sys = discretize(dense, 0.1, method);
      const y1 = denseRecurrence(sys, dense.B, u).y;
      const y2 = diagonalRecurrence(discretizeDiagonal(diag, 0.1, method), diag.C!, u);
      const y3 = causalConv(u, denseKernel(sys, dense.B, 64));
      expect(maxAbs(y1, y2)).toBeLessThan(1e-10);
      expect(maxAbs(y1, y3)).toBeLessThan(1e-10);
    });
  }

  it("LegS diagonal form is exact for small N and degrades with cond(V)", () => {
    const errs: number[] = [];
    for (const N of [4, 8, 16]) {
      const dense = hippoLegS(N);
      const diag = diagonalize(dense);
      const Kd = denseKernel(discretize(dense, 0.01), dense.B, 200);
      const Kg = diagonalKernel(discretizeDiagonal(diag, 0.01), diag.C!, 200);
      errs.push(maxAbs(Kd, Kg) / maxAbsOf(Kd));
    }
    expect(errs[0]).toBeLessThan(1e-11);
    expect(errs[2]).toBeGreaterThan(errs[0]);
    expect(diagonalize(hippoLegS(16)).condV!).toBeGreaterThan(1e8);
  });

  it("the real block form of a diagonal SSM has the same eigenvalues and kernel", () => {
    const d = s4dInv(6);
    const { A, B, C } = realBlockForm({ ...d, C: { re: Float64Array.from([0.3, -1, 2]), im: Float64Array.from([0.5, 0.2, -0.7]) } });
    const dense: DenseSSM = { name: "x", N: 6, A, B };
    const Kd = denseKernel(discretize(dense, 0.02), C, 100);
    const Kg = diagonalKernel(discretizeDiagonal(d, 0.02), { re: Float64Array.from([0.3, -1, 2]), im: Float64Array.from([0.5, 0.2, -0.7]) }, 100);
    expect(maxAbs(Kd, Kg)).toBeLessThan(1e-12);
    const ev = allEigenvalues(d);
    expect(ev.length).toBe(6);
    expect(ev[0][1]).toBeLessThan(0);
  });

  it("rejects non-finite or non-positive dt, and unknown methods, naming the parameter", () => {
    const s = hippoLegS(4);
    expect(() => discretize(s, 0)).toThrow(/Invalid dt: got 0/);
    expect(() => discretize(s, NaN)).toThrow(/Invalid dt: got NaN/);
    expect(() => discretize(s, Infinity, "zoh")).toThrow(/Invalid dt/);
    expect(() => discretize(s, 0.1, "euler" as never)).toThrow(/Invalid disc: got "euler"; allowed: one of bilinear, zoh/);
  });
});

describe("TOSSM basis", () => {
  it("e^{tA}B of LegS equals the Legendre closed form L_n(e^{−t}) e^{−t}", () => {
    const N = 12;
    const times = [0, 0.1, 0.5, 1, 2, 4];
    const basis = tossmBasis(hippoLegS(N), times);
    let err = 0;
    times.forEach((t, i) => {
      const ref = legendreValues(N, Math.exp(-t)).map((v) => v * Math.exp(-t));
      err = Math.max(err, maxAbs(basis.getRow(i), ref));
    });
    expect(err).toBeLessThan(1e-12);
  });
});

describe("registry", () => {
  it("every init gives an N-state dense system and a diagonal form with matching eigenvalues", () => {
    for (const name of INIT_NAMES) {
      const N = 8;
      const dense = denseInit(name, { N });
      expect(dense.N, name).toBe(N);
      expect(dense.A.rows, name).toBe(N);
      expect(dense.B.length, name).toBe(N);
      const diag = diagonalInit(name, { N });
      expect(diag.weight.reduce((a, b) => a + b, 0), name).toBe(N);
      const e = eigGeneral(dense.A);
      const fromDense = Array.from(e.re, (r, k) => [r, e.im[k]] as [number, number]).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      const fromDiag = allEigenvalues(diag);
      const err = Math.max(...fromDense.map((p, k) => Math.hypot(p[0] - fromDiag[k][0], p[1] - fromDiag[k][1])));
      expect(err, name).toBeLessThan(1e-8 * Math.max(1, ...fromDense.map((p) => Math.hypot(p[0], p[1]))));
      // Every construction is stable (Hurwitz, S4 sign).
      expect(Math.max(...e.re), name).toBeLessThan(1e-9);
    }
  });
  it("readouts: Bᵀ, ones, and the Legendre dual functional", () => {
    const s = denseInit("legs", { N: 5 });
    expect(Array.from(readout(s, "bt"))).toEqual(Array.from(s.B));
    expect(Array.from(readout(s, parseReadout("ones")))).toEqual([1, 1, 1, 1, 1]);
    expect(maxAbs(readout(s, parseReadout("dual:0.25")), legendreValues(5, 0.25))).toBe(0);
    expect(() => readout(denseInit("s4d-lin", { N: 4 }), { dual: 0.5 })).toThrow(/Invalid readout/);
    expect(() => parseReadout("dual:1.5")).toThrow(/Invalid readout dual coordinate x: got 1.5/);
    expect(() => parseReadout("C")).toThrow(/Invalid readout: got "C"; allowed: bt, ones or dual:<x>/);
  });
  it("rejects unknown inits and bad N, naming the parameter", () => {
    expect(() => denseInit("lmu", { N: 4 })).toThrow(/Invalid init: got "lmu"; allowed: one of legs, legt, fout/);
    expect(() => denseInit("legs", { N: 0 })).toThrow(/Invalid N: got 0/);
    expect(() => denseInit("legs", { N: 2.5 })).toThrow(/Invalid N: got 2.5/);
  });
});
