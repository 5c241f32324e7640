import { describe, expect, it } from "vitest";
import { Matrix } from "ml-matrix";
import { naturalRank, truncatedDual } from "../src/frames/dual.js";
import { waveletFrame } from "../src/frames/waveletFrame.js";
import { gramSpectrum } from "../src/linalg/svd.js";
import { quadrature, QUADRATURE_RULES, weightedRows } from "../src/frames/quadrature.js";
import { ParameterError } from "../src/errors.js";

const proj = (U: Matrix) => U.mmul(U.transpose());
const relFro = (a: Matrix, b: Matrix) => Matrix.sub(a, b).norm("frobenius") / b.norm("frobenius");

describe("truncated dual frame", () => {
  it("Gram route agrees with ml-matrix's full SVD on the db11 s_min = 3 frame (107 × 2049, both quadratures)", () => {
    for (const rule of QUADRATURE_RULES) for (const opts of [{ rank: 8 }, { rcond: 0.01 }]) {
      const f = waveletFrame({ sMin: 3, quadrature: rule });
      const fast = truncatedDual(f.rows, f.quadrature, opts);
      const slow = truncatedDual(f.rows, f.quadrature, { ...opts, method: "svd" });
      expect(fast.rank).toBe(slow.rank);
      for (let i = 0; i < fast.rank; i++) expect(Math.abs(fast.s[i] - slow.s[i]) / slow.s[i]).toBeLessThan(1e-12);
      // Only the kept subspace is reproducible (plateau of near-equal singular values, walrus-math §4.4).
      expect(relFro(proj(fast.Ur), proj(slow.Ur))).toBeLessThan(1e-11); // bound ~ ε λ_1/(λ_r − λ_{r+1})
      expect(relFro(fast.dualFrame, slow.dualFrame)).toBeLessThan(1e-10);
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
      const f = waveletFrame({ sMin });
      const sp = gramSpectrum(weightedRows(f.rows, f.quadrature));
      expect(naturalRank(sp.sAll)).toBe(nat);
      expect(Math.abs(sp.sAll[N - 1] / sp.sAll[N] - gap)).toBeLessThan(0.01);
    }
  });

  it("the dual is biorthogonal in the quadrature's inner product: F diag(w) D = U_r U_rᵀ, D F diag(w) D = D (1e-12)", () => {
    const f = waveletFrame({ sMin: 2 });
    const d = truncatedDual(f.rows, f.quadrature, { rank: 16 });
    const F = new Matrix(f.rows);
    const Fw = new Matrix(f.rows.map((r) => r.map((v, j) => v * f.quadrature.w[j])));
    expect(relFro(Fw.mmul(d.dualFrame), proj(d.Ur))).toBeLessThan(1e-12);
    expect(relFro(d.dualFrame.mmul(Fw).mmul(d.dualFrame), d.dualFrame)).toBeLessThan(1e-12);
    expect(relFro(d.W.mmul(d.Ur.transpose()), d.dualFrame)).toBeLessThan(1e-14);
    expect(F.columns).toBe(f.quadrature.G + 1);
    // With the left-point rule the dual is the authors' G·pinv(F)ᵀ (walrus-math §3.3 step 3).
    const l = waveletFrame({ sMin: 2, quadrature: "left-point" });
    const dl = truncatedDual(l.rows, l.quadrature, { rank: 16 });
    const Fl = new Matrix(l.rows);
    expect(relFro(Fl.mmul(dl.dualFrame).div(l.quadrature.G), proj(dl.Ur))).toBeLessThan(1e-12);
    // V_r has orthonormal columns.
    const VtV = d.Vr.transpose().mmul(d.Vr);
    expect(relFro(VtV, Matrix.eye(16))).toBeLessThan(1e-12);
  });

  it("rejects bad truncation options", () => {
    const f = waveletFrame({ sMin: 3 });
    expect(() => truncatedDual(f.rows, f.quadrature, { rank: 0 })).toThrow(ParameterError);
    expect(() => truncatedDual(f.rows, f.quadrature, { rank: 108 })).toThrow(/rank/);
    expect(() => truncatedDual(f.rows, f.quadrature, { rcond: 0 })).toThrow(/rcond/);
    expect(() => truncatedDual(f.rows, quadrature("gregory", 1024))).toThrow(/1025 samples/);
  });
});
