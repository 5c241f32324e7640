import { describe, expect, it } from "vitest";
import { daubechies, parseWavelet, polynomialRoots } from "../src/frames/daubechies.js";
import { ParameterError } from "../src/errors.js";

// Published PyWavelets rec_lo values (PyWavelets' rec_lo order: the first tap is the large positive one).
const DB2 = [0.4829629131445341, 0.8365163037378079, 0.2241438680420134, -0.1294095225512604];
const DB4 = [
  0.23037781330885523, 0.7148465705525415, 0.6308807679295904, -0.02798376941698385, -0.18703481171888114,
  0.030841381835986965, 0.032883011666982945, -0.010597401784997278,
];

describe("Daubechies dbK filters by spectral factorisation", () => {
  it("db2 equals the closed form (1±√3)/(4√2), (3±√3)/(4√2) and the published rec_lo to 1e-15", () => {
    const h = daubechies(2).recLo;
    const r3 = Math.sqrt(3);
    const exact = [(1 + r3) / (4 * Math.SQRT2), (3 + r3) / (4 * Math.SQRT2), (3 - r3) / (4 * Math.SQRT2), (1 - r3) / (4 * Math.SQRT2)];
    for (let k = 0; k < 4; k++) {
      expect(Math.abs(h[k] - exact[k])).toBeLessThan(1e-15);
      expect(Math.abs(h[k] - DB2[k])).toBeLessThan(1e-15);
    }
  });

  it("db4 equals the published rec_lo to 1e-12 (the published table is itself only orthonormal to ~1e-12)", () => {
    const h = daubechies(4).recLo;
    for (let k = 0; k < 8; k++) expect(Math.abs(h[k] - DB4[k])).toBeLessThan(1e-12);
  });

  it("rec_hi is g_k = (−1)^k h_{2K−1−k} (db2: PyWavelets' rec_hi)", () => {
    const g = daubechies(2).recHi;
    const expected = [DB2[3], -DB2[2], DB2[1], -DB2[0]];
    for (let k = 0; k < 4; k++) expect(Math.abs(g[k] - expected[k])).toBeLessThan(1e-15);
  });

  for (const K of [1, 2, 3, 5, 8, 11, 12, 16, 20]) {
    it(`db${K}: length 2K, Σh = √2, Σ h_k h_{k+2m} = δ_m, and K vanishing moments of g (scaled tolerances)`, () => {
      const { recLo: h, recHi: g } = daubechies(K);
      expect(h.length).toBe(2 * K);
      const tol = K <= 12 ? 1e-13 : 1e-10;
      expect(Math.abs(h.reduce((a, b) => a + b, 0) - Math.SQRT2)).toBeLessThan(tol);
      for (let m = 0; m < K; m++) {
        let s = 0;
        for (let k = 0; k + 2 * m < 2 * K; k++) s += h[k] * h[k + 2 * m];
        expect(Math.abs(s - (m === 0 ? 1 : 0))).toBeLessThan(tol);
      }
      // Moments Σ k^p g_k = 0 for p < K, relative to Σ |k^p g_k|.
      for (let p = 0; p < K; p++) {
        let s = 0;
        let scale = 0;
        for (let k = 0; k < 2 * K; k++) {
          s += k ** p * g[k];
          scale += Math.abs(k ** p * g[k]);
        }
        expect(Math.abs(s) / scale).toBeLessThan(K <= 12 ? 1e-12 : 1e-8);
      }
    });
  }

  it("polynomial roots through the companion matrix: (y−1)(y−2)(y+3) to 1e-13", () => {
    // y³ − 7y + 6, ascending coefficients.
    const r = polynomialRoots([6, -7, 0, 1]).map((z) => z[0]).sort((a, b) => a - b);
    expect(Math.abs(r[0] + 3)).toBeLessThan(1e-13);
    expect(Math.abs(r[1] - 1)).toBeLessThan(1e-13);
    expect(Math.abs(r[2] - 2)).toBeLessThan(1e-13);
  });

  it("parses db1..db20 and rejects other names with ParameterError('wavelet')", () => {
    expect(parseWavelet("db1")).toBe(1);
    expect(parseWavelet("db20")).toBe(20);
    for (const bad of ["db0", "db21", "haar2", "db", "sym4", "db011", "DB4", 4]) {
      expect(() => parseWavelet(bad)).toThrow(ParameterError);
      expect(() => parseWavelet(bad)).toThrow(/wavelet/);
    }
  });
});
