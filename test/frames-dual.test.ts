import { describe, expect, it } from "vitest";
import { Matrix } from "ml-matrix";
import { naturalRank, truncatedDual } from "../src/frames/dual.js";
import { waveletFrame } from "../src/frames/waveletFrame.js";
import { gramSpectrum } from "../src/linalg/svd.js";
import { ParameterError } from "../src/errors.js";

const proj = (U: Matrix) => U.mmul(U.transpose());
const relFro = (a: Matrix, b: Matrix) => Matrix.sub(a, b).norm("frobenius") / b.norm("frobenius");

describe("truncated dual frame", () => {
  it("Gram route agrees with ml-matrix's full SVD on the db11 s_min = 3 frame (107 × 2048)", () => {
    const f = waveletFrame({ sMin: 3 });
    for (const opts of [{ rank: 8 }, { rcond: 0.01 }]) {
      const fast = truncatedDual(f.rows, opts);
      const slow = truncatedDual(f.rows, { ...opts, method: "svd" });
      expect(fast.rank).toBe(slow.rank);
      for (let i = 0; i < fast.rank; i++) expect(Math.abs(fast.s[i] - slow.s[i]) / slow.s[i]).toBeLessThan(1e-12);
      // Only the kept subspace is reproducible (plateau of near-equal singular values, walrus-math §4.4).
      expect(relFro(proj(fast.Ur), proj(slow.Ur))).toBeLessThan(1e-11); // bound ~ ε λ_1/(λ_r − λ_{r+1})
      expect(relFro(fast.Pinv, slow.Pinv)).toBeLessThan(1e-10);
    }
  });

  it("natural ranks (rcond 0.01) 11, 18, 34, 65 and gaps s_N/s_{N+1} ≈ 2.34, 1.96, 1.62, 1.37 (walrus-math §4.2, §4.4)", () => {
    const cases: [number, number, number, number][] = [
      [3, 11, 8, 2.34],
      [2, 18, 16, 1.96],
      [1, 34, 32, 1.62],
      [0, 65, 64, 1.37],
    ];
    for (const [sMin, nat, N, gap] of cases) {
      const sp = gramSpectrum(waveletFrame({ sMin }).rows);
      expect(naturalRank(sp.sAll)).toBe(nat);
      expect(Math.abs(sp.sAll[N - 1] / sp.sAll[N] - gap)).toBeLessThan(0.01);
    }
  });

  it("Pinv is a truncated pseudo-inverse: F Pinv = U_r U_rᵀ, Pinv F Pinv = Pinv, W = V_r S_r⁻¹ (1e-12)", () => {
    const f = waveletFrame({ sMin: 2 });
    const d = truncatedDual(f.rows, { rank: 16 });
    const F = new Matrix(f.rows);
    expect(relFro(F.mmul(d.Pinv), proj(d.Ur))).toBeLessThan(1e-12);
    expect(relFro(d.Pinv.mmul(F).mmul(d.Pinv), d.Pinv)).toBeLessThan(1e-12);
    expect(relFro(d.W.mmul(d.Ur.transpose()), d.Pinv)).toBeLessThan(1e-14);
    // V_r has orthonormal columns.
    const VtV = d.Vr.transpose().mmul(d.Vr);
    expect(relFro(VtV, Matrix.eye(16))).toBeLessThan(1e-12);
  });

  it("rejects bad truncation options", () => {
    const f = waveletFrame({ sMin: 3 });
    expect(() => truncatedDual(f.rows, { rank: 0 })).toThrow(ParameterError);
    expect(() => truncatedDual(f.rows, { rank: 108 })).toThrow(/rank/);
    expect(() => truncatedDual(f.rows, { rcond: 0 })).toThrow(/rcond/);
  });
});
