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
  const tri = triangularEig(A);
  if (tri) return tri;
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

/**
 * Triangular matrices (HiPPO-LegS is lower triangular): the eigenvalues are the diagonal, exactly.
 * Hessenberg QR without balancing loses them badly on such non-normal matrices (LegS-32: 1e-4
 * absolute), whereas LAPACK's balancing isolates them by permutation. We isolate them the same way
 * for the fully triangular case and get each eigenvector by substitution, (A − λ_k I)v = 0 with
 * v_k = 1; repeated diagonal entries fall back to the general path.
 */
function triangularEig(A: Matrix): ComplexEig | undefined {
  const n = A.rows;
  let lower = true, upper = true;
  for (let i = 0; i < n && (lower || upper); i++)
    for (let j = 0; j < n; j++) {
      if (j > i && A.get(i, j) !== 0) lower = false;
      if (j < i && A.get(i, j) !== 0) upper = false;
    }
  if (!lower && !upper) return undefined;
  const d = Array.from({ length: n }, (_, i) => A.get(i, i));
  if (new Set(d).size !== n) return undefined;
  const Vre = new Matrix(n, n), Vim = new Matrix(n, n);
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(n);
    v[k] = 1;
    if (lower) {
      for (let i = k + 1; i < n; i++) {
        let s = 0;
        for (let j = k; j < i; j++) s += A.get(i, j) * v[j];
        v[i] = -s / (d[i] - d[k]);
      }
    } else {
      for (let i = k - 1; i >= 0; i--) {
        let s = 0;
        for (let j = i + 1; j <= k; j++) s += A.get(i, j) * v[j];
        v[i] = -s / (d[i] - d[k]);
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += v[i] * v[i];
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) Vre.set(i, k, v[i] / nrm);
  }
  return { re: Float64Array.from(d), im: new Float64Array(n), Vre, Vim };
}

function negate(v: Float64Array): Float64Array {
  return v.map((x) => -x);
}

/** Eigenvalues only (cheaper to read; same decomposition). */
export function eigenvalues(A: Matrix): { re: Float64Array; im: Float64Array } {
  const { re, im } = eigGeneral(A);
  return { re, im };
}
