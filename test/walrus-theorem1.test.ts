import { describe, expect, it } from "vitest";
import { theorem1Check } from "../src/ssm/theorem1.js";

describe("W4S4 Theorem 1 (walrus-math §5)", () => {
  // walrus-math §5.2, SaFARi sign. Counts exact; |λ| to 1%; cond(V) of the reduced M to its order of magnitude.
  const table: [number, number, number, number, number, number, number][] = [
    // N, Nf, nUnit, nNontrivial, min|λ| nontrivial, max|λ|, cond V reduced
    [8, 107, 99, 8, 1.122, 11.6, 4.0],
    [16, 177, 161, 16, 1.078, 29.3, 7.5],
    [32, 271, 239, 32, 1.059, 68.8, 14.8],
    [64, 416, 352, 64, 1.046, 153.7, 27.1],
  ];
  for (const [N, Nf, nUnit, nNon, minAbs, maxAbs, condV] of table) {
    it(`N = ${N}: N_f = ${Nf}, ${nUnit} unit eigenvalues, ${nNon} nontrivial, unit modes invisible`, () => {
      const t0 = performance.now();
      const r = theorem1Check({ N });
      const ms = performance.now() - t0;
      console.log(
        `theorem1Check N=${N}: ${ms.toFixed(0)} ms; Nf ${r.Nf}, nUnit ${r.nUnit}, min|λ| ${r.minAbsNontrivial.toFixed(4)}, ` +
          `max|λ| ${r.maxAbs.toFixed(2)}, condVReduced ${r.condVReduced.toFixed(2)}, condVFull ${r.condVFull.toExponential(2)}, ` +
          `maxUnitVisibility ${r.maxUnitVisibility.toExponential(1)}`,
      );
      expect(r.Nf).toBe(Nf);
      expect(r.nUnit).toBe(nUnit);
      expect(r.nNontrivial).toBe(nNon);
      expect(r.rank).toBe(N);
      expect(Math.abs(r.minAbsNontrivial / minAbs - 1)).toBeLessThan(0.01);
      expect(Math.abs(r.maxAbs / maxAbs - 1)).toBeLessThan(0.01);
      expect(r.condVReduced).toBeGreaterThan(condV / 3);
      expect(r.condVReduced).toBeLessThan(condV * 3);
      // T1b: Pinv v = 0 for the unit eigenvectors (walrus-math reports ≤ 7e-15).
      expect(r.maxUnitVisibility).toBeLessThan(1e-12);
      // T1a: the nontrivial eigenvalues of the full A_pos are those of M (sorted by |λ| then Im).
      const key = (re: number, im: number) => [Math.hypot(re, im), im] as const;
      const nontriv = Array.from(r.eigFull.re, (re, i) => key(re, r.eigFull.im[i])).filter(([, ], i) => Math.hypot(r.eigFull.re[i] - 1, r.eigFull.im[i]) >= 1e-8);
      const red = Array.from(r.eigReduced.re, (re, i) => key(re, r.eigReduced.im[i]));
      const sortFn = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1];
      nontriv.sort(sortFn);
      red.sort(sortFn);
      expect(nontriv.length).toBe(red.length);
      for (let i = 0; i < red.length; i++) expect(Math.abs(nontriv[i][0] - red[i][0]) / red[i][0]).toBeLessThan(1e-9);
    }, 60_000);
  }

  it("translated measure: the trivial eigenvalue is 0, N_f − N times (N = 8)", () => {
    const r = theorem1Check({ N: 8, measure: "translated" });
    expect(r.nUnit).toBe(r.Nf - 8);
    expect(r.nNontrivial).toBe(8);
    expect(r.maxUnitVisibility).toBeLessThan(1e-12);
  });

});
