// Shifted orthonormal Legendre functions on [0,1]: L_n(x) = √(2n+1) P_n(2x−1).
// They are the frame behind HiPPO-LegS / LegT (walrus-math §2, "TOSSM basis of LegS"), and the
// check frame for SaFARi (walrus-math §3.4).
import { Matrix } from "ml-matrix";
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import type { Quadrature } from "./quadrature.js";

/**
 * Values L_0(x) … L_{N−1}(x) at one point, by the three-term (Bonnet) recurrence
 * (n+1) P_{n+1}(y) = (2n+1) y P_n(y) − n P_{n−1}(y), y = 2x − 1, which is stable on [−1, 1].
 * x outside [0, 1] is allowed (the polynomials extend), but the frame is only orthonormal on [0, 1].
 */
export function legendreValues(N: number, x: number): Float64Array {
  requireInt("N", N, 1);
  requireFinite("x", x);
  const out = new Float64Array(N);
  const y = 2 * x - 1;
  let pPrev = 1; // P_0
  let p = y; // P_1
  out[0] = 1;
  if (N > 1) out[1] = Math.sqrt(3) * y;
  for (let n = 1; n + 1 < N; n++) {
    const next = ((2 * n + 1) * y * p - n * pPrev) / (n + 1);
    pPrev = p;
    p = next;
    out[n + 1] = Math.sqrt(2 * n + 3) * next;
  }
  return out;
}

/** L_n(1) = √(2n+1) exactly (P_n(1) = 1): the HiPPO B (walrus-math §3.3 step 5). */
export function legendreAtOne(N: number): Float64Array {
  requireInt("N", N, 1);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) out[n] = Math.sqrt(2 * n + 1);
  return out;
}

/**
 * Sampled frame F (N × samples), F[n, j] = L_n(x_j) on the quadrature's grid
 * (walrus-math §1 "Frame grid", §3.3 step 1).
 */
export function legendreFrame(N: number, q: Quadrature): Matrix {
  requireInt("N", N, 1);
  const n = q.x.length;
  if (N > n) throw new ParameterError("N", `an integer <= the quadrature's ${n} samples`, N);
  const F = new Matrix(N, n);
  for (let j = 0; j < n; j++) {
    const v = legendreValues(N, q.x[j]);
    for (let i = 0; i < N; i++) F.set(i, j, v[i]);
  }
  return F;
}
