// Eigen-decomposition of a real nonsymmetric matrix through ml-matrix (a JAMA port: Hessenberg
// reduction + shifted QR). ml-matrix returns complex-pair eigenvectors in real form (two columns
// holding the real and imaginary parts); we return them as complex columns of unit 2-norm, the
// LAPACK/numpy convention that walrus-math §5.2's condition numbers use.
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { ParameterError } from "../errors.js";

export interface ComplexEig {
  re: Float64Array;
  im: Float64Array;
  /** Column k is the eigenvector of eigenvalue k (real and imaginary parts), unit 2-norm. */
  Vre: Matrix;
  Vim: Matrix;
}

/** Residual ‖A v − λ v‖₂ for a complex vector v and eigenvalue λ = (lr, li). */
function residual(A: Matrix, vr: Float64Array, vi: Float64Array, lr: number, li: number): number {
  const n = vr.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let ar = 0, ai = 0;
    const row = A.getRow(i);
    for (let j = 0; j < n; j++) {
      ar += row[j] * vr[j];
      ai += row[j] * vi[j];
    }
    const rr = ar - (lr * vr[i] - li * vi[i]);
    const ri = ai - (lr * vi[i] + li * vr[i]);
    s += rr * rr + ri * ri;
  }
  return Math.sqrt(s);
}

export function eigGeneral(A: Matrix): ComplexEig {
  const n = A.rows;
  if (n < 1 || A.columns !== n) throw new ParameterError("A", "a non-empty square matrix", `${A.rows}x${A.columns}`);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (!Number.isFinite(A.get(i, j))) throw new ParameterError(`A[${i}][${j}]`, "a finite number", A.get(i, j));
  }
  const evd = new EigenvalueDecomposition(A, { assumeSymmetric: false });
  const re = Float64Array.from(evd.realEigenvalues);
  const im = Float64Array.from(evd.imaginaryEigenvalues);
  const W = evd.eigenvectorMatrix;
  const Vre = new Matrix(n, n);
  const Vim = new Matrix(n, n);
  const put = (k: number, vr: Float64Array, vi: Float64Array) => {
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += vr[i] * vr[i] + vi[i] * vi[i];
    nrm = Math.sqrt(nrm) || 1;
    for (let i = 0; i < n; i++) {
      Vre.set(i, k, vr[i] / nrm);
      Vim.set(i, k, vi[i] / nrm);
    }
  };
  for (let k = 0; k < n; ) {
    const vr = new Float64Array(n), vi = new Float64Array(n);
    if (im[k] === 0 || k + 1 >= n) {
      for (let i = 0; i < n; i++) vr[i] = W.get(i, k);
      put(k, vr, vi);
      k += 1;
      continue;
    }
    // A conjugate pair occupies columns (k, k+1) as (real part, imaginary part). Pick the sign of
    // the imaginary part by the residual instead of trusting a convention.
    for (let i = 0; i < n; i++) {
      vr[i] = W.get(i, k);
      vi[i] = W.get(i, k + 1);
    }
    if (residual(A, vr, vi, re[k], im[k]) > residual(A, vr, negate(vi), re[k], im[k])) for (let i = 0; i < n; i++) vi[i] = -vi[i];
    put(k, vr, vi);
    put(k + 1, vr, negate(vi));
    k += 2;
  }
  return { re, im, Vre, Vim };
}

function negate(v: Float64Array): Float64Array {
  return v.map((x) => -x);
}

/** Eigenvalues only (cheaper to read; same decomposition). */
export function eigenvalues(A: Matrix): { re: Float64Array; im: Float64Array } {
  const { re, im } = eigGeneral(A);
  return { re, im };
}
