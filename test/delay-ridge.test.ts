// Ridge readout (walrus-math §8.2 step 4) and the dense state recurrence (step 2).
import { describe, expect, it } from "vitest";
import { Matrix, QrDecomposition, inverse, solve } from "ml-matrix";
import { normalEquations, residualMse, ridgeCholesky, ridgeFit, ridgeSvd, type DesignMatrix } from "../src/tasks/ridge.js";
import { delayTargets, denseStates } from "../src/tasks/delayStates.js";
import { ar1Noise } from "../src/tasks/signals.js";
import { mulberry32, normalStream } from "../src/random.js";

function randomDesign(rows: number, cols: number, seed: number, scales?: number[]): DesignMatrix {
  const n = normalStream(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = n() * (scales ? scales[j] : 1);
  return { data, rows, cols };
}
const toM = (X: DesignMatrix) => new Matrix(Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))));

// HiPPO-LegS written out here (walrus-math §2) so this file does not depend on the registry.
function legsAB(N: number): { A: Matrix; B: Float64Array } {
  const A = new Matrix(N, N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1);
    for (let k = 0; k <= n; k++) A.set(n, k, n > k ? -Math.sqrt((2 * n + 1) * (2 * k + 1)) : -(n + 1));
  }
  return { A, B };
}
function bilinear(A: Matrix, B: Float64Array, dt: number) {
  const N = B.length;
  const Mi = inverse(Matrix.eye(N).sub(A.clone().mul(dt / 2)));
  return {
    Ab: Mi.mmul(Matrix.eye(N).add(A.clone().mul(dt / 2))),
    Bb: Float64Array.from(Mi.mmul(Matrix.columnVector(Array.from(B))).mul(dt).to1DArray()),
    dt,
    method: "bilinear" as const,
  };
}

describe("ridge readout", () => {
  it("SVD solution equals a brute-force normal-equation solve (ml-matrix solve) on small cases, rel 1e-10", () => {
    for (const [rows, cols, seed] of [[12, 3, 1], [40, 6, 2], [7, 7, 3], [5, 9, 4]]) {
      const X = randomDesign(rows, cols, seed);
      const y = Float64Array.from(randomDesign(rows, 1, seed + 100).data);
      const rho = 1e-3;
      const fit = ridgeSvd(X, y, rho);
      const Xm = toM(X);
      const smax = fit.sigmaMax; // checked against eig(XᵀX) in the next test
      const G = Xm.transpose().mmul(Xm).add(Matrix.eye(cols).mul(rho * smax * smax));
      const ref = solve(G, Xm.transpose().mmul(Matrix.columnVector(Array.from(y)))).to1DArray();
      const scale = Math.max(...ref.map(Math.abs));
      for (let j = 0; j < cols; j++) expect(Math.abs(fit.C[j] - ref[j]) / scale).toBeLessThan(1e-10);
      // Stationarity of the ridge objective: Xᵀ(XC − y) + λC = 0.
      const r = Xm.mmul(Matrix.columnVector(Array.from(fit.C))).sub(Matrix.columnVector(Array.from(y)));
      const g = Xm.transpose().mmul(r).add(Matrix.columnVector(Array.from(fit.C)).mul(fit.lambda)).to1DArray();
      expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-10 * fit.sigmaMax ** 2 * scale);
      // No coordinate perturbation lowers the objective.
      const obj = (C: Float64Array) => residualMse(X, C, y) * rows + fit.lambda * C.reduce((a, c) => a + c * c, 0);
      const f0 = obj(fit.C);
      for (let j = 0; j < cols; j++) for (const e of [1e-4, -1e-4]) {
        const C = Float64Array.from(fit.C);
        C[j] += e;
        expect(obj(C)).toBeGreaterThanOrEqual(f0);
      }
    }
  });
  it("σ_max from the SVD equals sqrt of the largest eigenvalue of XᵀX used by Cholesky (rel 1e-12)", () => {
    const X = randomDesign(60, 8, 9);
    expect(Math.abs(ridgeSvd(X, new Float64Array(60)).sigmaMax / ridgeCholesky(X, new Float64Array(60)).sigmaMax - 1)).toBeLessThan(1e-12);
  });
  it("SVD and Cholesky agree: random (C rel 1e-9) and ill-conditioned LegS states (log10 MSE within 1e-4)", () => {
    const X = randomDesign(200, 10, 5, [1, 2, 3, 1e-2, 5, 6, 7, 8, 9, 1e-3]);
    const y = Float64Array.from(randomDesign(200, 1, 6).data);
    const a = ridgeFit(X, y, { solver: "svd" });
    const b = ridgeFit(X, y, { solver: "cholesky" });
    for (let j = 0; j < 10; j++) expect(Math.abs(a.C[j] - b.C[j]) / Math.max(...Array.from(a.C, Math.abs))).toBeLessThan(1e-9);
    const { A, B } = legsAB(32);
    const u = ar1Noise(1000, 1);
    for (const dt of [3e-4, 3e-3, 3e-2]) {
      const Xs = denseStates(bilinear(A, B, dt), u, 250);
      const ys = delayTargets(u, 250);
      const s = ridgeSvd(Xs, ys);
      const c = ridgeCholesky(Xs, ys);
      expect(Math.abs(Math.log10(s.mse) - Math.log10(c.mse))).toBeLessThan(1e-4);
    }
  });
  it("the MSE is invariant under an orthogonal change of columns X → XQ (ridge λ‖C‖², within 1e-9 in log10)", () => {
    const { A, B } = legsAB(16);
    const u = ar1Noise(800, 2);
    const X = denseStates(bilinear(A, B, 5e-3), u, 200);
    const y = delayTargets(u, 200);
    const Q = new QrDecomposition(toM(randomDesign(16, 16, 11))).orthogonalMatrix;
    const XQ = toM(X).mmul(Q);
    const XQd: DesignMatrix = { data: Float64Array.from(XQ.to1DArray()), rows: X.rows, cols: 16 };
    expect(Math.abs(Math.log10(ridgeSvd(X, y).mse) - Math.log10(ridgeSvd(XQd, y).mse))).toBeLessThan(1e-9);
  });
  it("normalEquations matches XᵀX, Xᵀy from ml-matrix (1e-12)", () => {
    const X = randomDesign(30, 5, 8);
    const y = Float64Array.from(randomDesign(30, 1, 3).data);
    const { G, b } = normalEquations(X, y);
    const Xm = toM(X);
    const Gm = Xm.transpose().mmul(Xm);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(G[i * 5 + j]).toBeCloseTo(Gm.get(i, j), 12);
    const bm = Xm.transpose().mmul(Matrix.columnVector(Array.from(y))).to1DArray();
    for (let i = 0; i < 5; i++) expect(b[i]).toBeCloseTo(bm[i], 12);
  });
  it("rejects bad shapes and rho, naming the parameter", () => {
    const X = randomDesign(10, 3, 1);
    expect(() => ridgeSvd(X, new Float64Array(9))).toThrow(/Invalid y: got 9; allowed: length 10/);
    expect(() => ridgeSvd(X, new Float64Array(10), -1)).toThrow(/Invalid rho/);
    expect(() => ridgeFit(X, new Float64Array(10), { solver: "qr" as never })).toThrow(/Invalid solver/);
    expect(() => ridgeCholesky({ data: new Float64Array(20), rows: 10, cols: 2 }, new Float64Array(10), 0)).toThrow(/not positive definite/);
  });
});

describe("dense state recurrence", () => {
  it("equals x_k = Ā x_{k−1} + B̄ u_k evaluated with ml-matrix (x_{−1} = 0), rel 1e-13; rows start at firstRow", () => {
    const { A, B } = legsAB(8);
    const sys = bilinear(A, B, 0.01);
    const uni = mulberry32(3);
    const u = Float64Array.from({ length: 50 }, () => uni() - 0.5);
    const X = denseStates(sys, u, 10);
    expect([X.rows, X.cols]).toEqual([40, 8]);
    let x = Matrix.zeros(8, 1);
    for (let k = 0; k < 50; k++) {
      x = sys.Ab.mmul(x).add(Matrix.columnVector(Array.from(sys.Bb)).mul(u[k]));
      if (k >= 10) for (let i = 0; i < 8; i++) expect(Math.abs(X.data[(k - 10) * 8 + i] - x.get(i, 0))).toBeLessThan(1e-13 * (1 + Math.abs(x.get(i, 0))));
    }
    expect(Array.from(delayTargets(u, 10))).toEqual(Array.from(u.subarray(0, 40)));
  });
  it("an unstable step is rejected with a clear error", () => {
    const A = new Matrix([[0.5]]);
    expect(() => denseStates(bilinear(A, new Float64Array([1]), 4.5), new Float64Array(5000).fill(1), 0)).toThrow(/Invalid dt/);
  });
});
