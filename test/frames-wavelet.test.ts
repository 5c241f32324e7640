import { describe, expect, it } from "vitest";
import { elementValue, evaluateFrameAt, frameElements, shiftRange, waveletFrame } from "../src/frames/waveletFrame.js";
import { ParameterError } from "../src/errors.js";

describe("redundant Daubechies frame (walrus-math §4.2)", () => {
  it("shift range ⌈−1/η⌉ … max(0, ⌊2^{−s}/η⌋) with guards", () => {
    expect(shiftRange(3, 0.01)).toEqual([-100, 12]);
    expect(shiftRange(0, 0.01)).toEqual([-100, 100]);
    expect(shiftRange(-1, 0.01)).toEqual([-100, 200]);
    // 1/0.1 = 10 exactly in the guard's sense even though 0.1 is not representable.
    expect(shiftRange(0, 0.1)).toEqual([-10, 10]);
    expect(shiftRange(5, 0.5)).toEqual([-2, 0]);
  });

  it("orders elements: father at s_max, then mothers s_max → s_min, τ = (kη)2^s", () => {
    const els = frameElements(1, 3, 0.01);
    expect(els[0]).toEqual({ kind: "father", s: 3, k: -100, tau: -100 * 0.01 * 8 });
    expect(els.slice(0, 113).every((e) => e.kind === "father" && e.s === 3)).toBe(true);
    expect(els[113]).toMatchObject({ kind: "mother", s: 3, k: -100 });
    expect(els[els.length - 1]).toMatchObject({ kind: "mother", s: 1, k: 50, tau: 50 * 0.01 * 2 });
  });

  it("element counts of walrus-math §4.2 for db11, s_max = 3, G = 2048 (exact)", () => {
    const table: [number, number, number][] = [
      [3, 226, 107],
      [2, 352, 177],
      [1, 503, 271],
      [0, 704, 416],
    ];
    for (const [sMin, before, after] of table) {
      const f = waveletFrame({ sMin });
      expect(f.wavelet).toBe("db11");
      expect(f.G).toBe(2048);
      expect(f.countBeforePruning).toBe(before);
      expect(f.elements.length).toBe(after);
      expect(f.rows.length).toBe(after);
    }
  });

  it("prunes with strict '>' at 0.005 of the largest row norm", () => {
    const f = waveletFrame({ sMin: 3 });
    const norm = (r: Float64Array) => Math.sqrt(r.reduce((a, v) => a + v * v, 0));
    const kept = f.rows.map(norm);
    const max = Math.max(...kept);
    expect(Math.min(...kept)).toBeGreaterThan(0.005 * max);
  });

  it("samples t = (2K−1)((x−τ)/2^s) with amplitude 2^{−s/2}; evaluation at any x agrees with the rows", () => {
    const f = waveletFrame({ sMin: 2 });
    for (const j of [0, 1, 777, 2047]) {
      const v = evaluateFrameAt(f, j / f.G);
      for (let n = 0; n < v.length; n += 7) expect(v[n]).toBe(f.rows[n][j]);
    }
    // A mother at s = 2 (width 4) evaluated from the table directly.
    const e = { kind: "mother" as const, s: 2, k: -30, tau: -30 * 0.01 * 4 };
    const x = 0.3;
    const t = 21 * ((x - e.tau) / 4);
    expect(elementValue(f.table, e, x)).toBeCloseTo(0.5 * interp(f.table.psi, t), 14);
    // B = φ(1) is genuinely at x = 1, not at the last grid point.
    const b = evaluateFrameAt(f, 1);
    const last = evaluateFrameAt(f, 1 - 1 / f.G);
    expect(b.some((v, n) => Math.abs(v - last[n]) > 1e-4)).toBe(true);
  });

  it("rejects bad options with ParameterError naming the parameter", () => {
    expect(() => waveletFrame({ wavelet: "db0" })).toThrow(/wavelet/);
    expect(() => waveletFrame({ wavelet: "haar2" })).toThrow(ParameterError);
    expect(() => waveletFrame({ eta: 0 })).toThrow(/eta/);
    expect(() => waveletFrame({ sMin: 4, sMax: 3 })).toThrow(/sMin/);
    expect(() => waveletFrame({ grid: 8 })).toThrow(/grid/);
    expect(() => waveletFrame({ sMin: 0.5 })).toThrow(/sMin/);
  });
});

function interp(vals: Float64Array, t: number): number {
  const p = t * 4096;
  const i = Math.floor(p);
  return vals[i] + (p - i) * (vals[i + 1] - vals[i]);
}
