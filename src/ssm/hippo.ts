// HiPPO state matrices in the S4 sign (x' = Ax + Bu, A Hurwitz). walrus-math §2.
import { Matrix } from "ml-matrix";
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import type { DenseSSM } from "./types.js";

const MAX_N = 4096;

/**
 * HiPPO-LegS [S4D eq. (4)]: A_nk = −√(2n+1)√(2k+1) (n > k), −(n+1) (n = k), 0 (n < k);
 * B_n = √(2n+1). eig(A) = {−1, …, −N}; its eigenvectors are catastrophically conditioned.
 */
export function hippoLegS(N: number): DenseSSM {
  requireInt("N", N, 1, MAX_N);
  const A = new Matrix(N, N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1);
    for (let k = 0; k < n; k++) A.set(n, k, -Math.sqrt(2 * n + 1) * Math.sqrt(2 * k + 1));
    A.set(n, n, -(n + 1));
  }
  return { name: "legs", N, A, B, meta: { measure: "scaled Legendre (LegS)" } };
}

/**
 * HiPPO-LegT with window θ: A_nk = −(1/θ)√(2n+1)√(2k+1)·(1 if n ≥ k else (−1)^(n−k)), B_n = √(2n+1)/θ.
 *
 * Porting note: state-spaces/s4 `transition('legt')` builds θ = 1 and then halves A and B
 * ("timescale correctness"), i.e. θ = 2. We default to θ = 1 as the authors' SaFARi/WaLRUS code
 * (`hippo()`, translated branch) does, so the SaFARi-on-Legendre check of §3.4 compares like with
 * like; pass theta = 2 for the state-spaces matrices.
 */
/** The construction knob of LegT. */
export interface LegTKnobs {
  /** Window length θ (> 0). Default 1 (the authors' SaFARi code); 2 gives state-spaces/s4's `transition('legt')`. */
  theta?: number;
}

export function hippoLegT(N: number, opts: LegTKnobs = {}): DenseSSM {
  requireInt("N", N, 1, MAX_N);
  const theta = requireFinite("theta", opts.theta ?? 1, { min: 0, exclusiveMin: true });
  const A = new Matrix(N, N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    B[n] = Math.sqrt(2 * n + 1) / theta;
    for (let k = 0; k < N; k++) {
      const sign = n >= k ? 1 : (n - k) % 2 === 0 ? 1 : -1;
      A.set(n, k, (-Math.sqrt(2 * n + 1) * Math.sqrt(2 * k + 1) * sign) / theta);
    }
  }
  return { name: "legt", N, A, B, meta: { measure: "translated Legendre (LegT)", theta } };
}

/**
 * HiPPO-FouT (translated Fourier). State order (c_0, c_1, s_1, c_2, s_2, …): B_0 = 1, B_{2k} = √2 for
 * k ≥ 1 (cosine rows), 0 on sine rows; A = π(−diag(d, +1) + diag(d, −1)) − B Bᵀ with d the
 * frequency of each (cos, sin) coupling.
 * Porting note: follows state-spaces/s4 `transition('fout')` (π, not 2π, and the rank-one
 * correction −BBᵀ for the window's far end). We require an even N so every frequency has both its
 * cosine and sine state.
 */
export function hippoFouT(N: number): DenseSSM {
  requireInt("N", N, 2, MAX_N);
  if (N % 2 !== 0) throw new ParameterError("N", "an even integer >= 2 (FouT pairs cosines and sines)", N);
  const A = new Matrix(N, N);
  const B = new Float64Array(N);
  for (let n = 0; n < N; n += 2) B[n] = n === 0 ? 1 : Math.SQRT2;
  // d has length N−1: d[2k] = k, d[2k+1] = 0 — couples state 2k (cos k) with 2k+1 (sin k).
  for (let i = 0; i < N - 1; i++) {
    const d = i % 2 === 0 ? i / 2 : 0;
    A.set(i, i + 1, -Math.PI * d);
    A.set(i + 1, i, Math.PI * d);
  }
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) A.set(i, j, A.get(i, j) - B[i] * B[j]);
  return { name: "fout", N, A, B, meta: { measure: "translated Fourier (FouT)" } };
}

/**
 * NPLR form of LegS [S4D eq. (5)]: A = A_N − P Pᵀ with P_n = √(n + ½). A_N = −½I + S with S
 * skew-symmetric, so eig(A_N) = −½ + iω: the S4D-LegS ("HiPPO-D") spectrum.
 */
export function legsNplr(N: number): { AN: Matrix; P: Float64Array; B: Float64Array } {
  const { A, B } = hippoLegS(N);
  const P = new Float64Array(N);
  for (let n = 0; n < N; n++) P[n] = Math.sqrt(n + 0.5);
  const AN = A.clone();
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) AN.set(i, j, AN.get(i, j) + P[i] * P[j]);
  return { AN, P, B };
}
