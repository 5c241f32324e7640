// 2-norm condition numbers through ml-matrix's SVD.
import { Matrix, SVD } from "ml-matrix";

/** σ_max/σ_min of a real matrix (Infinity when singular). */
export function cond2(M: Matrix): number {
  const s = new SVD(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
  const min = Math.min(...s);
  return min === 0 ? Infinity : Math.max(...s) / min;
}

/**
 * 2-norm condition number of the complex matrix V = Vr + i·Vi, from its real embedding
 * [[Vr, −Vi], [Vi, Vr]], whose singular values are those of V, each twice.
 */
export function cond2Complex(Vre: Matrix, Vim: Matrix): number {
  const n = Vre.rows, m = Vre.columns;
  const E = new Matrix(2 * n, 2 * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const a = Vre.get(i, j), b = Vim.get(i, j);
      E.set(i, j, a);
      E.set(i, j + m, -b);
      E.set(i + n, j, b);
      E.set(i + n, j + m, a);
    }
  return cond2(E);
}
