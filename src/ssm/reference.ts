// The slow float64 truth every fast path is tested against: naive loops, no cleverness.
// walrus-math §6, §7.
import { Matrix, solve } from "ml-matrix";
import { ParameterError, requireInt } from "../errors.js";
import { legendreValues } from "../frames/legendre.js";
import { expm } from "./discretize.js";
import type { CVec, DenseSSM, DiscreteDenseSSM, DiscreteDiagonalSSM } from "./types.js";

function matVec(A: Matrix, x: Float64Array): Float64Array {
  const n = A.rows, y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = A.getRow(i);
    let s = 0;
    for (let j = 0; j < x.length; j++) s += row[j] * x[j];
    y[i] = s;
  }
  return y;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Longest float64 reference kernel (8 MiB per kernel). */
export const MAX_KERNEL_LENGTH = 1 << 20;

/** K_l = C Ā^l B̄, l = 0..L−1, by repeated mat-vec (Krylov). */
export function denseKernel(sys: DiscreteDenseSSM, C: Float64Array, L: number): Float64Array {
  requireInt("L", L, 1, MAX_KERNEL_LENGTH);
  if (C.length !== sys.Bb.length) throw new ParameterError("C", `a readout of length N = ${sys.Bb.length}`, `length ${C.length}`);
  const K = new Float64Array(L);
  let v: Float64Array = Float64Array.from(sys.Bb);
  for (let l = 0; l < L; l++) {
    K[l] = dot(C, v);
    v = matVec(sys.Ab, v);
  }
  return K;
}

/**
 * K_l = Re Σ_n w_n C_n Ā_n^l B̄_n (the Vandermonde product), naive double loop with powers by repeated
 * multiplication. C in the same (diagonal) basis as the modes.
 */
export function diagonalKernel(sys: DiscreteDiagonalSSM, C: CVec, L: number): Float64Array {
  requireInt("L", L, 1, MAX_KERNEL_LENGTH);
  const M = sys.Ab.re.length;
  if (C.re.length !== M || C.im.length !== M) throw new ParameterError("C", `a readout of length ${M} (one per mode)`, `length ${C.re.length}`);
  const K = new Float64Array(L);
  for (let n = 0; n < M; n++) {
    // z = w C B̄, then multiplied by Ā each step.
    let zr = sys.weight[n] * (C.re[n] * sys.Bb.re[n] - C.im[n] * sys.Bb.im[n]);
    let zi = sys.weight[n] * (C.re[n] * sys.Bb.im[n] + C.im[n] * sys.Bb.re[n]);
    const ar = sys.Ab.re[n], ai = sys.Ab.im[n];
    for (let l = 0; l < L; l++) {
      K[l] += zr;
      const t = zr * ar - zi * ai;
      zi = zr * ai + zi * ar;
      zr = t;
    }
  }
  return K;
}

/** y_k = C x_k with x_k = Ā x_{k−1} + B̄ u_k, x_{−1} = 0. Returns y (and the final state). */
export function denseRecurrence(sys: DiscreteDenseSSM, C: Float64Array, u: ArrayLike<number>): { y: Float64Array; x: Float64Array } {
  let x: Float64Array = new Float64Array(sys.Bb.length);
  const y = new Float64Array(u.length);
  for (let k = 0; k < u.length; k++) {
    x = matVec(sys.Ab, x);
    for (let i = 0; i < x.length; i++) x[i] += sys.Bb[i] * u[k];
    y[k] = dot(C, x);
  }
  return { y, x };
}

/** Diagonal recurrence; y_k = Re Σ w_n C_n x_{n,k}. */
export function diagonalRecurrence(sys: DiscreteDiagonalSSM, C: CVec, u: ArrayLike<number>): Float64Array {
  const M = sys.Ab.re.length;
  const xr = new Float64Array(M), xi = new Float64Array(M);
  const y = new Float64Array(u.length);
  for (let k = 0; k < u.length; k++) {
    let s = 0;
    for (let n = 0; n < M; n++) {
      const r = sys.Ab.re[n] * xr[n] - sys.Ab.im[n] * xi[n] + sys.Bb.re[n] * u[k];
      const i = sys.Ab.re[n] * xi[n] + sys.Ab.im[n] * xr[n] + sys.Bb.im[n] * u[k];
      xr[n] = r;
      xi[n] = i;
      s += sys.weight[n] * (C.re[n] * r - C.im[n] * i);
    }
    y[k] = s;
  }
  return y;
}

/**
 * The scaled-measure (time-varying) recurrence of §7, bilinear with Δ_k = 1/k, k = 1..L:
 *   x_k = (I − Δ_k/2·A)⁻¹[(I + Δ_k/2·A) x_{k−1} + Δ_k B u_k].
 * Returns all states (L × N, row k−1 = x_k).
 */
export function scaledRecurrence(ssm: DenseSSM, u: ArrayLike<number>): Matrix {
  const N = ssm.N, L = u.length;
  const X = new Matrix(L, N);
  let x: Float64Array = new Float64Array(N);
  const I = Matrix.eye(N);
  for (let k = 1; k <= L; k++) {
    const d = 1 / k;
    const Mi = I.clone().sub(ssm.A.clone().mul(d / 2));
    const P = I.clone().add(ssm.A.clone().mul(d / 2));
    const rhs = matVec(P, x);
    for (let i = 0; i < N; i++) rhs[i] += d * ssm.B[i] * u[k - 1];
    x = Float64Array.from(solve(Mi, Matrix.columnVector(Array.from(rhs))).getColumn(0));
    X.setRow(k - 1, Array.from(x));
  }
  return X;
}

/** Causal direct convolution y_t = Σ_{s ≤ t} K_s u_{t−s}, O(L²). */
export function causalConv(u: ArrayLike<number>, K: ArrayLike<number>): Float64Array {
  const L = u.length, y = new Float64Array(L);
  for (let t = 0; t < L; t++) {
    let s = 0;
    for (let j = 0; j <= t && j < K.length; j++) s += K[j] * u[t - j];
    y[t] = s;
  }
  return y;
}

/** The TOSSM basis e^{tA}B at the given times (rows), through expm. */
export function tossmBasis(ssm: DenseSSM, times: ArrayLike<number>): Matrix {
  const out = new Matrix(times.length, ssm.N);
  for (let i = 0; i < times.length; i++) {
    const E = expm(ssm.A.clone().mul(times[i]));
    out.setRow(i, Array.from(matVec(E, ssm.B)));
  }
  return out;
}

/**
 * Closed form of the LegS TOSSM basis: (e^{tA}B)_n = L_n(e^{−t})·e^{−t}, L_n(x) = √(2n+1)P_n(2x−1)
 * (S4D App. A Thm 6 in our sign and scaling; walrus-math §2). Rows = times, columns n = 0 … N−1.
 */
export function legsTossmClosedForm(N: number, times: ArrayLike<number>): Float64Array[] {
  requireInt("N", N, 1);
  return Array.from(times, (t) => legendreValues(N, Math.exp(-t)).map((v) => v * Math.exp(-t)));
}

/** max_{i,n} |basis[i][n] − reference[i][n]| over the common columns. */
export function maxAbsDiff(basis: Matrix, reference: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (let i = 0; i < basis.rows; i++) for (let n = 0; n < basis.columns; n++) m = Math.max(m, Math.abs(basis.get(i, n) - reference[i][n]));
  return m;
}
