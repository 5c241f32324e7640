// The grid-convergence study: one row per doubling, changes measured against the previous grid, the
// stopping rule, the first order of the authors' left-point rule, and the default grid actually being
// converged with the gregory rule (walrus-math §3.5).
import { describe, expect, it } from "vitest";
import { defaultGridStart, walrusGridConvergence } from "../src/tasks/walrusConvergence.js";
import { walrus, walrusDefaultGrid, walrusDefaultSMin } from "../src/ssm/walrus.js";

describe("walrusGridConvergence", () => {
  const left = walrusGridConvergence({ N: 8, gridStart: 2048, gridMax: 8192, quadrature: "left-point" });

  it("left-point: builds at 2048, 4096, 8192 and does not claim convergence to 1e-6", () => {
    expect(left.rows.map((x) => x.G)).toEqual([2048, 4096, 8192]);
    expect(left.rows[0].change).toBeUndefined();
    expect(left.convergedG).toBeNull();
    expect(left.rows.every((x) => x.Nf === 107 && x.sMin === 3)).toBe(true);
  });

  it("left-point converges at first order: each doubling roughly halves every change (walrus-math §3.5)", () => {
    const [a, b] = [left.rows[1].change!, left.rows[2].change!];
    for (const k of ["spectrum", "condV", "transfer", "delay"] as const) {
      expect(b[k] / a[k]).toBeGreaterThan(0.4);
      expect(b[k] / a[k]).toBeLessThan(0.6);
    }
    expect(a.max).toBeGreaterThan(1e-4); // G = 2048 is 1e-4-far from its own doubling, not 1e-6
  });

  it("gregory (default): N = 8 is converged at 1024 (every change below 1e-7), on the same frame", () => {
    const r = walrusGridConvergence({ N: 8 });
    expect(r.rows.map((x) => x.G)).toEqual([1024, 2048]);
    expect(r.convergedG).toBe(1024);
    expect(r.rows[1].change!.max).toBeLessThan(1e-7);
    expect(r.rows.every((x) => x.Nf === 107 && x.sMin === 3)).toBe(true);
  });

  // How far the former default (left-point, G = 2048) sits from the converged min |λ| (issue 15: 1e-2 and 0.17).
  for (const [measure, lo, hi] of [["scaled", 1e-3, 2e-2], ["translated", 0.1, 0.3]] as const) {
    it(`the default grid of N = 64 (${measure}) is within 1e-6 of its doubling; left-point at 2048 is ${lo}–${hi} away in min |λ|`, () => {
      const G = walrusDefaultGrid(64);
      const r = walrusGridConvergence({ N: 64, measure, gridStart: G, gridMax: 2 * G });
      expect(r.convergedG).toBe(G);
      const a = walrus({ N: 64, measure, grid: 2 * G }), b = walrus({ N: 64, measure, quadrature: "left-point" });
      expect(b.frame.G).toBe(2048);
      const tr = (w: typeof a) => w.B.reduce((s, v, i) => s + v * w.B[i], 0); // BᵀB: the transfer at s → ∞, times s
      expect(Math.abs(tr(b) / tr(a) - 1)).toBeLessThan(0.02);
      expect(r.rows[0].Nf).toBe(416);
      const lp = walrusGridConvergence({ N: 64, measure, gridStart: 2048, gridMax: 2048, quadrature: "left-point" }).rows[0];
      const off = Math.abs(lp.minAbs / r.rows[1].minAbs - 1);
      expect(off).toBeGreaterThan(lo);
      expect(off).toBeLessThan(hi);
    });
  }

  it("its transfer function is positive and tends to BᵀB/s for large s", () => {
    const w = walrus({ N: 8, grid: 4096 });
    const r = walrusGridConvergence({ N: 8, gridStart: 4096, gridMax: 4096, s: [1, 1e7] });
    expect(r.rows[0].transfer[0]).toBeGreaterThan(0);
    const bb = w.B.reduce((a, b) => a + b * b, 0);
    expect(Math.abs((r.rows[0].transfer[1] * 1e7) / bb - 1)).toBeLessThan(1e-4);
  });

  it("stops at the first doubling below tol and names the smaller grid", () => {
    const loose = walrusGridConvergence({ N: 8, gridStart: 2048, gridMax: 8192, tol: 1e-2, quadrature: "left-point" });
    expect(loose.rows).toHaveLength(2);
    expect(loose.convergedG).toBe(2048);
  });

  it("starts at max(1024, default grid / 4): a grid that holds the N = 128 frame's 1106 elements", () => {
    expect([8, 64, 128, 256].map(defaultGridStart)).toEqual([1024, 1024, 2048, 4096]);
    expect(() => walrusDefaultSMin(128, { grid: 1024 })).toThrow(/N/); // why 1024 cannot start N = 128
    expect(walrusDefaultSMin(128, { grid: defaultGridStart(128) })).toBe(-2);
  });

  it("rejects a bad range by name before building", () => {
    expect(() => walrusGridConvergence({ N: 8, gridStart: 4096, gridMax: 2048 })).toThrow(/gridMax/);
    expect(() => walrusGridConvergence({ N: 8, tol: 0 })).toThrow(/tol/);
    expect(() => walrusGridConvergence({ N: 999 })).toThrow(/N/);
    expect(() => walrusGridConvergence({ N: 8, quadrature: "simpson" as never })).toThrow(/quadrature/);
  });
});
