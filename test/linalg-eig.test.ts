import { describe, expect, it } from "vitest";
import { Matrix } from "ml-matrix";
import { eigGeneral } from "../src/linalg/eig.js";
import { cond2, cond2Complex } from "../src/linalg/cond.js";

function randomMatrix(n: number, seed: number): Matrix {
  let s = seed;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const A = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.set(i, j, r());
  return A;
}

function worstResidual(A: Matrix, e: ReturnType<typeof eigGeneral>): number {
  const n = A.rows;
  let worst = 0;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      let ar = 0, ai = 0;
      for (let j = 0; j < n; j++) {
        ar += A.get(i, j) * e.Vre.get(j, k);
        ai += A.get(i, j) * e.Vim.get(j, k);
      }
      worst = Math.max(worst, Math.abs(ar - (e.re[k] * e.Vre.get(i, k) - e.im[k] * e.Vim.get(i, k))), Math.abs(ai - (e.re[k] * e.Vim.get(i, k) + e.im[k] * e.Vre.get(i, k))));
    }
  return worst;
}

describe("eigGeneral", () => {
  it("returns complex unit-norm eigenvectors with A v = λ v (random nonsymmetric matrices)", () => {
    for (const [n, seed] of [[9, 1], [24, 7], [40, 3]]) {
      const A = randomMatrix(n, seed);
      const e = eigGeneral(A);
      expect(e.im.some((x) => x !== 0)).toBe(true);
      expect(worstResidual(A, e)).toBeLessThan(1e-12);
      for (let k = 0; k < n; k++) {
        let nrm = 0;
        for (let i = 0; i < n; i++) nrm += e.Vre.get(i, k) ** 2 + e.Vim.get(i, k) ** 2;
        expect(Math.abs(nrm - 1)).toBeLessThan(1e-12);
      }
    }
  });
  it("isolates triangular eigenvalues exactly", () => {
    const A = new Matrix([[2, 0, 0], [1, -3, 0], [4, 5, 0.5]]);
    const e = eigGeneral(A);
    expect(Array.from(e.re)).toEqual([2, -3, 0.5]);
    expect(worstResidual(A, e)).toBeLessThan(1e-14);
  });
  it("rejects non-square or non-finite input naming the entry", () => {
    expect(() => eigGeneral(new Matrix(2, 3))).toThrow(/Invalid A/);
    expect(() => eigGeneral(new Matrix([[1, NaN], [0, 1]]))).toThrow(/Invalid A\[0\]\[1\]: got NaN/);
  });
});

describe("condition numbers", () => {
  it("cond2 of a diagonal matrix and of a unitary complex matrix", () => {
    expect(cond2(new Matrix([[4, 0], [0, 0.5]]))).toBeCloseTo(8, 12);
    const c = Math.SQRT1_2;
    // V = [[1, 1], [i, −i]]/√2 is unitary.
    expect(cond2Complex(new Matrix([[c, c], [0, 0]]), new Matrix([[0, 0], [c, -c]]))).toBeCloseTo(1, 12);
  });
});
