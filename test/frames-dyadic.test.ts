import { describe, expect, it } from "vitest";
import { dyadicTable, evalPhi, evalPsi, scalingAtIntegers } from "../src/frames/dyadic.js";
import { daubechies } from "../src/frames/daubechies.js";

const h12 = 2 ** -12;

describe("exact dyadic tables of φ and ψ (J = 12)", () => {
  it("db2: φ(1) = (1+√3)/2, φ(2) = (1−√3)/2 exactly (to 1e-14)", () => {
    const v = scalingAtIntegers(daubechies(2).recLo);
    expect(Math.abs(v[1] - (1 + Math.sqrt(3)) / 2)).toBeLessThan(1e-14);
    expect(Math.abs(v[2] - (1 - Math.sqrt(3)) / 2)).toBeLessThan(1e-14);
    expect(v[0]).toBe(0);
    expect(v[3]).toBe(0);
  });

  for (const K of [1, 2, 4, 8, 11, 12]) {
    it(`db${K}: partition of unity Σφ(x−n) = 1 (1e-12), ∫φ = 1, ∫ψ = 0, ∫ψ² = 1 (Riemann sums, tolerances stated)`, () => {
      const T = dyadicTable(K);
      expect(T.J).toBe(12);
      expect(T.phi.length).toBe((2 * K - 1) * 4096 + 1);
      for (const x of [0, 0.123456, 0.5, 0.75, 0.999]) {
        let s = 0;
        for (let n = -2 * K; n <= 2 * K; n++) s += evalPhi(T, x + n);
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      }
      let i1 = 0;
      let i2 = 0;
      let i3 = 0;
      for (let m = 0; m < T.phi.length; m++) {
        i1 += T.phi[m] * h12;
        i2 += T.psi[m] * h12;
        i3 += T.psi[m] * T.psi[m] * h12;
      }
      expect(Math.abs(i1 - 1)).toBeLessThan(1e-12);
      expect(Math.abs(i2)).toBeLessThan(1e-12);
      // db2's ψ is only Hölder-0.55, so its Riemann sum of ψ² converges slowly (4e-6 at J = 12).
      expect(Math.abs(i3 - 1)).toBeLessThan(K === 2 ? 1e-5 : 1e-8);
    });
  }

  it("orthonormality of integer shifts of φ (db4, discrete inner products to 1e-9)", () => {
    const T = dyadicTable(4);
    const step = 4096;
    for (const shift of [0, 1, 2, 3]) {
      let s = 0;
      for (let m = 0; m + shift * step < T.phi.length; m++) s += T.phi[m] * T.phi[m + shift * step] * h12;
      expect(Math.abs(s - (shift === 0 ? 1 : 0))).toBeLessThan(1e-9);
    }
  });

  it("linear interpolation: exact at table points, the chord midway, zero outside the support", () => {
    const T = dyadicTable(3);
    expect(evalPhi(T, 1234 * h12)).toBe(T.phi[1234]);
    expect(Math.abs(evalPsi(T, 1234.5 * h12) - (T.psi[1234] + T.psi[1235]) / 2)).toBeLessThan(1e-15);
    expect(evalPhi(T, -1e-9)).toBe(0);
    expect(evalPhi(T, 5.000001)).toBe(0);
    expect(evalPsi(T, 7)).toBe(0);
  });
});
