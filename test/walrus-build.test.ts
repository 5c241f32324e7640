import { describe, expect, it } from "vitest";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { clearWalrusCache, walrus, walrusDefaultGrid, walrusDefaultSMin, walrusDualReadout, walrusParts } from "../src/ssm/walrus.js";
import { safariReduced } from "../src/ssm/safari.js";
import { ParameterError } from "../src/errors.js";

function eigStats(A: Matrix) {
  // SaFARi sign: eigenvalues of A_pos = −A (walrus-math §5.2).
  const e = new EigenvalueDecomposition(A.neg());
  const re = e.realEigenvalues;
  const im = e.imaginaryEigenvalues;
  const abs = re.map((r, i) => Math.hypot(r, im[i]));
  return { minAbs: Math.min(...abs), maxAbs: Math.max(...abs), minRe: Math.min(...re), re, im };
}

describe("walrus(): reduced WaLRUS SSM (walrus-math §4.4, §5)", () => {
  // Build time is measured by npm run bench, never asserted here (a loaded machine would fail it).
  it("a second WaLRUS-64 build returns an equal, fresh copy (mutating it leaves the memo intact)", () => {
    clearWalrusCache();
    const w = walrus({ N: 64 });
    const again = walrus({ N: 64 });
    expect(again).not.toBe(w);
    expect(again.A.to1DArray()).toEqual(w.A.to1DArray());
    expect(Array.from(again.B)).toEqual(Array.from(w.B));
    again.A.set(0, 0, 1e9);
    expect(walrus({ N: 64 }).A.get(0, 0)).toBe(w.A.get(0, 0));
  });

  it("matches the §5.2 table: s_min rule, N_f, and the spectrum of M (min |λ|, max |λ|, min Re λ, to 1%)", () => {
    const table: [number, number, number, number, number, number][] = [
      // N, sMin, Nf, min|λ|, max|λ|, min Re λ
      [8, 3, 107, 1.122, 11.6, 1.007],
      [16, 2, 177, 1.078, 29.3, 1.012],
      [32, 1, 271, 1.059, 68.8, 1.019],
      [64, 0, 416, 1.046, 153.7, 1.018],
    ];
    for (const [N, sMin, Nf, minAbs, maxAbs, minRe] of table) {
      const w = walrus({ N });
      expect(w.N).toBe(N);
      expect(w.A.rows).toBe(N);
      expect(w.B.length).toBe(N);
      expect(w.W.rows).toBe(w.frame.G + 1); // gregory samples x = 0 … 1
      expect(w.W.columns).toBe(N);
      expect(w.frame).toMatchObject({ wavelet: "db11", sMin, sMax: 3, eta: 0.01, G: walrusDefaultGrid(N), quadrature: "gregory", Nf, rank: N });
      expect(w.meta).toMatchObject({ wavelet: "db11", sMin, sMax: 3, eta: 0.01, G: walrusDefaultGrid(N), quadrature: "gregory", Nf, rank: N, measure: "scaled" });
      expect(w.name).toBe("walrus");
      const s = eigStats(w.A);
      expect(Math.abs(s.minAbs / minAbs - 1)).toBeLessThan(0.01);
      expect(Math.abs(s.maxAbs / maxAbs - 1)).toBeLessThan(0.01);
      expect(Math.abs(s.minRe / minRe - 1)).toBeLessThan(0.01);
      // Theorem 1: every nontrivial eigenvalue has Re > 1 (A = −M is Hurwitz with margin).
      expect(s.minRe).toBeGreaterThan(1);
    }
  });

  it("s_min rule: largest s_min ≤ 3 with natural rank ≥ N (natural ranks 11, 18, 34, 65)", () => {
    expect(walrusDefaultSMin(11)).toBe(3);
    expect(walrusDefaultSMin(12)).toBe(2);
    expect(walrusDefaultSMin(34)).toBe(1);
    expect(walrusDefaultSMin(65)).toBe(0);
    expect(walrusDefaultSMin(1)).toBe(3);
  });

  it("B = U_rᵀ φ(1) and A equal the subspace reduction of the SaFARi construction (same dual, exact)", () => {
    const p = walrusParts({ N: 16 });
    const red = safariReduced(p.sampled, p.dual, "scaled");
    const w = walrus({ N: 16 });
    expect(Matrix.sub(w.A, red.A).abs().max()).toBe(0);
    const b = p.dual.Ur.transpose().mmul(Matrix.columnVector(Array.from(p.sampled.atOne)));
    for (let i = 0; i < 16; i++) expect(Math.abs(w.B[i] - b.get(i, 0))).toBeLessThan(1e-13);
  });

  it("naturalRank: true restores the authors' rcond rule (N = 64 frame → r = 65, one real eigenvalue 0.927 < 1; 0.931 left-point at 2048)", () => {
    const w = walrus({ N: 64, naturalRank: true });
    expect(w.N).toBe(65);
    expect(w.frame.rank).toBe(65);
    expect(w.meta).toMatchObject({ truncation: "rcond 0.01" });
    const s = eigStats(w.A);
    const below = Array.from(s.re).filter((r, i) => r < 1 && s.im[i] === 0);
    expect(below.length).toBe(1);
    expect(Math.abs(below[0] - 0.9272)).toBeLessThan(1e-4);
    const l = eigStats(walrus({ N: 64, naturalRank: true, quadrature: "left-point" }).A);
    const belowL = Array.from(l.re).filter((r, i) => r < 1 && l.im[i] === 0);
    expect(belowL.length).toBe(1);
    expect(Math.abs(belowL[0] - 0.9313)).toBeLessThan(1e-4);
  });

  it("translated measure builds a Hurwitz 8-state system named walrus-translated", () => {
    const w = walrus({ N: 8, measure: "translated" });
    expect(w.name).toBe("walrus-translated");
    const e = new EigenvalueDecomposition(w.A);
    expect(Math.max(...e.realEigenvalues)).toBeLessThan(-1);
  });

  it("walrusDualReadout = W[round(xG), :]: x = 1 is a sample with gregory, clamped to x = 1 − 1/G with left-point", () => {
    const w = walrus({ N: 8 });
    const G = w.frame.G;
    const r1 = walrusDualReadout(w, 1);
    const r0 = walrusDualReadout(w, 0);
    const rm = walrusDualReadout(w, 0.3);
    for (let i = 0; i < 8; i++) {
      expect(r1[i]).toBe(w.W.get(G, i));
      expect(r0[i]).toBe(w.W.get(0, i));
      expect(rm[i]).toBe(w.W.get(Math.round(0.3 * G), i));
    }
    const l = walrus({ N: 8, quadrature: "left-point" });
    expect(l.W.rows).toBe(2048);
    expect(walrusDualReadout(l, 1)[3]).toBe(l.W.get(2047, 3));
    expect(() => walrusDualReadout(w, 1.5)).toThrow(/x/);
  });

  it("bad input throws ParameterError naming the parameter, before any work", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ N: 0 }, /N/],
      [{ N: 2.5 }, /N/],
      [{ N: 8, wavelet: "db0" }, /wavelet/],
      [{ N: 8, wavelet: "db21" }, /wavelet/],
      [{ N: 8, wavelet: "haar2" }, /wavelet/],
      [{ N: 8, eta: 0 }, /eta/],
      [{ N: 8, eta: -0.01 }, /eta/],
      [{ N: 8, sMin: 4, sMax: 3 }, /sMin/],
      [{ N: 8, grid: 8 }, /grid/],
      [{ N: 8, measure: "windowed" }, /measure/],
      [{ N: 8, naturalRank: "yes" }, /naturalRank/],
      [{ N: 200, sMin: 3 }, /N/], // rank-N needs N ≤ N_f = 107
      [{ N: 5000 }, /N/],
    ];
    for (const [opts, re] of cases) {
      expect(() => walrus(opts as never)).toThrow(ParameterError);
      expect(() => walrus(opts as never)).toThrow(re);
    }
  });
});
