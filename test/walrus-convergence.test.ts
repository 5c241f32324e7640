// The grid-convergence study: one row per doubling, changes measured against the previous grid,
// the stopping rule, and the first-order behaviour of today's sampled frame (changes halve per doubling).
import { describe, expect, it } from "vitest";
import { walrusGridConvergence } from "../src/tasks/walrusConvergence.js";
import { walrus } from "../src/ssm/walrus.js";

describe("walrusGridConvergence", () => {
  const r = walrusGridConvergence({ N: 8, gridMax: 8192 });

  it("builds at 2048, 4096, 8192 and does not claim convergence to 1e-6", () => {
    expect(r.rows.map((x) => x.G)).toEqual([2048, 4096, 8192]);
    expect(r.rows[0].change).toBeUndefined();
    expect(r.convergedG).toBeNull();
    expect(r.rows.every((x) => x.Nf === 107 && x.sMin === 3)).toBe(true);
  });

  it("its transfer function is positive and tends to BᵀB/s for large s", () => {
    const w = walrus({ N: 8, grid: 4096 });
    expect(r.rows[1].transfer[0]).toBeGreaterThan(0);
    // Bᵀ(sI − A)⁻¹B → BᵀB/s for large s.
    const bb = w.B.reduce((a, b) => a + b * b, 0);
    const big = walrusGridConvergence({ N: 8, gridStart: 4096, gridMax: 4096, s: [1e7] }).rows[0].transfer[0];
    expect(Math.abs(big * 1e7 / bb - 1)).toBeLessThan(1e-4);
  });

  it("converges at first order: each doubling roughly halves every change (measured 2026-12-02)", () => {
    const [a, b] = [r.rows[1].change!, r.rows[2].change!];
    for (const k of ["spectrum", "condV", "transfer", "delay"] as const) {
      expect(b[k] / a[k]).toBeGreaterThan(0.4);
      expect(b[k] / a[k]).toBeLessThan(0.6);
    }
    expect(a.max).toBeGreaterThan(1e-4); // G = 2048 is 1e-4-far from its own doubling, not 1e-6
  });

  it("stops at the first doubling below tol and names the smaller grid", () => {
    const loose = walrusGridConvergence({ N: 8, gridMax: 8192, tol: 1e-2 });
    expect(loose.rows).toHaveLength(2);
    expect(loose.convergedG).toBe(2048);
  });

  it("rejects a bad range by name before building", () => {
    expect(() => walrusGridConvergence({ N: 8, gridStart: 4096, gridMax: 2048 })).toThrow(/gridMax/);
    expect(() => walrusGridConvergence({ N: 8, tol: 0 })).toThrow(/tol/);
    expect(() => walrusGridConvergence({ N: 999 })).toThrow(/N/);
  });
});
