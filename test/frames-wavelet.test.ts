import { describe, expect, it } from "vitest";
import { elementValue, evaluateFrameAt, frameElements, PRUNE_FRACTION, pruneByNorm, shiftRange, waveletFrame } from "../src/frames/waveletFrame.js";
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

  it("pruneByNorm keeps norms strictly above fraction × max: a norm exactly at the threshold is dropped", () => {
    expect(PRUNE_FRACTION).toBe(0.005);
    // 0.5 × 4 = 2 exactly: norm 2 sits on the threshold, so ">=" would keep index 1.
    expect(pruneByNorm([4, 2, 1, 3], 0.5)).toEqual([0, 3]);
    // The default fraction, with one norm equal to the computed threshold and one just above it.
    const t = PRUNE_FRACTION * 200;
    expect(pruneByNorm(Float64Array.of(t, 200, t + 1e-12, t / 2))).toEqual([1, 2]);
    expect(pruneByNorm([0, 0, 0])).toEqual([]);
  });

  it("prunes the sampled frame at 0.005 of the largest row norm: every kept row above, every dropped row at or below", () => {
    // s_min = 1: its closest rows lie at 0.00499 and 0.00512 of the max, so a fraction 0.2% low or
    // 2.4% high changes the kept set.
    const f = waveletFrame({ sMin: 1 });
    const norm = (r: ArrayLike<number>) => Math.sqrt(Array.from(r).reduce((a, v) => a + v * v, 0));
    // Resample every element before pruning (evaluation at j/G equals the stored rows exactly).
    const all = frameElements(f.sMin, f.sMax, f.eta);
    const norms = all.map((e) => norm(Array.from({ length: f.G }, (_, j) => elementValue(f.table, e, j / f.G))));
    const threshold = 0.005 * Math.max(...norms); // literal, not PRUNE_FRACTION: the §4.2 value itself
    const key = (e: { kind: string; s: number; k: number }) => `${e.kind}|${e.s}|${e.k}`;
    const keptKeys = new Set(f.elements.map(key));
    const keptNorms = norms.filter((_, i) => keptKeys.has(key(all[i])));
    const droppedNorms = norms.filter((_, i) => !keptKeys.has(key(all[i])));
    expect(all.length).toBe(f.countBeforePruning);
    expect(keptNorms.length).toBe(f.elements.length);
    expect(droppedNorms.length).toBeGreaterThan(0);
    expect(Math.min(...keptNorms)).toBeGreaterThan(threshold);
    expect(Math.max(...droppedNorms)).toBeLessThanOrEqual(threshold);
    expect(pruneByNorm(norms).map((i) => key(all[i]))).toEqual(f.elements.map(key));
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
