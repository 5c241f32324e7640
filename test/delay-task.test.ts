// The delay task end to end (walrus-math §8.2) on registry inits, and the §10 reference numbers.
import { describe, expect, it } from "vitest";
import { Matrix, QrDecomposition, inverse } from "ml-matrix";
import { delayTaskMSE, dtGrid, resolveSSM } from "../src/tasks/delay.js";
import { delaySweep, dtSweep } from "../src/tasks/delayStudies.js";
import { paperComparison } from "../src/paper/fig1.js";
import { denseStates, delayTargets } from "../src/tasks/delayStates.js";
import { ridgeSvd } from "../src/tasks/ridge.js";
import { ar1Noise } from "../src/tasks/signals.js";
import { normalStream } from "../src/random.js";
import type { DenseSSM } from "../src/ssm/types.js";

// An independent pipeline written out in the test: LegS by its closed form (walrus-math §2), bilinear
// by the formula of §7 with an ml-matrix inverse, states by mat-vec, fit by ridgeSvd.
function handLegs(N: number): { A: Matrix; B: Float64Array } {
  const A = new Matrix(N, N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1);
    for (let k = 0; k <= n; k++) A.set(n, k, n > k ? -Math.sqrt((2 * n + 1) * (2 * k + 1)) : -(n + 1));
  }
  return { A, B };
}
function handLog10Mse(A: Matrix, B: Float64Array, u: Float64Array, D: number, dt: number): number {
  const N = B.length;
  const Mi = inverse(Matrix.eye(N).sub(A.clone().mul(dt / 2)));
  const Ab = Mi.mmul(Matrix.eye(N).add(A.clone().mul(dt / 2)));
  const Bb = Float64Array.from(Mi.mmul(Matrix.columnVector(Array.from(B))).mul(dt).to1DArray());
  return Math.log10(ridgeSvd(denseStates({ Ab, Bb, dt, method: "bilinear" }, u, D), delayTargets(u, D)).mse);
}

function rotate(ssm: DenseSSM, seed: number): DenseSSM {
  const n = normalStream(seed);
  const Q = new QrDecomposition(Matrix.from1DArray(ssm.N, ssm.N, Array.from({ length: ssm.N * ssm.N }, () => n()))).orthogonalMatrix;
  const B = Q.transpose().mmul(Matrix.columnVector(Array.from(ssm.B))).to1DArray();
  return { name: ssm.name + "-rotated", N: ssm.N, A: Q.transpose().mmul(ssm.A).mmul(Q), B: Float64Array.from(B) };
}

describe("delayTaskMSE", () => {
  it("registry LegS equals the hand-written pipeline (log10 MSE within 1e-8)", () => {
    const u = ar1Noise(1000, 2);
    const { A, B } = handLegs(16);
    for (const dt of [1e-3, 5e-3, 2e-2]) {
      const r = delayTaskMSE({ init: "legs", N: 16, signal: "ar1", seed: 2, length: 1000, delay: 250, dt });
      expect(Math.abs(r.log10mse - handLog10Mse(A, B, u, 250, dt))).toBeLessThan(1e-8);
      expect(r.C.length).toBe(16);
    }
  });
  it("SVD and Cholesky agree for every init at N = 16 (log10 MSE within 1e-4)", () => {
    for (const init of ["legs", "s4d-lin", "s4d-inv", "s4d-legs", "walrus"] as const) {
      const base = { init, N: 16, signal: "ar1", length: 1000, delay: 250, dt: 3e-3 };
      const a = delayTaskMSE({ ...base, solver: "svd" });
      const b = delayTaskMSE({ ...base, solver: "cholesky" });
      expect(Math.abs(a.log10mse - b.log10mse)).toBeLessThan(1e-4);
    }
  });
  it("MSE is invariant under an orthogonal change of state basis (A → QᵀAQ, B → QᵀB; 1e-6 in log10)", () => {
    for (const init of ["walrus", "legs"] as const) {
      const ssm = resolveSSM({ init, N: 16 });
      for (const disc of ["bilinear", "zoh"] as const) {
        const a = delayTaskMSE({ ssm, signal: "ar1", length: 1000, delay: 250, dt: 4e-3, disc });
        const b = delayTaskMSE({ ssm: rotate(ssm, 3), signal: "ar1", length: 1000, delay: 250, dt: 4e-3, disc });
        expect(Math.abs(a.log10mse - b.log10mse)).toBeLessThan(1e-6);
      }
    }
  });
  it("delay 0 reconstructs a smooth input almost exactly (LegS log10 MSE < −12, WaLRUS < −7)", () => {
    // y_k = u_k and x_k contains B̄·u_k. At dt = 0.1 the state's window is short against the input's
    // time scale. LegS (polynomials) reaches the ridge floor; WaLRUS stops near 1e-8 even with ρ = 0:
    // lag 0 sits at the frame's edge x = 1 (walrus-math §6.2), where the truncated dual is least exact.
    const base = { N: 32, signal: "bandlimited:10", length: 1000, delay: 0, dt: 0.1 };
    expect(delayTaskMSE({ ...base, init: "legs" }).log10mse).toBeLessThan(-12);
    expect(delayTaskMSE({ ...base, init: "walrus" }).log10mse).toBeLessThan(-7);
  });
  it("ZOH and bilinear give close but different numbers at small dt", () => {
    const base = { init: "walrus" as const, N: 16, signal: "ar1", length: 1000, delay: 250, dt: 2e-3 };
    const a = delayTaskMSE({ ...base, disc: "bilinear" }).log10mse;
    const b = delayTaskMSE({ ...base, disc: "zoh" }).log10mse;
    expect(a).not.toBe(b);
    expect(Math.abs(a - b)).toBeLessThan(0.05);
  });
  it("bad inputs are rejected before any work, naming the parameter", () => {
    const ok = { init: "legs" as const, N: 8, signal: "ar1", length: 200, delay: 50, dt: 1e-2 };
    expect(() => delayTaskMSE({ ...ok, delay: 200 })).toThrow(/Invalid delay: got 200; allowed: an integer in \[0, 199\]/);
    expect(() => delayTaskMSE({ ...ok, delay: -1 })).toThrow(/Invalid delay/);
    expect(() => delayTaskMSE({ ...ok, dt: 0 })).toThrow(/Invalid dt: got 0; allowed: a finite number > 0/);
    expect(() => delayTaskMSE({ ...ok, dt: -1e-3 })).toThrow(/Invalid dt/);
    expect(() => delayTaskMSE({ ...ok, dt: NaN })).toThrow(/Invalid dt/);
    expect(() => delayTaskMSE({ ...ok, signal: "brown" })).toThrow(/Invalid signal: got "brown".*unknown signal/);
    expect(() => delayTaskMSE({ ...ok, init: "hippo" as never })).toThrow(/Invalid init: got "hippo"; allowed: one of legs, /);
    expect(() => delayTaskMSE({ ...ok, init: "s4d-lin", N: 7 })).toThrow(/Invalid N/);
    expect(() => delayTaskMSE({ ...ok, N: 0 })).toThrow(/Invalid N/);
    expect(() => delayTaskMSE({ ...ok, disc: "euler" as never })).toThrow(/Invalid disc/);
    expect(() => delayTaskMSE({ ...ok, ssm: resolveSSM({ init: "legs", N: 8 }), N: 9 })).toThrow(/Invalid N: got 9; allowed: 8/);
  });
});

describe("studies", () => {
  it("dtGrid is the §8.2 grid: 21 log-spaced values from 10^-3.5 to 10^-1.5", () => {
    const g = dtGrid();
    expect(g.length).toBe(21);
    expect(g[0]).toBeCloseTo(10 ** -3.5, 15);
    expect(g[20] / 10 ** -1.5).toBeCloseTo(1, 12);
    expect(g[10] / 10 ** -2.5).toBeCloseTo(1, 12);
    expect(() => dtGrid(0, 1, 3)).toThrow(/Invalid dt-grid lo/);
  });
  it("dtSweep aggregates seeds as mean of per-seed minima; curve is the per-dt mean", () => {
    const grid = dtGrid(1e-3, 1e-2, 4);
    let calls = 0;
    const r = dtSweep({ init: "legs", N: 8, length: 600, delay: 100, seeds: [1, 2, 3], grid, onProgress: () => calls++ });
    expect(calls).toBe(12);
    for (const s of [0, 1, 2]) {
      const direct = grid.map((dt) => delayTaskMSE({ init: "legs", N: 8, length: 600, delay: 100, seed: s + 1, dt }).log10mse);
      expect(r.perSeedBest[s].log10mse).toBeCloseTo(Math.min(...direct), 12);
      direct.forEach((v, g) => expect(r.curve[g].perSeed[s]).toBeCloseTo(v, 12));
    }
    const m = r.perSeedBest.reduce((a, p) => a + p.log10mse, 0) / 3;
    expect(r.best.mean).toBeCloseTo(m, 12);
    expect(r.bestLog10mse).toBe(Math.min(...r.curve.map((p) => p.log10mse)));
  });
  it("delaySweep returns one row per (init, delay)", () => {
    const rows = delaySweep({ inits: ["legs", "walrus"], N: 8, length: 600, delays: [50, 200], seeds: [1], grid: dtGrid(1e-3, 1e-2, 3) });
    expect(rows.map((r) => [r.init, r.delay])).toEqual([["legs", 50], ["legs", 200], ["walrus", 50], ["walrus", 200]]);
    // Longer delay, worse reconstruction (same init, same input).
    expect(rows[1].mean).toBeGreaterThan(rows[0].mean);
  });
  it("paperComparison puts 0.725 decades = ×5.31 beside the §10 numbers and ours", () => {
    const rows = paperComparison([{ setting: "ours", walrus: -1.3, legs: -1.2 }]);
    expect(rows[0].decades).toBe(0.725);
    expect(rows[0].ratio).toBeCloseTo(5.31, 2);
    expect(rows.find((r) => r.setting === "N=64 AR(1) a=0.99")!.decades).toBeCloseTo(0.125, 12);
    expect(rows.at(-1)!.decades).toBeCloseTo(0.1, 12);
  });
});

describe("slow: walrus-math §10 study 1 (N = 64, D = 500, 5 seeds, best over the 21-point grid)", () => {
  // Cholesky solver for speed (agrees with SVD to ≥ 4 digits, tested above). ~4 s per init.
  // The last case is the ridge-sensitive band-limited input (50 harmonics, §10: −1.668 for LegS).
  const cases: [string, string, number][] = [["walrus", "ar1", -1.359], ["legs", "ar1", -1.234], ["s4d-lin", "ar1", -1.347], ["legs", "bandlimited:50", -1.668]];
  for (const [init, signal, ref] of cases) {
    it(`${init} ${signal}: ${ref} within 0.01`, () => {
      const r = dtSweep({ init: init as never, N: 64, signal, seeds: [1, 2, 3, 4, 5], solver: "cholesky" });
      expect(Math.abs(r.best.mean - ref)).toBeLessThan(0.01);
    }, 60_000);
  }
});
