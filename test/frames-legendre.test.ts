import { describe, expect, it } from "vitest";
import { legendreAtOne, legendreFrame, legendreValues } from "../src/frames/legendre.js";
import { quadrature } from "../src/frames/quadrature.js";
import { ParameterError } from "../src/errors.js";

describe("shifted orthonormal Legendre functions", () => {
  it("match the closed forms of L_0..L_3 to 1e-14", () => {
    for (const x of [0, 0.1, 0.37, 0.5, 0.99, 1]) {
      const y = 2 * x - 1;
      const v = legendreValues(4, x);
      expect(v[0]).toBeCloseTo(1, 14);
      expect(Math.abs(v[1] - Math.sqrt(3) * y)).toBeLessThan(1e-14);
      expect(Math.abs(v[2] - Math.sqrt(5) * (1.5 * y * y - 0.5))).toBeLessThan(1e-14);
      expect(Math.abs(v[3] - Math.sqrt(7) * (2.5 * y ** 3 - 1.5 * y))).toBeLessThan(1e-14);
    }
  });

  it("are orthonormal on [0,1]: composite Simpson Gram matrix (N = 16, 4096 intervals) within 2e-7 of I (Simpson errs by 6e-8 on these degree-30 products)", () => {
    const N = 16;
    const M = 4096;
    const G = new Float64Array(N * N);
    for (let j = 0; j <= M; j++) {
      const w = (j === 0 || j === M ? 1 : j % 2 === 1 ? 4 : 2) / (3 * M);
      const v = legendreValues(N, j / M);
      for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) G[a * N + b] += w * v[a] * v[b];
    }
    let err = 0;
    for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) err = Math.max(err, Math.abs(G[a * N + b] - (a === b ? 1 : 0)));
    expect(err).toBeLessThan(2e-7);
  });

  it("L_n(1) = √(2n+1) from both the recurrence and legendreAtOne (to 1e-13)", () => {
    const v = legendreValues(64, 1);
    const w = legendreAtOne(64);
    for (let n = 0; n < 64; n++) {
      expect(Math.abs(v[n] - Math.sqrt(2 * n + 1))).toBeLessThan(1e-13);
      expect(w[n]).toBe(Math.sqrt(2 * n + 1));
    }
  });

  it("samples the frame on the quadrature's x_j = j/G (first column = L_n(0) = (−1)^n √(2n+1), gregory's last = L_n(1))", () => {
    const F = legendreFrame(6, quadrature("left-point", 64));
    expect(F.rows).toBe(6);
    expect(F.columns).toBe(64);
    const Fg = legendreFrame(6, quadrature("gregory", 64));
    expect(Fg.columns).toBe(65);
    for (let n = 0; n < 6; n++) expect(Math.abs(Fg.get(n, 64) - Math.sqrt(2 * n + 1))).toBeLessThan(1e-13);
    for (let n = 0; n < 6; n++) expect(Math.abs(F.get(n, 0) - (-1) ** n * Math.sqrt(2 * n + 1))).toBeLessThan(1e-14);
    const v = legendreValues(6, 17 / 64);
    for (let n = 0; n < 6; n++) expect(F.get(n, 17)).toBe(v[n]);
  });

  it("rejects bad sizes with ParameterError naming the parameter", () => {
    const q = quadrature("left-point", 16);
    expect(() => legendreFrame(0, q)).toThrow(ParameterError);
    expect(() => legendreFrame(0, q)).toThrow(/N/);
    expect(() => legendreFrame(17, q)).toThrow(/N.*16 samples/);
    expect(() => legendreValues(3, Number.NaN)).toThrow(/x/);
  });
});
