// States of a discretised LTI system driven by u, as the delay-task design matrix
// (walrus-math §8.2, step 2): x_k = Ā x_{k−1} + B̄ u_k, x_{−1} = 0.
//
// Which recurrence: the dense O(L·N²) one, for every init. It needs no eigendecomposition, so it is
// exact for HiPPO-LegS, whose eigenvector matrix has cond(V) ~ 1e20 at N = 64 (walrus-math §2, §5.2)
// and cannot be diagonalised stably. At the study's sizes (N ≤ 64, L = 2000) the dense recurrence
// costs ~8 Mflop per dt, a few ms, which is far below the SVD of the design matrix, so a diagonal
// O(L·N) path would buy nothing measurable here.
import type { DiscreteDenseSSM } from "../ssm/types.js";
import { ParameterError, requireInt } from "../errors.js";
import type { DesignMatrix } from "./ridge.js";

/** Row-major Float64Array copy of an ml-matrix-like matrix (get(i, j)). */
export function rowMajor(M: { rows: number; columns: number; get(i: number, j: number): number }): Float64Array {
  const out = new Float64Array(M.rows * M.columns);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) out[i * M.columns + j] = M.get(i, j);
  return out;
}

/**
 * Run the dense recurrence over all of u and keep the states x_k for k = firstRow..L−1 as the rows
 * of a (L − firstRow) × N design matrix. firstRow defaults to 0 (all states).
 */
export function denseStates(sys: DiscreteDenseSSM, u: Float64Array, firstRow = 0): DesignMatrix {
  const N = sys.Bb.length;
  if (sys.Ab.rows !== N || sys.Ab.columns !== N) {
    throw new ParameterError("Ab", `an ${N}×${N} matrix (N = length of Bb)`, `${sys.Ab.rows}×${sys.Ab.columns}`);
  }
  const L = u.length;
  requireInt("firstRow", firstRow, 0, L - 1);
  const A = rowMajor(sys.Ab);
  const B = sys.Bb;
  const rows = L - firstRow;
  const out = new Float64Array(rows * N);
  let x = new Float64Array(N);
  let xn = new Float64Array(N);
  for (let k = 0; k < L; k++) {
    const uk = u[k];
    for (let i = 0; i < N; i++) {
      let s = B[i] * uk;
      const o = i * N;
      for (let j = 0; j < N; j++) s += A[o + j] * x[j];
      xn[i] = s;
    }
    const t = x;
    x = xn;
    xn = t;
    if (k >= firstRow) out.set(x, (k - firstRow) * N);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new ParameterError("dt", "a step for which the discretised system stays finite over the input", `non-finite state at dt = ${sys.dt}`);
    }
  }
  return { data: out, rows, cols: N };
}

/** Delay-task targets y_k = u_{k−D} for k = D..L−1 (walrus-math §8.2, step 3). */
export function delayTargets(u: Float64Array, D: number): Float64Array {
  requireInt("delay", D, 0, u.length - 1);
  return u.slice(0, u.length - D);
}
