import { describe, expect, it } from "vitest";
import { Matrix } from "ml-matrix";
import { legendreAtOne, legendreFrame } from "../src/frames/legendre.js";
import { matrixRows } from "../src/linalg/svd.js";
import { quadrature, type QuadratureRule } from "../src/frames/quadrature.js";
import { safari, safariReduced } from "../src/ssm/safari.js";
import { walrusParts } from "../src/ssm/walrus.js";
import { hippoLegS, hippoLegT } from "../src/ssm/hippo.js";
import { ParameterError } from "../src/errors.js";

const N = 8;
const maxAbsDiff = (a: Matrix, b: Matrix) => Matrix.sub(a, b).abs().max();

function legendreSafari(G: number, measure: "scaled" | "translated", rule: QuadratureRule = "left-point") {
  const q = quadrature(rule, G);
  return safari({ rows: matrixRows(legendreFrame(N, q)), quadrature: q, atOne: legendreAtOne(N) }, { measure });
}

describe("SaFARi from the Legendre frame reproduces HiPPO (walrus-math §3.4)", () => {
  it("scaled: max |A − A_LegS| ≈ 4.0e-4, 1.0e-4, 2.5e-5 for G = 2048, 4096, 8192 — O(1/G²), ratios 4 ± 0.1", () => {
    const legs = hippoLegS(N);
    const errs = [2048, 4096, 8192].map((G) => maxAbsDiff(legendreSafari(G, "scaled").A, legs.A));
    expect(Math.abs(errs[1] / 1.0e-4 - 1)).toBeLessThan(0.05);
    expect(errs[0] / errs[1]).toBeGreaterThan(3.9);
    expect(errs[0] / errs[1]).toBeLessThan(4.1);
    expect(errs[1] / errs[2]).toBeGreaterThan(3.9);
    expect(errs[1] / errs[2]).toBeLessThan(4.1);
  });

  it("translated: max |A − A_LegT| ≈ 0.24, 0.12, 0.061 — O(1/G) end-point error, ratios 2 ± 0.05", () => {
    const legt = hippoLegT(N);
    const errs = [2048, 4096, 8192].map((G) => maxAbsDiff(legendreSafari(G, "translated").A, legt.A));
    expect(Math.abs(errs[1] / 0.12 - 1)).toBeLessThan(0.05);
    expect(errs[0] / errs[1]).toBeGreaterThan(1.95);
    expect(errs[0] / errs[1]).toBeLessThan(2.05);
    expect(errs[1] / errs[2]).toBeGreaterThan(1.95);
    expect(errs[1] / errs[2]).toBeLessThan(2.05);
  });

  it("gregory quadrature: fourth order in both measures (scaled 3.8e-8 → 2.4e-9 → 1.5e-10, translated 8.2e-6 → 5.2e-7 → 3.3e-8 for G = 1024, 2048, 4096; ratios 16 ± 1.5)", () => {
    for (const [measure, ref, at2048] of [["scaled", hippoLegS(N), 2.38e-9], ["translated", hippoLegT(N), 5.18e-7]] as const) {
      const errs = [1024, 2048, 4096].map((G) => maxAbsDiff(legendreSafari(G, measure, "gregory").A, ref.A));
      expect(Math.abs(errs[1] / at2048 - 1), measure).toBeLessThan(0.05);
      for (const r of [errs[0] / errs[1], errs[1] / errs[2]]) {
        expect(r, measure).toBeGreaterThan(14.5);
        expect(r, measure).toBeLessThan(17.5);
      }
    }
  });

  it("B = φ(1) exactly: the HiPPO B √(2n+1), bit for bit", () => {
    const s = legendreSafari(1024, "scaled");
    const legs = hippoLegS(N);
    for (let n = 0; n < N; n++) expect(s.B[n]).toBe(legs.B[n]);
    expect(s.dual.rank).toBe(N); // the orthonormal frame is far from the rcond cut-off
  });
});

describe("full vs reduced SaFARi on the WaLRUS frame", () => {
  it("U_rᵀ A_full U_r equals the factored reduction (scaled and translated, N = 8, 1e-12 relative)", () => {
    const p = walrusParts({ N: 8 });
    for (const measure of ["scaled", "translated"] as const) {
      const full = safari(p.sampled, { measure, dual: p.dual });
      const naive = p.dual.Ur.transpose().mmul(full.A).mmul(p.dual.Ur);
      const fast = safariReduced(p.sampled, p.dual, measure);
      expect(maxAbsDiff(naive, fast.A) / fast.A.abs().max()).toBeLessThan(1e-12);
    }
  });

  it("rejects malformed frames and measures with ParameterError", () => {
    const q = quadrature("gregory", 64);
    const rows = matrixRows(legendreFrame(4, q));
    expect(() => safari({ rows, quadrature: q, atOne: new Float64Array(3) })).toThrow(/atOne/);
    expect(() => safari({ rows, quadrature: q, atOne: legendreAtOne(4) }, { measure: "windowed" as never })).toThrow(/measure/);
    expect(() => safari({ rows: [], quadrature: q, atOne: new Float64Array(0) })).toThrow(ParameterError);
    expect(() => safari({ rows, quadrature: quadrature("left-point", 64), atOne: legendreAtOne(4) })).toThrow(/samples/);
  });
});
